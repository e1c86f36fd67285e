/**
 * Exit codes people can script on, through the compiled tool (`dist/cli/main.js`; `npm test` builds first):
 * 0 nothing blocks, 1 blocking findings (advisory ones too under --fail-on advisory), 2 the input is wrong (bad
 * arguments, bad configuration, a program that fails, with the file and line of the user's code where known),
 * 3 the tool itself failed (here: packs that crash). Under --json every error is JSON on stdout, and only that.
 *
 * The runs are started together in one beforeAll and share the machine; programs run transpile-only (lint
 * type-checks the fixtures).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describedRun, expectExitCode, ProcessRun, runNode } from "../support/node-process";

const repoRoot = path.resolve(__dirname, "..", "..");
const cliPath = path.join(repoRoot, "dist", "cli", "main.js");
const generatedRoot = path.join(repoRoot, "test", ".generated");
const asOf = "2026-11-21";
const runTimeoutMs = 180_000;

type Run = ProcessRun;

function cli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  if (!fs.existsSync(cliPath)) throw new Error(`${cliPath} is missing: run \`npm run build\` first.`);
  return runNode([cliPath, ...args], { cwd: repoRoot, env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true", ...env }, timeoutMs: runTimeoutMs });
}

interface JsonError {
  error: { kind: string; message: string; location?: { file: string; line: number; column: number } };
}

/** stdout holds exactly one JSON document: the error. */
function jsonError(run: Run): JsonError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(run.stdout);
  } catch (error) {
    throw new Error(`stdout is not one JSON document (${String(error)}):\n${describedRun(run)}`);
  }
  expect(Object.keys(parsed as object)).toEqual(["error"]);
  return parsed as JsonError;
}

const readmeBlock = (() => {
  const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
  const section = readme.split("## Declaring a workspace")[1] ?? "";
  return /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
})();

/** The text with its one occurrence of `from` replaced; throws when the README no longer holds it, so the program cannot silently stay unchanged. */
function replacedOnce(text: string, from: string, to: string): string {
  if (text.split(from).length !== 2) throw new Error(`expected exactly one ${JSON.stringify(from)} in the README's example`);
  return text.replace(from, to);
}

/** A program directory under test/.generated (so that a pack there resolves this repository's node_modules). */
function scratchDir(prefix: string): string {
  fs.mkdirSync(generatedRoot, { recursive: true });
  return fs.mkdtempSync(path.join(generatedRoot, prefix));
}

function writeProgram(dir: string, name: string, indexTs: string, extra: Record<string, string> = {}): void {
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\n`);
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, private: true, main: "index.ts" }));
  fs.writeFileSync(path.join(dir, "index.ts"), indexTs);
  for (const [file, text] of Object.entries(extra)) fs.writeFileSync(path.join(dir, file), text);
}

function writePack(dir: string, indexJs: string): void {
  fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: path.basename(dir), version: "0.0.1", private: true, main: "index.js" }),
  );
  fs.writeFileSync(path.join(dir, "index.js"), indexJs);
}

const secret = "CANARY-exit-codes-secret-7f3a9c21";

describe("exit codes through the compiled tool", () => {
  let scratch: string;
  const dirs: Record<string, string> = {};
  const runs: Record<string, Run> = {};

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ihc-exit-codes-"));
    // A program that throws at a known line, below a helper of its own and a frame in node_modules.
    dirs["throws"] = path.join(scratch, "throws");
    fs.mkdirSync(dirs["throws"]);
    writeProgram(
      dirs["throws"],
      "throws",
      [
        'import * as pulumi from "@pulumi/pulumi";',
        "",
        "const config = new pulumi.Config();",
        "function check(): void {",
        '  throw new Error(`refusing the stack ${config.require("stage")}`);',
        "}",
        "check();",
        "",
      ].join("\n"),
    );
    // The README's workspace with an AttachmentPolicy: only advisory findings are left.
    dirs["advisory"] = path.join(scratch, "advisory");
    fs.mkdirSync(dirs["advisory"]);
    writeProgram(
      dirs["advisory"],
      "advisory-only",
      'import { AttachmentPolicy } from "intercom-security-health-check/resources";\n' +
        readmeBlock +
        'new AttachmentPolicy("acme-attachments", { workspaceId: workspace.workspaceId, customerUploads: "users_only", allowedFileTypes: ["pdf", "png"] });\n',
      { "Pulumi.dev.yaml": "config:\n  advisory-only:samlCertificate: PEM-TEXT\n" },
    );
    dirs["badYaml"] = path.join(scratch, "bad-yaml");
    fs.mkdirSync(dirs["badYaml"]);
    writeProgram(dirs["badYaml"], "bad-yaml", "export {};\n", {
      "Pulumi.dev.yaml": `config:\n  bad-yaml:a: [1, 2\n  bad-yaml:b: ${secret}\n`,
    });

    // Packs that crash: at load, and while analyzing.
    dirs["packAtLoad"] = scratchDir("pack-at-load-");
    writePack(dirs["packAtLoad"], 'throw new Error("a bug in the pack");\n');
    dirs["packInAnalyze"] = scratchDir("pack-in-analyze-");
    writePack(
      dirs["packInAnalyze"],
      [
        'const { PolicyPack } = require("@pulumi/policy");',
        'new PolicyPack("crashing", { policies: [{ name: "crash", description: "Exits mid-analysis.", enforcementLevel: "mandatory",',
        "  validateResource: () => process.exit(9) }] });",
        "",
      ].join("\n"),
    );

    // A program that prints a stack frame of its own, in its directory, naming a secret it was given, then fails.
    dirs["forgedFrame"] = path.join(scratch, "forged-frame");
    fs.mkdirSync(dirs["forgedFrame"]);
    writeProgram(
      dirs["forgedFrame"],
      "forged-frame",
      [
        'import * as pulumi from "@pulumi/pulumi";',
        'const stage = new pulumi.Config().require("stage");',
        "console.error(`    at check (${__dirname}/${stage}.ts:3:7)`);",
        "process.exitCode = 1;",
        "",
      ].join("\n"),
    );
    // A program naming a resource that --remediate fixes after a secret it reads in plain (config.require).
    dirs["remediateSecretName"] = path.join(scratch, "remediate-secret-name");
    fs.mkdirSync(dirs["remediateSecretName"]);
    writeProgram(
      dirs["remediateSecretName"],
      "remediate-secret-name",
      replacedOnce(
        readmeBlock,
        'new PanRedaction("acme-redaction", {\n  workspaceId: workspace.workspaceId,\n  enabled: true,\n  creditCards: true,',
        'new PanRedaction(`redaction-${config.require("stage")}`, {\n  workspaceId: workspace.workspaceId,\n  enabled: true,\n  creditCards: false,',
      ),
      { "Pulumi.dev.yaml": "config:\n  remediate-secret-name:samlCertificate: PEM-TEXT\n" },
    );
    // A failure of the tool outside main's own chain (as an emitter's 'error' event would be), simulated by a
    // preload that throws from a timer once the tool is under way; the program and pack processes are left alone.
    dirs["outsideMain"] = path.join(scratch, "outside-main.js");
    fs.writeFileSync(
      dirs["outsideMain"],
      `if (process.argv[1] === ${JSON.stringify(cliPath)}) setImmediate(() => { throw new Error("a bug in the tool near ${secret}"); });\n`,
    );

    const secure = "examples/secure-workspace";
    const entries: Array<[string, Promise<Run>]> = [
      ["throws", cli(["preview", dirs["throws"], "--as-of", asOf, "--json", "--secret", `stage=${secret}`])],
      ["advisoryDefault", cli(["preview", dirs["advisory"], "--as-of", asOf, "--secret", `webMessengerSecret=${secret}`])],
      [
        "advisoryFails",
        cli(
          [
            "preview",
            dirs["advisory"],
            "--as-of",
            asOf,
            "--json",
            "--fail-on",
            "advisory",
            "--secret-env",
            "webMessengerSecret=IHC_TEST_SECRET",
          ],
          { IHC_TEST_SECRET: secret },
        ),
      ],
      ["packAtLoad", cli(["preview", secure, "--as-of", asOf, "--policy-pack", dirs["packAtLoad"], "--json"])],
      ["packInAnalyze", cli(["preview", "test/fixtures/tiny-program", "--as-of", asOf, "--policy-pack", dirs["packInAnalyze"]])],
      // Fast: refused before anything runs.
      ["badYaml", cli(["preview", dirs["badYaml"], "--json"])],
      ["missingSecretEnv", cli(["preview", secure, "--secret-env", "token=IHC_UNSET_VARIABLE"], { IHC_UNSET_VARIABLE: "" })],
      ["badFailOn", cli(["preview", secure, "--fail-on", "blocking", "--json"])],
      ["unknownOptionWithValue", cli(["preview", secure, `--secrte=webMessengerSecret=${secret}`, "--json"])],
      ["noCommandJson", cli(["--json"])],
      ["forgedFrame", cli(["preview", dirs["forgedFrame"], "--as-of", asOf, "--json", "--secret", `stage=${secret}`])],
      ["forgedFrameText", cli(["preview", dirs["forgedFrame"], "--as-of", asOf, "--secret", `stage=${secret}`])],
      ...[["remediateSecretNameJson", "--json"], ["remediateSecretNameText"]].map(([name, ...json]): [string, Promise<Run>] => [
        name as string,
        cli([
          "preview",
          dirs["remediateSecretName"] as string,
          "--as-of",
          asOf,
          "--remediate",
          ...json,
          "--secret",
          `stage=${secret}`,
          "--secret",
          `webMessengerSecret=${secret}-web`,
        ]),
      ]),
      [
        "outsideMain",
        cli(["preview", secure, "--as-of", asOf, "--json", "--secret", `unused=${secret}`], {
          NODE_OPTIONS: `--require ${dirs["outsideMain"]}`,
        }),
      ],
    ];
    const settled = await Promise.all(entries.map(([, run]) => run));
    entries.forEach(([name], i) => (runs[name] = settled[i] as Run));
  }, runTimeoutMs);

  afterAll(() => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
    for (const dir of [dirs["packAtLoad"], dirs["packInAnalyze"]]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const run = (name: string): Run => runs[name] as Run;

  it("a program that throws exits 2: on stderr the message opens with the file, line and column of the throw in the user's code", () => {
    const failed = run("throws");
    expectExitCode(failed, 2);
    const location = `${path.join(dirs["throws"] as string, "index.ts")}:5:9`;
    expect(failed.stderr.split("\n")[0]).toBe(
      `intercom-health-check: ${location}: The Pulumi program in ${dirs["throws"]} failed: Running program '${path.join(dirs["throws"] as string, "index.ts")}' failed with an unhandled exception:`,
    );
    expect(failed.stderr).toContain("Error: refusing the stack [secret]");
  });

  it("--json: the same failure as {error: {kind: program, message, location}}, alone on stdout, the secret given redacted", () => {
    const failed = run("throws");
    const { error } = jsonError(failed);
    expect(error).toEqual({
      kind: "program",
      message: expect.stringContaining("refusing the stack [secret]"),
      location: { file: path.join(dirs["throws"] as string, "index.ts"), line: 5, column: 9 },
    });
    for (const stream of [failed.stdout, failed.stderr]) expect(stream).not.toContain(secret);
  });

  it("advisory findings pass by default (exit 0) and fail under --fail-on advisory (exit 1), with the same report", () => {
    const relaxed = run("advisoryDefault");
    expectExitCode(relaxed, 0);
    expect(relaxed.stdout).toMatch(/^ +ADVISORY /m);
    expect(relaxed.stdout).not.toMatch(/^ +BLOCKING /m);
    const strict = run("advisoryFails");
    expectExitCode(strict, 1);
    const report = JSON.parse(strict.stdout) as { blocking: boolean; workspaces: Array<{ reviewCount: number; blockingCount: number }> };
    expect(report.blocking).toBe(false);
    expect(report.workspaces[0]?.blockingCount).toBe(0);
    expect(report.workspaces[0]?.reviewCount).toBeGreaterThan(0);
    // The report's summary says nothing blocks; stderr says why the run fails anyway.
    expect(strict.stderr).toBe(
      `intercom-health-check: --fail-on advisory: ${report.workspaces[0]?.reviewCount} advisory finding(s) fail the run\n`,
    );
    expect(relaxed.stderr).toBe("");
    for (const r of [relaxed, strict]) for (const stream of [r.stdout, r.stderr]) expect(stream).not.toContain(secret);
  });

  it("a pack that crashes at load exits 3, as JSON under --json", () => {
    const crashed = run("packAtLoad");
    expectExitCode(crashed, 3);
    expect(jsonError(crashed).error.kind).toBe("internal");
    expect(crashed.stderr).toMatch(/^intercom-health-check: /);
  });

  it("a pack that dies while analyzing exits 3 (a tool failure, never a verdict)", () => {
    const crashed = run("packInAnalyze");
    expectExitCode(crashed, 3);
    expect(crashed.stdout).toBe("");
  });

  it("a stack file that is not YAML exits 2 as an input error naming file and position, never its text", () => {
    const bad = run("badYaml");
    expectExitCode(bad, 2);
    const { error } = jsonError(bad);
    expect(error.kind).toBe("input");
    expect(error.message).toMatch(/Pulumi\.dev\.yaml:\d+:\d+: /);
    for (const stream of [bad.stdout, bad.stderr]) expect(stream).not.toContain(secret);
  });

  it("bad arguments exit 2: an unset --secret-env variable, an unknown --fail-on level", () => {
    const unset = run("missingSecretEnv");
    expectExitCode(unset, 2);
    expect(unset.stderr).toMatch(/environment variable IHC_UNSET_VARIABLE is not set or empty/);
    const badLevel = run("badFailOn");
    expectExitCode(badLevel, 2);
    expect(jsonError(badLevel).error).toEqual({
      kind: "usage",
      message: expect.stringMatching(/'blocking' is invalid.*mandatory, advisory/),
    });
  });

  it("an option mistyped with its value attached is refused without showing the value", () => {
    const typo = run("unknownOptionWithValue");
    expectExitCode(typo, 2);
    expect(jsonError(typo).error).toEqual({ kind: "usage", message: expect.stringContaining("unknown option '--secrte=…'") });
    for (const stream of [typo.stdout, typo.stderr]) expect(stream).not.toContain(secret);
  });

  it("no command under --json is a usage error as JSON", () => {
    const none = run("noCommandJson");
    expectExitCode(none, 2);
    expect(jsonError(none).error.kind).toBe("usage");
  });

  it("an error thrown outside main's chain is the tool's failure: exit 3 (not Node's 1, which reads as blocking), one JSON error, redacted", () => {
    const crashed = run("outsideMain");
    expectExitCode(crashed, 3);
    expect(jsonError(crashed).error).toEqual({ kind: "internal", message: expect.stringContaining("a bug in the tool near") });
    for (const stream of [crashed.stdout, crashed.stderr]) expect(stream).not.toContain(secret);
  });

  it("a location the program's output names is redacted as its message is: a secret in a frame's path is not shown", () => {
    for (const name of ["forgedFrame", "forgedFrameText"]) {
      const failed = run(name);
      expectExitCode(failed, 2);
      for (const stream of [failed.stdout, failed.stderr]) expect(stream).not.toContain(secret);
    }
    expect(jsonError(run("forgedFrame")).error).toEqual({
      kind: "program",
      message: expect.any(String),
      location: expect.objectContaining({ line: 3, column: 7 }),
    });
  });

  it("--remediate: a fix to a resource named after a secret configuration value shows the fix, never the secret", () => {
    const json = run("remediateSecretNameJson");
    const text = run("remediateSecretNameText");
    const remediations =
      (JSON.parse(json.stdout) as { remediations?: Array<{ policy: string; changes: Array<{ field: string }> }> }).remediations ?? [];
    expect(remediations.map((r) => [r.policy, r.changes.map((c) => c.field)])).toContainEqual(["intercom-pan-redaction", ["creditCards"]]);
    for (const r of [json, text]) for (const stream of [r.stdout, r.stderr]) expect(stream).not.toContain(secret);
  });
});
