import { escapeForDisplay as shown, escapeUnsafeCharacters } from "../core/display";
import type { LevelChange } from "../core/exceptions";
import type { RunEvidence } from "./evidence";
import { PolicyPackRun, pulumiPolicyLines } from "./pulumi-policies";
import {
  FindingException,
  findingLevel,
  findingLevelCapitals,
  HealthCheckReport,
  ItemReport,
  ItemStatus,
  ReportFinding,
  WorkspaceReport,
} from "./model";

/**
 * Plain-text Health Check for terminals and CI logs: stable layout, colour only when asked (the
 * caller decides: on a terminal, never in a file or pipe). Every text that comes from the program
 * or the pack (names, ids, URNs, messages, the subject) is passed through `shown`
 * (core/display.ts): a newline, an escape sequence or a bidi override in it is printed as a
 * visible escape, so it cannot forge a line of the report. Colour codes are added last, around
 * the report's own fixed labels only (a status, a level, the verdict), after every part of every
 * line went through the safety net: no program text is inside a colour span, and none can carry
 * an escape sequence of its own.
 */

type Style = "red" | "yellow" | "green" | "magenta" | "dim" | "bold";

const ansi: Record<Style, string> = {
  red: "\x1b[31m",
  yellow: "\x1b[33m",
  green: "\x1b[32m",
  magenta: "\x1b[35m",
  dim: "\x1b[2m",
  bold: "\x1b[1m",
};
const ansiReset = "\x1b[0m";

/** A fixed label of the report, coloured when colour is on. Never program text. */
interface Painted {
  readonly label: string;
  readonly style: Style;
}

/** A line: plain text, or parts some of which are painted labels. */
type Line = string | readonly (string | Painted)[];

function paint(style: Style, label: string): Painted {
  return { label, style };
}

const statusStyles: Record<ItemStatus, Style> = {
  Secure: "green",
  "Needs review": "red",
  "Not evaluated": "yellow",
  Waived: "magenta",
  "Not in use": "dim",
};

const statusMarks: Record<ItemStatus, string> = {
  Secure: "[ok]",
  "Needs review": "[!!]",
  "Not evaluated": "[??]",
  Waived: "[wv]",
  "Not in use": "[--]",
};

export interface TextReportOptions {
  /** What was checked, for the heading (e.g. the program directory). */
  readonly subject: string;
  readonly packName: string;
  readonly packVersion: string;
  /** `--allow-unknown` was given: SHALL policies not evaluated for unknown values do not fail the run. */
  readonly allowUnknown?: boolean;
  /** How the run was made: a few closing lines with versions and hashes. */
  readonly evidence?: RunEvidence;
  /** ANSI colour around the report's own labels (see cli/output.ts colourFor): only on a terminal. */
  readonly colour?: boolean;
  /**
   * `--quiet`: only what fails the run, one finding after another, then the summary line. The
   * findings are the caller's (cli/verdict.ts findingsThatFail, which knows --fail-on).
   */
  readonly quiet?: { readonly failing: readonly ReportFinding[] };
  /**
   * Another pack's run (a pack that describes no Health Check policy): its findings are printed as the Pulumi CLI
   * prints them (report/pulumi-policies.ts) in place of the Health Check's sections, then the summary line.
   */
  readonly pulumiPolicies?: PolicyPackRun;
}

/** Each line through the safety net, part by part, then the painted labels coloured if asked. */
function joinLines(lines: readonly Line[], colour: boolean): string {
  // The safety net is character by character, so escaping part by part equals escaping the line.
  const part = (p: string | Painted) =>
    typeof p === "string"
      ? escapeUnsafeCharacters(p)
      : colour
        ? `${ansi[p.style]}${escapeUnsafeCharacters(p.label)}${ansiReset}`
        : escapeUnsafeCharacters(p.label);
  return `${lines.map((line) => (typeof line === "string" ? escapeUnsafeCharacters(line) : line.map(part).join(""))).join("\n")}\n`;
}

export function renderText(report: HealthCheckReport, options: TextReportOptions): string {
  return [...renderTextChunks(report, options)].join("");
}

/**
 * {@link renderText} in parts (their concatenation is exactly its text): the heading, each workspace, then the rest.
 * A caller that writes each part as it comes never holds the whole text, nor every line of it, at once: a report of
 * 10,000 workspaces is over 100 MB of text.
 */
export function* renderTextChunks(report: HealthCheckReport, options: TextReportOptions): Generator<string, void, undefined> {
  if (options.quiet) {
    yield renderQuiet(report, options.quiet.failing, options);
    return;
  }
  if (options.pulumiPolicies) {
    // Every pack and program text in these lines went through `shown`; their marks are the CLI's own (⚠️ carries a
    // variation selector, which the safety net would escape). The summary line is the report's own.
    const lines: Line[] = [summary(report, options.allowUnknown === true)];
    if (options.evidence) lines.push("", ...evidenceLines(options.evidence));
    yield `${pulumiPolicyLines(options.pulumiPolicies).join("\n")}\n${joinLines(lines, options.colour === true)}`;
    return;
  }
  const colour = options.colour === true;
  // Each part ends with a newline, so the parts joined are the lines joined (see joinLines).
  let lines: Line[] = [];
  lines.push(`Intercom Security Health Check: ${shown(options.subject)}`);
  lines.push(`Policy pack ${shown(options.packName)} ${shown(options.packVersion)}`);
  // An exception waived, or a secret judged fresh, as of another day than today: the reader must know.
  if (report.asOf !== undefined) {
    lines.push(`Evaluated as of ${shown(report.asOf)} (an injected clock: --as-of or INTERCOM_HEALTH_CHECK_AS_OF), not the current time`);
  }
  if (report.workspaces.length === 0) lines.push("", "No Intercom workspace or control is declared.");
  for (const workspace of report.workspaces) {
    lines.push("", ...renderWorkspace(workspace));
    // A part of a thousand lines or so: few writes, little held.
    if (lines.length >= textChunkLines) {
      yield joinLines(lines, colour);
      lines = [];
    }
  }
  if (report.unknownWorkspace) {
    lines.push("", "Workspace not known yet (workspaceId is not known until the update; graded on their own settings)");
    for (const resource of report.unknownWorkspace.resources) {
      lines.push(`  ${shown(resource.type.split(":").pop() ?? resource.type)} [${shown(resource.name)}]`);
      for (const finding of report.unknownWorkspace.findings.filter((f) => f.urn === resource.urn)) {
        lines.push(...renderFinding(finding, "    "));
      }
    }
  }
  const pending = report.unknownValues.filter((u) => u.reason === undefined);
  if (pending.length > 0) {
    lines.push("", "Values not known until the update (not graded by the policies that need them)");
    for (const unknown of pending) {
      lines.push(`  [${shown(unknown.resourceName)}] ${unknown.paths.map(shown).join(", ")} (${shown(unknown.urn)})`);
    }
  }
  const unreadable = report.unknownValues.filter((u) => u.reason === "not_readable");
  if (unreadable.length > 0) {
    lines.push("", "Not readable through the API: declare it (not evaluated by the policies that need them, never Secure)");
    for (const unknown of unreadable) {
      lines.push(
        `  ${shown(unknown.type.split(":").pop() ?? unknown.type)} [${shown(unknown.resourceName)}] ${unknown.paths.map(shown).join(", ")}`,
      );
    }
  }
  if (report.other.length > 0) {
    lines.push("", "Other findings");
    for (const finding of report.other) lines.push(...renderFinding(finding, "  "));
  }
  if (report.levelChanges.length > 0) lines.push("", ...renderLevelChanges(report.levelChanges));
  lines.push("", summary(report, options.allowUnknown === true));
  if (options.evidence) lines.push("", ...evidenceLines(options.evidence));
  // A safety net: a field a future line forgets to escape still cannot carry a raw control character.
  yield joinLines(lines, colour);
}

/** Lines per part of {@link renderTextChunks}. */
const textChunkLines = 1_000;

/**
 * Only what fails: each failing finding (where it is, what it says, an expired exception behind
 * it), then the summary line. Nothing else: no heading, rows, remediation or unknown values.
 */
function renderQuiet(report: HealthCheckReport, failing: readonly ReportFinding[], options: TextReportOptions): string {
  const lines: Line[] = [];
  for (const finding of failing) lines.push(...renderFinding(finding, ""));
  lines.push(summary(report, options.allowUnknown === true));
  return joinLines(lines, options.colour === true);
}

function renderWorkspace(workspace: WorkspaceReport): Line[] {
  const title = workspace.name ? `"${shown(workspace.name)}" (${shown(workspace.workspaceId)})` : shown(workspace.workspaceId);
  const lines: Line[] = [`Workspace ${title}${workspace.declared ? "" : " (not declared as a Workspace)"}`];
  lines.push(`  Security contact: ${workspace.securityContactEmail === undefined ? "not set" : shown(workspace.securityContactEmail)}`);
  if (workspace.handlesPhi) lines.push("  Handles PHI: yes (healthcare checklist applies)");
  const counts =
    workspace.overall === "Secure"
      ? ""
      : ` (${workspace.blockingCount} blocking, ${workspace.reviewCount} to review${workspace.waivedCount > 0 ? `, ${workspace.waivedCount} waived` : ""})`;
  lines.push([
    "  Overall: ",
    paint(workspace.overall === "Secure" ? "green" : workspace.overall === "Waived" ? "magenta" : "red", workspace.overall),
    counts,
  ]);
  for (const section of workspace.sections) {
    const sectionStatus = section.items.some((i) => i.status === "Needs review" || i.status === "Not evaluated")
      ? "Issues found"
      : section.items.some((i) => i.status === "Waived")
        ? "Waived"
        : section.items.every((i) => i.status === "Not in use")
          ? "Not in use"
          : "Secure";
    lines.push("", `  ${section.title}: ${sectionStatus}`);
    for (const item of section.items) lines.push(...renderItem(item));
  }
  return lines;
}

function renderItem(item: ItemReport): Line[] {
  const style = statusStyles[item.status];
  const lines: Line[] = [["    ", paint(style, statusMarks[item.status]), ` ${item.item.title}: `, paint(style, item.status)]];
  const disabled = item.disabledPolicies.map((p) => `${shown(p.title)} (${shown(p.name)})`).join("; ");
  if (disabled) lines.push(`         Disabled by configuration, not checked: ${disabled}`);
  if (item.status === "Secure" || item.status === "Not in use" || item.findings.length === 0) {
    const what = item.policies.map((p) => shown(p.title)).join("; ");
    if (what) lines.push(`         ${item.status === "Not in use" ? "Nothing declared for" : "Checked"}: ${what}`);
    return lines;
  }
  const byPolicy = new Map<string, ReportFinding[]>();
  for (const f of item.findings) {
    const group = byPolicy.get(f.policyName);
    if (group) group.push(f);
    else byPolicy.set(f.policyName, [f]);
  }
  for (const [, findings] of byPolicy) {
    const first = findings[0] as ReportFinding;
    for (const f of findings) lines.push(...renderFinding(f, "         "));
    const policy = first.policy;
    if (policy) {
      // Titles, steps and links are the pack's (GetAnalyzerInfo), shown escaped like program text.
      policy.remediation.forEach((step, i) => lines.push(`           ${i === 0 ? "Fix:" : "    "} ${shown(step)}`));
      lines.push(`           ${item.item.action}: ${shown(policy.helpUrl)}`);
    }
  }
  return lines;
}

function renderFinding(finding: ReportFinding, indent: string): Line[] {
  const level = findingLevelCapitals[findingLevel(finding)];
  const levelStyle: Style = finding.status === "waived" ? "magenta" : finding.blocking ? "red" : "yellow";
  const where = finding.resourceName ? ` [${shown(finding.resourceName)}]` : "";
  const lines: Line[] = [[indent, paint(levelStyle, level), ` ${shown(finding.policyName)}${where}: ${shown(finding.message)}`]];
  const exception = finding.exception;
  if (exception && finding.status === "waived") {
    lines.push(`${indent}  Waived until ${shown(exception.expires)} by exception ${exception.index}: ${accountabilityText(exception)}`);
  } else if (exception?.expiredSince !== undefined) {
    lines.push(
      `${indent}  Exception ${exception.index} expired (${shown(exception.expires)}): not waived since ${shown(exception.expiredSince)}; it was: ${accountabilityText(exception)}`,
    );
  }
  return lines;
}

/** Who accepted the risk and why, every field escaped (configuration text is shown as given). */
function accountabilityText(a: Omit<FindingException, "index">): string {
  const ticket = a.ticket === undefined ? "" : `; ticket ${shown(a.ticket)}`;
  return `justification "${shown(a.justification)}"; owner ${shown(a.owner)}; approver ${shown(a.approver)}${ticket}`;
}

/** Every policy running below its default level: never left out, accountability or not. */
function renderLevelChanges(changes: readonly LevelChange[]): string[] {
  const lines = ["Policies below their default level (by configuration)"];
  for (const change of changes) {
    const what = change.level === "disabled" ? "disabled, not checked" : `${change.level}, not ${change.defaultLevel}`;
    lines.push(`  ${shown(change.policy)}: ${what}`);
    lines.push(
      change.accountability
        ? `    Until ${shown(change.accountability.expires)}: ${accountabilityText({ ...change.accountability })}`
        : "    No justification given.",
    );
  }
  return lines;
}

function summary(report: HealthCheckReport, allowUnknown: boolean): Line {
  const unique = new Set<string>();
  const blocking = new Set<string>();
  const waived = new Set<string>();
  // One key per finding, counted in each set it belongs to: a report of 10,000 workspaces has over 100,000 findings.
  const count = (findings: readonly ReportFinding[]): void => {
    for (const f of findings) {
      const key = `${f.policyName} ${f.urn} ${f.message}`;
      unique.add(key);
      if (f.blocking) blocking.add(key);
      if (f.status === "waived") waived.add(key);
    }
  };
  for (const w of report.workspaces) for (const s of w.sections) for (const i of s.items) count(i.findings);
  count(report.unknownWorkspace?.findings ?? []);
  count(report.other);
  const unknownPolicies = new Set(report.blockedByUnknowns.map((f) => f.policyName)).size;
  const notVouched =
    `${unknownPolicies} SHALL polic${unknownPolicies === 1 ? "y" : "ies"} could not be evaluated ` +
    "for values not known until the update (listed above)";
  const also = unknownPolicies > 0 ? ` Also, ${notVouched}.` : "";
  const verdict = report.blocking
    ? `Blocked: mandatory policies failed; \`pulumi preview\` and \`pulumi up\` would stop here.${also}`
    : unknownPolicies === 0
      ? "Nothing blocks."
      : allowUnknown
        ? `Nothing blocks now, but ${notVouched}; accepted by --allow-unknown, they are enforced at update.`
        : `Fails: ${notVouched}; they would block at update if unsafe. Pass --allow-unknown to accept that.`;
  const counts =
    waived.size > 0
      ? `${blocking.size} blocking, ${unique.size - blocking.size - waived.size} advisory and ${waived.size} waived finding(s)`
      : `${blocking.size} blocking and ${unique.size - blocking.size} advisory finding(s)`;
  const failing = report.blocking || (unknownPolicies > 0 && !allowUnknown);
  return [
    `Summary: ${report.workspaces.length} workspace(s), ${counts}. `,
    paint(failing ? "red" : unknownPolicies > 0 ? "yellow" : "green", verdict),
  ];
}

/** Closing lines: what ran, on what, with which configuration (the full evidence is in the JSON report). */
function evidenceLines(evidence: RunEvidence): string[] {
  const clock = evidence.clockInjected
    ? `as of ${shown(evidence.asOf)} (injected), ran ${shown(evidence.ranAt)}`
    : `ran ${shown(evidence.ranAt)}`;
  const git = evidence.git ? `; commit ${shown(evidence.git.commit)}${evidence.git.dirty ? " (uncommitted changes)" : ""}` : "";
  return [
    `Evidence: ${shown(evidence.tool.name)} ${shown(evidence.tool.version)}, ${clock}${git}`,
    `  Policy set sha256 ${evidence.pack.policySetSha256}`,
    `  Input sha256 ${evidence.input.sha256} (${evidence.input.resourceCount} resources, secrets excluded)`,
    `  Configuration sha256 ${evidence.configuration.sha256}${evidence.configuration.profile !== undefined ? ` (profile ${shown(evidence.configuration.profile)})` : ""}`,
  ];
}
