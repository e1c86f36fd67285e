/**
 * Runs generated controls through the `preview` tool as a real program would register them:
 * writes test/fixtures/generated-program with a controls.json into a fresh directory under
 * test/.generated (so the program resolves this repository's node_modules), runs the compiled
 * tool (`dist/cli/main.js preview --json`) and returns its exit code and output. One run grades
 * many generated controls: give each a distinct name and read the verdict per resource.
 */
import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";

const repoRoot = path.resolve(__dirname, "..", "..");
const fixtureDir = path.join(repoRoot, "test", "fixtures", "generated-program");
const generatedRoot = path.join(repoRoot, "test", ".generated");

/** The clock generated runs are pinned to: no verdict depends on today's date. */
export const GENERATED_AS_OF = "2026-11-21T00:00:00Z";

/** Time to allow a test that runs one generated program (program start is several seconds). */
export const GENERATED_RUN_TIMEOUT_MS = 180_000;

export interface GeneratedControl {
  /** The contract's control name, e.g. "MessengerDomainRestriction". */
  readonly control: string;
  /** The resource name: unique per run. */
  readonly name: string;
  /** Props exactly as registered; see {@link secretValue} and {@link unknownValue}. */
  readonly props: Record<string, unknown>;
}

/** A value the program passes as a Pulumi secret. */
export function secretValue<T>(value: T): { $secret: T } {
  return { $secret: value };
}

/** A value not known during the preview (an output of a resource not created yet). */
export const unknownValue = { $unknown: true } as const;

export interface GeneratedRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The parsed `--json` report, when the tool printed one. */
  readonly report?: GeneratedReport;
}

export interface GeneratedFinding {
  readonly policy: string;
  readonly status: string;
  readonly blocking: boolean;
  readonly message: string;
  readonly urn?: string;
  readonly resource?: string;
}

export interface GeneratedReport {
  readonly blocking: boolean;
  readonly workspaces: readonly {
    readonly workspaceId: string;
    readonly sections: readonly { readonly items: readonly { readonly findings: readonly GeneratedFinding[] }[] }[];
  }[];
  readonly other: readonly GeneratedFinding[];
}

/** Every finding of the report, wherever it was filed. */
export function allFindings(report: GeneratedReport): GeneratedFinding[] {
  return [...report.workspaces.flatMap((w) => w.sections.flatMap((s) => s.items.flatMap((i) => i.findings))), ...report.other];
}

/** Blocking findings about the named resource, optionally of one policy. */
export function blockingFor(report: GeneratedReport, resourceName: string, policy?: string): GeneratedFinding[] {
  return allFindings(report).filter((f) => f.blocking && f.resource === resourceName && (policy === undefined || f.policy === policy));
}

/**
 * Runs the tool over a program that registers `controls`; extra CLI arguments follow `--json`
 * (or the program directory, with `{ json: false }` for the text report).
 */
export function previewGenerated(
  controls: readonly GeneratedControl[],
  extraArgs: readonly string[] = [],
  options: { json?: boolean; env?: NodeJS.ProcessEnv; asOf?: string | null } = {},
): GeneratedRun {
  fs.mkdirSync(generatedRoot, { recursive: true });
  const programDir = fs.mkdtempSync(path.join(generatedRoot, "program-"));
  try {
    for (const file of ["Pulumi.yaml", "index.ts", "tsconfig.json"])
      fs.copyFileSync(path.join(fixtureDir, file), path.join(programDir, file));
    fs.writeFileSync(path.join(programDir, "controls.json"), JSON.stringify(controls));
    const result = childProcess.spawnSync(
      process.execPath,
      [
        path.join(repoRoot, "dist", "cli", "main.js"),
        "preview",
        programDir,
        ...(options.json === false ? [] : ["--json"]),
        // null: no --as-of (the clock is the environment's).
        ...(options.asOf === null ? [] : ["--as-of", options.asOf ?? GENERATED_AS_OF]),
        ...extraArgs,
      ],
      { encoding: "utf8", maxBuffer: 512 * 1024 * 1024, timeout: GENERATED_RUN_TIMEOUT_MS, ...(options.env ? { env: options.env } : {}) },
    );
    if (result.error) throw result.error;
    let report: GeneratedReport | undefined;
    try {
      report = JSON.parse(result.stdout) as GeneratedReport;
    } catch {
      report = undefined;
    }
    return { exitCode: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, ...(report ? { report } : {}) };
  } finally {
    fs.rmSync(programDir, { recursive: true, force: true });
  }
}
