/**
 * Domain-name checks for trusted-domain lists. Which names are public suffixes comes from the
 * Public Suffix List as tldts ships it, ICANN and private sections alike, never from a list kept
 * here. Pure, no DNS: a name is judged by its text only.
 */
import { domainToASCII, domainToUnicode } from "url";
import * as ipaddr from "ipaddr.js";
import { getPublicSuffix, parse as parseDomain } from "tldts";
import {
  embeddedAddresses,
  isAtOrUnder,
  isFourPartDecimalIpv4,
  isSpecialUseName,
  loopbackAliasDomains,
  wildcardDnsServices,
} from "./network";

/** tldts options that read the whole PSL: hosting platforms (github.io, herokuapp.com...) count as public suffixes. */
const wholeList = { allowPrivateDomains: true } as const;

/**
 * An entry read as a browser reads a host: Unicode compatibility forms folded (NFKC: full-width
 * letters, dots and asterisks), the ideographic full stops UTS #46 treats as dots mapped to ".",
 * then WHATWG host parsing (`url.domainToASCII`: percent-decoding, IDNA to punycode, lower case).
 * One trailing dot (the root) is dropped. `wildcard` is whether the entry starts with `*.`.
 */
export type NormalisedDomain =
  { readonly ok: true; readonly wildcard: boolean; readonly name: string } | { readonly ok: false; readonly reason: string };

/** Ends in a number, as WHATWG URL parsing decides a host is an IPv4 address (127.1, 0x7f.0.0.1, 2130706433). */
function endsInANumber(host: string): boolean {
  const labels = host.split(".");
  if (labels[labels.length - 1] === "" && labels.length > 1) labels.pop();
  const last = labels[labels.length - 1] ?? "";
  return /^[0-9]+$/.test(last) || /^0x[0-9a-f]*$/i.test(last);
}

const ldhLabel = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** What a label may hold in Unicode: letters, marks, digits and hyphens. Punctuation such as the dot look-alikes (·, ‧, ۔) is refused. */
const unicodeLabel = /^[\p{L}\p{M}\p{N}-]+$/u;

export function normaliseDomainEntry(entry: string): NormalisedDomain {
  const refuse = (reason: string): NormalisedDomain => ({ ok: false, reason });
  const folded = entry
    .trim()
    .normalize("NFKC")
    .replace(/[\u3002\uff61]/g, ".");
  if (folded === "") return refuse("is blank");
  if (/[\s\p{Cc}]/u.test(folded)) return refuse("contains whitespace or control characters");
  if (folded.includes("://")) return refuse("has a scheme: list the domain name only");
  if (/[/\\?#]/.test(folded)) return refuse("has a path: list the domain name only");
  if (folded.includes("@")) return refuse("has user information: list the domain name only");
  if (folded.includes(":")) {
    return ipaddr.isValid(folded.replace(/^\[|\]$/g, ""))
      ? refuse("is an IP address, not a domain")
      : refuse("has a port: list the domain name only");
  }
  const ascii = domainToASCII(folded);
  if (ascii === "") return refuse(endsInANumber(folded) ? "is an IP address, not a domain" : "is not a valid domain name");
  if (ascii.startsWith("[") || isFourPartDecimalIpv4(ascii.replace(/\.$/, "")) || endsInANumber(ascii)) {
    return refuse("is an IP address, not a domain");
  }
  const rooted = ascii.endsWith(".") ? ascii.slice(0, -1) : ascii;
  const labels = rooted.split(".");
  if (labels.every((label) => label === "*")) return refuse("admits any domain");
  const wildcard = labels[0] === "*";
  const named = wildcard ? labels.slice(1) : labels;
  if (named.some((label) => label.includes("*"))) return refuse("uses * other than as the leading label");
  if (rooted.length > 253 || !named.every((label) => ldhLabel.test(label))) return refuse("is not a valid domain name");
  const name = named.join(".");
  const unicode = domainToUnicode(name);
  // An empty result (undecodable punycode) fails too: "" is not a label.
  if (!unicode.split(".").every((label) => unicodeLabel.test(label))) {
    return refuse("has a character that is not a letter, digit or hyphen (such as a dot look-alike)");
  }
  return { ok: true, wildcard, name };
}

/** The form two entries are compared in (e.g. trusted and blocked lists); the trimmed lower-case text when not a domain name. */
export function comparableDomain(entry: string): string {
  const normalised = normaliseDomainEntry(entry);
  return normalised.ok ? `${normalised.wildcard ? "*." : ""}${normalised.name}` : entry.trim().toLowerCase();
}

/**
 * Why a trusted-domain entry admits far more than one site, or undefined when it names a domain
 * someone can own (optionally with a leading `*.` for its subdomains, as Intercom allows).
 * Refused: anything that is not a domain name; IP addresses in any notation; localhost, its
 * aliases and other special-use names; names that embed an IP address (wildcard-DNS services
 * resolve them to it) and the wildcard-DNS services themselves; names outside the public DNS; a
 * public suffix listed bare (github.io, co.uk: not a registrable domain, and a matcher that also
 * admits subdomains would admit everyone's); a wildcard over a public suffix of either PSL section,
 * or over a domain with public suffixes beneath it (`*.amazonaws.com` covers s3.amazonaws.com).
 */
export function overlyBroadDomainReason(entry: string): string | undefined {
  const normalised = normaliseDomainEntry(entry);
  if (!normalised.ok) return normalised.reason;
  const { wildcard, name } = normalised;
  if (isAtOrUnder(name, "localhost")) return "is localhost";
  const alias = loopbackAliasDomains.find((domain) => isAtOrUnder(name, domain));
  if (alias) return `is under ${alias}, which resolves to the loopback address`;
  const service = wildcardDnsServices.find((domain) => isAtOrUnder(name, domain));
  if (service) return `is under ${service}, a wildcard-DNS service that resolves names to any address`;
  const embedded = embeddedAddresses(name)[0];
  if (embedded) {
    return `embeds the IP address ${embedded.toString()}: wildcard-DNS services resolve such names to that address`;
  }
  if (!name.includes(".")) return wildcard ? "admits a whole top-level domain" : "is not a full domain name";
  if (isSpecialUseName(name)) return "is a special-use name (such as .local, .test or home.arpa), not a public domain";
  const parsed = parseDomain(name, wholeList);
  if (!parsed.isIcann && !parsed.isPrivate) return "is not under a public suffix: it is not a name in the public DNS";
  if (getPublicSuffix(name, wholeList) === name) {
    const section = parsed.isIcann ? "" : ", a hosting domain";
    return wildcard
      ? `admits a whole public suffix${section}, where anyone can get a subdomain`
      : `is a public suffix${section}, not a domain someone owns`;
  }
  if (wildcard) {
    const beneath = publicSuffixesBeneath(name);
    if (beneath === undefined) return "cannot be checked for public suffixes beneath it (the Public Suffix List data could not be read)";
    if (beneath.length > 0) return `admits public suffixes beneath it (such as ${beneath[0]}), where anyone can get a subdomain`;
  }
  return undefined;
}

/** The PSL as tldts stores it: a flat trie of labels from the top-level domain down. */
interface SuffixTrie {
  readonly nodeFlags: ArrayLike<number>;
  readonly edgeStart: ArrayLike<number>;
  readonly edgeLength: ArrayLike<number>;
  readonly edgeChild: ArrayLike<number>;
  readonly labelText: string;
  readonly rulesRoot: number;
}

interface TrieIndex {
  readonly trie: SuffixTrie;
  readonly edgeOffset: Uint32Array;
}

let trieIndex: TrieIndex | null | undefined;

/**
 * tldts answers "what is this name's public suffix" but not "which suffixes lie beneath this
 * name", so the same data is read from its trie module. That module is not part of tldts's API:
 * it is checked against tldts's own answers before use, and when it cannot be read or disagrees,
 * callers refuse rather than pass.
 */
function loadTrie(): TrieIndex | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const trie = require("tldts/dist/cjs/src/data/trie.js") as Partial<SuffixTrie>;
    const { nodeFlags, edgeStart, edgeLength, edgeChild, labelText, rulesRoot } = trie;
    if (!nodeFlags || !edgeStart || !edgeLength || !edgeChild || typeof labelText !== "string" || typeof rulesRoot !== "number")
      return null;
    const edgeOffset = new Uint32Array(edgeLength.length);
    for (let edge = 0, offset = 0; edge < edgeLength.length; edge += 1) {
      edgeOffset[edge] = offset;
      offset += edgeLength[edge] as number;
    }
    const index: TrieIndex = { trie: trie as SuffixTrie, edgeOffset };
    // Every rule the trie holds must be a public suffix to tldts itself.
    const rules = rulesUnder(index, rulesRoot, "", Infinity);
    if (rules.length < 1000) return null;
    const agrees = rules.every((rule) => {
      const probe = rule.replace(/\*/g, "x");
      return getPublicSuffix(probe, wholeList) === probe;
    });
    return agrees ? index : null;
  } catch {
    return null;
  }
}

function edgeLabel(index: TrieIndex, edge: number): string {
  const start = index.edgeOffset[edge] as number;
  return index.trie.labelText.slice(start, start + (index.trie.edgeLength[edge] as number));
}

/** Rules (public suffixes) in the trie below `node`, whose own name is `suffix`, up to `limit` of them. */
function rulesUnder(index: TrieIndex, node: number, suffix: string, limit: number): string[] {
  const { edgeStart, edgeChild, nodeFlags } = index.trie;
  const found: string[] = [];
  const visit = (at: number, name: string) => {
    for (let edge = edgeStart[at] as number; edge < (edgeStart[at + 1] as number) && found.length < limit; edge += 1) {
      const child = edgeChild[edge] as number;
      const childName = name === "" ? edgeLabel(index, edge) : `${edgeLabel(index, edge)}.${name}`;
      if (((nodeFlags[child] as number) & 3) !== 0) found.push(childName);
      visit(child, childName);
    }
  };
  visit(node, suffix);
  return found;
}

/**
 * Public suffixes strictly beneath `name` (ICANN or private), e.g. s3.amazonaws.com beneath
 * amazonaws.com; undefined when the PSL data cannot be read.
 */
export function publicSuffixesBeneath(name: string, limit = 3): string[] | undefined {
  if (trieIndex === undefined) trieIndex = loadTrie();
  if (trieIndex === null) return undefined;
  const index = trieIndex;
  const { edgeStart, rulesRoot } = index.trie;
  let node = rulesRoot;
  for (const label of name.split(".").reverse()) {
    let next: number | undefined;
    let wildcardEdge: number | undefined;
    for (let edge = edgeStart[node] as number; edge < (edgeStart[node + 1] as number); edge += 1) {
      const text = edgeLabel(index, edge);
      if (text === label) next = edge;
      else if (text === "*") wildcardEdge = edge;
    }
    const edge = next ?? wildcardEdge;
    if (edge === undefined) return [];
    node = index.trie.edgeChild[edge] as number;
  }
  return rulesUnder(index, node, name, limit);
}
