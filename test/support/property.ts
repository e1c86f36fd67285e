/**
 * fast-check parameters every property suite uses: a fixed seed, so CI is reproducible and a
 * failure replays, and a run count that FC_RUNS_SCALE multiplies for a longer exploratory run
 * (README: "Fail closed, never leak"). FC_SEED picks another seed.
 */
import fc from "fast-check";

export const defaultSeed = 20261121;

export function propertyParameters<T = unknown>(defaultRuns: number): fc.Parameters<T> {
  const seed = process.env["FC_SEED"] ? Number(process.env["FC_SEED"]) : defaultSeed;
  const scale = process.env["FC_RUNS_SCALE"] ? Number(process.env["FC_RUNS_SCALE"]) : 1;
  return { seed, numRuns: Math.max(1, Math.round(defaultRuns * scale)) };
}

/** Members of a class drawn with the fixed seed: for suites that send a batch through the pack or the tool at once. */
export function sampleOf<T>(arbitrary: fc.Arbitrary<T>, defaultCount: number): T[] {
  const { seed, numRuns } = propertyParameters(defaultCount);
  return fc.sample(arbitrary, { seed, numRuns });
}
