/**
 * A program runs with the rights of the tool that previews it, so it can rewrite the tool's own files on disk. The
 * tool loads some of its modules only when a command needs them (cli/main.ts); for `preview`, every module it needs
 * after the program has run must already be loaded before the program starts, or the program decides the verdict.
 * The tool is a copy (test/.generated), the program rewrites every compiled module of it (and so of the pack it also is) to exit 0.
 *
 * Needs a build (`npm test` builds first): the copy is made from dist/.
 */
import * as fs from "fs";
import * as path from "path";
import { blockingFor, GeneratedReport } from "../support/generated-program";
import { ProcessRun, runNode } from "../support/node-process";

const repoRoot = path.resolve(__dirname, "..", "..");
const generatedRoot = path.join(repoRoot, "test", ".generated");
const program = path.join(repoRoot, "test", "fixtures", "hostile", "rewrite-tool");

function run(cliPath: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<ProcessRun> {
  return runNode([cliPath, ...args], { cwd: repoRoot, env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true", ...env }, timeoutMs: 150_000 });
}

describe("a program that rewrites the preview tool on disk", () => {
  let toolCopy: string | undefined;
  afterAll(() => {
    if (toolCopy) fs.rmSync(toolCopy, { recursive: true, force: true });
  });

  it("does not change the tool that grades it: the unsafe control still blocks", async () => {
    if (!fs.existsSync(path.join(repoRoot, "dist", "cli", "main.js"))) throw new Error("dist/ is missing: run `npm run build` first.");
    fs.mkdirSync(generatedRoot, { recursive: true });
    toolCopy = fs.mkdtempSync(path.join(generatedRoot, "tool-copy-"));
    for (const entry of ["package.json", "PulumiPolicy.yaml", "dist"]) {
      fs.cpSync(path.join(repoRoot, entry), path.join(toolCopy, entry), { recursive: true });
    }
    const result = await run(
      path.join(toolCopy, "dist", "cli", "main.js"),
      ["preview", program, "--json", "--as-of", "2026-11-21", "--policy-pack", toolCopy],
      { HOSTILE_TOOL_DIR: toolCopy },
    );
    // The rewrite did take: the copy's modules now only exit.
    expect(fs.readFileSync(path.join(toolCopy, "dist", "cli", "evidence.js"), "utf8")).toContain("process.exit(0)");
    expect({ code: result.code, stderr: result.code === 1 ? "" : result.stderr }).toEqual({ code: 1, stderr: "" });
    const report = JSON.parse(result.stdout) as GeneratedReport;
    expect(report.blocking).toBe(true);
    expect(blockingFor(report, "unsafe-sso", "intercom-sso-required")).not.toHaveLength(0);
  }, 200_000);
});
