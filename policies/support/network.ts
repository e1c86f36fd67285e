/**
 * IP address and host checks the policies share. Pure, no DNS: a name is judged by its text only.
 * Address ranges come from ipaddr.js (its `range()` follows the IANA special-purpose registries),
 * not from tables kept here; the few gaps it leaves are named and covered below.
 */
import * as ipaddr from "ipaddr.js";
import { parse as parseDomain } from "tldts";

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

export interface Ipv4Range {
  /** The address as written, as an unsigned 32-bit number (host bits not masked). */
  readonly address: number;
  readonly prefixLength: number;
}

/** ipaddr.js's own test for a full four-part IPv4 address, as ipaddr.IPv4.isValidFourPartDecimal writes it. */
const fourPartDecimal = /^(0|[1-9]\d*)(\.(0|[1-9]\d*)){3}$/;

/**
 * ipaddr.IPv4.isValidFourPartDecimal, the same answer for every string, its cheap test first:
 * ipaddr's `isValid` builds and catches an error for every text that is no address, and most texts
 * judged here (domain names) are none.
 */
export function isFourPartDecimalIpv4(text: string): boolean {
  return fourPartDecimal.test(text) && ipaddr.IPv4.isValid(text);
}

/**
 * Parses "a.b.c.d" or "a.b.c.d/n" in the one notation nobody misreads: four decimal octets without
 * leading zeros and a decimal prefix without leading zeros. undefined for anything else: octal
 * (010.0.0.1), hex, short (10.1) or integer forms, whitespace, IPv6. Resolvers and libraries read
 * those differently (010 is 8 to inet_aton, 10 to others), so Intercom could admit another network.
 */
export function parseIpv4Range(entry: string): Ipv4Range | undefined {
  const match = /^([0-9.]+)(?:\/(0|[1-9][0-9]?))?$/.exec(entry);
  if (!match || !isFourPartDecimalIpv4(match[1] as string)) return undefined;
  const prefixLength = match[2] === undefined ? 32 : Number(match[2]);
  if (prefixLength > 32) return undefined;
  const address = ipaddr.IPv4.parse(match[1] as string).octets.reduce((acc, octet) => acc * 256 + octet, 0);
  return { address, prefixLength };
}

/** The first and last address a range admits (host bits of the written address masked off, as routers read it). */
export function ipv4Interval(range: Ipv4Range): readonly [number, number] {
  const size = 2 ** (32 - range.prefixLength);
  const first = Math.floor(range.address / size) * size;
  return [first, first + size - 1];
}

/** The union of some IPv4 ranges as disjoint, sorted intervals: overlaps and neighbours merged. */
export function mergeIpv4Ranges(ranges: readonly Ipv4Range[]): [number, number][] {
  const sorted = ranges.map(ipv4Interval).sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [first, last] of sorted) {
    const previous = merged[merged.length - 1];
    if (previous && first <= previous[1] + 1) previous[1] = Math.max(previous[1], last);
    else merged.push([first, last]);
  }
  return merged;
}

/** How many addresses some IPv4 ranges admit together (each address counted once). */
export function countIpv4Addresses(ranges: readonly Ipv4Range[]): number {
  return mergeIpv4Ranges(ranges).reduce((total, [first, last]) => total + (last - first + 1), 0);
}

/** What each of ipaddr.js's `range()` names means, for messages. */
const rangeDescriptions: Readonly<Record<string, string>> = {
  unspecified: 'an unspecified ("this network") address',
  broadcast: "the broadcast address",
  multicast: "a multicast address",
  linkLocal: "a link-local address (where cloud metadata services answer)",
  loopback: "a loopback address",
  carrierGradeNat: "a carrier-grade NAT (shared) address",
  private: "a private-use address",
  reserved: "a reserved, documentation or IETF protocol address",
  as112: "an AS112 DNS sink address",
  as112v6: "an AS112 DNS sink address",
  amt: "an AMT relay address",
  uniqueLocal: "a unique-local (private) address",
  ipv4Mapped: "an IPv4-mapped IPv6 address",
  rfc6145: "an IPv4-translated IPv6 address",
  rfc6052: "a NAT64 address (it reaches IPv4 space through a translator)",
  "6to4": "a 6to4 address (it embeds an IPv4 address)",
  teredo: "a Teredo tunnel address",
  deprecatedSiteLocal: "a site-local address",
  discard: "a discard-only address",
  benchmarking: "a benchmarking address",
  deprecatedOrchid: "an ORCHID address",
  orchid2: "an ORCHID address",
  droneRemoteIdProtocolEntityTags: "a drone remote ID address",
  segmentRouting: "a segment-routing address",
};

/** The IPv4 address an IPv6 address carries in a transition range, when it carries one at a fixed place. */
function embeddedIpv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const p = address.parts;
  const fromParts = (high: number, low: number) => new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  if (address.match(ipaddr.IPv6.parse("2002::"), 16)) return fromParts(p[1] as number, p[2] as number);
  // Teredo: the client's address, bit-inverted, in the last 32 bits.
  if (address.match(ipaddr.IPv6.parse("2001::"), 32)) return fromParts(~(p[6] as number) & 0xffff, ~(p[7] as number) & 0xffff);
  // IPv4-mapped, IPv4-translated, IPv4-compatible (::/96) and the well-known NAT64 prefix carry it in the last 32 bits.
  for (const [prefix, length] of [
    ["::ffff:0:0", 96],
    ["::ffff:0:0:0", 96],
    ["::", 96],
    ["64:ff9b::", 96],
  ] as const) {
    if (address.match(ipaddr.IPv6.parse(prefix), length)) return fromParts(p[6] as number, p[7] as number);
  }
  return undefined;
}

/** Only 2000::/3 is allocated for global unicast (IANA IPv6 Address Space); the rest is reserved by the IETF. */
const globalUnicastV6: [ipaddr.IPv6, number] = [ipaddr.IPv6.parse("2000::"), 3];

/**
 * Why an address is not publicly routable, or undefined for a public unicast address. Anything in
 * an IANA special-purpose range is refused, including every IPv6 transition form (IPv4-mapped,
 * IPv4-compatible, 6to4, NAT64, Teredo) whatever IPv4 address it carries: a public endpoint is
 * listed by its own address. ipaddr.js lacks the IPv4-compatible ::/96 block and does not treat
 * IPv6 outside 2000::/3 as unallocated; both are covered by requiring 2000::/3.
 */
export function specialPurposeReason(address: IpAddress): string | undefined {
  if (address.kind() === "ipv4") {
    const range = address.range();
    return range === "unicast" ? undefined : (rangeDescriptions[range] ?? `a special-purpose address (${range})`);
  }
  const v6 = address as ipaddr.IPv6;
  const range = v6.range();
  const carried = range === "unicast" || transitionRanges.has(range) ? embeddedIpv4(v6) : undefined;
  const carriedText = carried ? ` carrying ${carried.toString()}${describeCarried(carried)}` : "";
  if (range !== "unicast") return `${rangeDescriptions[range] ?? `a special-purpose address (${range})`}${carriedText}`;
  if (!v6.match(globalUnicastV6)) {
    return carried ? `an IPv4-compatible IPv6 address${carriedText}` : "an IPv6 address outside the global unicast space 2000::/3";
  }
  return undefined;
}

/** ipaddr.js ranges whose addresses carry an IPv4 address, named in messages. */
const transitionRanges: ReadonlySet<string> = new Set(["ipv4Mapped", "rfc6145", "rfc6052", "6to4", "teredo"]);

function describeCarried(carried: ipaddr.IPv4): string {
  const reason = specialPurposeReason(carried);
  return reason ? `, ${reason}` : "";
}

/**
 * Every IP address a host name embeds the way wildcard-DNS services (nip.io, sslip.io, traefik.me
 * and the like) read names: four decimal octets separated by dots or dashes (10.0.0.1.nip.io,
 * app-10-0-0-1.sslip.io), eight hex digits (7f000001.nip.io), or an IPv6 address with dashes for
 * colons (--1.sslip.io, fe80--1.sslip.io). Any service may resolve such a name to that address, so
 * it is judged as that address. Services differ in which part of a label they read, so every
 * reading is returned and callers judge the worst (a rare public name such as
 * 2a01-4f8--2.example.com can then be refused: failing closed). `name` is an ASCII host name.
 */
export function embeddedAddresses(name: string): IpAddress[] {
  const found: IpAddress[] = [];
  // Punycode labels (xn--...) are internationalised names, never an address a service reads.
  const labels = name
    .toLowerCase()
    .split(".")
    .filter((label) => !label.startsWith("xn--"));
  const tokens = name
    .toLowerCase()
    .split(".")
    .flatMap((label) => (label.startsWith("xn--") ? ["xn--"] : label.split("-")));
  const isOctet = (token: string | undefined) => token !== undefined && /^\d{1,3}$/.test(token) && Number(token) <= 255;
  for (let i = 0; i + 3 < tokens.length; i += 1) {
    const quad = tokens.slice(i, i + 4);
    if (quad.every(isOctet)) found.push(new ipaddr.IPv4(quad.map(Number)));
  }
  for (const token of tokens) {
    if (/^[0-9a-f]{8}$/.test(token)) {
      found.push(new ipaddr.IPv4([0, 2, 4, 6].map((at) => parseInt(token.slice(at, at + 2), 16))));
    }
  }
  for (const label of labels) {
    const groups = label.split("-");
    // Three groups make two colons, the fewest an IPv6 address can be written with ("::1" is "--1").
    for (let start = 0; start < groups.length; start += 1) {
      for (let end = start + 3; end <= groups.length; end += 1) {
        const candidate = groups.slice(start, end).join(":");
        if (ipaddr.IPv6.isValid(candidate)) found.push(ipaddr.IPv6.parse(candidate));
      }
    }
  }
  return found;
}

/**
 * Public names that resolve to the loopback address for anyone (no library lists them, so this is
 * a short list of the well-known ones). `localhost` itself is a special-use name (tldts).
 */
export const loopbackAliasDomains: readonly string[] = [
  "localtest.me",
  "lvh.me",
  "vcap.me",
  "localhost.direct",
  "localh.st",
  "lacolhost.com",
  "fuf.me",
  "spoofed.burpcollaborator.net",
];

/**
 * Wildcard-DNS services: every name under them resolves to an address chosen by whoever writes the
 * name (10.0.0.1.nip.io, app-1-2-3-4.sslip.io), and traefik.me resolves other names to loopback.
 * No library lists them: these are the well-known ones. Names that embed an address are refused
 * whatever domain they are under (see {@link embeddedAddresses}); this list catches the names
 * under them that embed none, as trusted domains and as endpoints.
 */
export const wildcardDnsServices: readonly string[] = ["nip.io", "sslip.io", "xip.io", "traefik.me"];

/** True when `name` is `domain` or one of its subdomains. */
export function isAtOrUnder(name: string, domain: string): boolean {
  return name === domain || name.endsWith(`.${domain}`);
}

/**
 * The example domains RFC 6761 reserves but says applications must treat as ordinary names
 * (section 6.5): they are special-use in tldts but real, public DNS names.
 */
const ordinaryExampleDomains: readonly string[] = ["example.com", "example.net", "example.org"];

/** tldts's IANA special-use check (localhost, .local, .test, .invalid, .onion, .alt, home.arpa...), less RFC 6761's public example domains. */
export function isSpecialUseName(name: string): boolean {
  return parseDomain(name, { detectSpecialUse: true }).isSpecialUse === true && !ordinaryExampleDomains.some((d) => isAtOrUnder(name, d));
}

/** Parses a host as an http(s) URL's host is read (WHATWG: 0x7f.1, 0177.0.0.1, 2130706433 and 127.1 are all 127.0.0.1). */
function normaliseHost(host: string): string | undefined {
  try {
    return new URL(`http://${host}/`).hostname;
  } catch {
    return undefined;
  }
}

/**
 * Why a host an outbound request from Intercom targets is not publicly routable, or undefined when
 * it is: a name under an ICANN public suffix (tldts), or an address outside every special-purpose
 * range. A name that embeds an address counts as that address. Any host is first read as an http
 * URL's host would be, so every IPv4 notation ends up dotted.
 */
export function nonPublicHostReason(host: string): string | undefined {
  const normalised = normaliseHost(host);
  if (normalised === undefined || normalised === "") return "a host that is not a valid host name";
  if (normalised.startsWith("[")) {
    const bare = normalised.slice(1, -1);
    return ipaddr.IPv6.isValid(bare) ? specialPurposeReason(ipaddr.IPv6.parse(bare)) : "a host that is not a valid IPv6 address";
  }
  if (isFourPartDecimalIpv4(normalised)) return specialPurposeReason(ipaddr.IPv4.parse(normalised));
  const name = normalised.endsWith(".") ? normalised.slice(0, -1) : normalised;
  if (isAtOrUnder(name, "localhost")) return "a loopback name (localhost)";
  if (isSpecialUseName(name)) return "a special-use name (localhost, .local, .test, home.arpa...) that public DNS does not serve";
  if (!name.includes(".")) return "a single-label (internal) name";
  if (isAtOrUnder(name, "arpa")) return "a name in .arpa, the infrastructure domain no service is hosted in";
  const alias = loopbackAliasDomains.find((domain) => isAtOrUnder(name, domain));
  if (alias) return `a name under ${alias}, which resolves to the loopback address`;
  const embeddedAll = embeddedAddresses(name);
  for (const embedded of embeddedAll) {
    const reason = specialPurposeReason(embedded);
    if (reason) return `a name that embeds ${embedded.toString()}, ${reason}`;
  }
  // Under a wildcard-DNS service a name that spells a public address resolves to it; any other
  // name resolves wherever the service decides (traefik.me: loopback), never to your endpoint.
  const service = wildcardDnsServices.find((domain) => isAtOrUnder(name, domain));
  if (service && embeddedAll.length === 0) {
    return `a name under ${service}, a wildcard-DNS service, that spells no address (such names resolve to the service's choice, loopback included)`;
  }
  const parsed = parseDomain(name, { allowPrivateDomains: false });
  if (parsed.hostname === null) return "a host that is not a valid host name";
  if (!parsed.isIcann) return "an internal name (no ICANN public suffix)";
  if (parsed.domain === null) return "a public suffix, not a host name";
  return undefined;
}
