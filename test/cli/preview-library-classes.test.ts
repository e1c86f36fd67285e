/**
 * The library-backed rules through the `preview` tool: the same kind of generated batch as the
 * engine suite (test/support/library-class-batches.ts), registered by one program in one run.
 * Every unsafe member of a SHALL rule blocks the run, every unsafe member of a SHOULD rule is
 * reported, and no safe member draws a finding from its policy.
 */
import { libraryClassBatch } from "../support/library-class-batches";
import { allFindings, GENERATED_RUN_TIMEOUT_MS, GeneratedRun, previewGenerated } from "../support/generated-program";

describe("library-backed rules through preview (generated classes, one run)", () => {
  const batch = libraryClassBatch({ perClass: 20 });
  let run: GeneratedRun;

  beforeAll(() => {
    run = previewGenerated(batch.map(({ control, name, props }) => ({ control, name, props })));
  }, GENERATED_RUN_TIMEOUT_MS);

  it("runs, prints a report and fails the run (unsafe members block)", () => {
    expect(run.report).toBeDefined();
    expect(run.exitCode).toBe(1);
    expect(run.report?.blocking).toBe(true);
  });

  it.each([
    ["Messenger trusted domains", "MessengerDomainRestriction"],
    ["link safety trusted domains", "LinkSafety"],
    ["Custom Action endpoints", "CustomAction"],
    ["IP allowlists", "IpAllowlist"],
  ])("%s: every unsafe member is reported (blocking under SHALL), no safe member is", (_label, control) => {
    const findings = allFindings(run.report!);
    const cases = batch.filter((c) => c.control === control);
    expect(cases.filter((c) => c.expect.unsafe).length).toBeGreaterThanOrEqual(10);
    expect(cases.filter((c) => !c.expect.unsafe).length).toBeGreaterThanOrEqual(10);
    const wrong: string[] = [];
    for (const c of cases) {
      const own = findings.filter((f) => f.resource === c.name && f.policy === c.policy && f.status !== "secure");
      if (c.expect.unsafe) {
        const pattern = c.expect.message;
        if (!own.some((f) => f.status === "needs_review" && f.blocking === c.blocks && pattern.test(f.message))) {
          wrong.push(`not reported: ${c.drawn} -> ${JSON.stringify(own)}`);
        }
      } else if (own.length > 0) {
        wrong.push(`reported though safe: ${c.drawn} -> ${JSON.stringify(own)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
