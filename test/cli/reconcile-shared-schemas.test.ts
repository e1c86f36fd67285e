/**
 * The client's config validation compiles a policy's schema with the property schemas several
 * policies carry referenced once (cli/analyzer-client.ts compileSharing). Whatever a pack answers,
 * each policy's config must get the verdict of its own schema compiled whole: policies with the
 * same name, and schemas that differ only in what JSON cannot spell (NaN, ±Infinity, which a
 * protobuf Struct carries), must not borrow another policy's schema.
 */
import Ajv from "ajv";
import addFormats from "ajv-formats";
import fc from "fast-check";
import { AnalyzerInfo, parsePolicyPackConfig, PolicyInfo, reconcilePolicyPackConfig } from "../../cli/analyzer-client";
import { propertyParameters } from "../support/property";

/** Property schemas, some alike to JSON.stringify but not to a validator. */
const propertySchema = fc.constantFrom<Record<string, unknown>>(
  { const: Number.NaN },
  { const: null },
  { maximum: Number.POSITIVE_INFINITY },
  { minimum: Number.NEGATIVE_INFINITY },
  { type: "string" },
  { type: "number" },
  { minimum: 3 },
  { enum: [null, 1] },
  {},
);
const value = fc.constantFrom<unknown>(null, 1, 5, "x", -1, true);

const policyOf = (name: string, properties: Record<string, unknown>): PolicyInfo => ({
  name,
  displayName: "",
  description: "",
  message: "",
  enforcementLevel: "mandatory",
  policyType: "resource",
  configSchema: { properties, required: [] },
  tags: [],
  remediationSteps: "",
  url: "",
});

const infoArbitrary = fc
  .array(
    fc.record({
      name: fc.constantFrom("a", "b", "c"),
      properties: fc.dictionary(fc.constantFrom("p", "q"), propertySchema, { maxKeys: 2 }),
    }),
    { minLength: 1, maxLength: 5 },
  )
  .map((policies): AnalyzerInfo => ({
    name: "pack",
    displayName: "",
    version: "1.0.0",
    supportsConfig: true,
    policies: policies.map((p) => policyOf(p.name, p.properties)),
    initialConfig: {},
  }));
const configArbitrary = fc.dictionary(fc.constantFrom("a", "b", "c"), fc.dictionary(fc.constantFrom("p", "q"), value, { minKeys: 1 }));

/** Whether any policy's own schema, compiled whole, refuses the config it is given. */
function refusedByOwnSchemas(info: AnalyzerInfo, config: Record<string, Record<string, unknown>>): boolean {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return info.policies.some((policy) => {
    const schema: Record<string, unknown> = { type: "object" };
    if (policy.configSchema && Object.keys(policy.configSchema.properties).length > 0)
      schema["properties"] = policy.configSchema.properties;
    return !ajv.compile(schema)(config[policy.name] ?? {});
  });
}

function refusedByClient(info: AnalyzerInfo, config: Record<string, Record<string, unknown>>): boolean {
  try {
    reconcilePolicyPackConfig(info, parsePolicyPackConfig(config));
    return false;
  } catch {
    return true;
  }
}

describe("client config validation with shared property schemas", () => {
  it("gives each policy the verdict of its own schema compiled whole", () => {
    fc.assert(
      fc.property(infoArbitrary, configArbitrary, (info, given) => {
        // Config only for policies the pack has: the CLI refuses any other, whatever the schemas.
        const config = Object.fromEntries(Object.entries(given).filter(([name]) => info.policies.some((p) => p.name === name)));
        expect(refusedByClient(info, config)).toBe(refusedByOwnSchemas(info, config));
      }),
      propertyParameters(150),
    );
  });

  it("validates two policies of the same name each with its own schema", () => {
    const info: AnalyzerInfo = {
      name: "pack",
      displayName: "",
      version: "1.0.0",
      supportsConfig: true,
      policies: [policyOf("a", { p: { type: "string" } }), policyOf("a", { q: {} })],
      initialConfig: {},
    };
    expect(refusedByClient(info, { a: { p: 1 } })).toBe(true);
  });

  it("does not take a NaN constant for JSON's null", () => {
    const info: AnalyzerInfo = {
      name: "pack",
      displayName: "",
      version: "1.0.0",
      supportsConfig: true,
      policies: [policyOf("a", { p: { const: Number.NaN }, q: {} }), policyOf("b", { p: { const: null } })],
      initialConfig: {},
    };
    expect(refusedByClient(info, { a: { p: null } })).toBe(true);
  });
});
