import type { AuditReportContext } from "../report/audit-document";
import * as fs from "fs";
import * as path from "path";
import { escapeJsonForDisplay } from "../core/display";
import { renderGithub } from "../report/github";
import { renderHtml } from "../report/html";
import { jsonReport } from "../report/json";
import { renderJunit } from "../report/junit";
import { renderMarkdown } from "../report/markdown";
import { DeclaredResource, HealthCheckReport } from "../report/model";
import { renderSarif } from "../report/sarif";
import { renderTextChunks } from "../report/text";
import type { PolicyPackRun } from "../report/pulumi-policies";
import { UsageError } from "./errors";
import { AppliedRemediation, renderRemediationsText, serializableRemediations } from "./remediate";
import { FailOn, findingsThatFail } from "./verdict";

/**
 * The report formats of `--format` and `--output`: which goes where, and each one rendered from
 * the same (already redacted) report. Every renderer escapes program-controlled text its own way.
 */

export const reportFormats = ["text", "json", "sarif", "junit", "github", "markdown", "html"] as const;
export type ReportFormat = (typeof reportFormats)[number];

function formatNamed(name: string, option: string): ReportFormat {
  const format = reportFormats.find((f) => f === name.trim().toLowerCase());
  if (!format) throw new UsageError(`${option} ${name}: not a format (one of ${reportFormats.join(", ")})`);
  return format;
}

/** Where each format goes: `file` undefined for stdout. */
export interface OutputPlan {
  readonly stdout: ReportFormat | undefined;
  readonly files: readonly { readonly format: ReportFormat; readonly file: string }[];
}

/**
 * `--format` values (comma-separated, repeatable; `--json` adds json) and `--output format=file`
 * values. A format given an --output file goes there; at most one other format may go to stdout
 * (two documents one after the other would be neither). Without --format, stdout gets the text.
 */
export function planOutputs(formatOptions: readonly string[], outputOptions: readonly string[], json: boolean): OutputPlan {
  const formats = [
    ...formatOptions
      .flatMap((value) => value.split(","))
      .filter((v) => v.trim() !== "")
      .map((v) => formatNamed(v, "--format")),
    ...(json ? ["json" as const] : []),
  ];
  const files = outputOptions.map((value) => {
    const equals = value.indexOf("=");
    if (equals <= 0 || equals === value.length - 1)
      throw new UsageError(`--output ${value}: expected <format>=<file>, e.g. sarif=results.sarif`);
    return { format: formatNamed(value.slice(0, equals), "--output"), file: value.slice(equals + 1) };
  });
  const toFiles = new Set(files.map((f) => f.format));
  const onStdout = [...new Set(formats.filter((f) => !toFiles.has(f)))];
  if (onStdout.length > 1) {
    throw new UsageError(
      `--format ${onStdout.join(",")}: only one format can go to standard output; write the others to files with --output <format>=<file>`,
    );
  }
  const seenFiles = new Set<string>();
  for (const { file } of files) {
    const resolved = path.resolve(file);
    if (seenFiles.has(resolved)) throw new UsageError(`--output: ${file} is given twice`);
    seenFiles.add(resolved);
  }
  return { stdout: onStdout[0] ?? (formats.length === 0 ? "text" : undefined), files };
}

/** Whether a failure should be reported as JSON on stdout: known from the raw arguments, before parsing them. */
export function jsonOnStdout(argv: readonly string[]): boolean {
  const terminator = argv.indexOf("--");
  const options = terminator < 0 ? argv : argv.slice(0, terminator);
  if (options.includes("--json")) return true;
  const formats: string[] = [];
  const outputs: string[] = [];
  options.forEach((arg, i) => {
    const next = options[i + 1] ?? "";
    if (arg === "--format") formats.push(next);
    else if (arg.startsWith("--format=")) formats.push(arg.slice("--format=".length));
    else if (arg === "--output") outputs.push(next);
    else if (arg.startsWith("--output=")) outputs.push(arg.slice("--output=".length));
  });
  const toFiles = new Set(outputs.map((o) => o.split("=")[0]?.trim().toLowerCase()));
  return formats.flatMap((f) => f.split(",")).some((f) => f.trim().toLowerCase() === "json" && !toFiles.has("json"));
}

/**
 * Whether the text report on stdout is coloured: a pure function of whether stdout is a terminal
 * and the environment. NO_COLOR with any non-empty value turns colour off, whatever else is set
 * (https://no-color.org); otherwise FORCE_COLOR turns it on even in a pipe, unless it is `0` or
 * `false`; otherwise colour only on a terminal that is not `TERM=dumb`. Files never get colour.
 */
export function colourFor(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  if ((env["NO_COLOR"] ?? "") !== "") return false;
  const force = env["FORCE_COLOR"];
  if (force !== undefined) return !["0", "false"].includes(force.trim().toLowerCase());
  return isTTY && env["TERM"] !== "dumb";
}

/** What every format may need of the run besides the report: the audit formats' context, and what only some formats use. */
export interface RenderContext extends AuditReportContext {
  /** With --remediate: the fixes made, redacted. */
  readonly remediations?: readonly AppliedRemediation[];
  /** Colour the text format on stdout (see {@link colourFor}); files are never coloured. */
  readonly colour?: boolean;
  /** `--quiet`: the text format shows only what fails the run (under `failOn`), then the summary line. */
  readonly quiet?: boolean;
  /** `--fail-on`, for what `quiet` shows; default mandatory. */
  readonly failOn?: FailOn;
  /** The resources graded, for where each was declared (SARIF physical locations); absent where none was. */
  readonly resources?: readonly DeclaredResource[];
  /** Another pack's run, redacted: the text format prints its findings as the Pulumi CLI does (report/pulumi-policies.ts). */
  readonly pulumiPolicies?: PolicyPackRun;
}

/** The resources with every declaration location whose file name carries a secret left out. */
export function withoutSecretLocations(resources: readonly DeclaredResource[], redact: (text: string) => string): DeclaredResource[] {
  return resources.map(({ declaredAt, ...resource }) =>
    declaredAt && redact(declaredAt.path) === declaredAt.path ? { ...resource, declaredAt } : resource,
  );
}

export function renderFormat(format: ReportFormat, report: HealthCheckReport, context: RenderContext): string {
  return [...renderFormatChunks(format, report, context)].join("");
}

/**
 * {@link renderFormat} in parts whose concatenation is its text: the text report workspace by workspace (a report of
 * 10,000 workspaces is over 100 MB of text, never held whole when written part by part), any other format whole.
 */
export function* renderFormatChunks(
  format: ReportFormat,
  report: HealthCheckReport,
  context: RenderContext,
): Generator<string, void, undefined> {
  if (format !== "text") {
    yield renderWholeFormat(format, report, context);
    return;
  }
  const failing = context.quiet
    ? findingsThatFail(report, { failOn: context.failOn ?? "mandatory", allowUnknown: context.allowUnknown })
    : undefined;
  yield* renderTextChunks(report, {
    subject: context.subject,
    packName: context.packName,
    packVersion: context.packVersion,
    allowUnknown: context.allowUnknown,
    ...(context.colour ? { colour: true } : {}),
    ...(failing ? { quiet: { failing } } : {}),
    ...(context.evidence ? { evidence: context.evidence } : {}),
    ...(context.pulumiPolicies ? { pulumiPolicies: context.pulumiPolicies } : {}),
  });
  // Quiet: only what fails; the fixes --remediate made are not failures.
  if (!failing) yield renderRemediationsText(context.remediations ?? []);
}

function renderWholeFormat(format: Exclude<ReportFormat, "text">, report: HealthCheckReport, context: RenderContext): string {
  switch (format) {
    case "json":
      // Exact values, with every control, bidi and zero-width character written as a \u escape.
      return `${escapeJsonForDisplay(
        JSON.stringify(
          jsonReport(report, {
            pack: { name: context.packName, version: context.packVersion },
            allowUnknown: context.allowUnknown,
            ...(context.remediations ? { remediations: serializableRemediations(context.remediations) } : {}),
            ...(context.evidence ? { evidence: context.evidence } : {}),
          }),
          null,
          2,
        ),
      )}\n`;
    case "sarif":
      return renderSarif(report, {
        toolName: context.toolName,
        toolVersion: context.toolVersion,
        ...(context.evidence ? { evidence: context.evidence } : {}),
        ...(context.resources ? { resources: context.resources } : {}),
      });
    case "junit":
      return renderJunit(report, { name: `Intercom Security Health Check: ${context.subject}` });
    case "github":
      return renderGithub(report);
    case "markdown":
      return renderMarkdown(report, context);
    case "html":
      return renderHtml(report, context);
  }
}

/** Writes each --output file; what goes to stdout is returned for the caller to print. */
export function writeOutputs(plan: OutputPlan, report: HealthCheckReport, context: RenderContext): string {
  const parts: string[] = [];
  streamOutputs(plan, report, context, (part) => parts.push(part));
  return parts.join("");
}

/** {@link writeOutputs}, handing what goes to stdout to `write` part by part as it is rendered (see renderFormatChunks). */
export function streamOutputs(plan: OutputPlan, report: HealthCheckReport, context: RenderContext, write: (part: string) => void): void {
  for (const { format, file } of plan.files) {
    try {
      fs.writeFileSync(file, renderFormat(format, report, { ...context, colour: false }));
    } catch (error) {
      const reason = error instanceof Error && "code" in error ? String((error as NodeJS.ErrnoException).code) : "write failed";
      throw new UsageError(`--output ${format}=${file}: cannot write the file (${reason})`);
    }
  }
  if (plan.stdout) for (const part of renderFormatChunks(plan.stdout, report, context)) write(part);
}
