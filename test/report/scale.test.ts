/**
 * A program can register as many resources as it likes: a report over 100,000 findings must complete (buildReport and
 * renderText are linear; see report/model.ts) and count them right. No timing is asserted: jest's timeout is the
 * only clock, and the suite's duration is the measurement.
 */
import { allPolicies } from "../../policies";
import { buildReport, DeclaredResource, Verdict } from "../../report/model";
import { renderText, renderTextChunks } from "../../report/text";
import { control, verdict, workspace } from "./fixtures";

const findingCount = 100_000;

function largeReport(workspaces: number) {
  const resources: DeclaredResource[] = [];
  const verdicts: Verdict[] = [];
  for (let w = 0; w < workspaces; w++) resources.push(workspace(`ws${w}scale`, `w${w}`));
  for (let i = 0; i < findingCount; i++) {
    const r = control("CustomAction", `action-${i}`, `ws${i % workspaces}scale`);
    resources.push(r);
    // Every other finding blocks; every name carries a newline the text report must escape.
    verdicts.push(
      verdict("intercom-custom-action-https", r.urn, `Custom Action "a${i}\\nb" calls http.`, i % 2 === 0 ? "mandatory" : "advisory"),
    );
  }
  return buildReport({ policies: allPolicies, resources, verdicts, applied: new Set() });
}

describe("a report over 100,000 findings", () => {
  it.each([1, 1_000])("builds and renders for %i workspace(s), counting every finding", (workspaces) => {
    const report = largeReport(workspaces);
    expect(report.workspaces).toHaveLength(workspaces);
    expect(report.workspaces.reduce((n, w) => n + w.blockingCount, 0)).toBe(findingCount / 2);
    expect(report.workspaces.reduce((n, w) => n + w.reviewCount, 0)).toBe(findingCount / 2);
    const text = renderText(report, { subject: "scale", packName: "p", packVersion: "1" });
    const lines = text.split("\n");
    expect(lines.filter((line) => /^\s+BLOCKING intercom-custom-action-https /.test(line))).toHaveLength(findingCount / 2);
    expect(lines.filter((line) => /^\s+ADVISORY intercom-custom-action-https /.test(line))).toHaveLength(findingCount / 2);
    expect(lines[lines.length - 2]).toBe(
      `Summary: ${workspaces} workspace(s), ${findingCount / 2} blocking and ${findingCount / 2} advisory finding(s). Blocked: mandatory policies failed; \`pulumi preview\` and \`pulumi up\` would stop here.`,
    );
  });

  it("is written in parts of whole lines that join into the text, with each workspace after one blank line", () => {
    const report = largeReport(1_000);
    const options = { subject: "scale", packName: "p", packVersion: "1" };
    const parts = [...renderTextChunks(report, options)];
    // Streamed for real: a report this size never comes as one string.
    expect(parts.length).toBeGreaterThan(10);
    for (const part of parts) expect(part.endsWith("\n")).toBe(true);
    const text = parts.join("");
    expect(text).toBe(renderText(report, options));
    const lines = text.split("\n");
    const headings = lines.flatMap((line, i) => (line.startsWith("Workspace ") ? [i] : []));
    expect(headings).toHaveLength(1_000);
    for (const i of headings) {
      expect(lines[i - 1]).toBe("");
      expect(lines[i - 2]).not.toBe("");
    }
  });
});
