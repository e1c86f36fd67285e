/**
 * `check` records its evidence as documents input, and `verify --input` grades the documents
 * again: the same document matches, another one does not.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { GENERATED_RUN_TIMEOUT_MS } from "../support/generated-program";
import { runNode } from "../support/node-process";

const repoRoot = path.resolve(__dirname, "..", "..");
const cliPath = path.join(repoRoot, "dist", "cli", "main.js");
const insecure = "examples/documents/insecure-workspace.yaml";
const secure = "examples/documents/secure-workspace.yaml";
// The secure example's document reads its Messenger secrets from the environment.
const env = {
  WEB_MESSENGER_SECRET: "check-verify-secret-q7",
  IOS_MESSENGER_SECRET: "check-verify-secret-i8",
  ANDROID_MESSENGER_SECRET: "check-verify-secret-a9",
};

describe("check evidence and verify --input on documents", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-verify-"));
  const reportFile = path.join(dir, "report.json");
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it(
    "records documents input; the same document verifies, another fails",
    async () => {
      const written = await runNode([cliPath, "check", insecure, "--as-of", "2026-11-21", "--output", `json=${reportFile}`], {
        cwd: repoRoot,
        env,
        timeoutMs: GENERATED_RUN_TIMEOUT_MS,
      });
      expect(written.code).toBe(1);
      const report = JSON.parse(fs.readFileSync(reportFile, "utf8")) as {
        evidence: { input: { kind: string; subject: string; resourceCount: number }; stack?: string };
      };
      expect(report.evidence.input).toMatchObject({ kind: "documents", subject: insecure });
      expect(report.evidence.input.resourceCount).toBeGreaterThan(1);
      const [same, other] = await Promise.all([
        runNode([cliPath, "verify", reportFile, "--input", insecure], { cwd: repoRoot, env, timeoutMs: GENERATED_RUN_TIMEOUT_MS }),
        runNode([cliPath, "verify", reportFile, "--input", secure], { cwd: repoRoot, env, timeoutMs: GENERATED_RUN_TIMEOUT_MS }),
      ]);
      expect({ code: same.code, stderr: same.stderr }).toEqual({ code: 0, stderr: "" });
      expect(other.code).toBe(1);
      expect(other.stdout).toMatch(/input/i);
      for (const run of [written, same, other])
        for (const value of Object.values(env)) expect(run.stdout + run.stderr).not.toContain(value);
    },
    3 * GENERATED_RUN_TIMEOUT_MS,
  );
});
