/**
 * The README's "Declaring a workspace" example runs as written: examples/declared-workspace/index.ts is the
 * README's code block, its stack configuration gives the SAML certificate in plain text and the Messenger secret
 * encrypted (secure:), and the commands the README shows are run exactly as shown (the placeholder for the
 * secret filled in). Needs a build (`npm test` builds first).
 */
import * as fs from "fs";
import * as path from "path";
import { describedRun, ProcessRun, runNode } from "../support/node-process";

const repoRoot = path.resolve(__dirname, "..", "..");
const exampleDir = path.join(repoRoot, "examples", "declared-workspace");
const runTimeoutMs = 180_000;
const secret = "CANARY-declared-workspace-5b1e0c77d2";

const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
const section = readme.split("## Declaring a workspace")[1]?.split("\n## ")[0] ?? "";

type Run = ProcessRun;

/** A README command line: leading NAME=value assignments, then `node <args…>` (no quoting in these lines). */
function parseCommand(line: string): { env: Record<string, string>; args: string[] } {
  const words = line.split("#")[0]?.trim().split(/\s+/) ?? [];
  const env: Record<string, string> = {};
  while (words[0] !== undefined && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) {
    const word = words.shift() as string;
    env[word.slice(0, word.indexOf("="))] = word.slice(word.indexOf("=") + 1);
  }
  if (words.shift() !== "node") throw new Error(`not a node command: ${line}`);
  return { env, args: words };
}

function run(command: { env: Record<string, string>; args: string[] }, extraEnv: Record<string, string> = {}): Promise<Run> {
  return runNode(command.args, { cwd: repoRoot, env: { ...extraEnv, ...command.env }, timeoutMs: runTimeoutMs });
}

describe("the README's declared-workspace example", () => {
  const blocks = [...section.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], body: m[2] ?? "" }));
  const commands = (blocks.find((b) => b.lang === "sh")?.body ?? "")
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.trim().startsWith("#"))
    .map((line) => parseCommand(line.replace(/<the secret>/g, secret)));
  const shownError = blocks.find((b) => b.lang === "" && b.body.startsWith("intercom-health-check: Pulumi.dev.yaml"))?.body.trim();
  let withSecret: Run;
  let withSecretEnv: Run;
  let withoutSecret: Run;

  beforeAll(async () => {
    const [secretCommand, envCommand] = commands;
    if (!secretCommand || !envCommand) throw new Error(`the README shows no commands for the example:\n${section}`);
    const withoutCommand = { env: {}, args: secretCommand.args.filter((a, i, all) => a !== "--secret" && all[i - 1] !== "--secret") };
    // The first command as a user runs it (type-checked by ts-node); the second transpile-only, to keep the suite short.
    // The commands as written; the pack's clock pinned through the environment it inherits, so the
    // date-based rules (the secret's rotation age) give the same verdict whenever the suite runs.
    const pinned = { INTERCOM_HEALTH_CHECK_AS_OF: "2026-11-22" };
    [withSecret, withSecretEnv, withoutSecret] = await Promise.all([
      run(secretCommand, pinned),
      run(envCommand, { ...pinned, PULUMI_NODEJS_TRANSPILE_ONLY: "true" }),
      run(withoutCommand, pinned),
    ]);
  }, runTimeoutMs);

  it("index.ts is the README's code block, character for character", () => {
    const code = blocks.find((b) => b.lang === "ts")?.body;
    expect(fs.readFileSync(path.join(exampleDir, "index.ts"), "utf8")).toBe(code);
  });

  it("the stack file gives samlCertificate in plain text and webMessengerSecret encrypted, as the README says", () => {
    const stackFile = fs.readFileSync(path.join(exampleDir, "Pulumi.dev.yaml"), "utf8");
    expect(stackFile).toMatch(/^ {2}declared-workspace:samlCertificate: \|$/m);
    expect(stackFile).toMatch(/^ {2}declared-workspace:webMessengerSecret:\n {4}secure: v1:/m);
    expect(commands.map((c) => c.args.slice(0, 3))).toEqual([
      ["dist/cli/main.js", "preview", "examples/declared-workspace"],
      ["dist/cli/main.js", "preview", "examples/declared-workspace"],
    ]);
  });

  it("without the secret it exits 2 with the error the README shows, naming the key and how to supply it", () => {
    expect({ code: withoutSecret.code, stdout: withoutSecret.stdout }).toEqual({ code: 2, stdout: "" });
    expect(withoutSecret.stderr.trim()).toBe(shownError);
  });

  it.each([
    ["--secret", () => withSecret],
    ["--secret-env", () => withSecretEnv],
  ])("with %s it runs and gives the verdict the README describes (exit 1: AttachmentPolicy missing)", (_how, result) => {
    const r = result();
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 1, stderr: r.code === 1 ? "" : describedRun(r) });
    expect(r.stdout).toContain('Workspace "Acme Support" (ab12cd34ef)');
    // The counts the README states, not just their shape.
    const stated = /exits 1: `(Issues found \(1 blocking, \d+ to review\))`/.exec(section)?.[1];
    expect(stated).toBeDefined();
    expect(r.stdout.split("\n")).toContain(`  Overall: ${stated}`);
    expect(r.stdout).toMatch(/^ +BLOCKING intercom-attachment-policy-declared \[acme\]: /m);
    // The secret reached the program: the Messenger is graded on it.
    expect(r.stdout).toMatch(/\[ok\] Identity verification \(web Messenger\): Secure/);
    expect(section).toContain("exits 1: `Issues found (1 blocking,");
  });

  it("the secret never appears in any output", () => {
    for (const r of [withSecret, withSecretEnv, withoutSecret]) {
      expect(r.stdout).not.toContain(secret);
      expect(r.stderr).not.toContain(secret);
    }
  });
});
