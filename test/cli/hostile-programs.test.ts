/**
 * Programs that attack the capture (test/fixtures/hostile/*). Each first registers an unsafe SsoEnforcement and
 * waits until the monitor has answered, so the engine would create it; then it tampers with what it can reach: the
 * SDK in its own process, the monitor over raw gRPC, its output, the tool's private directory, the pack on disk, its
 * exit. The gate must never pass: either the unsafe control is graded and blocks (exit 1), or the run fails closed
 * (exit 2, the program is at fault: no report on stdout, only the error under --json). Which of the two is fixed per program, so a change of behaviour shows.
 *
 * Needs a build (`npm test` builds first): the tool runs as dist/cli/main.js.
 */
import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CapturedResource } from "../../cli/analyzer-client";
import { runPreview, RunPreviewOptions } from "../../cli/program-runner";
import { blockingFor, GeneratedReport } from "../support/generated-program";

const repoRoot = path.resolve(__dirname, "..", "..");
const cliPath = path.join(repoRoot, "dist", "cli", "main.js");
const hostileDir = path.join(repoRoot, "test", "fixtures", "hostile");
const generatedRoot = path.join(repoRoot, "test", ".generated");
const UNSAFE_RESOURCE = "unsafe-sso";
const FORGED = "FORGED-REPORT-7c1e";
/** Several programs and packs run at once on a small machine. */
const SETUP_TIMEOUT_MS = 300_000;
const RUN_TIMEOUT_MS = 150_000;
const HANG_TIMEOUT_MS = 10_000;
/** The launcher's fast path (no type checking): the attacks do not depend on it, and lint type-checks the fixtures. */
const FAST = { PULUMI_NODEJS_TRANSPILE_ONLY: "true" };

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  if (!fs.existsSync(cliPath)) {
    throw new Error(`${cliPath} is missing: run \`npm run build\` (npm test does) before these tests.`);
  }
  return new Promise((resolve, reject) => {
    const child = childProcess.spawn(process.execPath, [cliPath, ...args], { cwd: repoRoot, env: { ...process.env, ...FAST, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    const timer = setTimeout(() => child.kill("SIGKILL"), RUN_TIMEOUT_MS);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function previewHostile(name: string, extraArgs: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return cli(["preview", path.join(hostileDir, name), "--json", "--as-of", "2026-11-21", ...extraArgs], env);
}

function described(run: Run): string {
  return `exit ${run.code}\n--- stdout ---\n${run.stdout}\n--- stderr ---\n${run.stderr}`;
}

/** Exit 1, and the report on stdout grades the unsafe control as blocking. */
function expectBlocksUnsafe(run: Run): void {
  expect({ code: run.code, output: run.code === 1 ? "" : described(run) }).toEqual({ code: 1, output: "" });
  const report = JSON.parse(run.stdout) as GeneratedReport;
  expect(report.blocking).toBe(true);
  expect(blockingFor(report, UNSAFE_RESOURCE, "intercom-sso-required")).not.toHaveLength(0);
}

/** What runPreview gave: the capture, or why it failed. */
type Outcome = { resources: CapturedResource[] } | { error: Error };

function capture(name: string, options: RunPreviewOptions): Promise<Outcome> {
  return runPreview(path.join(hostileDir, name), { ...options, env: FAST }).then(
    (resources) => ({ resources }),
    (error: unknown) => ({ error: error instanceof Error ? error : new Error(String(error)) }),
  );
}

function expectFailure(outcome: Outcome | undefined, reason: RegExp | string): void {
  const message = outcome && "error" in outcome ? outcome.error.message : `no failure: ${JSON.stringify(outcome)}`;
  expect(message).toMatch(reason);
}

/** Exit 2 (the program failed), no report (under --json only the error, as JSON), and the reason on stderr. */
function expectFailsClosed(run: Run, reason: RegExp): void {
  expect({ code: run.code, output: run.code === 2 ? "" : described(run) }).toEqual({ code: 2, output: "" });
  expect(run.stdout === "" ? "nothing" : (JSON.parse(run.stdout) as { error?: { kind?: string } }).error?.kind).toMatch(
    /^(nothing|program)$/,
  );
  expect(run.stderr).toMatch(reason);
}

describe("hostile programs never pass", () => {
  let packCopy: string;
  const runs: Record<string, Run> = {};
  const captures: Record<string, Outcome> = {};
  let tamperedPackOnInsecureExample: Run;

  // Everything runs at once: most of the time goes to starting processes, and a hanging program only waits.
  beforeAll(async () => {
    // A copy of the compiled pack for the program that rewrites the pack on disk (the real one stays intact).
    fs.mkdirSync(generatedRoot, { recursive: true });
    packCopy = fs.mkdtempSync(path.join(generatedRoot, "pack-copy-"));
    for (const entry of ["package.json", "PulumiPolicy.yaml", "dist"]) {
      fs.cpSync(path.join(repoRoot, entry), path.join(packCopy, entry), { recursive: true });
    }
    const throughTool = ["patch-sdk", "overwrite", "forge-output", "edit-state", "exit-early", "inspector"];
    const throughRunner: Record<string, [string, RunPreviewOptions]> = {
      hang: ["hang", { timeoutMs: HANG_TIMEOUT_MS }],
      "swallow-invoke": ["swallow", { config: { "hostile-swallow:mode": "invoke" } }],
      "swallow-log-error": ["swallow", { config: { "hostile-swallow:mode": "log-error" } }],
      "swallow-nothing": ["swallow", { config: { "hostile-swallow:mode": "none" } }],
    };
    await Promise.all([
      previewHostile("rewrite-pack", ["--policy-pack", packCopy], { HOSTILE_PACK_DIR: packCopy }).then(async (run) => {
        runs["rewrite-pack"] = run;
        // The pack as the program left it, loaded afresh.
        tamperedPackOnInsecureExample = await cli(["preview", "examples/insecure-workspace", "--json", "--policy-pack", packCopy]);
      }),
      ...throughTool.map(async (name) => (runs[name] = await previewHostile(name))),
      ...Object.entries(throughRunner).map(async ([key, [name, options]]) => (captures[key] = await capture(name, options))),
    ]);
  }, SETUP_TIMEOUT_MS);

  afterAll(() => {
    if (packCopy) fs.rmSync(packCopy, { recursive: true, force: true });
  });

  describe("through the preview tool: the unsafe control blocks (exit 1) or the run fails (exit 2)", () => {
    it("patching @pulumi/pulumi (setMocks, the monitor client, registerResource) after registering changes nothing", () => {
      expectBlocksUnsafe(runs["patch-sdk"] as Run);
    });

    it("registering the same resource again with safe inputs is refused, and fails the run", () => {
      expectFailsClosed(runs["overwrite"] as Run, /Duplicate resource URN '[^']*::unsafe-sso'/);
    });

    it("a forged report on stdout, stderr, fd 3 or IPC reaches nothing the tool prints", () => {
      const run = runs["forge-output"] as Run;
      expectBlocksUnsafe(run);
      expect(run.stdout).not.toContain(FORGED);
      expect(run.stderr).not.toContain(FORGED);
    });

    it("deleting the tool's private directory and rewiring the monitor address after registering changes nothing", () => {
      expectBlocksUnsafe(runs["edit-state"] as Run);
    });

    it("exiting with code 0 before Pulumi's runtime finished fails the run", () => {
      expectFailsClosed(runs["exit-early"] as Run, /exited before Pulumi's runtime finished/);
    });

    it("signalling the tool to open its inspector is ignored: no debugger, the unsafe control still blocks", () => {
      const run = runs["inspector"] as Run;
      expectBlocksUnsafe(run);
      expect(run.stderr).not.toMatch(/Debugger listening/);
    });

    it("rewriting the policy pack on disk does not change the pack that grades the program", () => {
      expectBlocksUnsafe(runs["rewrite-pack"] as Run);
      // The rewrite did take: a pack loaded from the copy now grades nothing, so only the order protected the run.
      expect(fs.readFileSync(path.join(packCopy, "dist", "pack", "index.js"), "utf8")).toContain("policies: []");
      expect({
        code: tamperedPackOnInsecureExample.code,
        passes: tamperedPackOnInsecureExample.stdout.includes('"blocking": false'),
      }).toEqual({
        code: 0,
        passes: true,
      });
    });
  });

  describe("through runPreview: the run fails", () => {
    it("a program that never finishes is stopped at the timeout", () => {
      expectFailure(captures["hang"], `did not finish within ${HANG_TIMEOUT_MS} ms`);
    });

    it("a program that swallows the error of a request the preview refused", () => {
      expectFailure(captures["swallow-invoke"], /requests a preview cannot serve:\nInvoke is not supported/);
    });

    it("a program that logs an error and still exits 0", () => {
      expectFailure(captures["swallow-log-error"], "hostile: an error logged, and exit code 0 anyway");
    });

    it("the same program, when it tampers with nothing, is captured with its unsafe control (the fixtures work)", () => {
      const outcome = captures["swallow-nothing"];
      const resources = outcome && "resources" in outcome ? outcome.resources : [];
      expect(resources.find((r) => r.name === UNSAFE_RESOURCE)?.properties).toMatchObject({ samlSso: "off", emailPasswordSignIn: true });
    });
  });
});
