/** Placeholder shown wherever a secret value would otherwise appear. */
export const redacted = "[secret]";

/** Where a secret splits into parts a message could name on their own: a URL's host, a header's token. */
const secretPartSeparators = /[/:?#@=&,;"'()[\]{}<>]+/;
const minimumSecretLength = 4;
const minimumPartLength = 6;

/**
 * Replaces every occurrence of the given secret values in a message, and of their parts (a
 * secret URL's host, say), since a policy may name a piece of a value. Policies never
 * interpolate secret fields; this covers values that arrived as secrets in any field. Very short
 * values are skipped: they would redact ordinary words.
 */
export function redactSecrets(message: string, secrets: readonly string[]): string {
  const candidates = new Set<string>();
  for (const secret of secrets) {
    if (secret.length >= minimumSecretLength) candidates.add(secret);
    for (const part of secret.split(secretPartSeparators)) if (part.length >= minimumPartLength) candidates.add(part);
  }
  let result = message;
  for (const candidate of [...candidates].sort((a, b) => b.length - a.length)) {
    result = result.split(candidate).join(redacted);
  }
  return result;
}

/**
 * Quotes a user-supplied value for a message. Never shortened here: a cut value would no longer
 * match the secret it came from, and redaction runs after the policy has written its message.
 */
export function show(value: unknown): string {
  const text = typeof value === "string" ? maskUrlCredentials(value) : JSON.stringify(value) ?? String(value);
  return typeof value === "string" ? `"${text}"` : text;
}

/** A URL's user-info and query values may hold credentials: shown as `***`, the rest kept. */
function maskUrlCredentials(text: string): string {
  return text
    .replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s]*@/i, "$1***@")
    .replace(/([?&][^=&#\s]+=)[^&#\s]*/g, "$1***");
}
