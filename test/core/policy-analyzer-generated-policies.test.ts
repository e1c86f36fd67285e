/**
 * test/engine/policy-analyzer.test.ts holds the pack's Analyze and AnalyzeStack handlers
 * (core/sdk/policy-analyzer.ts) to the SDK's with the pack's own policies, which all behave alike.
 * This holds them to the SDK's handlers (`@pulumi/policy/server` makeAnalyzeRpcFun and
 * makeAnalyzeStackRpcFun, in this process, neither configured) for generated policies that use
 * everything a policy may: reports in every form, `notApplicable`, thrown errors, unknown values,
 * `isType`/`asType` with odd arguments, type-tagged validations, arrays of validations, every
 * enforcement level and severity. Same response bytes, or the same error (stack frames aside).
 */
import fc from "fast-check";
import { analyzeRequestFor, analyzeStackRequestFor, CapturedResource } from "../../cli/analyzer-client";
import { packHandlers } from "../../core/sdk/policy-analyzer";
import { propertyParameters } from "../support/property";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK's own handlers, the reference
const sdkServer = require("@pulumi/policy/server") as {
  makeAnalyzeRpcFun(name: string, version: string, level: string, policies: object[]): Handler;
  makeAnalyzeStackRpcFun(name: string, version: string, level: string, policies: object[]): Handler;
};
type Handler = (call: { request: unknown }, callback: (error: unknown, response?: unknown) => void) => void;

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const typeA = "test:index:A";
const typeB = "test:index:B";

type Action =
  | { kind: "report"; message: unknown; urn?: string }
  | { kind: "read"; key: string }
  | { kind: "notApplicable"; reason?: string }
  | { kind: "throw" }
  | { kind: "isType"; of: "null" | "undefined" | "tagged" | "isInstance" | "plain" }
  | { kind: "readStack" }
  | { kind: "readOptions" }
  | { kind: "keys" }
  | { kind: "async" };

const levels = ["advisory", "mandatory", "disabled", "remediate"] as const;
const severities = ["low", "medium", "high", "critical"] as const;

const reportMessage: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(undefined, "", "plain text", 0, 7),
  fc.constant(null),
  fc.record(
    {
      message: fc.constantFrom("object message", ""),
      description: fc.constantFrom("object description", ""),
      name: fc.constantFrom("renamed", ""),
      urn: fc.constantFrom("urn:pulumi:dev::p::test:index:A::a0", ""),
      enforcementLevel: fc.constantFrom("advisory", "mandatory", ""),
      severity: fc.constantFrom(...severities, ""),
    },
    { requiredKeys: [] },
  ),
);

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant("report" as const), message: reportMessage, urn: fc.constantFrom(undefined, "urn:x") }),
  fc.record({ kind: fc.constant("read" as const), key: fc.constantFrom("known", "secretive", "later", "absent") }),
  fc.record({ kind: fc.constant("notApplicable" as const), reason: fc.constantFrom(undefined, "", "because") }),
  fc.constant({ kind: "throw" as const }),
  fc.record({
    kind: fc.constant("isType" as const),
    of: fc.constantFrom("null" as const, "undefined" as const, "tagged" as const, "isInstance" as const, "plain" as const),
  }),
  fc.constant({ kind: "readStack" as const }),
  fc.constant({ kind: "readOptions" as const }),
  fc.constant({ kind: "keys" as const }),
  fc.constant({ kind: "async" as const }),
);

interface PolicySpec {
  stack: boolean;
  enforcementLevel: (typeof levels)[number] | undefined;
  severity: (typeof severities)[number] | undefined;
  /** Per validation: its type tag and its actions. */
  validations: { tag: string | undefined; actions: Action[] }[];
  asArray: boolean;
}

const policySpec: fc.Arbitrary<PolicySpec> = fc.record({
  stack: fc.boolean(),
  enforcementLevel: fc.constantFrom(...levels, undefined),
  severity: fc.constantFrom(...severities, undefined),
  validations: fc.array(fc.record({ tag: fc.constantFrom(undefined, typeA, typeB), actions: fc.array(action, { maxLength: 4 }) }), {
    minLength: 1,
    maxLength: 2,
  }),
  asArray: fc.boolean(),
});

/** What an action reads of the resource, as a policy would report it. */
function run(actions: readonly Action[], args: Record<string, unknown>, report: (m: unknown, urn?: string) => void): void | Promise<void> {
  for (const [i, a] of actions.entries()) {
    const resource = (args["resources"] as Record<string, unknown>[] | undefined)?.[0] ?? args;
    switch (a.kind) {
      case "report":
        report(a.message, a.urn);
        break;
      case "read":
        report(`read ${JSON.stringify((resource["props"] as Record<string, unknown>)[a.key])}`);
        break;
      case "notApplicable":
        (args["notApplicable"] as (reason?: string) => never)(a.reason);
        break;
      case "throw":
        throw new Error("policy failed");
      case "isType": {
        const classes: Record<string, unknown> = {
          null: null,
          undefined: undefined,
          tagged: { __pulumiType: typeA },
          isInstance: { isInstance: (o: { __pulumiType?: string }) => o.__pulumiType === typeB },
          plain: {},
        };
        const isType = resource["isType"] as (c: unknown) => unknown;
        const asType = resource["asType"] as (c: unknown) => unknown;
        report(`isType ${String(isType(classes[a.of]))} asType ${asType(classes[a.of]) === undefined ? "none" : "props"}`);
        break;
      }
      case "readStack": {
        const resources = (args["resources"] as Record<string, unknown>[] | undefined) ?? [];
        const described = resources.map((r) => {
          const parent = r["parent"] as { name?: string } | undefined;
          const dependencies = (r["dependencies"] as { name: string }[]).map((d) => d.name).join("+");
          return `${String(r["name"])}<${parent?.name ?? ""}>[${dependencies}]`;
        });
        const tags = args["stackTags"] as ReadonlyMap<string, string>;
        report(`stack ${described.join(",")} tags ${tags.size} config ${JSON.stringify((args["getConfig"] as () => unknown)())}`);
        break;
      }
      case "readOptions": {
        const provider = resource["provider"] as { type: string; name: string; urn: string; props: Record<string, unknown> } | undefined;
        const propertyDependencies = Object.entries((resource["propertyDependencies"] as Record<string, { name: string }[]>) ?? {}).map(
          ([key, ds]) => `${key}:${ds.map((d) => d.name).join("+")}`,
        );
        report(
          `options ${JSON.stringify(resource["opts"])} provider ${provider ? `${provider.type} ${provider.name} ${provider.urn} ${String(provider.props["region"])}` : "none"} ${propertyDependencies.join(",")}`,
        );
        break;
      }
      case "keys":
        // What a policy that enumerates its arguments sees: the same properties, in the same order.
        report(`keys ${Object.keys(args).join(",")} resource ${Object.keys(resource).join(",")}`);
        break;
      case "async":
        return Promise.resolve().then(() => run(actions.slice(i + 1), args, report));
    }
  }
}

function policiesOf(specs: readonly PolicySpec[]): object[] {
  return specs.map((spec, n) => {
    const validations = spec.validations.map(({ tag, actions }) => {
      const fn = (args: Record<string, unknown>, report: (m: unknown, urn?: string) => void) => run(actions, args, report);
      return tag ? Object.assign(fn, { __pulumiType: tag }) : fn;
    });
    const common = {
      name: `policy-${n}`,
      description: `Policy ${n}`,
      ...(spec.enforcementLevel ? { enforcementLevel: spec.enforcementLevel } : {}),
      ...(spec.severity ? { severity: spec.severity } : {}),
    };
    if (spec.stack) return { ...common, validateStack: validations[0] };
    return { ...common, validateResource: spec.asArray ? validations : validations[0] };
  });
}

const resourceArb: fc.Arbitrary<CapturedResource[]> = fc
  .array(
    fc.record({
      type: fc.constantFrom(typeA, typeB),
      later: fc.boolean(),
      parent: fc.nat(),
      dependsOn: fc.array(fc.nat(), { maxLength: 2 }),
      options: fc.record(
        {
          protect: fc.boolean(),
          ignoreChanges: fc.array(fc.constantFrom("known", "later"), { maxLength: 2 }),
          deleteBeforeReplace: fc.boolean(),
          aliases: fc.array(fc.constantFrom("urn:pulumi:dev::p::test:index:A::old"), { maxLength: 1 }),
          customTimeouts: fc.record({ create: fc.nat(100), update: fc.nat(100) }, { requiredKeys: [] }),
        },
        { requiredKeys: [] },
      ),
      provider: fc.option(fc.record({ region: fc.constantFrom("eu", UNKNOWN) }), { nil: undefined }),
      propertyDependsOn: fc.option(fc.nat(), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((specs) =>
    specs.map((s, i) => {
      const urn = `urn:pulumi:dev::p::${s.type}::r${i}`;
      const urnOf = (j: number) => `urn:pulumi:dev::p::${specs[j % specs.length]?.type}::r${j % specs.length}`;
      return {
        type: s.type,
        name: `r${i}`,
        urn,
        properties: {
          known: `value ${i}`,
          secretive: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "s" },
          later: s.later ? UNKNOWN : "now",
        },
        ...(i > 0 ? { parent: urnOf(s.parent) } : {}),
        dependencies: s.dependsOn.map(urnOf),
        ...(s.propertyDependsOn !== undefined ? { propertyDependencies: { known: [urnOf(s.propertyDependsOn)] } } : {}),
        options: s.options,
        ...(s.provider
          ? {
              provider: {
                type: "pulumi:providers:test",
                name: "default",
                urn: "urn:pulumi:dev::p::pulumi:providers:test::default",
                properties: s.provider,
              },
            }
          : {}),
      } as CapturedResource;
    }),
  );

type Outcome = { response: string; bytes: string } | { error: string };

function call(handler: Handler, request: unknown): Promise<Outcome> {
  return new Promise((resolve) =>
    handler({ request }, (error, response) =>
      resolve(
        error
          ? {
              error: String((error as Error).message)
                .split("\n")
                .filter((l) => !/^\s+at /.test(l))
                .join("\n"),
            }
          : {
              response: JSON.stringify((response as { toObject(): unknown }).toObject()),
              // What gRPC sends: the pack's serializeBinary writes the SDK's bytes without its serializer.
              bytes: Buffer.from((response as { serializeBinary(): Uint8Array }).serializeBinary()).toString("base64"),
            },
      ),
    ),
  );
}

describe("the pack's handlers answer as the SDK's for generated policies", () => {
  it("Analyze and AnalyzeStack, every resource of generated stacks", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(policySpec, { minLength: 1, maxLength: 5 }),
        fc.constantFrom(...levels),
        resourceArb,
        async (specs, packLevel, resources) => {
          // Each side its own policies: nothing one handler's run leaves on them reaches the other's.
          const [theirs, ours] = [policiesOf(specs), policiesOf(specs)] as [object[], object[]];
          const sdkAnalyze = sdkServer.makeAnalyzeRpcFun("pack", "1.0.0", packLevel, theirs);
          const sdkAnalyzeStack = sdkServer.makeAnalyzeStackRpcFun("pack", "1.0.0", packLevel, theirs);
          const pack = packHandlers(
            { name: "pack", version: "1.0.0", enforcementLevel: packLevel, policies: ours },
            { policyConfig: () => ({}), stackTags: () => new Map() },
          );
          expect(await call(pack.analyzeStack, analyzeStackRequestFor(resources))).toEqual(
            await call(sdkAnalyzeStack, analyzeStackRequestFor(resources)),
          );
          for (const resource of resources) {
            expect(await call(pack.analyze, analyzeRequestFor(resource))).toEqual(await call(sdkAnalyze, analyzeRequestFor(resource)));
          }
        },
      ),
      propertyParameters(300),
    );
  });
});
