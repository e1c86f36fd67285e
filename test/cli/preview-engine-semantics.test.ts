/**
 * The preview tool against Pulumi's engine semantics (issue 10, differences 3-8), through the
 * compiled tool (`dist/cli/main.js preview <program> --policy-pack <pack> --json`), with a foreign
 * pack (test/fixtures/engine-semantics-pack) that reports, as JSON messages, what the engine hands
 * it for the resources of test/fixtures/engine-semantics-program. Each expectation names the
 * pulumi/pulumi source that says what the engine does (read at commit 1b59498 of pulumi/pulumi).
 */
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const repoRoot = path.resolve(__dirname, "..", "..");
const fixtures = path.join(repoRoot, "test", "fixtures");
const packDir = path.join(fixtures, "engine-semantics-pack");
const programDir = path.join(fixtures, "engine-semantics-program");
const RUN_TIMEOUT_MS = 180_000;

const PREFIX = "urn:pulumi:dev::engine-semantics-program::";
const STACK_URN = `${PREFIX}pulumi:pulumi:Stack::engine-semantics-program-dev`;
const THING = "pulumi-nodejs:dynamic:Resource";
const thingUrn = (name: string) => `${PREFIX}${THING}::${name}`;
const DEFAULT_PROVIDER = `${PREFIX}pulumi:providers:pulumi-nodejs::default`;

interface Finding {
  policy: string;
  status: string;
  blocking: boolean;
  message: string;
  urn?: string;
  resource?: string;
}
interface Report {
  blocking: boolean;
  other: Finding[];
  remediations?: { urn: string; policy: string; changes: { field: string; before: unknown; after: unknown }[] }[];
}
interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function preview(program: string, extra: readonly string[] = []): Run {
  const result = childProcess.spawnSync(
    process.execPath,
    [path.join(repoRoot, "dist", "cli", "main.js"), "preview", program, "--policy-pack", packDir, "--json", ...extra],
    { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: RUN_TIMEOUT_MS },
  );
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The JSON a policy of the fixture pack reported, by the key it names its subject with ("analyzed", "stacked"). */
function reported(report: Report, policy: string, key: string): Map<string, { props: Record<string, unknown>; provider?: unknown }> {
  const entries = report.other
    .filter((f) => f.policy === policy && f.message.startsWith("{"))
    .map((f) => JSON.parse(f.message) as Record<string, unknown>)
    .map((m) => [m[key] as string, m as { props: Record<string, unknown>; provider?: unknown }] as const);
  return new Map(entries);
}

describe("preview follows the engine's semantics (foreign pack, foreign program)", () => {
  let run: Run;
  let report: Report;

  beforeAll(() => {
    run = preview(programDir);
    report = JSON.parse(run.stdout) as Report;
  }, RUN_TIMEOUT_MS);

  it("runs Remediate before Analyze and analyses the remediated inputs, which the program and AnalyzeStack see too", () => {
    // step_generator.go: Remediate for every resource first, its properties replace the inputs, then Analyze;
    // the created resource's outputs (preview: its inputs) are the remediated ones, so the program sees them.
    const inputs = reported(report, "report-inputs", "analyzed");
    expect(inputs.get(thingUrn("painted"))?.props).toEqual({ color: "blue", remediated: true });
    expect(report.other.filter((f) => f.policy === "paint-it-blue")).toEqual([]);
    expect(inputs.get(thingUrn("witness"))?.props).toEqual({ seenColor: "blue" });
    expect(reported(report, "report-outputs", "stacked").get(thingUrn("painted"))?.props).toEqual({ color: "blue", remediated: true });
    expect(report.remediations).toEqual([
      expect.objectContaining({
        urn: thingUrn("painted"),
        policy: "paint-it-blue",
        changes: [
          { field: "color", before: { value: "red" }, after: { value: "blue" } },
          { field: "remediated", before: { absent: true }, after: { value: true } },
        ],
      }),
    ]);
  });

  it("analyses the inputs after the provider's Check, with the defaults it adds", () => {
    // step_generator.go: Check (for a dynamic resource, the pulumi-nodejs plugin runs the provider's `check`)
    // comes before Remediate and Analyze, and its result replaces the inputs.
    const inputs = reported(report, "report-inputs", "analyzed");
    expect(inputs.get(thingUrn("defaulted"))?.props).toEqual({ region: "eu", size: 1 });
    expect(reported(report, "report-outputs", "stacked").get(thingUrn("defaulted"))?.props).toEqual({ region: "eu", size: 1 });
  });

  it("blocks a violation still reported at `remediate` as mandatory", () => {
    // analyze_snapshot.go analyzeResource: a remediate-level diagnostic is downgraded to mandatory.
    const stillRed = report.other.filter((f) => f.policy === "stays-red");
    expect(stillRed).toEqual([expect.objectContaining({ urn: thingUrn("witness"), blocking: true })]);
    expect(report.blocking).toBe(true);
    expect(run.status).not.toBe(0);
  });

  it("leaves new IDs and computed outputs unknown during a preview", () => {
    // provider_plugin.go Create: a provider without preview support (the dynamic provider) returns only its inputs;
    // step.go CreateStep: the ID stays empty in a preview. Both reach policies as unknowns: the SDK's advisory.
    const unknown = report.other.filter((f) => f.policy === "reads-unknown");
    expect(unknown.map((f) => [f.resource, f.status, f.blocking])).toEqual([
      ["downstream", "not_evaluated", false],
      ["computedWitness", "not_evaluated", false],
    ]);
    expect(unknown.map((f) => f.message)).toEqual([
      expect.stringContaining(".upstreamId can't be known during preview"),
      expect.stringContaining(".seenComputed can't be known during preview"),
    ]);
  });

  it("sends AnalyzeStack each resource's outputs and the root stack with its exports; Analyze the inputs", () => {
    // step_generator.go AnalyzeResources: "AnalyzeStack is called on the final outputs of each resource";
    // deployment_executor.go finalizes the stack's outputs (RegisterResourceOutputs) before it.
    const outputs = reported(report, "report-outputs", "stacked");
    const inputs = reported(report, "report-inputs", "analyzed");
    expect(outputs.get(STACK_URN)?.props).toEqual({ exported: "the stack's output" });
    expect(inputs.get(STACK_URN)?.props).toEqual({});
    expect(outputs.get(`${PREFIX}semantics:index:Group::group`)?.props).toEqual({ result: "an output" });
    expect(inputs.get(`${PREFIX}semantics:index:Group::group`)?.props).toEqual({ purpose: "an input" });
  });

  it("registers and analyses default providers, and explicit providers carry their version", () => {
    // default_providers.go newRegisterDefaultProviderEvent (name from providers/provider.go DefaultName, version set
    // by providers/registry.go SetProviderVersion); source_eval.go RegisterResource sets an explicit provider's version.
    const inputs = reported(report, "report-inputs", "analyzed");
    const outputs = reported(report, "report-outputs", "stacked");
    expect(inputs.get(DEFAULT_PROVIDER)).toEqual({ analyzed: DEFAULT_PROVIDER, props: {}, provider: null });
    expect(outputs.has(DEFAULT_PROVIDER)).toBe(true);
    expect(inputs.get(`${DEFAULT_PROVIDER}_1_2_3`)?.props).toEqual({ version: "1.2.3" });
    expect(inputs.get(`${PREFIX}pulumi:providers:pulumi-nodejs::explicit`)?.props).toEqual({ version: "3.4.5" });
    expect(inputs.get(thingUrn("painted"))?.provider).toEqual({ urn: DEFAULT_PROVIDER, props: {} });
    expect(inputs.get(thingUrn("versioned"))?.provider).toEqual({ urn: `${DEFAULT_PROVIDER}_1_2_3`, props: { version: "1.2.3" } });
    expect(inputs.get(thingUrn("explicitly"))?.provider).toEqual({
      urn: `${PREFIX}pulumi:providers:pulumi-nodejs::explicit`,
      props: { version: "3.4.5" },
    });
  });

  it("files a resource policy's violation under the analysed resource, a stack policy's under the resource it names or the root stack", () => {
    // analyze_snapshot.go analyzeResource (OnPolicyViolation(r.URN, d)) and resolveStackPolicyViolationURN.
    expect(report.other.filter((f) => f.policy === "blame-another").map((f) => f.urn)).toEqual([thingUrn("blamer")]);
    const stackWide = report.other.filter((f) => f.policy === "report-outputs" && !f.message.startsWith("{"));
    expect(stackWide.map((f) => [f.urn, f.message])).toEqual([[STACK_URN, "names no resource of the stack"]]);
    for (const [urn] of reported(report, "report-outputs", "stacked")) {
      expect(report.other.some((f) => f.policy === "report-outputs" && f.urn === urn)).toBe(true);
    }
  });
});

describe("preview fails a program whose resources it cannot grade as the engine would", () => {
  const programs = fs.mkdtempSync(path.join(os.tmpdir(), "ihc-engine-semantics-"));
  afterAll(() => fs.rmSync(programs, { recursive: true, force: true }));

  /** The program failure --json reports instead of a report (no verdict at all). */
  function failure(run: Run): string {
    const output = JSON.parse(run.stdout) as { error?: { kind: string; message: string }; other?: unknown };
    expect(output.other).toBeUndefined();
    expect(output.error?.kind).toBe("program");
    return output.error?.message ?? "";
  }

  function program(name: string, body: string): string {
    const dir = path.join(programs, name);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n`);
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, private: true, main: "index.js" }));
    fs.writeFileSync(path.join(dir, "index.js"), `"use strict";\nconst pulumi = require("@pulumi/pulumi");\n${body}\n`);
    return dir;
  }

  it(
    "refuses a remote (multi-language) component, whose children only its provider would construct",
    () => {
      // source_eval.go RegisterResource: a remote component goes to its provider's Construct, which registers the
      // children; the tool runs no provider, so it fails instead of passing without them.
      const run = preview(program("remote-program", 'new pulumi.ComponentResource("remote:index:Component", "remote", {}, {}, true);'));
      expect(run.status).not.toBe(0);
      expect(failure(run)).toContain("resource 'remote' [remote:index:Component] is a remote (multi-language) component");
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "fails a resource its provider's Check refuses, as the engine does",
    () => {
      // step_generator.go issueCheckErrors: the resource is invalid and the preview fails.
      const body = [
        "const refusing = {",
        "  async check(olds, news) { return { inputs: news, failures: [{ property: 'size', reason: 'size must be positive' }] }; },",
        "  async create(inputs) { return { id: 'x', outs: inputs }; },",
        "};",
        "new pulumi.dynamic.Resource(refusing, 'refused', { size: -1 });",
      ].join("\n");
      const run = preview(program("check-program", body));
      expect(run.status).not.toBe(0);
      expect(failure(run)).toContain("size: size must be positive");
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "refuses a resource whose default provider the stack's configuration disables",
    () => {
      // default_providers.go shouldDenyRequest (pulumi:disable-default-providers), diag.GetDefaultProviderDenied.
      const body = "new pulumi.dynamic.Resource({ async create() { return { id: 'x' }; } }, 'needs-default', {});";
      const run = preview(program("denied-program", body), ["--config", 'pulumi:disable-default-providers=["pulumi-nodejs"]']);
      expect(run.status).not.toBe(0);
      expect(failure(run)).toContain("Default provider for 'pulumi-nodejs' disabled.");
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "refuses a custom resource whose provider plugin the engine would run (Check, preview of Create)",
    () => {
      const run = preview(program("plugin-program", 'new pulumi.CustomResource("aws:s3/bucket:Bucket", "bucket", { bucket: "b" });'));
      expect(run.status).not.toBe(0);
      expect(failure(run)).toContain("resource 'bucket' [aws:s3/bucket:Bucket] needs the 'aws' resource provider plugin");
    },
    RUN_TIMEOUT_MS,
  );
});
