/**
 * Values not known until the update, generated, through the Analyzer protocol: the compiled pack
 * launched once, sent batches of generated controls (every kind, an unknown anywhere in them) and
 * generated two-workspace stacks, first as a preview (ConfigureStack dryRun: true), then as an
 * update (dryRun: false). The oracle is observed on the known settings (test/support/unknowns.ts).
 */
import { CapturedResource, PolicyPackSession } from "../../cli/analyzer-client";
import { evaluateResourcePolicy } from "../../core/evaluate";
import { ResourcePolicy } from "../../core/policy";
import { StackResource } from "../../core/stack-model";
import { allPolicies } from "../../policies";
import { CONTROL_SCHEMA_POLICY, launchPinnedPack, PINNED_AS_OF, SETUP_TIMEOUT_MS, summarize, violationMessage } from "../support/engine";
import { sampleOf } from "../support/property";
import { policiesOf, readsOf, readsPath, shownPath, stackCaseArbitrary, UnknownCase, unknownCaseArbitrary } from "../support/unknowns";

const pinnedNow = new Date(PINNED_AS_OF);
const defaultLevelOf = new Map(allPolicies.map((p) => [p.name, p.enforcementLevel]));

function asCaptured(name: string, type: string, properties: Record<string, unknown>): CapturedResource {
  return { type, name, urn: `urn:pulumi:dev::unknowns::${type}::${name}`, properties, custom: true, dependencies: [] };
}

const toCaptured = (r: StackResource): CapturedResource => asCaptured(r.name, r.type, r.props);

/** The policy's violations on the known props with the unknown entry removed, when it judges that list entry by entry (and entries remain). */
function knownEntriesViolations(policy: ResourcePolicy, c: UnknownCase): string[] {
  const [field, index] = c.path;
  if (typeof field !== "string" || typeof index !== "number" || !policy.independentEntries?.includes(field as never)) return [];
  const list = c.known[field] as unknown[];
  if (list.length < 2) return [];
  const rest = { ...c.known, [field]: list.filter((_, i) => i !== index) };
  const findings = evaluateResourcePolicy(policy, { name: "x", props: rest }, { now: pinnedNow, preview: true }) ?? [];
  return findings.filter((f) => f.status === "needs_review").map((f) => f.message);
}

describe("values not known until the update, through the Analyzer protocol", () => {
  let session: PolicyPackSession | undefined;
  const pack = () => {
    if (!session) throw new Error("setup failed");
    return session;
  };
  const configureRun = (dryRun: boolean) => pack().configureStack({ stack: "dev", project: "unknowns", dryRun });

  beforeAll(async () => {
    session = await launchPinnedPack();
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await session?.close();
  });

  const cases: readonly UnknownCase[] = sampleOf(unknownCaseArbitrary, 100);

  it("Analyze: a policy that does not read the unknown value grades as with it known (unsafe still blocks); one that reads it is not evaluated, advisory at preview and at its own level at update", async () => {
    const seen = { sameVerdict: 0, blockingAnyway: 0, previewAdvisory: 0, updateMandatory: 0 };
    const verdicts = async (resource: CapturedResource) => {
      const { diagnostics } = await pack().analyzeDetailed(resource);
      return (policy: string) =>
        diagnostics.filter((d) => d.policyName === policy).map((d) => `${d.enforcementLevel} ${violationMessage(d)}`);
    };
    const runs = cases.map((c, i) => ({
      c,
      known: asCaptured(`generated-${i}`, c.definition.typeToken, c.known),
      unknown: asCaptured(`generated-${i}`, c.definition.typeToken, c.withUnknown),
    }));
    await configureRun(true);
    const preview = [];
    for (const run of runs) preview.push({ ...run, known: await verdicts(run.known), unknown: await verdicts(run.unknown) });
    await configureRun(false);
    const update: ((policy: string) => string[])[] = [];
    for (const run of runs) update.push(await verdicts(run.unknown));
    await configureRun(true);

    preview.forEach(({ c, known, unknown }, i) => {
      const shown = shownPath(c.definition, c.path);
      for (const policy of policiesOf(c.definition)) {
        const label = `${policy.name} with ${c.definition.name} ${JSON.stringify(c.withUnknown)}`;
        if (!readsPath(readsOf(policy, c.known, pinnedNow), c.path)) {
          expect({ label, verdict: unknown(policy.name) }).toEqual({ label, verdict: known(policy.name) });
          seen.sameVerdict += 1;
          if (unknown(policy.name).some((v) => v.startsWith("mandatory"))) seen.blockingAnyway += 1;
          continue;
        }
        const notEvaluated = expect.stringContaining(`needs ${shown}`);
        // Beside an unknown entry of a list judged entry by entry: the known entries' violations, at the policy's level.
        const beside = knownEntriesViolations(policy, c).map((m) => `${policy.enforcementLevel} ${m}`);
        const isBeside = (v: string) => beside.includes(v);
        expect({ label, verdict: unknown(policy.name).filter(isBeside) }).toEqual({ label, verdict: beside });
        expect({ label, verdict: unknown(policy.name).filter((v) => !isBeside(v)) }).toEqual({
          label,
          verdict: [expect.stringMatching(/^advisory Not evaluated during preview: /)],
        });
        expect(unknown(policy.name).filter((v) => !isBeside(v))).toEqual([notEvaluated]);
        seen.previewAdvisory += 1;
        const atUpdate = (update[i] as (policy: string) => string[])(policy.name).filter((v) => !isBeside(v));
        expect({ label, verdict: atUpdate }).toEqual({
          label,
          verdict: [expect.stringMatching(new RegExp(`^${policy.enforcementLevel} Not evaluated: .* still not known`))],
        });
        if (policy.criticality === "SHALL") {
          expect(atUpdate[0]).toMatch(/^mandatory /);
          seen.updateMandatory += 1;
        }
      }
      // The schema policy names the unknown value: advisory now, its own level (critical: mandatory) at update.
      expect(unknown(CONTROL_SCHEMA_POLICY)).toEqual([expect.stringMatching(/^advisory Not evaluated during preview: /)]);
      expect(unknown(CONTROL_SCHEMA_POLICY)[0]).toContain(shown);
      expect((update[i] as (policy: string) => string[])(CONTROL_SCHEMA_POLICY)).toEqual([
        expect.stringMatching(/^mandatory Not evaluated: /),
      ]);
    });
    expect(seen.sameVerdict).toBeGreaterThan(20);
    expect(seen.blockingAnyway).toBeGreaterThan(3);
    expect(seen.previewAdvisory).toBeGreaterThan(20);
    expect(seen.updateMandatory).toBeGreaterThan(10);
  });

  it("AnalyzeStack: a control whose workspaceId is unknown satisfies no known workspace (graded as if absent), and the known workspaces' violations still block", async () => {
    await configureRun(true);
    let presenceViolations = 0;
    for (const c of sampleOf(stackCaseArbitrary("workspace"), 12)) {
      const unknownOne = c.withUnknown[c.index] as StackResource;
      const withUnknown = await pack().analyzeStack(c.withUnknown.map(toCaptured));
      const absent = await pack().analyzeStack(c.known.filter((_, i) => i !== c.index).map(toCaptured));
      const placed = (diagnostics: typeof withUnknown) => summarize(diagnostics.filter((d) => d.urn !== toCaptured(unknownOne).urn));
      expect(placed(withUnknown)).toEqual(placed(absent));
      const known = await pack().analyzeStack(c.known.map(toCaptured));
      if (
        absent.filter((d) => d.enforcementLevel === "mandatory").length > known.filter((d) => d.enforcementLevel === "mandatory").length
      ) {
        presenceViolations += 1;
      }
      for (const d of withUnknown.filter((d) => d.urn === toCaptured(unknownOne).urn)) {
        expect([d.enforcementLevel, violationMessage(d)]).toEqual([
          "advisory",
          expect.stringMatching(/^Not evaluated during preview: .*needs workspaceId/),
        ]);
      }
    }
    expect(presenceViolations).toBeGreaterThan(1);
  });

  it("AnalyzeStack at update: a control whose workspaceId is still unknown blocks through the SHALL policies that need it", async () => {
    const [c] = sampleOf(stackCaseArbitrary("workspace"), 1);
    if (!c) throw new Error("no sample");
    const unknownOne = toCaptured(c.withUnknown[c.index] as StackResource);
    await configureRun(false);
    try {
      const diagnostics = await pack().analyzeStack(c.withUnknown.map(toCaptured));
      const own = diagnostics.filter((d) => d.urn === unknownOne.urn);
      expect(own.map((d) => d.policyName)).toEqual(
        expect.arrayContaining(["intercom-control-workspace-declared", "intercom-single-instance-controls"]),
      );
      for (const d of own) {
        expect([d.enforcementLevel, violationMessage(d)]).toEqual([
          defaultLevelOf.get(d.policyName) ?? "mandatory",
          expect.stringMatching(/^Not evaluated: .*needs workspaceId, which is still not known/),
        ]);
      }
    } finally {
      await configureRun(true);
    }
  });

  it(
    "an engine that never sends ConfigureStack gets the update's rule (fail closed): an unknown a SHALL policy needs blocks",
    async () => {
      const fresh = await launchPinnedPack();
      try {
        const c = cases.find((candidate) =>
          policiesOf(candidate.definition).some(
            (p) => p.criticality === "SHALL" && readsPath(readsOf(p, candidate.known, pinnedNow), candidate.path),
          ),
        );
        if (!c) throw new Error("the sample has no unknown a SHALL policy reads");
        const diagnostics = await fresh.analyze(asCaptured("never-configured", c.definition.typeToken, c.withUnknown));
        expect(diagnostics).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ enforcementLevel: "mandatory", message: expect.stringMatching(/Not evaluated: .* still not known/) }),
          ]),
        );
      } finally {
        await fresh.close();
      }
    },
    SETUP_TIMEOUT_MS,
  );
});
