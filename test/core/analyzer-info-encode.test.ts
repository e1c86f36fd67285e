/**
 * core/sdk/analyzer-info-encode.ts writes GetAnalyzerInfo's answer without the SDK's messages: for
 * every pack it encodes, the bytes must be those the SDK's answer serialises to; for any other
 * arguments it must give up, so the SDK's handler answers (or fails) exactly as before.
 */
import fc from "fast-check";
import { encodeAnalyzerInfo, sdkAnalyzerInfoBytes, ServedPackArgs } from "../../core/sdk/analyzer-info-encode";
import { policyPackArgs, policyPackName } from "../../pack/policy-pack";
import { propertyParameters } from "../support/property";

/** The SDK's answer, serialised as its service sends it, or undefined where the SDK's handler fails. */
function sdkBytes(served: ServedPackArgs): Uint8Array | undefined {
  try {
    return sdkAnalyzerInfoBytes(served);
  } catch {
    return undefined;
  }
}

const text = fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.constantFrom("", "a", "b", "1", "10", "2", "constructor"));
const json: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.boolean(),
    fc.double(),
    text,
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(text, tie("value"), { maxKeys: 4 }),
  ),
})).value;
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const level = fc.constantFrom("advisory", "mandatory", "disabled", "remediate");

const policy = fc
  .record(
    {
      name: text,
      description: text,
      enforcementLevel: maybe(level),
      displayName: maybe(text),
      severity: maybe(fc.constantFrom("low", "medium", "high", "critical", "", "other")),
      tags: maybe(fc.array(text, { maxLength: 3 })),
      remediationSteps: maybe(text),
      url: maybe(text),
      framework: maybe(fc.record({ name: maybe(text), version: maybe(text), reference: maybe(text), specification: maybe(text) })),
      configSchema: maybe(
        fc.record({ properties: maybe(fc.dictionary(text, json, { maxKeys: 5 })), required: maybe(fc.array(text, { maxLength: 2 })) }),
      ),
      kind: fc.constantFrom("resource", "stack", "remediation", "none"),
    },
    { requiredKeys: ["name", "description", "kind"] },
  )
  .map(({ kind, ...fields }) => ({
    ...fields,
    ...(kind === "resource" ? { validateResource: () => undefined } : {}),
    ...(kind === "stack" ? { validateStack: () => undefined } : {}),
    ...(kind === "remediation" ? { remediateResource: () => undefined } : {}),
  }));

const served: fc.Arbitrary<ServedPackArgs> = fc.record({
  name: text,
  version: text,
  enforcementLevel: level,
  args: fc.record(
    {
      displayName: maybe(text),
      description: maybe(text),
      readme: maybe(text),
      provider: maybe(text),
      repository: maybe(text),
      tags: maybe(fc.array(text, { maxLength: 3 })),
      policies: fc.array(policy, { maxLength: 4 }),
    },
    { requiredKeys: ["policies"] },
  ),
  initialConfig: fc.constant(undefined),
});

describe("encodeAnalyzerInfo", () => {
  it("encodes this pack's answer, byte for byte the SDK's", () => {
    const pack: ServedPackArgs = {
      name: policyPackName,
      version: "0.1.0",
      enforcementLevel: "advisory",
      args: policyPackArgs(),
      initialConfig: undefined,
    };
    const encoded = encodeAnalyzerInfo(pack);
    expect(encoded).toBeDefined();
    expect(Buffer.from(encoded as Uint8Array).equals(Buffer.from(sdkBytes(pack) as Uint8Array))).toBe(true);
  });

  it("encodes any pack's answer as the SDK serialises it, or gives up", () => {
    let encodedCount = 0;
    fc.assert(
      fc.property(served, (pack) => {
        const encoded = encodeAnalyzerInfo(pack);
        if (encoded === undefined) return;
        encodedCount++;
        const expected = sdkBytes(pack);
        expect(expected).toBeDefined();
        expect(Buffer.from(encoded).toString("hex")).toBe(Buffer.from(expected as Uint8Array).toString("hex"));
      }),
      propertyParameters(300),
    );
    expect(encodedCount).toBeGreaterThan(250);
  });

  it("gives up on what it would not encode as the SDK does", () => {
    const base = { name: "p", version: "1", enforcementLevel: "advisory", initialConfig: undefined };
    const withProperties = (properties: unknown) => ({
      ...base,
      args: { policies: [{ name: "x", description: "d", validateStack: () => undefined, configSchema: { properties } }] },
    });
    const cases: ServedPackArgs[] = [
      { ...base, initialConfig: { x: "advisory" }, args: { policies: [] } },
      withProperties(JSON.parse('{"__proto__": {"type": "string"}}')),
      withProperties({ a: undefined }),
      withProperties({ a: [1, undefined] }),
      withProperties({ a: new Date(0) }),
      withProperties({ a: () => 1 }),
      withProperties([1]),
      { ...base, args: { policies: [{ name: "x", description: "d", enforcementLevel: "strict" }] } },
      { ...base, args: { policies: [{ name: 1, description: "d" }] } },
    ];
    for (const pack of cases) expect(encodeAnalyzerInfo(pack)).toBeUndefined();
  });
});
