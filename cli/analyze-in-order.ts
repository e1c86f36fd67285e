/**
 * Sends one Analyze per resource with a few calls in flight, as the engine's concurrent steps do,
 * so the tool builds and reads one call while the pack grades another. The results come back in
 * the resources' order, whatever order the pack answers in: every verdict and the report are
 * built from them exactly as from calls made one after another. After a failed call no further
 * call is sent, and the failure of the first resource (in order) that failed is thrown.
 */
import { AnalyzeResult, CapturedResource, PolicyPackSession } from "./analyzer-client";

/** Calls in flight: enough to keep both processes busy, few enough to hold little at once. */
export const analyzeCallsInFlight = 8;

type Outcome = { readonly ok: true; readonly result: AnalyzeResult } | { readonly ok: false; readonly error: unknown };

export async function analyzeInOrder(
  session: Pick<PolicyPackSession, "analyzeDetailed">,
  resources: readonly CapturedResource[],
  inFlight: number = analyzeCallsInFlight,
): Promise<AnalyzeResult[]> {
  const outcomes: Outcome[] = new Array<Outcome>(resources.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < resources.length) {
      const index = next++;
      try {
        outcomes[index] = { ok: true, result: await session.analyzeDetailed(resources[index] as CapturedResource) };
      } catch (error) {
        outcomes[index] = { ok: false, error };
        failed = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(inFlight, resources.length)) }, worker));
  const results: AnalyzeResult[] = [];
  for (const outcome of outcomes) {
    // Every resource before the first failure was sent (calls are sent in order), so the first
    // outcome that is missing or failed is where the run stops.
    if (outcome === undefined) break;
    if (!outcome.ok) throw outcome.error;
    results.push(outcome.result);
  }
  if (results.length !== resources.length) throw new Error("Analyze stopped before every resource was graded");
  return results;
}
