/**
 * The report formats as the tool writes them, on every example and on a generated program with
 * hostile names, unsafe settings, secrets and unknowns: each validates against its schema.
 * One run per program writes every format at once (--output), so the suite stays a few runs.
 */
import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import Ajv2020 from "ajv/dist/2020";
import fc from "fast-check";
import { allControls } from "../../resources";
import { secureSample } from "../support/fixtures";
import { GENERATED_RUN_TIMEOUT_MS, GeneratedControl, previewGenerated, secretValue, unknownValue } from "../support/generated-program";
import { sampleOf } from "../support/property";

const repoRoot = path.resolve(__dirname, "..", "..");
const cliPath = path.join(repoRoot, "dist", "cli", "main.js");
const reportSchema = JSON.parse(fs.readFileSync(path.join(repoRoot, "schemas", "report.schema.json"), "utf8")) as object;
const validateReport = new Ajv2020({ allErrors: true, strict: false }).compile(reportSchema);

interface Outputs {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly json: unknown;
}

function expectValidReport(document: unknown): void {
  const valid = validateReport(document);
  expect({ valid, errors: valid ? [] : validateReport.errors }).toEqual({ valid: true, errors: [] });
}

const examples = fs
  .readdirSync(path.join(repoRoot, "examples"))
  .filter((name) => fs.existsSync(path.join(repoRoot, "examples", name, "Pulumi.yaml")));

/** The secret an example's stack file holds encrypted: supplied, and then never in any format. */
const exampleSecret = "formats-test-secret-9f3b";

function runExample(example: string): Outputs {
  const result = childProcess.spawnSync(
    process.execPath,
    [cliPath, "preview", path.join("examples", example), "--as-of", "2026-11-21", "--json", "--secret", `webMessengerSecret=${exampleSecret}`],
    { cwd: repoRoot, encoding: "utf8", timeout: GENERATED_RUN_TIMEOUT_MS, env: { ...process.env, PULUMI_NODEJS_TRANSPILE_ONLY: "true" } },
  );
  if (result.error) throw result.error;
  return { exitCode: result.status, stdout: result.stdout, stderr: result.stderr, json: JSON.parse(result.stdout) as unknown };
}

/** Names a program controls, built to break out of every format: newlines, %, quotes, markup, workflow commands. */
const hostileName = fc
  .array(fc.constantFrom("a", "%", "%25", "\r", "\n", "::error::x", ",", ":", "<", ">", "&", '"', "'", "]]>", "\u202e", "\u001b[31m", "::", "title=", "é"), {
    minLength: 1,
    maxLength: 8,
  })
  .map((parts) => parts.join(""));

function generatedControls(): GeneratedControl[] {
  const workspaceId = "abc123xyz";
  const names = sampleOf(hostileName, allControls.length);
  return allControls.flatMap((control, i): GeneratedControl[] => {
    const props = { ...secureSample(control), workspaceId };
    const name = `${i}-${names[i] ?? "x"}`;
    if (control.name === "Workspace") return [{ control: control.name, name, props: { ...props, name: names[i] ?? "w" } }];
    // The secure sample, and next to it a variant with every string field a secret or unknown: graded apart.
    const variant = Object.fromEntries(
      Object.entries(props).map(([key, value], j) => [key, key === "workspaceId" ? value : j % 2 === 0 ? secretValue(value) : unknownValue]),
    );
    return [
      { control: control.name, name, props },
      { control: control.name, name: `${name}-variant`, props: variant },
    ];
  });
}

describe("report formats", () => {
  const runs = new Map<string, Outputs>();
  let generated: Outputs;

  beforeAll(() => {
    for (const example of examples) runs.set(example, runExample(example));
    const run = previewGenerated(generatedControls());
    generated = { exitCode: run.exitCode, stdout: run.stdout, stderr: run.stderr, json: JSON.parse(run.stdout) as unknown };
  }, GENERATED_RUN_TIMEOUT_MS * 2);

  it("finds the examples", () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
  });

  describe("JSON", () => {
    it.each(examples)("the report of %s validates against schemas/report.schema.json", (example) => {
      const run = runs.get(example) as Outputs;
      expect((run.json as { schemaVersion: string }).schemaVersion).toMatch(/^1\.\d+\.\d+$/);
      expectValidReport(run.json);
    });

    it("the report of a generated program (hostile names, secrets, unknowns) validates", () => {
      expect(generated.exitCode === 0 || generated.exitCode === 1).toBe(true);
      expectValidReport(generated.json);
    });

    it("the schema rejects a report with a field it does not declare or a wrong status", () => {
      const run = runs.get(examples[0] as string) as Outputs;
      const document = run.json as Record<string, unknown>;
      expect(validateReport({ ...document, surprise: 1 })).toBe(false);
      expect(validateReport({ ...document, blocking: "no" })).toBe(false);
      const { schemaVersion: _version, ...unversioned } = document;
      expect(validateReport(unversioned)).toBe(false);
    });
  });
});
