/**
 * Sends one Analyze (or Remediate) per resource with a few calls in flight, as the engine's concurrent steps do,
 * so the tool builds and reads one call while the pack grades another. The results come back in
 * the resources' order, whatever order the pack answers in: every verdict and the report are
 * built from them exactly as from calls made one after another. After a failed call no further
 * call is sent, and the failure of the first resource (in order) that failed is thrown.
 */
import { AnalyzeResult, CapturedResource, PolicyPackSession } from "./analyzer-client";

/** Calls in flight: enough to keep both processes busy, few enough to hold little at once. */
export const analyzeCallsInFlight = 8;

type Outcome<R> = { readonly ok: true; readonly result: R } | { readonly ok: false; readonly error: unknown };

export async function analyzeInOrder(
  session: Pick<PolicyPackSession, "analyzeDetailed">,
  resources: readonly CapturedResource[],
  inFlight: number = analyzeCallsInFlight,
): Promise<AnalyzeResult[]> {
  return callInOrder(resources, (resource) => session.analyzeDetailed(resource), inFlight);
}

/**
 * `call` for each item, at most `inFlight` at once, started in the items' order; the results in that order. Each
 * call depends only on its own item (as the engine's Remediate and Analyze of one resource do), so the results are
 * those of calls made one after another.
 */
export async function callInOrder<T, R>(
  items: readonly T[],
  call: (item: T) => Promise<R>,
  inFlight: number = analyzeCallsInFlight,
): Promise<R[]> {
  const outcomes: Outcome<R>[] = new Array<Outcome<R>>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        outcomes[index] = { ok: true, result: await call(items[index] as T) };
      } catch (error) {
        outcomes[index] = { ok: false, error };
        failed = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(inFlight, items.length)) }, worker));
  const results: R[] = [];
  for (const outcome of outcomes) {
    // Every item before the first failure was sent (calls are sent in order), so the first
    // outcome that is missing or failed is where the run stops.
    if (outcome === undefined) break;
    if (!outcome.ok) throw outcome.error;
    results.push(outcome.result);
  }
  if (results.length !== items.length) throw new Error("the calls stopped before every resource was sent");
  return results;
}
