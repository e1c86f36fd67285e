import type { LevelChange } from "../core/exceptions";
import type { ReportPolicy } from "./catalog";
import type { RunEvidence } from "./evidence";
import {
  absentEvidenceText,
  AuditReportContext,
  configurationLines,
  evidenceRows,
  exceptionRows,
  findingLevel,
  helpLinkTarget,
  runStatus,
  sectionStatus,
  shown,
  verdictSentence,
  workspaceCounts,
  workspaceFindings,
  workspaceTitle,
} from "./audit-document";
import { HealthCheckReport, ItemReport, ReportFinding, WorkspaceReport } from "./model";

/**
 * The Health Check as Markdown (GitHub Flavored), for a pull request comment, a wiki or a file an
 * auditor keeps. Every program-controlled text is made one visible line (`shown`) and then every
 * ASCII punctuation character in it is backslash-escaped (`md`): no emphasis, heading, list, link,
 * image, autolink, entity, raw HTML or table cell boundary can come from it. The only links are
 * the pack's help URLs to Intercom's documentation (audit-document.ts helpLinkTarget).
 */

/**
 * Text escaped for Markdown: CommonMark lets any ASCII punctuation be backslash-escaped, and an
 * escaped character is always literal, so escaping all of them leaves nothing to interpret. That
 * includes `|` (a GFM table cell boundary), `<` (raw HTML, autolinks), `&` (entities), `[`, `]`,
 * `!` (links, images), and `:` `.` `@` (GFM's bare URL, www. and e-mail autolinks). Input must be
 * one line already (`shown` makes it one).
 */
export function md(value: string): string {
  return value.replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`);
}

/** Program-controlled text: one visible line, then escaped. */
const text = (value: string) => md(shown(value));

/** A GFM table row: each cell already escaped (an escaped `|` does not split a cell). */
function row(cells: readonly string[]): string {
  return `| ${cells.map((c) => (c === "" ? " " : c)).join(" | ")} |`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [row(header.map(md)), row(header.map(() => "---")), ...rows.map(row)];
}

function helpLink(policy: ReportPolicy, label: string): string {
  const href = helpLinkTarget(policy.helpUrl);
  if (href === undefined) return `${text(label)} ${md("(help address not shown as a link: ")}${text(policy.helpUrl)}${md(")")}`;
  // A pointy-bracket destination: the checked URL holds no <, >, space or newline to end it.
  return `[${text(label)}](<${href}>)`;
}

export function renderMarkdown(report: HealthCheckReport, context: AuditReportContext): string {
  const lines: string[] = [];
  lines.push("# Intercom Security Health Check", "");
  lines.push(`**Result: ${md(runStatus(report, context.allowUnknown))}**`, "");
  lines.push(`- Checked: ${text(context.subject)}`);
  lines.push(`- Policy pack: ${text(context.packName)} ${text(context.packVersion)}`);
  lines.push(`- Tool: ${text(context.toolName)} ${text(context.toolVersion)}`);
  lines.push(
    `- Evaluated as of: ${report.asOf !== undefined ? `${text(report.asOf)} ${md("(an injected clock: --as-of or INTERCOM_HEALTH_CHECK_AS_OF), not the time it ran")}` : "the time it ran"}`,
  );
  lines.push("", md(verdictSentence(report, context.allowUnknown)), "");
  lines.push(...renderEvidence(context.evidence));
  if (report.workspaces.length === 0) lines.push("## Workspaces", "", "No Intercom workspace or control is declared\\.", "");
  for (const workspace of report.workspaces) lines.push(...renderWorkspace(workspace));
  lines.push(...renderUnknownWorkspace(report));
  // A preview's values not known until the update, and (audit --live) those the API cannot read: apart, each said as it is.
  for (const [reason, heading, note] of [
    [undefined, "## Values not known until the update", "Not graded by the policies that need them\\."],
    ["not_readable", "## Not readable through the API: declare it", "Not evaluated by the policies that need them, never Secure\\."],
  ] as const) {
    const listed = report.unknownValues.filter((u) => u.reason === reason);
    if (listed.length === 0) continue;
    lines.push(heading, "", note, "");
    lines.push(
      ...table(
        ["Resource", "Fields", "URN"],
        listed.map((u) => [text(u.resourceName), u.paths.map(text).join(", "), text(u.urn)]),
      ),
      "",
    );
  }
  lines.push(
    ...renderFindingList("Not vouched for: SHALL policies not evaluated for values not known until the update", report.blockedByUnknowns),
  );
  lines.push(...renderFindingList("Findings outside any workspace", report.other));
  lines.push(...renderLevelChanges(report.levelChanges));
  return `${lines.join("\n").replace(/\n+$/, "")}\n`;
}

function renderEvidence(evidence: RunEvidence | undefined): string[] {
  const lines = ["## Run evidence", ""];
  if (!evidence) return [...lines, `**${md(absentEvidenceText)}**`, ""];
  lines.push(
    ...table(
      ["Fact", "Value"],
      evidenceRows(evidence).map(([label, value]) => [md(label), md(value)]),
    ),
    "",
  );
  // A fenced block holds text literally; the fence is longer than any backtick run inside it.
  const config = configurationLines(evidence.configuration.policyConfig);
  const longestRun = Math.max(0, ...config.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((run) => run.length))));
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  lines.push("### Policy configuration used", "", `${fence}json`, ...config, fence, "");
  lines.push("### Framework table", "");
  if (evidence.frameworks.length === 0) lines.push("No framework reference is mapped to the policies that ran\\.", "");
  else {
    lines.push(
      ...table(
        ["Framework", "Reference", "Policies", "Status"],
        evidence.frameworks.map((f) => [text(f.frameworkName), text(f.reference), f.policies.map(text).join(", "), md(f.status)]),
      ),
      "",
    );
  }
  return lines;
}

function renderWorkspace(workspace: WorkspaceReport): string[] {
  const lines = [`## Workspace ${md(workspaceTitle(workspace))}`, ""];
  const overall = workspace.overall === "Secure" ? "Secure" : `${md(workspace.overall)} ${md(`(${workspaceCounts(workspace)})`)}`;
  lines.push(`- Workspace id: ${text(workspace.workspaceId)}`);
  lines.push(`- Overall: **${overall}**`);
  lines.push(`- Security contact: ${workspace.securityContactEmail === undefined ? "**not set**" : text(workspace.securityContactEmail)}`);
  lines.push(`- Handles PHI: ${workspace.handlesPhi ? md("yes (the healthcare checklist applies)") : "no"}`);
  if (!workspace.declared) lines.push(`- Declared: ${md("no: controls name this workspace, but no Workspace resource declares it")}`);
  lines.push("");
  for (const section of workspace.sections) {
    lines.push(`### ${md(section.title)}: ${md(sectionStatus(section))}`, "");
    lines.push(...table(["Row", "Status", "Explanation", "Remediation", "Help"], section.items.map(itemCells)), "");
  }
  lines.push("### Exceptions", "");
  const exceptions = exceptionRows(workspaceFindings(workspace));
  if (exceptions.length === 0) lines.push("No exception applies to a finding of this workspace\\.", "");
  else {
    lines.push(
      ...table(
        ["Policy", "Resource", "State", "Justification", "Owner", "Approver", "Ticket", "Expires", "Expired since"],
        exceptions.map((e) =>
          [e.policy, e.resource, e.state, e.justification, e.owner, e.approver, e.ticket, e.expires, e.expiredSince].map(md),
        ),
      ),
      "",
    );
  }
  return lines;
}

/** One table row per Health Check row; several entries in a cell are separated by `<br>`-free "; " (no raw HTML). */
function itemCells(item: ItemReport): string[] {
  const explanation: string[] = item.findings.map(findingText);
  if (item.findings.length === 0 && item.policies.length > 0) {
    explanation.push(
      `${item.status === "Not in use" ? "Nothing declared for" : "Checked"}: ${item.policies.map((p) => text(p.title)).join("; ")}`,
    );
  }
  if (item.disabledPolicies.length > 0) {
    explanation.push(
      `Disabled by configuration, not checked: ${item.disabledPolicies.map((p) => `${text(p.title)} ${md(`(${shown(p.name)})`)}`).join("; ")}`,
    );
  }
  const failing = new Set(item.findings.map((f) => f.policyName));
  const remediation = item.policies
    .filter((p) => failing.has(p.name))
    .map((p) => `${text(p.name)}: ${p.remediation.map((step, i) => `${i + 1}\\. ${text(step)}`).join(" ")}`)
    .join(" — ");
  const help = [...item.policies, ...item.disabledPolicies].map((p) => helpLink(p, `${item.item.action}: ${p.title}`)).join("; ");
  return [md(item.item.title), `**${md(item.status)}**`, explanation.join(" — "), remediation, help];
}

function findingText(finding: ReportFinding): string {
  const where = text(finding.resourceName ?? finding.urn);
  return `**${md(findingLevel(finding))}** ${text(finding.policyName)} on ${where}: ${text(finding.message)}`;
}

function renderFindingList(title: string, findings: readonly ReportFinding[]): string[] {
  if (findings.length === 0) return [];
  return [`## ${md(title)}`, "", ...findings.map((f) => `- ${findingText(f)}`), ""];
}

function renderUnknownWorkspace(report: HealthCheckReport): string[] {
  const unknown = report.unknownWorkspace;
  if (!unknown) return [];
  const rows = unknown.resources.map((r) => {
    const findings = unknown.findings.filter((f) => f.urn === r.urn);
    return [
      text(r.name),
      text(r.type.split(":").pop() ?? r.type),
      findings.length === 0 ? "No finding\\." : findings.map(findingText).join(" — "),
    ];
  });
  return [
    "## Workspace not known yet",
    "",
    md("Their workspaceId is not known until the update; graded on their own settings."),
    "",
    ...table(["Resource", "Control", "Findings"], rows),
    "",
  ];
}

function renderLevelChanges(changes: readonly LevelChange[]): string[] {
  if (changes.length === 0) return [];
  const rows = changes.map((c) => {
    const what = c.level === "disabled" ? "Disabled, not checked" : `${c.level}, not ${c.defaultLevel}`;
    const a = c.accountability;
    const accountability = a
      ? [a.justification, a.owner, a.approver, a.ticket ?? "none", a.expires].map(text)
      : ["**No justification given\\.**", "", "", "", ""];
    return [text(c.policy), md(what), ...accountability];
  });
  return [
    `## ${md("Policies below their default level (by configuration)")}`,
    "",
    ...table(["Policy", "Level", "Justification", "Owner", "Approver", "Ticket", "Until"], rows),
    "",
  ];
}
