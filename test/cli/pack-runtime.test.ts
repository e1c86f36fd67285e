/**
 * `preview --policy-pack <another pack>` as `pulumi preview --policy-pack` runs it, through the compiled tool, with a
 * small foreign pack (test/fixtures/runtime-pack) that reports what the Pulumi runtime tells it, and a small program
 * (test/fixtures/runtime-program). What the engine does, from its source:
 * - the pack's environment: PULUMI_NODEJS_ORGANIZATION/PROJECT/STACK/DRY_RUN and PULUMI_CONFIG (secrets decrypted),
 *   no PULUMI_CONFIG_SECRET_KEYS (sdk/nodejs/cmd/pulumi-language-nodejs/main.go RunPlugin), so `new pulumi.Config()`
 *   reads the program's project namespace;
 * - ConfigureStack's tags: the stack's tags overwritten by pulumi:project, pulumi:runtime, pulumi:description and the
 *   `pulumi:tags` configuration object (pkg/backend/stack.go GetMergedStackTags), validated as ValidateStackTags;
 * - `--policy-pack-config` parsed and validated against the launched pack's schemas, in the engine's words
 *   (pkg/resource/analyzer/config.go, pkg/engine/update.go loadPolicyPlugins; gojsonschema's messages);
 * - findings printed as the CLI's "Policies:" section (pkg/backend/display/progress.go printPolicies).
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { packRuntimeEnvironment } from "../../cli/analyzer-client";
import { readForeignPolicyConfig } from "../../cli/policy-config";
import { stackTagsOf } from "../../cli/stack-config";
import { abbreviateFilePath, displayTypeName, pulumiPolicyLines } from "../../report/pulumi-policies";
import { describedRun, expectExitCode, ProcessRun, runNode } from "../support/node-process";

const repoRoot = path.resolve(__dirname, "..", "..");
const cliPath = path.join(repoRoot, "dist", "cli", "main.js");
const pack = "test/fixtures/runtime-pack";
const program = "test/fixtures/runtime-program";
const scratch = path.join(repoRoot, "test", ".generated", "pack-runtime");
const password = "runtime-fixture-secret";
/** A secret the careless policy prints: it must never reach the output. */
const echoed = `echoed-${crypto.randomBytes(8).toString("hex")}`;

function cli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<ProcessRun> {
  if (!fs.existsSync(cliPath)) throw new Error(`${cliPath} is missing: run \`npm run build\` before these tests.`);
  return runNode([cliPath, ...args], { cwd: repoRoot, timeoutMs: 120_000, env });
}

/** What test/fixtures/recording-pack wrote: its environment, then each call in order. */
const recordingLog = path.join(scratch, "recording-pack.log");

function configFile(name: string, content: string): string {
  const file = path.join(scratch, name);
  fs.writeFileSync(file, content);
  return path.relative(repoRoot, file);
}

/** What the pack reported it saw, from its "runtime {…}" message lines. */
function runtimesSeen(run: ProcessRun): Record<string, unknown>[] {
  return run.stdout
    .split("\n")
    .map((line) => /^ {10}runtime (\{.*\})$/.exec(line)?.[1])
    .filter((json): json is string => json !== undefined)
    .map((json) => JSON.parse(json) as Record<string, unknown>);
}

const runs: Record<string, ProcessRun> = {};

beforeAll(async () => {
  fs.mkdirSync(scratch, { recursive: true });
  const configs = {
    schema: configFile("schema.json", JSON.stringify({ "widget-limit": { limit: 0, mode: 5, enforcementLevel: "advisory" } })),
    level: configFile("level.json", JSON.stringify({ "widget-limit": "bogus" })),
    advisoryOnly: configFile(
      "advisory.json",
      JSON.stringify({
        "sees-runtime": "disabled",
        "sees-runtime-stack": "disabled",
        "widget-limit": { enforcementLevel: "advisory", limit: 9 },
      }),
    ),
  };
  const base = ["preview", program, "--policy-pack", pack];
  fs.rmSync(recordingLog, { force: true });
  const recording = cli(
    ["preview", program, "--policy-pack", "test/fixtures/recording-pack", "--stack", "ci", "--secret", `password=${password}`],
    { RECORDING_PACK_LOG: recordingLog, PULUMI_CONFIG_SECRET_KEYS: undefined },
  );
  const entries: [string, string[]][] = [
    [
      "runtime",
      [
        ...base,
        ...["--stack", "ci", "--organization", "acme", "--secret", `password=${password}`, "--secret", `echo=${echoed}`],
        ...["--tag", "owner=sec", "--tag", "team=overridden"],
      ],
    ],
    ["defaults", [...base, "--stack", "dev", "--config", "colour=red"]],
    ["schema", [...base, "--policy-pack-config", configs.schema]],
    ["level", [...base, "--policy-pack-config", configs.level]],
    ["profile", [...base, "--profile", "strict"]],
    ["advisoryOnly", [...base, "--policy-pack-config", configs.advisoryOnly]],
    ["tagBadName", [...base, "--tag", "owner name=x"]],
    ["badOrganization", [...base, "--organization", "acme corp"]],
    ["tagsAsString", [...base, "--config", 'pulumi:tags={"env":"ci"}']],
  ];
  // A few at a time: each starts a pack (and most a program).
  for (let i = 0; i < entries.length; i += 4) {
    const batch = entries.slice(i, i + 4);
    const done = await Promise.all(batch.map(([, args]) => cli(args)));
    batch.forEach(([name], j) => (runs[name] = done[j] as ProcessRun));
  }
  runs["recording"] = await recording;
}, 600_000);

function run(name: string): ProcessRun {
  const found = runs[name];
  if (!found) throw new Error(`no run ${name}`);
  return found;
}

describe("the runtime a foreign pack sees, as under the CLI", () => {
  it("stack, project, organization, dry run, configuration and tags reach both resource and stack policies", () => {
    const runtime = run("runtime");
    expect({ code: runtime.code, stderr: runtime.stderr }).toEqual({ code: 1, stderr: "" });
    const seen = runtimesSeen(runtime);
    expect(seen).toHaveLength(2);
    for (const view of seen) {
      expect(view).toEqual({
        stack: "ci",
        project: "runtime-program",
        organization: "acme",
        dryRun: true,
        // Pulumi.yaml's default, the stack file's value, the --secret value (compared, never printed).
        greeting: "hello",
        colour: "blue",
        passwordMatches: true,
        secretKeysVariable: null,
        // --tag stands for the service's tags; the tags the CLI derives overwrite them (team from pulumi:tags).
        tags: {
          owner: "sec",
          team: "platform",
          "pulumi:project": "runtime-program",
          "pulumi:runtime": "nodejs",
          "pulumi:description": "Test fixture for the runtime a foreign pack sees",
        },
      });
    }
  });

  it("a secret the pack prints is redacted, and no secret reaches the output", () => {
    const runtime = run("runtime");
    expect(runtime.stdout).toContain("echo [secret]");
    for (const secret of [password, echoed]) expect(runtime.stdout + runtime.stderr).not.toContain(secret);
  });

  it("without --organization the DIY backend's name; --config over the stack file; another stack's file is not read", () => {
    const defaults = run("defaults");
    expectExitCode(defaults, 1);
    const seen = runtimesSeen(defaults);
    expect(seen).toHaveLength(2);
    for (const view of seen) {
      expect(view).toMatchObject({ stack: "dev", organization: "organization", colour: "red", greeting: "hello", passwordMatches: false });
      expect(view["tags"]).toEqual({
        team: "platform",
        "pulumi:project": "runtime-program",
        "pulumi:runtime": "nodejs",
        "pulumi:description": "Test fixture for the runtime a foreign pack sees",
      });
    }
  });

  it("the pack starts with the stack in its environment and gets ConfigureStack first, with everything it carries", () => {
    expectExitCode(run("recording"), 0);
    const events = fs
      .readFileSync(recordingLog, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const config = {
      "pulumi:tags": '{"team":"platform"}',
      "runtime-program:colour": "blue",
      "runtime-program:greeting": "hello",
      "runtime-program:password": password,
    };
    expect(events[0]).toEqual({
      event: "start",
      env: {
        PULUMI_NODEJS_ORGANIZATION: "organization",
        PULUMI_NODEJS_PROJECT: "runtime-program",
        PULUMI_NODEJS_STACK: "ci",
        PULUMI_NODEJS_DRY_RUN: "true",
        // Decrypted, as the engine passes it; keys sorted as Go writes a map.
        PULUMI_CONFIG: JSON.stringify(config),
        PULUMI_CONFIG_SECRET_KEYS: null,
      },
    });
    expect(events[1]).toEqual({
      event: "configureStack",
      stack: "ci",
      project: "runtime-program",
      organization: "organization",
      dryRun: true,
      config,
      configSecretKeys: ["runtime-program:password"],
      tags: {
        team: "platform",
        "pulumi:project": "runtime-program",
        "pulumi:runtime": "nodejs",
        "pulumi:description": "Test fixture for the runtime a foreign pack sees",
      },
    });
    // Then the engine's order: the pack's info, each resource, the stack; ConfigureStack once.
    const later = events.slice(2).map((e) => e["event"]);
    expect(later[0]).toBe("getAnalyzerInfo");
    expect(later[later.length - 1]).toBe("analyzeStack");
    expect(later.filter((e) => e === "analyze").length).toBeGreaterThanOrEqual(1);
    expect(later).not.toContain("configureStack");
    expect(run("recording").stdout + run("recording").stderr).not.toContain(password);
  });

  it("the pack's environment is what the Node.js language host adds", () => {
    expect(
      packRuntimeEnvironment({ stack: "s", project: "p", organization: "o", dryRun: true, config: { "p:b": "<&>", "p:a": "1" } }),
    ).toEqual({
      PULUMI_NODEJS_ORGANIZATION: "o",
      PULUMI_NODEJS_PROJECT: "p",
      PULUMI_NODEJS_STACK: "s",
      PULUMI_NODEJS_DRY_RUN: "true",
      // Go's json.Marshal: keys sorted, HTML characters escaped.
      PULUMI_CONFIG: '{"p:a":"1","p:b":"\\u003c\\u0026\\u003e"}',
    });
    // Empty values are not set at all; an empty configuration sets no PULUMI_CONFIG.
    expect(packRuntimeEnvironment({ stack: "s", project: "p", dryRun: false, config: {} })).toEqual({
      PULUMI_NODEJS_PROJECT: "p",
      PULUMI_NODEJS_STACK: "s",
      PULUMI_NODEJS_DRY_RUN: "false",
    });
  });
});

describe("check starts another pack for the documents' stack, as preview does for a program's", () => {
  it("the pack sees the document's project and stack, the default organization, a dry run, and no configuration", async () => {
    const document = configFile(
      "runtime-check.yaml",
      [
        "schemaVersion: 1",
        "project: documents-project",
        "stack: documents-stack",
        "workspaces:",
        "  - name: acme",
        "    settings:",
        "      workspaceId: ab12cd34ef",
        "      name: Acme",
        "      region: us",
        "      securityContactEmail: security@acme.example.com",
        "      handlesPhi: false",
        "    controls: []",
        "",
      ].join("\n"),
    );
    const run = await cli(["check", document, "--policy-pack", pack]);
    expect(run.stdout).toContain("Policies:");
    const seen = runtimesSeen(run);
    expect(seen.length).toBeGreaterThan(0);
    for (const runtime of seen) {
      expect(runtime).toMatchObject({
        stack: "documents-stack",
        project: "documents-project",
        organization: "organization",
        dryRun: true,
        greeting: null,
      });
    }
  }, 120_000);
});

describe("--tag and the stack's tags", () => {
  const project = { name: "p", runtime: "nodejs" };

  it("refuses what the CLI refuses, naming the tag, never its value", () => {
    expect(() => stackTagsOf(project, {}, ["owner"])).toThrow('--tag takes key=value; an argument has no "="');
    expect(run("tagBadName").code).toBe(2);
    expect(run("tagBadName").stderr).toContain("stack tag names may only contain alphanumerics, hyphens, underscores, periods, or colons");
    // A string that reads as JSON is not an object (Config.Get, then ToObject).
    expect(run("tagsAsString").code).toBe(2);
    expect(run("tagsAsString").stderr).toContain("pulumi:tags must be an object of strings");
    expect(() => stackTagsOf(project, {}, [`long=${"v".repeat(257)}`])).toThrow(
      'stack tag "long" value is too long (max length 256 characters)',
    );
    expect(() => stackTagsOf(project, {}, [`${"k".repeat(41)}=v`])).toThrow("is too long (max length 40 characters)");
    expect(() => stackTagsOf(project, { "pulumi:tags": '{"n":1}' }, [], ["pulumi:tags"])).toThrow("pulumi:tags[n] must be a string");
  });

  it("--organization takes a name only", () => {
    expect(run("badOrganization").code).toBe(2);
    expect(run("badOrganization").stderr).toContain("--organization must be an organization name");
  });

  it("the last --tag of a name wins; a value may hold '='", () => {
    expect(stackTagsOf(project, {}, ["a=1", "a=2=3"])).toEqual({ a: "2=3", "pulumi:project": "p", "pulumi:runtime": "nodejs" });
  });
});

describe("--policy-pack-config for another pack: the launched pack's schemas, the CLI's words", () => {
  it.each([
    [
      "schema",
      [
        "validating policy config: runtime-pack 0.4.0  widget-limit: limit: Must be greater than or equal to 1",
        "validating policy config: runtime-pack 0.4.0  widget-limit: mode: Invalid type. Expected: string, given: integer",
        'validating policy config: runtime-pack 0.4.0  widget-limit: mode: mode must be one of the following: "strict", "lenient"',
      ],
    ],
    ["level", ['parsing enforcement level for "widget-limit": "bogus" is not a valid enforcement level']],
    ["profile", ["--profile configures this project's pack"]],
  ])("%s is refused (exit 2) before the program runs", (name, messages) => {
    const refused = run(name);
    expect({ code: refused.code, stdout: refused.stdout }).toEqual({ code: 2, stdout: "" });
    // Every message, and in the engine's order (sorted).
    const shown = messages.map((message) => refused.stderr.indexOf(message));
    expect(shown.every((at) => at >= 0)).toBe(true);
    expect(shown).toEqual([...shown].sort((a, b) => a - b));
    // Not this project's schema wording.
    expect(refused.stderr).not.toContain("does not match the pack's configuration schema");
  });

  it.each([
    ["[1]", "json: cannot unmarshal array into Go value of type map[string]interface {}"],
    ['"all"', "json: cannot unmarshal string into Go value of type map[string]interface {}"],
    ['{"widget-limit": 7}', 'parsing "widget-limit": 7 is not a valid value; must be a string or object'],
    ['{"widget-limit": [1, "a"]}', 'parsing "widget-limit": [1 a] is not a valid value; must be a string or object'],
    [
      '{"widget-limit": {"enforcementLevel": 2}}',
      'parsing enforcement level for "widget-limit": 2 is not a valid enforcement level; must be a string',
    ],
    [
      '{"environments": ["team/policies"]}',
      'policy pack at "packs/x" specifies ESC environments but the current backend does not support them',
    ],
    ['{"environments": "team/policies"}', '"environments" must be an array of strings, got string'],
    ['{"environments": [1]}', '"environments[0]" must be a string, got float64'],
  ])("a file holding %s is refused as the CLI refuses it", (content, message) => {
    expect(() => readForeignPolicyConfig(configFile("refused.json", content), "packs/x")).toThrow(message);
  });

  it("empty content and null are no configuration; an empty environments list is none; entries pass as written", () => {
    expect(readForeignPolicyConfig(configFile("empty.json", " \n"), "p")).toBeUndefined();
    expect(readForeignPolicyConfig(configFile("null.json", "null"), "p")).toBeUndefined();
    expect(readForeignPolicyConfig(configFile("entries.json", '{"environments": [], "a": "advisory", "b": {"x": 1}}'), "p")).toEqual({
      a: "advisory",
      b: { x: 1 },
    });
  });
});

describe("a foreign pack's findings read as the CLI prints them", () => {
  it("a mandatory violation: ❌, the pack and its path, each violation sorted by level, severity, name", () => {
    const lines = run("runtime").stdout.split("\n");
    const start = lines.indexOf("Policies:");
    expect(start).toBe(0);
    expect(lines.slice(0, 6)).toEqual([
      "Policies:",
      `    ❌ runtime-pack@v0.4.0 (local: ${pack})`,
      "        - [mandatory] [severity: high]  widget-limit  (pulumi-nodejs:dynamic/runtime:Widget: gadget)",
      "          Widgets are limited.",
      "          Widget gadget is over the limit of 3.",
      "          Second line.",
    ]);
    const headings = lines.filter((line) => line.startsWith("        - "));
    expect(headings).toEqual([
      "        - [mandatory] [severity: high]  widget-limit  (pulumi-nodejs:dynamic/runtime:Widget: gadget)",
      // A stack policy's violation naming no resource is filed under the root stack (analyze_snapshot.go), and shown with it.
      "        - [advisory]  echoes-config  (pulumi:pulumi:Stack: runtime-program-ci)",
      "        - [advisory]  sees-runtime  (pulumi-nodejs:dynamic/runtime:Widget: gadget)",
      "        - [advisory]  sees-runtime-stack  (pulumi:pulumi:Stack: runtime-program-ci)",
    ]);
    // The run's verdict follows, as for this project's pack.
    expect(lines).toContain(
      "Summary: 0 workspace(s), 1 blocking and 3 advisory finding(s). Blocked: mandatory policies failed; `pulumi preview` and `pulumi up` would stop here.",
    );
  });

  it("advisory violations only: ⚠️ and exit 0; no violation: ✅", () => {
    const advisory = run("advisoryOnly");
    expectExitCode(advisory, 0);
    expect(advisory.stdout.split("\n").slice(0, 4)).toEqual([
      "Policies:",
      `    ⚠️ runtime-pack@v0.4.0 (local: ${pack})`,
      "        - [advisory] [severity: high]  widget-limit  (pulumi-nodejs:dynamic/runtime:Widget: gadget)",
      "          Widgets are limited.",
    ]);
    expect(advisory.stdout).toContain("over the limit of 9.");
    expect(pulumiPolicyLines({ name: "p", version: "1.0.0", localPath: "x", violations: [] })).toEqual([
      "Policies:",
      "    ✅ p@v1.0.0 (local: x)",
      "",
    ]);
  });

  it("pack and program text cannot forge a line; names and paths are shown as the engine shows them", () => {
    const lines = pulumiPolicyLines({
      name: "p",
      version: "1.0.0",
      localPath: "x",
      violations: [
        {
          policyName: "evil\npolicy",
          policyPackName: "p",
          policyPackVersion: "1.0.0",
          message: "line\x1b[31m\r\nforged\n",
          enforcementLevel: "advisory",
          urn: "urn:pulumi:s::p::a:b/widget:Widget$pkg:mod/thing:Thing::na\u202eme::x",
        },
      ],
    });
    expect(lines).toEqual([
      "Policies:",
      "    ⚠️ p@v1.0.0 (local: x)",
      "        - [advisory]  evil\\npolicy  (pkg:mod:Thing: na\\u202eme::x)",
      "          line\\x1b[31m\\r",
      "          forged",
      "",
    ]);
    expect(displayTypeName("aws:s3/bucket:Bucket")).toBe("aws:s3:Bucket");
    expect(displayTypeName("pulumi-nodejs:dynamic/runtime:Widget")).toBe("pulumi-nodejs:dynamic/runtime:Widget");
    expect(abbreviateFilePath("./packs/mine/")).toBe("packs/mine");
    expect(abbreviateFilePath(`/a/b/${"c".repeat(80)}/d/e`)).toBe("/a/.../d/e");
  });
});

afterAll(() => {
  // Nothing of a run is needed after it; describe a failed one in full.
  for (const [name, done] of Object.entries(runs)) if (done.code === null) console.error(`${name} timed out\n${describedRun(done)}`);
});
