/**
 * Text a rule derives from a secret never reaches the tool's output (issue 5, item 4): the engine
 * suite's generated batch (test/support/secret-derived.ts) registered by one program as Pulumi
 * secrets, in one run. Unsafe members are reported (blocking under SHALL) with exactly the message
 * naming the field; safe ones draw nothing; no secret text is in stdout or stderr. A program that
 * fails with a secret object's key in its error, and a control whose props carry the SDK proxy's
 * key, are run too.
 */
import { leaksIn } from "../support/canary";
import * as childProcess from "child_process";
import * as path from "path";
import { allFindings, GENERATED_RUN_TIMEOUT_MS, GeneratedRun, previewGenerated, secretValue } from "../support/generated-program";
import { secretDerivedBatch } from "../support/secret-derived";

const repoRoot = path.resolve(__dirname, "..", "..");

describe("text derived from a secret, through preview (generated classes, one run)", () => {
  const batch = secretDerivedBatch(8, "derived", secretValue);
  let run: GeneratedRun;

  beforeAll(() => {
    run = previewGenerated(batch.map(({ control, name, props }) => ({ control, name, props })));
  }, GENERATED_RUN_TIMEOUT_MS);

  it("reports every unsafe secret with only the field named, passes safe ones, leaks nothing", () => {
    expect(run.report).toBeDefined();
    expect(run.exitCode).toBe(1);
    const findings = allFindings(run.report!);
    expect(batch.filter((c) => c.message !== undefined).length).toBeGreaterThanOrEqual(40);
    const wrong: string[] = [];
    for (const c of batch) {
      const own = findings.filter((f) => f.resource === c.name && f.policy === c.policy && f.status !== "secure");
      if (c.message === undefined) {
        if (own.length > 0) wrong.push(`reported though safe: ${c.drawn} -> ${JSON.stringify(own)}`);
      } else if (own.length === 0 || own.some((f) => f.status !== "needs_review" || f.blocking !== c.blocks || f.message !== c.message)) {
        wrong.push(`${c.drawn} -> ${JSON.stringify(own.map((f) => [f.blocking, f.message]))}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(
      leaksIn(
        [run.stdout, run.stderr],
        batch.flatMap((c) => c.secretTexts.filter((t) => /[a-z]{3}|\d+\.\d+\.\d+/i.test(t))),
      ),
    ).toEqual([]);
  });
});

describe("the tool's error path", () => {
  it(
    "redacts a failed program's error with the secrets it registered before failing",
    () => {
      const result = childProcess.spawnSync(
        process.execPath,
        [path.join(repoRoot, "dist", "cli", "main.js"), "preview", path.join(repoRoot, "test", "cli", "fixtures", "error-path-program")],
        { encoding: "utf8", timeout: GENERATED_RUN_TIMEOUT_MS },
      );
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/cannot reach the signing service with \[secret\]/);
      expect(leaksIn([result.stdout, result.stderr], ["CANARYapiSecretQx81zv"])).toEqual([]);
    },
    GENERATED_RUN_TIMEOUT_MS,
  );
});
