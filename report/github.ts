import { escapeForDisplay as shown } from "../core/display";
import { HealthCheckReport, ReportFinding } from "./model";
import { allFindings } from "./sarif";

/**
 * GitHub Actions workflow commands: one annotation per finding (`::error` when it blocks,
 * `::warning` when it is advisory or not evaluated, `::notice` when waived). Program-controlled
 * text is first escaped (core/display.ts: no raw newline, carriage return or control character
 * survives), then escaped as the Actions runner expects (actions/toolkit's command.ts): `%`, CR
 * and LF in the message, and also `:` and `,` in a property. A command is only recognised at the
 * start of a line, so text kept on one line cannot start a second one.
 */

export function escapeCommandData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeCommandProperty(text: string): string {
  return escapeCommandData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function command(finding: ReportFinding): "error" | "warning" | "notice" {
  if (finding.blocking) return "error";
  return finding.status === "waived" ? "notice" : "warning";
}

function annotation(finding: ReportFinding): string {
  const title = finding.policy ? `${finding.policy.title} (${finding.policyName})` : finding.policyName;
  const where = finding.resourceName !== undefined ? `[${finding.resourceName}] ` : "";
  const waived =
    finding.status === "waived" && finding.exception
      ? ` Waived until ${finding.exception.expires} by exception ${finding.exception.index}: ${finding.exception.justification}`
      : "";
  const status = finding.status === "not_evaluated" ? "Not evaluated: " : "";
  const help =
    finding.policy && finding.status !== "waived" ? ` Fix: ${finding.policy.remediation.join(" ")} (${finding.policy.helpUrl})` : "";
  const message = `${where}${status}${finding.message}${waived}${help} (${finding.urn})`;
  return `::${command(finding)} title=${escapeCommandProperty(shown(title))}::${escapeCommandData(shown(message))}`;
}

export function renderGithub(report: HealthCheckReport): string {
  const lines = allFindings(report).map(annotation);
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}
