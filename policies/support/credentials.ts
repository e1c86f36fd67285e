/**
 * Heuristics for credentials written straight into a Custom Action's request. They only say
 * where a credential is; they never return the value itself.
 */

const credentialHeaderName =
  /^(authorization|proxy-authorization|cookie|set-cookie)$|api[-_]?key|[-_]key$|^key$|token|secret|passw(or)?d|credential|session|signature|^(x-)?auth([-_]|$)/i;

/**
 * A value that is only references to tokens stored in Intercom, e.g. `Bearer {{token}}` or
 * `session={{token}}`: what remains without the references is an auth scheme or cookie syntax.
 */
function isOnlyReferences(value: string): boolean {
  const withoutReferences = value
    .replace(/\{\{[^{}]+\}\}/g, "")
    .replace(/[\w.-]+=/g, "")
    .replace(/[;,\s]+/g, " ")
    .trim();
  return withoutReferences === "" || /^(bearer|basic|token|digest)$/i.test(withoutReferences);
}

const authScheme = /^\s*(bearer|basic|token|digest)\s+\S+/i;

/** Names of headers that carry a literal credential. */
export function headersWithLiteralCredentials(headers: Readonly<Record<string, string>> | undefined): string[] {
  return Object.entries(headers ?? {})
    .filter(([name, value]) => value.trim() !== "" && !isOnlyReferences(value) && (credentialHeaderName.test(name) || authScheme.test(value)))
    .map(([name]) => name);
}

const credentialQueryName = /^(sig|code)$/i;

/** Where a URL carries a literal credential: its user-info or a credential-like query parameter. */
export function urlCredentialLocations(rawUrl: string): string[] {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return [];
  }
  const locations: string[] = [];
  if (url.username || url.password) locations.push("the URL's user-info");
  for (const [name, value] of url.searchParams) {
    const credentialLike = credentialHeaderName.test(name) || credentialQueryName.test(name);
    if (credentialLike && value !== "" && !isOnlyReferences(value)) locations.push(`the "${name}" query parameter`);
  }
  return locations;
}
