/**
 * Text a rule derives from a secret never reaches a diagnostic (issue 5, item 4), over the Analyzer
 * protocol: a generated batch (test/support/secret-derived.ts) of unsafe values sent as Pulumi
 * secrets where rules compute from them (a date's age, an address decoded from a host name, the
 * union of secret ranges, a parsed short host). Each is reported at its policy's level with
 * exactly the message naming the field; safe members draw nothing; no secret text appears.
 */
import { CapturedResource, PolicyPackSession } from "../../cli/analyzer-client";
import { leaksIn } from "../support/canary";
import { controlType, launchPinnedPack, newResource, secret, SETUP_TIMEOUT_MS, violationMessage } from "../support/engine";
import { secretDerivedBatch } from "../support/secret-derived";

const root: CapturedResource = {
  type: "pulumi:pulumi:Stack",
  name: "derived-dev",
  urn: "urn:pulumi:dev::derived::pulumi:pulumi:Stack::derived-dev",
  properties: {},
  custom: false,
};

describe("text derived from a secret, over the Analyzer protocol (generated classes)", () => {
  let session: PolicyPackSession | undefined;
  const batch = secretDerivedBatch(12, "derived", secret);

  beforeAll(async () => {
    session = await launchPinnedPack();
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await session?.close();
  });

  it("reports every unsafe secret at the policy's level with only the field named; passes safe ones; leaks nothing", async () => {
    if (!session) throw new Error("setup failed");
    expect(batch.filter((c) => c.message !== undefined).length).toBeGreaterThanOrEqual(60);
    const wrong: string[] = [];
    const outputs: string[] = [];
    for (const c of batch) {
      const resource = newResource([root], controlType(c.control), c.name, c.props);
      const diagnostics = (await session.analyze(resource)).filter((d) => d.urn === resource.urn);
      outputs.push(...diagnostics.map((d) => d.message));
      const own = diagnostics.filter((d) => d.policyName === c.policy);
      if (c.message === undefined) {
        if (own.length > 0) wrong.push(`reported though safe: ${c.drawn} -> ${JSON.stringify(own.map(violationMessage))}`);
        continue;
      }
      const level = c.blocks ? "mandatory" : "advisory";
      if (own.length === 0 || own.some((d) => d.enforcementLevel !== level || violationMessage(d) !== c.message)) {
        wrong.push(`${c.drawn} -> ${JSON.stringify(own.map((d) => [d.enforcementLevel, violationMessage(d)]))}`);
      }
      const leaks = leaksIn(
        diagnostics.map((d) => d.message),
        c.secretTexts,
      );
      if (leaks.length > 0) wrong.push(`leaked: ${c.drawn} -> ${JSON.stringify(leaks)}`);
    }
    expect(wrong).toEqual([]);
    expect(outputs.length).toBeGreaterThan(0);
  });
});
