/** Placeholder shown wherever a secret value would otherwise appear. */
export const redacted = "[secret]";

/**
 * Replaces every occurrence of the given secret values in a message. Policies never interpolate
 * secret fields; this is the second line of defence for values that travelled into other fields
 * (a token pasted into a URL, say). Very short values are skipped: they would redact ordinary words.
 */
export function redactSecrets(message: string, secrets: readonly string[]): string {
  let result = message;
  const longestFirst = [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  for (const secret of longestFirst) result = result.split(secret).join(redacted);
  return result;
}

/** Quotes a user-supplied, non-secret value for a message, cut short so a message stays readable. */
export function show(value: unknown, maxLength = 60): string {
  const text = typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
  const cut = text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
  return typeof value === "string" ? `"${cut}"` : cut;
}
