import fc from "fast-check";
import { AnalyzeResult, CapturedResource } from "../../cli/analyzer-client";
import { analyzeInOrder } from "../../cli/analyze-in-order";
import { propertyParameters } from "../support/property";

const resourceAt = (i: number): CapturedResource => ({ type: "intercom:index:Workspace", name: `w${i}`, urn: `urn:${i}`, properties: {} });

/** A session whose calls answer after the given delays (so out of order), failing where told. */
function fakeSession(delays: readonly number[], failing: ReadonlySet<number>) {
  const sent: number[] = [];
  let failureAnswered = false;
  let sentAfterFailure = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  return {
    sent,
    maxInFlight: () => maxInFlight,
    sentAfterFailure: () => sentAfterFailure,
    analyzeDetailed: async (resource: CapturedResource): Promise<AnalyzeResult> => {
      const index = Number(resource.name.slice(1));
      sent.push(index);
      if (failureAnswered) sentAfterFailure++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, delays[index] ?? 0));
      inFlight--;
      if (failing.has(index)) {
        failureAnswered = true;
        throw new Error(`call ${index} failed`);
      }
      return { diagnostics: [{ policyName: `p${index}` } as never], notApplicable: [] };
    },
  };
}

describe("analyzeInOrder", () => {
  it("returns each resource's result in the resources' order, whatever order the calls answer in, within the bound", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 9 }),
        async (delays, bound) => {
          const session = fakeSession(delays, new Set());
          const results = await analyzeInOrder(
            session,
            delays.map((_, i) => resourceAt(i)),
            bound,
          );
          expect(results.map((r) => r.diagnostics[0]?.policyName)).toEqual(delays.map((_, i) => `p${i}`));
          expect([...session.sent].sort((a, b) => a - b)).toEqual(delays.map((_, i) => i));
          expect(session.maxInFlight()).toBeLessThanOrEqual(bound);
        },
      ),
      propertyParameters(40),
    );
  });

  it("throws the failure of the first failing resource in order and sends nothing after a failure is seen", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 30 }),
        fc.uniqueArray(fc.nat(29), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 9 }),
        async (delays, failingIndexes, bound) => {
          const failing = new Set(failingIndexes.map((i) => i % delays.length));
          const first = Math.min(...failing);
          const session = fakeSession(delays, failing);
          await expect(
            analyzeInOrder(
              session,
              delays.map((_, i) => resourceAt(i)),
              bound,
            ),
          ).rejects.toThrow(`call ${first} failed`);
          expect(session.sentAfterFailure()).toBe(0);
          expect(session.sent).toContain(first);
        },
      ),
      propertyParameters(40),
    );
  });
});
