/** IPv4 and host checks the policies share. Pure, no DNS: a name is judged by its text only. */

export interface Ipv4Range {
  readonly address: number;
  readonly prefixLength: number;
}

/** Parses "a.b.c.d" or "a.b.c.d/n"; undefined when malformed (leading zeros, out of range, IPv6...). */
export function parseIpv4Range(entry: string): Ipv4Range | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(entry.trim());
  if (!match) return undefined;
  const octets = match.slice(1, 5).map((o) => (/^0\d/.test(o as string) ? NaN : Number(o)));
  if (octets.some((o) => Number.isNaN(o) || o > 255)) return undefined;
  const prefixLength = match[5] === undefined ? 32 : Number(match[5]);
  if (prefixLength > 32 || /^0\d/.test(match[5] ?? "")) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  return { address, prefixLength };
}

function inRange(address: number, base: string, prefixLength: number): boolean {
  const range = parseIpv4Range(`${base}/${prefixLength}`) as Ipv4Range;
  const size = 2 ** (32 - prefixLength);
  return Math.floor(address / size) === Math.floor(range.address / size);
}

/** Loopback, private, link-local (cloud metadata), CGNAT, "this network", IETF, benchmarking, documentation and multicast/reserved space. */
const nonPublicIpv4: readonly [string, number][] = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 3],
];

export function isNonPublicIpv4(address: number): boolean {
  return nonPublicIpv4.some(([base, length]) => inRange(address, base, length));
}

export function isIpv4Literal(host: string): boolean {
  return parseIpv4Range(host)?.prefixLength === 32 && !host.includes("/");
}

export function isIpv6Literal(host: string): boolean {
  return host.startsWith("[") || (host.includes(":") && /^[0-9a-f:.]+$/i.test(host));
}

/** Hosts an outbound request from Intercom must never target: loopback, private, link-local, internal names. */
export function nonPublicHostReason(host: string): string | undefined {
  const name = host.toLowerCase().replace(/\.$/, "");
  if (name === "localhost" || name.endsWith(".localhost")) return "a loopback name";
  if (/\.(local|internal|intranet|lan|home\.arpa|corp)$/.test(name)) return "an internal name";
  if (!name.includes(".") && !isIpv6Literal(name)) return "a single-label (internal) name";
  const ipv4 = parseIpv4Range(name);
  if (ipv4 && !name.includes("/")) return isNonPublicIpv4(ipv4.address) ? "a private, loopback or link-local address" : undefined;
  if (isIpv6Literal(name)) {
    const bare = name.replace(/^\[|\]$/g, "");
    // Loopback, unspecified, unique-local, link-local, IPv4-mapped and NAT64 (which reaches IPv4 space).
    if (bare === "::1" || bare === "::" || /^(fc|fd|fe8|fe9|fea|feb)/.test(bare) || bare.startsWith("::ffff:") || bare.startsWith("64:ff9b:")) {
      return "a private, loopback or link-local address";
    }
  }
  return undefined;
}
