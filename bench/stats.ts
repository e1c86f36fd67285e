/** Order statistics for the bench: every figure is a median with its spread, never a single run. */

/** The q-quantile (0..1) of `values`, by linear interpolation between the nearest ranks. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error("quantile of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (at - low);
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** A ratio of the subject to its floor: the pooled figure and, across rounds, the lowest and highest. */
export interface Ratio {
  readonly value: number;
  readonly min: number;
  readonly max: number;
}

/**
 * The subject's statistic over all its samples divided by the floor's; the spread is the same ratio taken round by
 * round (each round ran the subject and the floor back to back, so load that changes between rounds shows there).
 */
export function ratioOf(
  subject: readonly (readonly number[])[],
  floor: readonly (readonly number[])[],
  statistic: (values: readonly number[]) => number = median,
): Ratio {
  const perRound = subject.map((s, i) => statistic(s) / statistic(floor[i] as readonly number[]));
  return { value: statistic(subject.flat()) / statistic(floor.flat()), min: Math.min(...perRound), max: Math.max(...perRound) };
}

/**
 * Runs `subject` and `floor` alternately (ABAB…), `rounds` times each, so both see the same machine load; each call
 * returns its samples for that round.
 */
export async function alternate(
  rounds: number,
  subject: () => Promise<number[]>,
  floor: () => Promise<number[]>,
): Promise<{ subject: number[][]; floor: number[][] }> {
  const result = { subject: [] as number[][], floor: [] as number[][] };
  for (let round = 0; round < rounds; round++) {
    // Which goes first alternates too, so neither always runs on a warmer (or busier) machine.
    if (round % 2 === 0) {
      result.subject.push(await subject());
      result.floor.push(await floor());
    } else {
      result.floor.push(await floor());
      result.subject.push(await subject());
    }
  }
  return result;
}

/** Milliseconds since `start` (from `process.hrtime.bigint()`). */
export function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}
