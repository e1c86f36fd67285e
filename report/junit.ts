import junitReportBuilder, { type TestCase } from "junit-report-builder";
import { escapeForDisplay } from "../core/display";
import { findingLevel, findingLevelCapitals, HealthCheckReport, ItemReport, ReportFinding } from "./model";

/**
 * JUnit XML for CI test views: a test suite per workspace and a test case per Health Check row
 * (class name: the workspace; name: section and row). A row with a blocking finding fails; a row
 * waived or not in use is skipped; findings that do not block are written to the case's output.
 * Findings outside any workspace row (workspace not known yet, other resources) get a suite of
 * their own with a case per finding. Program-controlled text is escaped (core/display.ts): XML
 * 1.0 cannot carry control characters, and a CI page should not render a bidi override.
 */

/**
 * Program-controlled text, display-escaped, with the two characters XML 1.0 cannot carry that
 * display escaping keeps (U+FFFE, U+FFFF) written as escapes too: the XML writer would drop them
 * silently, and the name read back would not be the one the program gave.
 */
function shown(text: string): string {
  return escapeForDisplay(text).replace(/[\uFFFE\uFFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/**
 * Text for a <system-out> CDATA section. xmlbuilder splits only the first "]]>" of a CDATA text,
 * so a second one (in a resource name, say) would end the section and let the rest be read as
 * markup: every one is written as the escape `]]\x3e` (the text is display-escaped already, so
 * a backslash the program wrote is doubled and cannot forge it).
 */
function cdataText(lines: readonly string[]): string {
  return lines.join("\n").replace(/\]\]>/g, "]]\\x3e");
}

function findingLine(finding: ReportFinding): string {
  const level = findingLevelCapitals[findingLevel(finding)];
  const where = finding.resourceName !== undefined ? ` [${shown(finding.resourceName)}]` : "";
  const waived =
    finding.status === "waived" && finding.exception
      ? ` (waived until ${shown(finding.exception.expires)}: ${shown(finding.exception.justification)})`
      : "";
  return `${level} ${shown(finding.policyName)}${where}: ${shown(finding.message)}${waived}`;
}

export function renderJunit(report: HealthCheckReport, options: { readonly name: string }): string {
  const builder = junitReportBuilder.newBuilder().name(shown(options.name));
  for (const workspace of report.workspaces) {
    const label =
      workspace.name !== undefined ? `${shown(workspace.name)} (${shown(workspace.workspaceId)})` : shown(workspace.workspaceId);
    const suite = builder
      .testSuite()
      .name(`Workspace ${label}`)
      .property("workspaceId", shown(workspace.workspaceId))
      .property("overall", workspace.overall);
    for (const section of workspace.sections) {
      for (const item of section.items) addItem(suite.testCase(), label, section.title, item);
    }
  }
  const outside = [...(report.unknownWorkspace?.findings ?? []), ...report.other];
  if (outside.length > 0) {
    const suite = builder.testSuite().name("Outside a known workspace");
    for (const finding of outside) {
      const testCase = suite
        .testCase()
        .className("outside-workspace")
        .name(`${shown(finding.policyName)} [${shown(finding.resourceName ?? finding.urn)}]`);
      const line = findingLine(finding);
      if (finding.blocking) testCase.failure(line, "blocking");
      else if (finding.status === "waived") testCase.skipped().standardOutput(cdataText([line]));
      else testCase.standardOutput(cdataText([line]));
    }
  }
  return `${builder.build()}\n`;
}

function addItem(testCase: TestCase, workspace: string, section: string, item: ItemReport): void {
  testCase
    .className(workspace)
    .name(`${section} / ${item.item.title}`)
    .property("status", item.status)
    .property("healthCheckItem", item.item.id);
  const lines = item.findings.map(findingLine);
  const blocking = item.findings.filter((f) => f.blocking);
  if (blocking.length > 0) {
    testCase.failure(blocking.map(findingLine).join("\n"), "blocking");
    if (lines.length > blocking.length) testCase.standardOutput(cdataText(lines));
    return;
  }
  if (item.status === "Waived" || item.status === "Not in use") testCase.skipped();
  if (item.disabledPolicies.length > 0)
    lines.push(`Disabled by configuration, not checked: ${item.disabledPolicies.map((p) => p.name).join(", ")}`);
  if (lines.length > 0) testCase.standardOutput(cdataText(lines));
}
