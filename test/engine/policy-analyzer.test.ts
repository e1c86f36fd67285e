/**
 * The pack serves Analyze and AnalyzeStack with its own handlers (core/sdk/policy-analyzer.ts): the SDK's, except that what
 * the SDK builds again for every policy is built once per request. This holds the two to the same answer:
 * the compiled pack, and the same pack started with the SDK's own handler left in place, are sent the same
 * generated configurations, stack tags and stacks over gRPC, and must give byte-identical responses (every
 * diagnostic, in order, and every not-applicable entry), or the same error.
 */
import fc from "fast-check";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  analyzeRequestFor,
  analyzeStackRequestFor,
  CapturedResource,
  PolicyPackConfigInput,
  PolicyPackSession,
  StackConfiguration,
} from "../../cli/analyzer-client";
import type { AnalyzerClient, analyzerProto } from "../../core/sdk/analyzer-proto";
import { allPolicies } from "../../policies";
import {
  captureExample,
  cloneResources,
  controlType,
  launchPinnedPack,
  PACK_VERSION,
  packDir,
  secret,
  SETUP_TIMEOUT_MS,
  UNKNOWN,
} from "../support/engine";
import { propertyParameters } from "../support/property";

/** The pack, started through run-policy-pack like the real one, but keeping the SDK's Analyze and AnalyzeStack handlers. */
function sdkHandlerPackDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ihc-sdk-analyze-stack-"));
  fs.copyFileSync(path.join(packDir, "PulumiPolicy.yaml"), path.join(dir, "PulumiPolicy.yaml"));
  // The SDK reports the version of the package.json in the pack's directory: the same as the real pack's.
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "sdk-analyze-stack-pack", version: PACK_VERSION, main: "index.js" }),
  );
  fs.writeFileSync(
    path.join(dir, "index.js"),
    [
      `require(${JSON.stringify(path.join(packDir, "dist", "core", "sdk", "policy-server.js"))}).keepSdkAnalysis();`,
      `require(${JSON.stringify(path.join(packDir, "dist", "pack", "index.js"))});`,
    ].join("\n"),
  );
  return dir;
}

type Outcome = { response: object } | { error: { code: unknown; details: unknown } };

function send(session: PolicyPackSession, request: analyzerProto.AnalyzeStackRequest | analyzerProto.AnalyzeRequest): Promise<Outcome> {
  const client = (session as unknown as { client?: AnalyzerClient }).client;
  if (!client) throw new Error("PolicyPackSession no longer keeps its gRPC client in `client`: update this test.");
  const call = (callback: (error: unknown, response: analyzerProto.AnalyzeResponse) => void) =>
    "getResourcesList" in request ? client.analyzeStack(request, callback) : client.analyze(request, callback);
  return new Promise((resolve) =>
    call((error, response) =>
      resolve(
        error
          ? { error: { code: (error as { code?: unknown }).code, details: (error as { details?: unknown }).details } }
          : // The wire bytes: the same diagnostics in the same order, nothing else.
            { response: { bytes: Buffer.from(response.serializeBinary()).toString("base64"), decoded: response.toObject() } },
      ),
    ),
  );
}

/** The SDK's gRPC error carries the error's stack, whose frames name the handler's own source lines. */
function withoutStackFrames(outcome: Outcome): Outcome {
  if (!("error" in outcome)) return outcome;
  const details = String(outcome.error.details)
    .split("\n")
    .filter((line) => !/^\s+at /.test(line))
    .join("\n");
  return { error: { ...outcome.error, details } };
}

const policyNames = allPolicies.map((p) => p.name);
const accountability = {
  justification: "Differential test",
  owner: "alice@example.com",
  approver: "bob@example.com",
  expires: "2026-12-15",
};

/** A configuration: for some policies a level, with the accountability a level below the default needs. */
const configurations: fc.Arbitrary<PolicyPackConfigInput> = fc
  .dictionary(fc.constantFrom(...policyNames), fc.constantFrom("mandatory", "advisory", "disabled", "remediate"), { maxKeys: 6 })
  .map((levels) =>
    Object.fromEntries(
      Object.entries(levels).map(([policy, level]) => [
        policy,
        level === "advisory" || level === "disabled" ? { enforcementLevel: level, ...accountability } : { enforcementLevel: level },
      ]),
    ),
  );

/** Changes a stack the way programs differ: resources left out, repeated, given secrets or values not known yet. */
type Change = { kind: "drop" | "duplicate" | "secret" | "unknown"; index: number };
const changes: fc.Arbitrary<Change[]> = fc.array(
  fc.record({ kind: fc.constantFrom<Change["kind"]>("drop", "duplicate", "secret", "unknown"), index: fc.nat() }),
  { maxLength: 6 },
);

function applied(base: readonly CapturedResource[], edits: readonly Change[]): CapturedResource[] {
  const stack = cloneResources(base);
  edits.forEach((edit, n) => {
    const i = edit.index % stack.length;
    const resource = stack[i] as CapturedResource;
    const props = (resource.outputs ?? resource.properties) as Record<string, unknown>;
    const key = Object.keys(props).sort()[edit.index % Math.max(1, Object.keys(props).length)];
    if (edit.kind === "drop" && resource.type !== "pulumi:pulumi:Stack") stack.splice(i, 1);
    if (edit.kind === "duplicate") {
      stack.push({
        ...cloneResources([resource])[0],
        name: `${resource.name}-copy${n}`,
        urn: `${resource.urn}-copy${n}`,
      } as CapturedResource);
    }
    if (edit.kind === "secret" && key !== undefined) props[key] = secret(props[key]);
    if (edit.kind === "unknown" && key !== undefined) props[key] = UNKNOWN;
  });
  return stack;
}

describe("the pack's Analyze and AnalyzeStack handlers answer exactly as the SDK's", () => {
  let ours: PolicyPackSession | undefined;
  let sdks: PolicyPackSession | undefined;
  let examples: CapturedResource[][] = [];
  const env = { INTERCOM_HEALTH_CHECK_AS_OF: "2026-11-21T00:00:00Z" };

  beforeAll(async () => {
    [ours, sdks] = await Promise.all([launchPinnedPack(), PolicyPackSession.launch(sdkHandlerPackDir(), { env })]);
    examples = await Promise.all((["insecure-workspace", "healthcare-workspace", "secure-workspace"] as const).map(captureExample));
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all([ours?.close(), sdks?.close()]);
  });

  const both = () => [ours, sdks] as [PolicyPackSession, PolicyPackSession];

  it("for generated stacks, configurations, tags and run modes", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        changes,
        configurations,
        fc.boolean(),
        fc.dictionary(fc.constantFrom("team", "env", "pulumi:project"), fc.string({ maxLength: 8 }), { maxKeys: 2 }),
        async (example, edits, config, dryRun, tags) => {
          const stack: StackConfiguration = { stack: "dev", project: "intercom", dryRun, tags };
          for (const session of both()) {
            await session.configureStack(stack);
            await session.configure(config);
          }
          const resources = applied(examples[example % examples.length] as CapturedResource[], edits);
          const [mine, theirs] = await Promise.all(both().map((session) => send(session, analyzeStackRequestFor(resources))));
          expect(mine).toEqual(theirs);
          for (const resource of resources) {
            const [one, other] = await Promise.all(both().map((session) => send(session, analyzeRequestFor(resource))));
            expect(one).toEqual(other);
          }
        },
      ),
      propertyParameters(40),
    );
  }, 240_000);

  it("fails a request it cannot read the same way, under the same policy", async () => {
    const insecure = examples[0] as CapturedResource[];
    const stackRequest = analyzeStackRequestFor(insecure);
    // An engine too old to send resource options: the SDK's own error, from the first policy that runs.
    stackRequest.getResourcesList()[0]?.clearOptions();
    const resourceRequest = analyzeRequestFor(insecure.find((r) => r.type === controlType("SsoEnforcement")) as CapturedResource);
    resourceRequest.clearOptions();
    for (const session of both()) await session.configure({});
    for (const request of [stackRequest, resourceRequest]) {
      const [mine, theirs] = (await Promise.all(both().map((session) => send(session, request)))).map(withoutStackFrames);
      expect(mine).toEqual(theirs);
      expect(mine).toEqual({
        error: expect.objectContaining({ details: expect.stringContaining("A more recent version of the Pulumi CLI") }),
      });
    }
  });
});
