/**
 * Help links are shown to people and opened from reports, so like Intercom's own Health Check
 * ("all outgoing links are sanitized") they may only point at Intercom's documentation hosts.
 */
export const allowedHelpHosts: readonly string[] = ["www.intercom.com", "intercom.com", "developers.intercom.com"];

export function isAllowedHelpUrl(candidate: string): boolean {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  return (
    url.protocol === "https:" && allowedHelpHosts.includes(url.hostname) && url.port === "" && url.username === "" && url.password === ""
  );
}

export function assertAllowedHelpUrl(candidate: string, owner: string): void {
  if (!isAllowedHelpUrl(candidate)) {
    throw new Error(`${owner}: help link must be https on ${allowedHelpHosts.join(", ")}; got ${candidate}`);
  }
}
