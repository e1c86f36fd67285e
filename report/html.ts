import { createHash } from "crypto";
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
 * The Health Check as one self-contained HTML document an auditor can open, print and file.
 * It loads nothing: no script, font, image or stylesheet from anywhere, which its
 * Content-Security-Policy enforces (default-src 'none', the one inline stylesheet allowed by its
 * hash). Every program-controlled text is made one visible line (`shown`) and then HTML-escaped
 * (`esc`); the only markup is this file's own, and the only links are the pack's help URLs to
 * Intercom's documentation (audit-document.ts helpLinkTarget).
 */

/** Text for an element or a double-quoted attribute: every character that could open markup or close the attribute is an entity. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Program-controlled text: one visible line, then escaped. */
const text = (value: string) => esc(shown(value));

const stylesheet = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #1b1f24; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 2px solid #d0d7de; padding-bottom: .2rem; }
h3 { font-size: 1.1rem; margin: 1.4rem 0 .4rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; }
th, td { border: 1px solid #d0d7de; padding: .3rem .5rem; text-align: left; vertical-align: top; overflow-wrap: break-word; }
td code { overflow-wrap: anywhere; }
table.rows th:nth-child(1) { width: 13%; }
table.rows th:nth-child(2) { width: 9%; }
table.rows th:nth-child(5) { width: 16%; }
th { background: #f3f5f7; }
thead { display: table-header-group; }
tr, dl, .finding { break-inside: avoid; page-break-inside: avoid; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .4rem 0 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .92em; }
pre { background: #f6f8fa; border: 1px solid #d0d7de; padding: .5rem; white-space: pre-wrap; overflow-wrap: anywhere; }
p { margin: .3rem 0; }
ol { margin: .2rem 0; padding-left: 1.4rem; }
.status { font-weight: 700; white-space: nowrap; }
.status-bad { color: #a40e26; }
.status-warn { color: #7d4e00; }
.status-waived { color: #5a32a3; }
.status-good { color: #116329; }
.status-none { color: #57606a; }
.verdict { font-size: 1.2rem; }
.notice { font-weight: 700; color: #7d4e00; }
.muted { color: #57606a; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  a { color: inherit; }
  a[href]::after { content: " (" attr(href) ")"; font-size: .85em; overflow-wrap: anywhere; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  section.workspace { break-before: page; page-break-before: always; }
}
`;

/** The CSP source for the one inline stylesheet: nothing else may style, script or load. */
const styleHash = createHash("sha256").update(stylesheet, "utf8").digest("base64");
export const contentSecurityPolicy = `default-src 'none'; style-src 'sha256-${styleHash}'; base-uri 'none'; form-action 'none'`;

const statusClasses: Record<string, string> = {
  Secure: "status-good",
  Passes: "status-good",
  "Not in use": "status-none",
  Waived: "status-waived",
  "Needs review": "status-bad",
  "Not evaluated": "status-warn",
  "Issues found": "status-bad",
  Blocked: "status-bad",
  Fails: "status-bad",
  Blocking: "status-bad",
  "Blocking (not evaluated)": "status-bad",
  Advisory: "status-warn",
};

/** A status word (always one of this tool's own) with its colour class. */
function status(word: string): string {
  return `<span class="status ${statusClasses[word] ?? "status-none"}">${esc(word)}</span>`;
}

function facts(rows: readonly (readonly [string, string])[]): string {
  return `<dl class="facts">${rows.map(([label, value]) => `<dt>${esc(label)}</dt><dd>${value}</dd>`).join("")}</dl>`;
}

/** A link to a policy's help page, or its address as plain text when it is not one of Intercom's https documentation pages. */
function helpLink(policy: ReportPolicy, label: string): string {
  const href = helpLinkTarget(policy.helpUrl);
  if (href === undefined) return `${text(label)} <span class="muted">(help address not shown as a link: ${text(policy.helpUrl)})</span>`;
  return `<a href="${esc(href)}" rel="noopener noreferrer">${text(label)}</a>`;
}

export function renderHtml(report: HealthCheckReport, context: AuditReportContext): string {
  const verdict = runStatus(report, context.allowUnknown);
  const heading = [
    ["Checked", `<code>${text(context.subject)}</code>`],
    ["Policy pack", `${text(context.packName)} ${text(context.packVersion)}`],
    ["Tool", `${text(context.toolName)} ${text(context.toolVersion)}`],
    [
      "Evaluated as of",
      report.asOf !== undefined
        ? `${text(report.asOf)} (an injected clock: --as-of or INTERCOM_HEALTH_CHECK_AS_OF), not the time it ran`
        : "the time it ran",
    ],
  ] as const;
  const body = [
    `<header><h1>Intercom Security Health Check</h1>`,
    `<p class="verdict">Result: ${status(verdict)}</p>`,
    facts(heading),
    `<p>${esc(verdictSentence(report, context.allowUnknown))}</p></header>`,
    renderEvidence(context.evidence),
    report.workspaces.length === 0 ? `<h2>Workspaces</h2><p>No Intercom workspace or control is declared.</p>` : "",
    ...report.workspaces.map(renderWorkspace),
    renderUnknownWorkspace(report),
    renderUnknownValues(report),
    renderFindingList(
      "Not vouched for: SHALL policies not evaluated for values not known until the update",
      report.blockedByUnknowns,
      "blocked-by-unknowns",
    ),
    renderFindingList("Findings outside any workspace", report.other, "other-findings"),
    renderLevelChanges(report.levelChanges),
  ];
  return [
    "<!DOCTYPE html>",
    `<html lang="en">`,
    "<head>",
    `<meta charset="utf-8">`,
    `<meta http-equiv="Content-Security-Policy" content="${esc(contentSecurityPolicy)}">`,
    `<meta name="referrer" content="no-referrer">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>Intercom Security Health Check: ${text(context.subject)}</title>`,
    `<style>${stylesheet}</style>`,
    "</head>",
    "<body>",
    "<main>",
    ...body.filter((part) => part !== ""),
    "</main>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

function renderEvidence(evidence: RunEvidence | undefined): string {
  if (!evidence) return `<section id="evidence"><h2>Run evidence</h2><p class="notice">${esc(absentEvidenceText)}</p></section>`;
  const rows = evidenceRows(evidence).map(([label, value]) => [label, esc(value)] as const);
  const frameworks =
    evidence.frameworks.length === 0
      ? "<p>No framework reference is mapped to the policies that ran.</p>"
      : `<table id="frameworks"><thead><tr><th>Framework</th><th>Reference</th><th>Policies</th><th>Status</th></tr></thead><tbody>${evidence.frameworks
          .map(
            (row) =>
              `<tr><td>${text(row.frameworkName)}</td><td>${text(row.reference)}</td><td>${row.policies.map((p) => `<code>${text(p)}</code>`).join(", ")}</td><td>${status(row.status)}</td></tr>`,
          )
          .join("")}</tbody></table>`;
  return [
    `<section id="evidence"><h2>Run evidence</h2>`,
    `<table id="run-evidence"><tbody>${rows.map(([label, value]) => `<tr><th scope="row">${esc(label)}</th><td>${value}</td></tr>`).join("")}</tbody></table>`,
    `<h3>Policy configuration used</h3>`,
    `<pre>${configurationLines(evidence.configuration.policyConfig).map(esc).join("\n")}</pre>`,
    `<h3>Framework table</h3>`,
    frameworks,
    `</section>`,
  ].join("\n");
}

function renderWorkspace(workspace: WorkspaceReport): string {
  const overall = workspace.overall === "Secure" ? status("Secure") : `${status(workspace.overall)} (${esc(workspaceCounts(workspace))})`;
  const rows: [string, string][] = [
    ["Workspace id", `<code>${text(workspace.workspaceId)}</code>`],
    ["Overall", overall],
    [
      "Security contact",
      workspace.securityContactEmail === undefined ? `${status("Needs review")} not set` : text(workspace.securityContactEmail),
    ],
    ["Handles PHI", workspace.handlesPhi ? "yes (the healthcare checklist applies)" : "no"],
  ];
  if (!workspace.declared) rows.push(["Declared", "no: controls name this workspace, but no Workspace resource declares it"]);
  const parts = [`<section class="workspace"><h2>Workspace ${esc(workspaceTitle(workspace))}</h2>`, facts(rows)];
  for (const section of workspace.sections) {
    parts.push(`<h3>${esc(section.title)}: ${status(sectionStatus(section))}</h3>`);
    parts.push(
      `<table class="rows"><thead><tr><th>Row</th><th>Status</th><th>Explanation</th><th>Remediation</th><th>Help</th></tr></thead><tbody>${section.items.map(renderItem).join("")}</tbody></table>`,
    );
  }
  const exceptions = exceptionRows(workspaceFindings(workspace));
  parts.push(`<h3>Exceptions</h3>`);
  parts.push(
    exceptions.length === 0
      ? "<p>No exception applies to a finding of this workspace.</p>"
      : `<table class="exceptions"><thead><tr><th>Policy</th><th>Resource</th><th>State</th><th>Justification</th><th>Owner</th><th>Approver</th><th>Ticket</th><th>Expires</th><th>Expired since</th></tr></thead><tbody>${exceptions
          .map(
            (e) =>
              `<tr><td><code>${esc(e.policy)}</code></td><td>${esc(e.resource)}</td><td>${esc(e.state)}</td><td>${esc(e.justification)}</td><td>${esc(e.owner)}</td><td>${esc(e.approver)}</td><td>${esc(e.ticket)}</td><td>${esc(e.expires)}</td><td>${esc(e.expiredSince)}</td></tr>`,
          )
          .join("")}</tbody></table>`,
  );
  parts.push("</section>");
  return parts.join("\n");
}

function renderItem(item: ItemReport): string {
  const explanation: string[] = [];
  if (item.findings.length > 0) explanation.push(...item.findings.map(renderFinding));
  else if (item.policies.length > 0) {
    explanation.push(
      `<p>${item.status === "Not in use" ? "Nothing declared for" : "Checked"}: ${item.policies.map((p) => text(p.title)).join("; ")}</p>`,
    );
  }
  if (item.disabledPolicies.length > 0) {
    explanation.push(
      `<p>Disabled by configuration, not checked: ${item.disabledPolicies.map((p) => `${text(p.title)} (<code>${text(p.name)}</code>)`).join("; ")}</p>`,
    );
  }
  // Remediation for the policies that found something; help for every policy of the row.
  const failing = new Set(item.findings.map((f) => f.policyName));
  const remediation = item.policies
    .filter((p) => failing.has(p.name))
    .map(
      (p) => `<p class="muted"><code>${text(p.name)}</code></p><ol>${p.remediation.map((step) => `<li>${text(step)}</li>`).join("")}</ol>`,
    )
    .join("");
  const help = [...item.policies, ...item.disabledPolicies].map((p) => `<p>${helpLink(p, `${item.item.action}: ${p.title}`)}</p>`).join("");
  return `<tr><td>${esc(item.item.title)}</td><td>${status(item.status)}</td><td>${explanation.join("")}</td><td>${remediation}</td><td>${help}</td></tr>`;
}

function renderFinding(finding: ReportFinding): string {
  const where =
    finding.resourceName !== undefined ? ` on <code>${text(finding.resourceName)}</code>` : ` on <code>${text(finding.urn)}</code>`;
  return `<p class="finding">${status(findingLevel(finding))} <code>${text(finding.policyName)}</code>${where}: ${text(finding.message)}</p>`;
}

function renderFindingList(title: string, findings: readonly ReportFinding[], id: string): string {
  if (findings.length === 0) return "";
  return `<section id="${id}"><h2>${esc(title)}</h2>${findings.map(renderFinding).join("\n")}</section>`;
}

function renderUnknownWorkspace(report: HealthCheckReport): string {
  const unknown = report.unknownWorkspace;
  if (!unknown) return "";
  const rows = unknown.resources
    .map((r) => {
      const findings = unknown.findings.filter((f) => f.urn === r.urn);
      return `<tr><td><code>${text(r.name)}</code></td><td>${text(r.type.split(":").pop() ?? r.type)}</td><td>${findings.length === 0 ? "No finding." : findings.map(renderFinding).join("")}</td></tr>`;
    })
    .join("");
  return `<section id="unknown-workspace"><h2>Workspace not known yet</h2><p>Their workspaceId is not known until the update; graded on their own settings.</p><table><thead><tr><th>Resource</th><th>Control</th><th>Findings</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function renderUnknownValues(report: HealthCheckReport): string {
  return unknownValuesSection(report, undefined) + unknownValuesSection(report, "not_readable");
}

/** A preview's values not known until the update, or (audit --live) those the API cannot read: each said as it is. */
function unknownValuesSection(report: HealthCheckReport, reason: "not_readable" | undefined): string {
  const listed = report.unknownValues.filter((u) => u.reason === reason);
  if (listed.length === 0) return "";
  const rows = listed
    .map(
      (u) =>
        `<tr><td><code>${text(u.resourceName)}</code></td><td>${u.paths.map((p) => `<code>${text(p)}</code>`).join(", ")}</td><td><code>${text(u.urn)}</code></td></tr>`,
    )
    .join("");
  const [id, heading, note] =
    reason === "not_readable"
      ? ["not-readable-values", "Not readable through the API: declare it", "Not evaluated by the policies that need them, never Secure."]
      : ["unknown-values", "Values not known until the update", "Not graded by the policies that need them."];
  return `<section id="${id}"><h2>${heading}</h2><p>${note}</p><table><thead><tr><th>Resource</th><th>Fields</th><th>URN</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function renderLevelChanges(changes: readonly LevelChange[]): string {
  if (changes.length === 0) return "";
  const rows = changes
    .map((c) => {
      const what = c.level === "disabled" ? "Disabled, not checked" : `${c.level}, not ${c.defaultLevel}`;
      const a = c.accountability;
      const cells = a
        ? [a.justification, a.owner, a.approver, a.ticket ?? "none", a.expires].map((v) => `<td>${text(v)}</td>`).join("")
        : `<td colspan="5">${status("Needs review")} No justification given.</td>`;
      return `<tr><td><code>${text(c.policy)}</code></td><td>${esc(what)}</td>${cells}</tr>`;
    })
    .join("");
  return `<section id="level-changes"><h2>Policies below their default level (by configuration)</h2><table><thead><tr><th>Policy</th><th>Level</th><th>Justification</th><th>Owner</th><th>Approver</th><th>Ticket</th><th>Until</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}
