/**
 * The verdict as an exit code (cli/verdict.ts), over generated reports: a blocking finding always fails; under
 * --fail-on advisory, an advisory one that needs review fails, one not evaluated fails unless --allow-unknown, a
 * waived one never does (status "waived", which the exceptions work adds to the report model).
 */
import fc from "fast-check";
import type { HealthCheckReport, ReportFinding } from "../../report/model";
import { advisoryBlocks, blocks, FailOn } from "../../cli/verdict";
import { propertyParameters } from "../support/property";

const finding = fc.record({
  status: fc.constantFrom("needs_review", "not_evaluated", "waived"),
  blocking: fc.boolean(),
  where: fc.constantFrom("item", "other", "unknownWorkspace"),
});
type Drawn = { status: string; blocking: boolean; where: string };

function reportOf(drawn: readonly Drawn[], unknownBlocked: boolean): HealthCheckReport {
  const findings = drawn.map(
    (d, i) =>
      ({ ...d, policy: undefined, policyName: `p${i}`, message: "m", urn: `u${i}`, resourceName: "r" }) as unknown as ReportFinding & {
        where: string;
      },
  );
  const at = (where: string) => findings.filter((f) => f.where === where);
  return {
    workspaces: [{ sections: [{ items: [{ findings: at("item") }] }] }],
    ...(at("unknownWorkspace").length > 0 ? { unknownWorkspace: { resources: [], findings: at("unknownWorkspace") } } : {}),
    other: at("other"),
    blocking: findings.some((f) => f.blocking),
    unknownValues: [],
    blockedByUnknowns: unknownBlocked ? findings.filter((f) => !f.blocking).slice(0, 1) : [],
  } as unknown as HealthCheckReport;
}

describe("blocks", () => {
  it("generated: which reports fail the run, by --fail-on and --allow-unknown", () => {
    fc.assert(
      fc.property(
        fc.array(finding, { maxLength: 8 }),
        fc.boolean(),
        fc.constantFrom<FailOn>("mandatory", "advisory"),
        fc.boolean(),
        (drawn, unknownBlocked, failOn, allowUnknown) => {
          const report = reportOf(drawn, unknownBlocked);
          const expected =
            drawn.some((d) => d.blocking) ||
            (unknownBlocked && !allowUnknown && report.blockedByUnknowns.length > 0) ||
            (failOn === "advisory" &&
              drawn.some((d) => !d.blocking && (d.status === "needs_review" || (d.status === "not_evaluated" && !allowUnknown))));
          expect(blocks(report, { failOn, allowUnknown })).toBe(expected);
        },
      ),
      propertyParameters(200),
    );
  });

  it("a waived finding never blocks, whatever the options", () => {
    const waived = { status: "waived", blocking: false } as unknown as ReportFinding;
    expect(advisoryBlocks(waived, false)).toBe(false);
    expect(advisoryBlocks(waived, true)).toBe(false);
  });
});
