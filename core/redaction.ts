import { domainToASCII, domainToUnicode } from "url";
import { getDomain, getSubdomain } from "tldts";
import { escapeForDisplay } from "./display";

/** Placeholder shown wherever a secret value would otherwise appear. */
export const redacted = "[secret]";

/**
 * Redaction: what of a secret a message may not show.
 *
 * A policy (or the SDK, or the tool) may show a secret not as given but lower-cased, Unicode-
 * normalised, punycoded, percent-encoded, JSON-escaped, as a URL's host or a query value, as a
 * reformatted date, or cut short. So a message is compared with a secret in a folded form (NFKD,
 * combining marks such as accents dropped, case-folded, default-ignorable characters dropped),
 * each folded character mapped back to the original characters it came from; the message is
 * also compared with its percent-encoding and string escapes decoded. It is compared against
 * every rendering of the secret below, and what matches is replaced in the original message by
 * {@link redacted}.
 *
 * A token here is a run of letters, digits, marks, `_` and `-`: `intercom-messenger-secret-rotation`
 * is one token, `api.example.com/x` is three. A text stands "as whole tokens" where no such
 * character is glued to it on either side (`"*"` in quotes does; the `a` in `at` does not).
 * The rules, by what of the secret appears:
 * - the value itself, or a re-encoding of it (JSON escapes, display escapes, percent-encoding
 *   either way, punycode either way, the URL parser's normal form), or a date secret in any
 *   standard rendering (ISO, UTC, local, locale, epoch), a number with thousands separators:
 *   hidden wherever it appears when it is at least {@link valueAnywhereLength} characters long;
 *   shorter, wherever it stands as whole tokens, whatever its length (a one-letter secret hides
 *   the word "a": fail closed);
 * - a prefix of the value at least {@link edgeLength} characters long, from a token boundary to
 *   a token boundary (a truncated quote; the first word of a secret phrase, when that long), and
 *   likewise a suffix (the token after `Bearer `);
 * - a run of the value or of one of its parts at least {@link innerLength} characters long that
 *   starts and ends at token boundaries (a slice quoted on its own);
 * - a part at least {@link partLength} characters long (split on URL and header punctuation; a
 *   URL's host, path, path segments, query keys and values, user-info, registrable domain and
 *   subdomain; an email's domain), where it stands as whole tokens. Shorter parts (`com`, `api`,
 *   `v1`) are ordinary words and are not hidden on their own;
 * - a URL's host, host name and user-info, a bare host, an email's local part and domain: as
 *   whole tokens whatever their length (a rule names a parsed single-label host, `intra`).
 * Whitespace does not split a secret into parts: the words of a secret phrase are hidden
 * together (or as a prefix, suffix or long run), not one by one. Booleans and null are not
 * secrets to hide: they name no text.
 */
export const valueAnywhereLength = 8;
export const edgeLength = 8;
export const innerLength = 16;
export const partLength = 6;

/** Where a secret splits into parts a message could name on their own: a URL's host, a header's token. */
const partSeparators = /[/:?#@=&,;"'()[\]{}<>|\\]+/;

// ---------------------------------------------------------------------------------------------
// Folding: the form in which a message and a secret are compared.

/** A base character with the combining marks after it: folded (and mapped back) as one. */
const segmentPattern = /\P{M}\p{M}*|\p{M}+/gu;
const ignorable = /\p{Default_Ignorable_Code_Point}/gu;
const asciiOnly = /^\p{ASCII}*$/u;

const mark = /\p{M}/gu;

function foldSegment(segment: string): string {
  // NFKD folds compatibility forms (fullwidth letters, ligatures); dropping the marks it splits
  // off folds accents (é/e, and the dot of the Turkish İ); upper then lower case folds ß/SS, ſ/s
  // and the like together.
  const bare = segment.normalize("NFKD").replace(mark, "").toUpperCase().toLowerCase();
  return bare.normalize("NFKD").replace(mark, "").replace(ignorable, "");
}

/** The folded form of a text, without a map back (for secrets and tests). */
export function foldForComparison(text: string): string {
  if (asciiOnly.test(text)) return text.toLowerCase();
  let folded = "";
  for (const segment of text.match(segmentPattern) ?? []) folded += foldSegment(segment);
  return folded;
}

/** A rendering of a message: its text, and for each of its characters the original span it shows. */
interface Mapped {
  readonly text: string;
  /** Undefined when the rendering is the original text itself, character for character. */
  readonly start?: readonly number[];
  readonly end?: readonly number[];
}

function foldWithMap(text: string): Mapped {
  if (asciiOnly.test(text)) return { text: text.toLowerCase() };
  let folded = "";
  const start: number[] = [];
  const end: number[] = [];
  segmentPattern.lastIndex = 0;
  for (let match = segmentPattern.exec(text); match; match = segmentPattern.exec(text)) {
    const piece = foldSegment(match[0]);
    for (let i = 0; i < piece.length; i++) {
      start.push(match.index);
      end.push(match.index + match[0].length);
    }
    folded += piece;
  }
  return { text: folded, start, end };
}

/** `outer` is a rendering of `inner.text`; the result maps outer's characters to the original. */
function compose(outer: Mapped, inner: Mapped): Mapped {
  if (!inner.start || !inner.end) return outer;
  const innerStart = inner.start;
  const innerEnd = inner.end;
  const start: number[] = [];
  const end: number[] = [];
  for (let i = 0; i < outer.text.length; i++) {
    const from = outer.start ? (outer.start[i] as number) : i;
    const to = outer.end ? (outer.end[i] as number) : i + 1;
    start.push(innerStart[from] as number);
    end.push(innerEnd[to - 1] as number);
  }
  return { text: outer.text, start, end };
}

const escapeSequence = /(?:%[0-9a-f]{2})+|\\u\{[0-9a-f]{1,6}\}|(?:\\u[0-9a-f]{4})+|\\x[0-9a-f]{2}|\\[nrtbfv0"'\\/]/gi;
const simpleEscapes: Readonly<Record<string, string>> = { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f", v: "\v", "0": "\0" };

function decodeEscape(sequence: string): string | undefined {
  if (sequence.startsWith("%")) return attempt(() => decodeURIComponent(sequence));
  const kind = sequence[1] as string;
  if (kind === "u" && sequence[2] === "{") return attempt(() => String.fromCodePoint(parseInt(sequence.slice(3, -1), 16)));
  if (kind === "u" || kind === "U") {
    let decoded = "";
    for (let i = 0; i < sequence.length; i += 6) decoded += String.fromCharCode(parseInt(sequence.slice(i + 2, i + 6), 16));
    return decoded;
  }
  if (kind === "x" || kind === "X") return String.fromCharCode(parseInt(sequence.slice(2), 16));
  return simpleEscapes[kind] ?? kind;
}

/**
 * The message with percent-encoding and JSON/JavaScript string escapes decoded, each decoded
 * character mapped to the escape it came from; undefined when the message has none.
 */
function unescapedWithMap(message: string): Mapped | undefined {
  if (!message.includes("%") && !message.includes("\\")) return undefined;
  let text = "";
  const start: number[] = [];
  const end: number[] = [];
  let position = 0;
  const keep = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      start.push(i);
      end.push(i + 1);
    }
    text += message.slice(from, to);
  };
  escapeSequence.lastIndex = 0;
  for (let match = escapeSequence.exec(message); match; match = escapeSequence.exec(message)) {
    const decoded = decodeEscape(match[0]);
    if (decoded === undefined) continue;
    keep(position, match.index);
    for (let i = 0; i < decoded.length; i++) {
      start.push(match.index);
      end.push(match.index + match[0].length);
    }
    text += decoded;
    position = match.index + match[0].length;
  }
  if (position === 0) return undefined;
  keep(position, message.length);
  return { text, start, end };
}

const wordCharacter = /[\p{L}\p{N}\p{M}_-]/u;

function isWord(text: string, index: number): boolean {
  const character = text[index];
  return character !== undefined && wordCharacter.test(character);
}

/** Whether a match starting at `index` starts a token: nothing of a word glued before it. */
function startsToken(text: string, index: number): boolean {
  return index <= 0 || !isWord(text, index - 1);
}

/** Whether a match ending at `index` (exclusive) ends a token. */
function endsToken(text: string, index: number): boolean {
  return index >= text.length || !isWord(text, index);
}

// ---------------------------------------------------------------------------------------------
// Renderings: the texts a secret may be shown as.

function attempt(render: () => string | undefined): string | undefined {
  try {
    return render();
  } catch {
    return undefined;
  }
}

/** JSON string escaping with every non-ASCII character as \uXXXX, as some serializers write it. */
function asciiJson(text: string): string {
  return JSON.stringify(text)
    .slice(1, -1)
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Percent-decoding that keeps malformed sequences as they are. */
function percentDecoded(text: string): string {
  return text.replace(/(?:%[0-9a-f]{2})+/gi, (run) => attempt(() => decodeURIComponent(run)) ?? run);
}

/** The value as given, decoded, or in the other IDN form: what a message may name parts of. */
function plainRenderings(secret: string): string[] {
  return unique([
    secret,
    percentDecoded(secret),
    percentDecoded(secret.replace(/\+/g, " ")),
    domainToASCII(secret),
    domainToUnicode(secret),
    parseUrl(secret)?.href,
  ]);
}

/** The value and its re-encodings: each is treated like the value itself. */
function valueRenderings(secret: string): string[] {
  return unique([
    ...plainRenderings(secret),
    JSON.stringify(secret).slice(1, -1),
    asciiJson(secret),
    escapeForDisplay(secret),
    attempt(() => encodeURIComponent(secret)),
    attempt(() => encodeURI(secret)),
    new URLSearchParams([["", secret]]).toString().slice(1),
  ]);
}

/** A URL's pieces, and a bare host's (`host/path` without a scheme parses as https). */
function urlPieces(text: string): string[] {
  const bareHost = /^[^\s/?#@]+\.[^\s/?#]+(?:[/?#]|$)/.test(text) && !/\s/.test(text);
  const url = parseUrl(text) ?? (bareHost ? parseUrl(`https://${text}`) : undefined);
  if (!url) return [];
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  const segments = url.pathname.split("/");
  const query = [...url.searchParams].flat();
  return unique([
    url.host,
    hostname,
    domainToUnicode(hostname),
    getDomain(hostname) ?? undefined,
    getSubdomain(hostname) ?? undefined,
    url.pathname,
    percentDecoded(url.pathname),
    ...segments,
    ...segments.map(percentDecoded),
    url.search,
    url.search.slice(1),
    url.hash,
    url.hash.slice(1),
    ...query,
    url.username,
    url.password,
    percentDecoded(url.username),
    percentDecoded(url.password),
    url.origin === "null" ? undefined : url.origin,
  ]);
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** An email's domain in both IDN forms (its local part and domain are parts already). */
function emailPieces(text: string): string[] {
  const at = text.lastIndexOf("@");
  if (at < 0) return [];
  const domain = text.slice(at + 1);
  return unique([domain, domainToASCII(domain), domainToUnicode(domain)]);
}

/**
 * What names a place or an identity in a secret: a URL's host, host name and user-info, a bare
 * host, an email's local part and domain. A rule parses these out and names them (a single-label
 * host, `intra`), so they are hidden as whole tokens however short, unlike other parts.
 */
function identityPieces(text: string): string[] {
  const bareHost = /^[^\s/?#@:]+(?::\d+)?$/.test(text) && text.includes(".");
  const url = parseUrl(text) ?? (bareHost || /^[^\s/?#@]+\.[^\s/?#]+[/?#]/.test(text) ? parseUrl(`https://${text}`) : undefined);
  const pieces: Array<string | undefined> = [];
  if (url) {
    const hostname = url.hostname.replace(/^\[|\]$/g, "");
    pieces.push(
      url.host,
      hostname,
      attempt(() => domainToUnicode(hostname)),
      attempt(() => domainToASCII(hostname)),
    );
    pieces.push(url.username, url.password, percentDecoded(url.username), percentDecoded(url.password));
  }
  const at = text.lastIndexOf("@");
  if (at > 0 && !/[\s/]/.test(text)) {
    const domain = text.slice(at + 1);
    pieces.push(
      text.slice(0, at),
      domain,
      attempt(() => domainToASCII(domain)),
      attempt(() => domainToUnicode(domain)),
    );
  }
  return unique(pieces);
}

const dateShape = /\d{4}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}/;

/** A date secret in the renderings JavaScript's Date gives (ISO, UTC, local, locale, epoch). */
function dateRenderings(secret: string): string[] {
  if (!dateShape.test(secret) || !/[-/.:\s,]/.test(secret)) return [];
  const date = new Date(secret);
  const time = date.getTime();
  if (Number.isNaN(time)) return [];
  const iso = date.toISOString();
  return unique([
    iso,
    iso.slice(0, 10),
    iso.slice(0, 19),
    iso.slice(0, 16),
    date.toUTCString(),
    date.toString(),
    date.toDateString(),
    date.toJSON(),
    date.toLocaleDateString("en-US"),
    date.toLocaleDateString("en-GB"),
    date.toLocaleDateString("en-US", { dateStyle: "long" }),
    date.toLocaleDateString("en-US", { dateStyle: "medium" }),
    date.toLocaleDateString("en-GB", { dateStyle: "long" }),
    date.toLocaleString("en-US"),
    date.toLocaleString("en-GB"),
    date.toLocaleString("en-US", { timeZone: "UTC" }),
    String(time),
    String(Math.floor(time / 1000)),
  ]);
}

function numberRenderings(secret: string): string[] {
  if (!/^[-+]?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(secret.trim())) return [];
  const value = Number(secret);
  if (!Number.isFinite(value)) return [];
  return unique([String(value), value.toLocaleString("en-US"), value.toLocaleString("de-DE")]);
}

function unique(texts: readonly (string | undefined)[]): string[] {
  return [...new Set(texts.filter((t): t is string => t !== undefined && t !== ""))];
}

/** How a secret's renderings are matched. */
interface SecretForms {
  /** The value and its re-encodings, and date or number reformats. */
  readonly values: string[];
  /** Parts of the value: URL pieces, separator-split pieces, email domains. */
  readonly parts: string[];
  /** Hosts, user-info and email parts (see {@link identityPieces}): whole tokens whatever their length. */
  readonly identities: string[];
}

function formsOf(secret: string): SecretForms {
  const values = valueRenderings(secret);
  const formatted = [...dateRenderings(secret), ...numberRenderings(secret)];
  const plain = plainRenderings(secret);
  const identities = unique(plain.flatMap(identityPieces).filter((p) => !values.includes(p)));
  const parts = unique(
    plain
      .flatMap((rendering) => [...rendering.split(partSeparators), ...urlPieces(rendering), ...emailPieces(rendering)])
      .filter((p) => !values.includes(p) && !identities.includes(p)),
  );
  return { values: unique([...values, ...formatted]), parts, identities };
}

/**
 * Every text derived from a secret that redaction hides, folded (see {@link foldForComparison}):
 * `anywhere` may appear in no output at all, `wholeTokens` in no output as whole tokens. (Prefixes,
 * suffixes and long runs of the value are hidden too; see the rules above.)
 */
export function derivedForms(secret: string): { anywhere: string[]; wholeTokens: string[] } {
  const forms = formsOf(secret);
  const values = unique(forms.values.map(foldForComparison));
  const parts = unique(forms.parts.map(foldForComparison)).filter((p) => p.length >= partLength);
  const identities = unique(forms.identities.map(foldForComparison));
  return {
    anywhere: values.filter((v) => v.length >= valueAnywhereLength),
    wholeTokens: unique([...values.filter((v) => v.length < valueAnywhereLength), ...parts, ...identities]),
  };
}

// ---------------------------------------------------------------------------------------------
// Matching.

type Rule =
  | { readonly kind: "anywhere"; readonly text: string }
  | { readonly kind: "token"; readonly text: string }
  | { readonly kind: "head"; readonly value: string }
  | { readonly kind: "tail"; readonly value: string }
  | { readonly kind: "inner" };

const keyLength = 4;

interface Matcher {
  /** Rules by the first {@link keyLength} folded characters of the text they look for. */
  readonly byKey: Map<string, Rule[]>;
  /** Whole-token values shorter than {@link keyLength}, by length. */
  readonly shortTokens: Set<string>;
  readonly shortTokenLengths: readonly number[];
  readonly innerGrams: Set<string>;
}

function compile(secrets: readonly string[]): Matcher {
  const byKey = new Map<string, Rule[]>();
  const shortTokens = new Set<string>();
  const innerGrams = new Set<string>();
  const seen = new Set<string>();
  const add = (key: string, rule: Rule) => {
    const rules = byKey.get(key);
    if (rules) rules.push(rule);
    else byKey.set(key, [rule]);
  };
  const addToken = (folded: string) => {
    if (folded.length < keyLength) shortTokens.add(folded);
    else add(folded.slice(0, keyLength), { kind: "token", text: folded });
  };
  const addInner = (folded: string) => {
    for (let i = 0; i + innerLength <= folded.length; i++) {
      const gram = folded.slice(i, i + innerLength);
      if (!innerGrams.has(gram)) {
        innerGrams.add(gram);
        add(gram.slice(0, keyLength), { kind: "inner" });
      }
    }
  };
  for (const secret of new Set(secrets)) {
    if (secret === "") continue;
    const forms = formsOf(secret);
    for (const value of forms.values) {
      const folded = foldForComparison(value);
      if (folded === "" || seen.has(`v${folded}`)) continue;
      seen.add(`v${folded}`);
      if (folded.length < valueAnywhereLength) addToken(folded);
      else add(folded.slice(0, keyLength), { kind: "anywhere", text: folded });
      if (folded.length > edgeLength) {
        add(folded.slice(0, keyLength), { kind: "head", value: folded });
        add(folded.slice(folded.length - edgeLength, folded.length - edgeLength + keyLength), { kind: "tail", value: folded });
      }
      addInner(folded);
    }
    for (const part of forms.parts) {
      const folded = foldForComparison(part);
      if (folded.length < partLength || seen.has(`p${folded}`)) continue;
      seen.add(`p${folded}`);
      addToken(folded);
      addInner(folded);
    }
    for (const identity of forms.identities) {
      const folded = foldForComparison(identity);
      if (folded === "" || seen.has(`p${folded}`)) continue;
      seen.add(`p${folded}`);
      addToken(folded);
      addInner(folded);
    }
  }
  return { byKey, shortTokens, shortTokenLengths: [...new Set([...shortTokens].map((t) => t.length))], innerGrams };
}

/** Spans [start, end) of the folded message that show a secret. */
function secretSpans(matcher: Matcher, folded: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  const isWholeToken = (start: number, end: number) => startsToken(folded, start) && endsToken(folded, end);
  for (let i = 0; i < folded.length; i++) {
    for (const length of matcher.shortTokenLengths) {
      if (i + length <= folded.length && matcher.shortTokens.has(folded.slice(i, i + length)) && isWholeToken(i, i + length)) {
        spans.push([i, i + length]);
      }
    }
    const rules = matcher.byKey.get(folded.slice(i, i + keyLength));
    if (!rules) continue;
    let innerChecked = false;
    for (const rule of rules) {
      if (rule.kind === "anywhere") {
        if (folded.startsWith(rule.text, i)) spans.push([i, i + rule.text.length]);
      } else if (rule.kind === "token") {
        if (folded.startsWith(rule.text, i) && isWholeToken(i, i + rule.text.length)) spans.push([i, i + rule.text.length]);
      } else if (rule.kind === "inner") {
        if (innerChecked || !startsToken(folded, i)) continue;
        innerChecked = true;
        // Extend while every window of innerLength is a secret's, then back to a token boundary.
        let end = i;
        while (end + innerLength <= folded.length && matcher.innerGrams.has(folded.slice(end, end + innerLength))) end++;
        end += innerLength - 1;
        while (end >= i + innerLength && !endsToken(folded, end)) end--;
        if (end >= i + innerLength) spans.push([i, end]);
      } else if (rule.kind === "head") {
        if (!startsToken(folded, i)) continue;
        let length = 0;
        while (i + length < folded.length && length < rule.value.length && folded[i + length] === rule.value[length]) length++;
        // The cut ends a token too (a quote, an ellipsis): never half of a message's own word.
        while (length >= edgeLength && !endsToken(folded, i + length)) length--;
        if (length >= edgeLength) spans.push([i, i + length]);
      } else {
        // The tail's last character is at i + edgeLength - 1; the cut is on the left.
        const end = i + edgeLength;
        if (!folded.startsWith(rule.value.slice(rule.value.length - edgeLength), i) || !endsToken(folded, end)) continue;
        let length = 0;
        while (end - length > 0 && length < rule.value.length && folded[end - length - 1] === rule.value[rule.value.length - length - 1])
          length++;
        while (length >= edgeLength && !startsToken(folded, end - length)) length--;
        if (length >= edgeLength) spans.push([end - length, end]);
      }
    }
  }
  return spans;
}

/** Original spans of the message that show a secret, found in one rendering of it. */
function originalSpans(matcher: Matcher, rendering: Mapped): Array<[number, number]> {
  const text = rendering.text;
  const result: Array<[number, number]> = [];
  for (const span of secretSpans(matcher, text)) {
    let [start, end] = span;
    // Spaces around a match say nothing of the secret; keeping them keeps the message readable.
    while (start < end && /\s/.test(text[start] as string)) start++;
    while (end > start && /\s/.test(text[end - 1] as string)) end--;
    if (start === end) continue;
    result.push(rendering.start && rendering.end ? [rendering.start[start] as number, rendering.end[end - 1] as number] : [start, end]);
  }
  return result;
}

/** A function that redacts messages against the given secrets; build it once for many messages. */
export function secretRedactor(secrets: readonly string[]): (message: string) => string {
  const matcher = compile(secrets);
  if (matcher.byKey.size === 0 && matcher.shortTokens.size === 0) return (message) => message;
  return (message) => {
    // The message as written, and with its escapes decoded: both folded, both mapped back.
    const spans = originalSpans(matcher, foldWithMap(message));
    const unescaped = unescapedWithMap(message);
    if (unescaped) spans.push(...originalSpans(matcher, compose(foldWithMap(unescaped.text), unescaped)));
    if (spans.length === 0) return message;
    spans.sort((a, b) => a[0] - b[0]);
    let result = "";
    let position = 0;
    let current: [number, number] | undefined;
    for (const span of spans) {
      if (current && span[0] <= current[1]) {
        current[1] = Math.max(current[1], span[1]);
        continue;
      }
      if (current) {
        result += message.slice(position, current[0]) + redacted;
        position = current[1];
      }
      current = [span[0], span[1]];
    }
    if (current) result += message.slice(position, current[0]) + redacted;
    return result + message.slice(current ? current[1] : position);
  };
}

const redactorCache = new Map<string, (message: string) => string>();
const redactorCacheSize = 64;
/** The same list again (one stack's secrets, for each of its messages) skips even the key. */
const redactorByList = new WeakMap<readonly string[], (message: string) => string>();

/**
 * Replaces every text derived from the given secrets in a message (see the rules above). Policies
 * never interpolate secret fields; this covers values that arrived as secrets in any field, and
 * anything a policy derived from them.
 */
export function redactSecrets(message: string, secrets: readonly string[]): string {
  // An empty message (a Secure finding's) shows nothing: no redactor needs building for it.
  if (secrets.length === 0 || message === "") return message;
  let redactor = redactorByList.get(secrets);
  if (!redactor) {
    const key = secrets.join("\u0000");
    redactor = redactorCache.get(key);
    if (!redactor) {
      if (redactorCache.size >= redactorCacheSize) redactorCache.clear();
      redactor = secretRedactor(secrets);
      redactorCache.set(key, redactor);
    }
    redactorByList.set(secrets, redactor);
  }
  return redactor(message);
}

/**
 * Quotes a user-supplied value for a message. Never shortened here: a cut value would no longer
 * match the secret it came from, and redaction runs after the policy has written its message.
 */
export function show(value: unknown): string {
  const text = typeof value === "string" ? maskUrlCredentials(value) : (JSON.stringify(value) ?? String(value));
  return typeof value === "string" ? `"${text}"` : text;
}

/** A URL's user-info and query values may hold credentials: shown as `***`, the rest kept. */
function maskUrlCredentials(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s]*@/i, "$1***@").replace(/([?&][^=&#\s]+=)[^&#\s]*/g, "$1***");
}
