/**
 * The clock rules read (secret rotation, credential expiry). Normally the real time; set
 * INTERCOM_HEALTH_CHECK_AS_OF to an ISO date to evaluate as of that moment, for reproducible
 * audits and tests.
 */
export const asOfVariable = "INTERCOM_HEALTH_CHECK_AS_OF";

export function packClock(env: NodeJS.ProcessEnv): () => Date {
  const asOf = env[asOfVariable];
  if (asOf === undefined || asOf === "") return () => new Date();
  const fixed = new Date(asOf);
  if (Number.isNaN(fixed.getTime())) throw new Error(`${asOfVariable} is not an ISO date: ${asOf}`);
  return () => new Date(fixed.getTime());
}
