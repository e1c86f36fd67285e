import { escapeForDisplay } from "../core/display";
import { isAllowedHelpUrl } from "../core/links";
import type { RunEvidence } from "./evidence";
import { HealthCheckReport, ReportFinding, SectionReport, WorkspaceReport } from "./model";
export { findingLevel } from "./model";

/** What an audit reader is told was graded, for each kind of input the evidence records. */
const inputKindLabels: Readonly<Record<RunEvidence["input"]["kind"], string>> = {
  program: "Pulumi program",
  documents: "workspace documents",
  live: "live Intercom workspace (read through the REST API)",
};

/**
 * What the Markdown and HTML audit reports (report/markdown.ts, report/html.ts) share: the facts
 * they show, worded once, so both documents say the same thing. Nothing here escapes for a format:
 * each renderer escapes every program-controlled text its own way after `shown` below.
 */

/** What a renderer needs of the run besides the report (cli/output.ts RenderContext extends it). */
export interface AuditReportContext {
  /** What was checked (the program directory), for the heading. */
  readonly subject: string;
  readonly packName: string;
  readonly packVersion: string;
  readonly toolName: string;
  readonly toolVersion: string;
  readonly allowUnknown: boolean;
  /** How the run was made (report/evidence.ts); absent when the caller recorded none. */
  readonly evidence?: RunEvidence;
}

/**
 * Program-controlled text made one visible line: newlines, controls, bidi overrides and
 * zero-width characters become visible escapes (core/display.ts), so no string can reorder, hide
 * or forge what a reader sees. Format escaping comes after this.
 */
export const shown = escapeForDisplay;

/**
 * The link target for a help URL, or undefined when it must not be a link. Links come only from
 * policy facts (the pack's help URLs), and only to Intercom's documentation over https
 * (core/links.ts, the rule every policy's own helpUrl passes); the normalised form, which has no
 * space, quote, angle bracket or backslash, and no parenthesis (written %28, %29).
 */
export function helpLinkTarget(url: string): string | undefined {
  if (!isAllowedHelpUrl(url)) return undefined;
  const href = new URL(url).href.replace(/\(/g, "%28").replace(/\)/g, "%29");
  // Belt and braces: only characters a URL may hold unencoded, none that ends an attribute or a Markdown destination.
  return /^https:\/\/[A-Za-z0-9\-._~:/?#@!$&*+,;=%]+$/.test(href) ? href : undefined;
}

export function sectionStatus(section: SectionReport): string {
  if (section.items.some((i) => i.status === "Needs review" || i.status === "Not evaluated")) return "Issues found";
  if (section.items.some((i) => i.status === "Waived")) return "Waived";
  if (section.items.every((i) => i.status === "Not in use")) return "Not in use";
  return "Secure";
}

export function workspaceTitle(workspace: WorkspaceReport): string {
  return workspace.name ? `${shown(workspace.name)} (${shown(workspace.workspaceId)})` : shown(workspace.workspaceId);
}

export function workspaceCounts(workspace: WorkspaceReport): string {
  const waived = workspace.waivedCount > 0 ? `, ${workspace.waivedCount} waived` : "";
  return `${workspace.blockingCount} blocking, ${workspace.reviewCount} to review${waived}`;
}

/** Every finding of the report, once each, wherever it is filed. */
function allFindings(report: HealthCheckReport): ReportFinding[] {
  const all = [
    ...report.workspaces.flatMap((w) => w.sections.flatMap((s) => s.items.flatMap((i) => i.findings))),
    ...(report.unknownWorkspace?.findings ?? []),
    ...report.other,
  ];
  return [...new Map(all.map((f) => [`${f.policyName} ${f.urn} ${f.message}`, f])).values()];
}

/** The run's verdict in one sentence, as the text report gives it. */
export function verdictSentence(report: HealthCheckReport, allowUnknown: boolean): string {
  const findings = allFindings(report);
  const blocking = findings.filter((f) => f.blocking).length;
  const waived = findings.filter((f) => f.status === "waived").length;
  const advisory = findings.length - blocking - waived;
  const unknownPolicies = new Set(report.blockedByUnknowns.map((f) => f.policyName)).size;
  const notVouched = `${unknownPolicies} SHALL polic${unknownPolicies === 1 ? "y" : "ies"} could not be evaluated for values not known until the update`;
  const counts = `${report.workspaces.length} workspace(s): ${blocking} blocking, ${advisory} advisory and ${waived} waived finding(s).`;
  const verdict = report.blocking
    ? `Blocked: mandatory policies failed; \`pulumi preview\` and \`pulumi up\` would stop here.${unknownPolicies > 0 ? ` Also, ${notVouched}.` : ""}`
    : unknownPolicies === 0
      ? "Nothing blocks."
      : allowUnknown
        ? `Nothing blocks now, but ${notVouched}; accepted by --allow-unknown, they are enforced at update.`
        : `Fails: ${notVouched}; they would block at update if unsafe.`;
  return `${counts} ${verdict}`;
}

/** The one-word verdict for the heading. */
export function runStatus(report: HealthCheckReport, allowUnknown: boolean): "Blocked" | "Fails" | "Passes" {
  if (report.blocking) return "Blocked";
  return report.blockedByUnknowns.length > 0 && !allowUnknown ? "Fails" : "Passes";
}

/** One exception as an auditor files it: where it applies, whether it still waives, and its accountability. */
export interface ExceptionRow {
  readonly policy: string;
  readonly resource: string;
  readonly state: string;
  readonly justification: string;
  readonly owner: string;
  readonly approver: string;
  readonly ticket: string;
  readonly expires: string;
  readonly expiredSince: string;
}

/** Every exception a finding of the workspace carries (waiving it, or expired): every field, escaped with `shown`. */
export function exceptionRows(findings: readonly ReportFinding[]): ExceptionRow[] {
  return findings.flatMap((f): ExceptionRow[] => {
    const e = f.exception;
    if (!e) return [];
    const waiving = f.status === "waived";
    return [
      {
        policy: shown(f.policyName),
        resource: shown(f.resourceName ?? f.urn),
        state: waiving
          ? `Waives this finding (exception ${e.index})`
          : e.expiredSince !== undefined
            ? `Expired: blocks again (exception ${e.index})`
            : `Does not waive (exception ${e.index})`,
        justification: shown(e.justification),
        owner: shown(e.owner),
        approver: shown(e.approver),
        ticket: e.ticket === undefined ? "none" : shown(e.ticket),
        expires: shown(e.expires),
        expiredSince: e.expiredSince === undefined ? "" : shown(e.expiredSince),
      },
    ];
  });
}

export function workspaceFindings(workspace: WorkspaceReport): ReportFinding[] {
  return workspace.sections.flatMap((s) => s.items.flatMap((i) => i.findings));
}

/** The run's evidence as label/value pairs, every value escaped with `shown`. */
export function evidenceRows(evidence: RunEvidence): [string, string][] {
  const git = evidence.git
    ? `${shown(evidence.git.commit)}${evidence.git.dirty ? " (the working tree had uncommitted changes)" : ""}`
    : "none (not run in a git work tree)";
  return [
    ["Ran at", shown(evidence.ranAt)],
    [
      "Evaluated as of",
      `${shown(evidence.asOf)}${evidence.clockInjected ? " (an injected clock: --as-of or INTERCOM_HEALTH_CHECK_AS_OF)" : " (the time it ran)"}`,
    ],
    ["Tool", `${shown(evidence.tool.name)} ${shown(evidence.tool.version)}`],
    ["Policy pack", `${shown(evidence.pack.name)} ${shown(evidence.pack.version)}`],
    ["Policy set SHA-256", shown(evidence.pack.policySetSha256)],
    ["Input", `${inputKindLabels[evidence.input.kind]} ${shown(evidence.input.subject)}, ${evidence.input.resourceCount} resource(s)`],
    ["Input SHA-256 (normalised, secrets excluded)", shown(evidence.input.sha256)],
    ["Profile", evidence.configuration.profile === undefined ? "none" : shown(evidence.configuration.profile)],
    ["Configuration SHA-256", shown(evidence.configuration.sha256)],
    ["Stack", evidence.stack === undefined ? "none" : shown(evidence.stack)],
    ["Git commit", git],
  ];
}

/**
 * The policy configuration the run used, as indented JSON lines, each escaped with `shown` (so a
 * string in it stays on its line). Keys are sorted: the same configuration always reads the same.
 */
export function configurationLines(config: Readonly<Record<string, unknown>>): string[] {
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted);
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((key) => [key, sorted((value as Record<string, unknown>)[key])]),
      );
    }
    return value;
  };
  return JSON.stringify(sorted(config), null, 2).split("\n").map(shown);
}

export const absentEvidenceText =
  "No run evidence was recorded for this report (no run time, versions, hashes, configuration, stack, commit or framework table): " +
  "it cannot be traced back to its input or checked with `verify`.";
