/**
 * The library-backed rules over the Analyzer protocol: a generated batch of trusted domains, link
 * safety lists, Custom Action endpoints and IP allowlists (test/support/library-class-batches.ts)
 * is sent to the compiled pack, one Analyze per resource. Every unsafe member is reported by its
 * policy at the policy's enforcement level (mandatory for the SHALL rules: it blocks); no safe
 * member draws a diagnostic from it.
 */
import { CapturedResource, PolicyPackSession } from "../../cli/analyzer-client";
import { libraryClassBatch, LibraryClassCase } from "../support/library-class-batches";
import { controlType, launchPinnedPack, newResource, SETUP_TIMEOUT_MS, violationMessage } from "../support/engine";

/** A root stack for the generated resources' URNs (Analyze reads nothing else from it). */
const root: CapturedResource = {
  type: "pulumi:pulumi:Stack",
  name: "generated-dev",
  urn: "urn:pulumi:dev::generated::pulumi:pulumi:Stack::generated-dev",
  properties: {},
  custom: false,
};

describe("library-backed rules over the Analyzer protocol (generated classes)", () => {
  let session: PolicyPackSession | undefined;
  const batch = libraryClassBatch({ perClass: 40 });

  beforeAll(async () => {
    session = await launchPinnedPack();
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await session?.close();
  });

  async function verdicts(cases: readonly LibraryClassCase[]): Promise<string[]> {
    if (!session) throw new Error("setup failed");
    const wrong: string[] = [];
    for (const c of cases) {
      const resource = newResource([root], controlType(c.control), c.name, c.props);
      const own = (await session.analyze(resource)).filter((d) => d.policyName === c.policy && d.urn === resource.urn);
      if (c.expect.unsafe) {
        const level = c.blocks ? "mandatory" : "advisory";
        const pattern = c.expect.message;
        if (!own.some((d) => d.enforcementLevel === level && pattern.test(violationMessage(d)))) {
          wrong.push(`not reported (${level}): ${c.drawn} -> ${JSON.stringify(own.map(violationMessage))}`);
        }
      } else if (own.length > 0) {
        wrong.push(`reported though safe: ${c.drawn} -> ${JSON.stringify(own.map(violationMessage))}`);
      }
    }
    return wrong;
  }

  it.each([
    ["Messenger trusted domains", "MessengerDomainRestriction"],
    ["link safety trusted domains", "LinkSafety"],
    ["Custom Action endpoints", "CustomAction"],
    ["IP allowlists", "IpAllowlist"],
  ])("%s: every unsafe member is reported at the policy's level, no safe member is", async (_label, control) => {
    const cases = batch.filter((c) => c.control === control);
    expect(cases.filter((c) => c.expect.unsafe).length).toBeGreaterThanOrEqual(20);
    expect(cases.filter((c) => !c.expect.unsafe).length).toBeGreaterThanOrEqual(20);
    expect(await verdicts(cases)).toEqual([]);
  });
});
