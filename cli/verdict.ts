/**
 * The tool's verdict as an exit code a script can act on: whether anything in the report blocks, given
 * `--fail-on` and `--allow-unknown`. Decided from the report's data (blocking flags and statuses), never from
 * message text.
 */
import type { HealthCheckReport, ReportFinding } from "../report/model";

export type FailOn = "mandatory" | "advisory";
export const failOnLevels: readonly FailOn[] = ["mandatory", "advisory"];

export interface VerdictOptions {
  /** "advisory": advisory findings block too. Default "mandatory". */
  readonly failOn: FailOn;
  /** Accept what the preview could not evaluate because a value is not known until the update. */
  readonly allowUnknown: boolean;
}

/** Every finding of the report, wherever it is filed. */
export function allFindings(report: HealthCheckReport): ReportFinding[] {
  return [
    ...report.workspaces.flatMap((w) => w.sections.flatMap((s) => s.items.flatMap((i) => i.findings))),
    ...(report.unknownWorkspace?.findings ?? []),
    ...report.other,
  ];
}

/**
 * Whether a finding the pack reported as advisory blocks under `--fail-on advisory`: a problem found (needs
 * review) does; one not evaluated does unless `--allow-unknown` accepts what the preview cannot vouch for; a
 * waived one never does (an accepted risk on the record, until it expires).
 */
export function advisoryBlocks(finding: ReportFinding, allowUnknown: boolean): boolean {
  if (finding.blocking) return false;
  if (finding.status === "waived") return false;
  if (finding.status === "not_evaluated") return !allowUnknown;
  return true;
}

/** The findings that make the run fail (exit 1) beyond the report's own blocking ones. */
export function findingsThatFail(report: HealthCheckReport, options: VerdictOptions): ReportFinding[] {
  const failing = allFindings(report).filter((f) => f.blocking);
  if (!options.allowUnknown) failing.push(...report.blockedByUnknowns);
  if (options.failOn === "advisory") failing.push(...allFindings(report).filter((f) => advisoryBlocks(f, options.allowUnknown)));
  return [...new Set(failing)];
}

/** Exit 1 when anything fails the run, 0 otherwise. */
export function blocks(report: HealthCheckReport, options: VerdictOptions): boolean {
  return report.blocking || findingsThatFail(report, options).length > 0;
}
