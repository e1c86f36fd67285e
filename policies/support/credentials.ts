/**
 * Credentials written straight into a Custom Action's request, recognised the way secret
 * scanners (gitleaks, detect-secrets, GitHub secret scanning) recognise them: by where they sit
 * (a header or query parameter named like a credential, a URL's user-info, the path of a
 * well-known webhook) and by what they look like (an auth scheme, a provider's token prefix, a
 * JWT, base64, a high-entropy string). Functions here say where a credential is and what kind it
 * is; they never return the value, nor a header's name (header names sit under a secret path).
 */

/** Why a value counts as a credential. Data, not text: the policy words its own messages. */
export type CredentialShape =
  | { readonly kind: "credential-name" }
  | { readonly kind: "unjudgeable-name" }
  | { readonly kind: "private-key" }
  | { readonly kind: "auth-scheme" }
  | { readonly kind: "token-prefix"; readonly provider: string }
  | { readonly kind: "jwt" }
  | { readonly kind: "base64" }
  | { readonly kind: "encoded-user-password" }
  | { readonly kind: "wrapped-literal" }
  | { readonly kind: "high-entropy" }
  | { readonly kind: "userinfo" }
  | { readonly kind: "webhook"; readonly provider: string }
  | { readonly kind: "unparseable-url" };

export type UrlPart = "userinfo" | "host" | "path" | "query" | "fragment" | "url";

export interface UrlCredential {
  readonly part: UrlPart;
  /** 1-based position of the query or fragment parameter, when the credential is in one. */
  readonly parameter?: number;
  readonly shape: CredentialShape;
}

// ---------------------------------------------------------------------------------------------
// Normalisation

/** NFKC folds look-alikes (fullwidth letters, ligatures); invisible format characters are dropped. */
export function normalizeText(text: string): string {
  return text.normalize("NFKC").replace(/\p{Default_Ignorable_Code_Point}/gu, "");
}

/**
 * Words that mark a header or parameter name as carrying a credential, matched anywhere in the
 * name once it is normalised (case folded, separators `-`, `_`, `.` and spaces removed). Broad on
 * purpose, as detect-secrets' keyword detector is: `X-Passenger` is a false positive its owner
 * silences by passing the value as a Pulumi secret, while a narrower list lets a credential in.
 */
export const credentialNameWords: readonly string[] = [
  "auth", // Authorization, Proxy-Authorization, X-Auth-Token, OAuth
  "key", // X-API-Key, Ocp-Apim-Subscription-Key, x-functions-key
  "token",
  "secret",
  "pass", // password, passwd, passphrase, passcode
  "pwd",
  "cookie", // Cookie, Set-Cookie
  "credential",
  "session",
  "signature",
  "bearer",
  "jwt",
  "hmac",
  "csrf",
  "xsrf",
];

/** Query parameters some services use for a credential under a name with no word above. */
const credentialQueryNames: ReadonlySet<string> = new Set(["sig", "code", "sid", "pw"]);

function foldName(name: string): string {
  return normalizeText(name)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "");
}

/**
 * How a header or parameter name marks its value: as a credential, as unjudgeable (a name that is
 * no HTTP token once look-alikes are folded, e.g. with Cyrillic letters, cannot be compared with
 * the words above, so it fails closed), or not at all.
 */
export function nameShape(name: string, extraNames: ReadonlySet<string> = new Set()): CredentialShape | undefined {
  const folded = foldName(name);
  if (folded === "" || /[^a-z0-9]/.test(folded)) return { kind: "unjudgeable-name" };
  if (credentialNameWords.some((word) => folded.includes(word)) || extraNames.has(folded)) return { kind: "credential-name" };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Value shapes

/**
 * Token formats whose prefix names the provider, from gitleaks' rules and the providers' own
 * documentation. The body lengths are lower bounds: a shorter body still is no ordinary word.
 */
const tokenPrefixes: readonly { readonly provider: string; readonly pattern: RegExp }[] = [
  { provider: "GitHub", pattern: /gh[pousr]_[A-Za-z0-9]{20,}/ },
  { provider: "GitHub", pattern: /github_pat_[A-Za-z0-9_]{20,}/ },
  { provider: "GitLab", pattern: /gl(?:pat|dt|rt|ptt|cbt|ft|imt|soat|oas|agent)-[A-Za-z0-9_-]{20,}/ },
  { provider: "Slack", pattern: /xox[a-z](?:\.xox[a-z])?-[A-Za-z0-9-]{10,}/ },
  { provider: "Slack", pattern: /xapp-\d-[A-Za-z0-9-]{10,}/ },
  { provider: "Stripe", pattern: /(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}/ },
  { provider: "Stripe", pattern: /whsec_[A-Za-z0-9+/]{20,}/ },
  { provider: "AWS", pattern: /(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}/ },
  { provider: "Google", pattern: /AIza[A-Za-z0-9_-]{35}/ },
  { provider: "Google", pattern: /ya29\.[A-Za-z0-9_-]{20,}/ },
  { provider: "Google", pattern: /GOCSPX-[A-Za-z0-9_-]{20,}/ },
  { provider: "OpenAI or Anthropic", pattern: /sk-(?:proj-|svcacct-|admin-|ant-)?[A-Za-z0-9_-]{20,}/ },
  { provider: "SendGrid", pattern: /SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/ },
  { provider: "Twilio", pattern: /SK[0-9a-fA-F]{32}/ },
  { provider: "Shopify", pattern: /shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}/ },
  { provider: "npm", pattern: /npm_[A-Za-z0-9]{36}/ },
  { provider: "PyPI", pattern: /pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{20,}/ },
  { provider: "Mailgun", pattern: /key-[0-9a-f]{32}/ },
  { provider: "Mailchimp", pattern: /[0-9a-f]{32}-us\d{1,2}/ },
  { provider: "HubSpot", pattern: /pat-(?:na|eu)\d-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/ },
  { provider: "Atlassian", pattern: /ATATT3[A-Za-z0-9_=-]{20,}/ },
  { provider: "Square", pattern: /sq0(?:atp|csp)-[A-Za-z0-9_-]{22,}/ },
  { provider: "Square", pattern: /EAAA[A-Za-z0-9_-]{60,}/ },
  { provider: "Hugging Face", pattern: /hf_[A-Za-z]{30,}/ },
  { provider: "DigitalOcean", pattern: /do[opr]_v1_[a-f0-9]{64}/ },
  { provider: "Linear", pattern: /lin_api_[A-Za-z0-9]{40}/ },
  { provider: "Postman", pattern: /PMAK-[a-f0-9]{24}-[a-f0-9]{34}/ },
  { provider: "Notion", pattern: /(?:secret_|ntn_)[A-Za-z0-9]{40,}/ },
  { provider: "Databricks", pattern: /dapi[a-f0-9]{32}/ },
  { provider: "Doppler", pattern: /dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,}/ },
  { provider: "HashiCorp Vault", pattern: /hv[sbr]\.[A-Za-z0-9_-]{24,}/ },
  { provider: "Grafana", pattern: /gl(?:sa|c)_[A-Za-z0-9_+/=-]{32,}/ },
  { provider: "New Relic", pattern: /NRAK-[A-Z0-9]{27}/ },
  { provider: "Sentry", pattern: /sntr[ysu]_[A-Za-z0-9+/=_-]{40,}/ },
  { provider: "Intercom", pattern: /dG9rO[A-Za-z0-9+/=_-]{20,}/ }, // base64 of "tok:"
  { provider: "Facebook", pattern: /EAA[A-Za-z0-9]{30,}/ },
  { provider: "age", pattern: /AGE-SECRET-KEY-1[0-9A-Z]{58}/ },
].map(({ provider, pattern }) => ({
  provider,
  // Not preceded by a letter or digit, so `desk-…` is no `sk-…` token.
  pattern: new RegExp(`(?<![A-Za-z0-9])${pattern.source}`),
}));

const privateKey = /-----BEGIN[A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/;

/** RFC 9110 and IANA's HTTP Authentication Scheme registry, plus common vendor schemes. */
const authScheme =
  /^\s*(basic|bearer|token|digest|negotiate|ntlm|hoba|mutual|dpop|gnap|vapid|privatetoken|scram-sha-1|scram-sha-256|aws4-hmac-sha256|apikey|api-key|sso-key|oauth|otoken|splunk|ssws|klaviyo-api-key)\s+\S/i;

/**
 * Minimum lengths and the entropy limit for opaque tokens. detect-secrets flags hex strings at
 * 3.0 bits per character and gitleaks' generic rule uses 3.5; both look only at strings long
 * enough to carry a key. Here a token of 16 base64 characters (12 bytes) or more, 12 when its
 * `=` padding already marks it as base64, or 20 hex characters (10 bytes), counts when its
 * Shannon entropy reaches 3.0 bits per character and it is not prose (see {@link isProseLike}).
 */
export const opaqueTokenLimits = {
  minLength: 16,
  minPaddedLength: 12,
  minHexLength: 20,
  minEntropy: 3.0,
  highEntropy: 3.5,
} as const;

/** Shannon entropy of a string, in bits per character. */
export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  const length = [...text].length;
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Longer letter runs than any word: random, not prose. */
const longestWord = 24;
/** Acronyms inside a camel-cased word are short: `XML`, `HTML`, `JSON`. */
const maxAcronym = 4;

/**
 * Whether a token reads as words or numbers rather than random characters: every piece between
 * `-`, `_`, `/`, `+` is a number, or camel-cased words (a word is two or more lowercase letters
 * after one capital, or an acronym of capitals; the first may be lowercase only), optionally
 * ending in up to four digits (`utf8`, `amd64`). `application/x-www-form-urlencoded` and
 * `XMLHttpRequest` are prose; `dXNlcjpwYXNz` is not. A scan, not a regex, so that no input can
 * make it backtrack.
 */
export function isProseLike(token: string): boolean {
  return token
    .split(/[-_/+]+/)
    .filter((piece) => piece !== "")
    .every(isProsePiece);
}

/** Common words of technical text that have no vowel. */
const vowelless: ReadonlySet<string> = new Set(
  "http https www xml html css svg png jpg gif pdf csv tsv txt cdn sdk rpc grpc tls ssl dns jwt sql smtp ftp ssh php xhr src std pkg cfg msg".split(
    " ",
  ),
);

function isProsePiece(piece: string): boolean {
  if (/^[0-9]+$/.test(piece)) return true;
  // An all-capitals word (`GET`, `OPTIONS`), possibly with a version (`AES256`).
  if (/^[A-Z]+[0-9]{0,4}$/.test(piece)) return piece.replace(/[0-9]+$/, "").length <= longestWord;
  const runs = piece.match(/[a-z]+|[A-Z]+|[0-9]+/g) ?? [];
  const last = runs[runs.length - 1] as string;
  if (/^[0-9]/.test(last)) {
    if (last.length > 4) return false;
    runs.pop();
  }
  return runs.every((run, i) => {
    if (/^[0-9]/.test(run)) return false;
    // Capitals: an acronym, then perhaps the capital of the next word (`XMLHttp`, `HTMLElement`).
    if (/^[A-Z]/.test(run)) return run.length <= maxAcronym + 1;
    // A word: the lowercase run with the capital before it. Words have vowels and no long
    // consonant clusters; random letters mostly do not.
    const word = i > 0 ? `${(runs[i - 1] as string).slice(-1)}${run}`.toLowerCase() : run;
    if (word.length > longestWord || /[^aeiouy]{5}/.test(run)) return false;
    if (vowelless.has(word) || (i === 0 && word.length === 1)) return true;
    return word.length >= 2 && /[aeiouy]/.test(run);
  });
}

function opaqueTokenShape(run: string): CredentialShape | undefined {
  const core = run.replace(/=+$/, "");
  const padding = run.length - core.length;
  if (core === "" || uuid.test(core) || isProseLike(core)) return undefined;
  const entropy = shannonEntropy(core);
  if (/^[0-9a-f]+$/.test(core) || /^[0-9A-F]+$/.test(core)) {
    return core.length >= opaqueTokenLimits.minHexLength && entropy >= opaqueTokenLimits.minEntropy ? { kind: "high-entropy" } : undefined;
  }
  const validPadding = padding === 0 || (padding <= 2 && run.length % 4 === 0);
  if (!validPadding) return undefined;
  const longEnough = core.length >= opaqueTokenLimits.minLength || (padding > 0 && run.length >= opaqueTokenLimits.minPaddedLength);
  if (!longEnough || entropy < opaqueTokenLimits.minEntropy) return undefined;
  return core.length >= 20 && entropy >= opaqueTokenLimits.highEntropy ? { kind: "high-entropy" } : { kind: "base64" };
}

/** Base64 text (either alphabet) that decodes to a JSON object: a JOSE header. */
function isJoseHeader(segment: string): boolean {
  const decoded = Buffer.from(segment.replace(/=+$/, ""), "base64").toString("utf8").trimStart();
  return decoded.startsWith("{") && decoded.includes('"');
}

const jwtCandidate = /(?<![A-Za-z0-9_-])([A-Za-z0-9_-]{2,}=*)\.([A-Za-z0-9_-]{2,}=*)\.([A-Za-z0-9_-]*=*)/g;

function hasJwt(text: string): boolean {
  for (const match of text.matchAll(jwtCandidate)) {
    if (isJoseHeader(match[1] as string)) return true;
  }
  return false;
}

/** Decodes whole buffers (never streamed), so one decoder serves every call: it keeps no state between them. */
const utf8 = new TextDecoder("utf-8", { fatal: false });

/** What a decoded `user:password` pair looks like: printable, no space, one side of a colon each. */
const userPassword = /^[^:\s]+:\S+$/u;

/**
 * Whether a run of base64 (either alphabet, with or without padding) decodes exactly (it is the
 * canonical encoding of what it decodes to) to printable text shaped like `user:password`, the
 * form HTTP Basic credentials take. Any length and any entropy: `YWRtaW46YWRtaW4=` is admin:admin.
 */
function isEncodedUserPassword(run: string): boolean {
  const core = run.replace(/=+$/, "").replace(/-/g, "+").replace(/_/g, "/");
  if (core.length < 4 || core.length % 4 === 1 || /[^A-Za-z0-9+/]/.test(core)) return false;
  const bytes = Buffer.from(core, "base64");
  if (bytes.toString("base64").replace(/=+$/, "") !== core) return false;
  const text = utf8.decode(bytes);
  if (text.includes("\uFFFD") || /[\p{Cc}\p{Cf}]/u.test(text)) return false;
  return userPassword.test(text);
}

/** Base64 runs in a text, whole and split at the characters a run may also be joined by. */
function base64Candidates(text: string): string[] {
  const runs = text.match(/[A-Za-z0-9+/_-]{4,}=*/g) ?? [];
  return [...runs, ...runs.flatMap((run) => (/[+/_-]/.test(run) ? run.split(/[+/_-]+/).filter((piece) => piece.length >= 4) : []))];
}

export interface ShapeOptions {
  /** Also judge opaque tokens by entropy (not for URL paths, where ids look random). */
  readonly opaqueTokens?: boolean;
  /** Also recognise a leading auth scheme (header values). */
  readonly authScheme?: boolean;
}

/** What a value looks like, most specific first; empty when it looks like no credential. */
export function valueShapes(value: string, options: ShapeOptions = {}): CredentialShape[] {
  const text = normalizeText(value);
  const shapes: CredentialShape[] = [];
  if (privateKey.test(text)) shapes.push({ kind: "private-key" });
  if (options.authScheme !== false && authScheme.test(text)) shapes.push({ kind: "auth-scheme" });
  for (const { provider, pattern } of tokenPrefixes) {
    if (pattern.test(text)) {
      shapes.push({ kind: "token-prefix", provider });
      break;
    }
  }
  if (hasJwt(text)) shapes.push({ kind: "jwt" });
  if (base64Candidates(text).some(isEncodedUserPassword)) shapes.push({ kind: "encoded-user-password" });
  // `{{Tr0ub4dor3xx}}`: the form of a reference to a stored token around something no token name is.
  if (
    [...text.matchAll(reference)].some(([, inner]) => /^\S+$/.test((inner as string).trim()) && !isReferenceName((inner as string).trim()))
  ) {
    shapes.push({ kind: "wrapped-literal" });
  }
  if (options.opaqueTokens !== false) {
    for (const run of text.match(/[A-Za-z0-9+/_-]+=*/g) ?? []) {
      const shape = opaqueTokenShape(run);
      if (shape) {
        shapes.push(shape);
        break;
      }
    }
  }
  return shapes;
}

// ---------------------------------------------------------------------------------------------
// References to tokens stored in Intercom

const reference = /\{\{([^{}]*)\}\}/g;

/**
 * Whether the text inside `{{…}}` reads as the name of a stored token (`orders_token`,
 * `crm.apiKey`, `API_KEY_V2`): words and short numbers. Anything else in braces is a literal
 * wrapped to look like a reference (`{{dXNlcjpwYXNz}}`, `{{Tr0ub4dor3xx}}`).
 */
function isReferenceName(name: string): boolean {
  if (!/^[A-Za-z0-9_.-]+$/.test(name) || valueShapes(name).length > 0) return false;
  // Each piece: words as isProseLike reads them, or one-case letters (`csrf`, `API`) with perhaps
  // a short number after them (`v2`, `token2024`). Digits between letters, or mixed-case letters
  // that are no words, are how passwords and keys look, not token names.
  return name
    .split(/[._-]/)
    .every(
      (piece) => piece === "" || isProseLike(piece) || /^(?:[a-z]{1,24}|[A-Z]{1,24})[0-9]{0,4}$/.test(piece) || /^[0-9]{1,8}$/.test(piece),
    );
}

/**
 * A value that is only references to tokens stored in Intercom, e.g. `{{token}}`,
 * `Bearer {{token}}` or `session={{token}}; lang={{locale}}`: without the references, only an
 * auth scheme or cookie names remain. A "reference" whose content is itself credential-shaped or
 * no name at all (see isReferenceName), or braces that are look-alikes, are literals.
 */
export function isOnlyReferences(value: string): boolean {
  let references = 0;
  let literalInside = false;
  const rest = value.replace(reference, (_match, inner: string) => {
    const name = inner.trim();
    if (!isReferenceName(name)) literalInside = true;
    references += 1;
    return " ";
  });
  if (literalInside || references === 0) return false;
  const pieces = rest
    .split(/[;,]/)
    .map((piece) => piece.trim())
    .filter((piece) => piece !== "");
  return pieces.every(
    (piece, index) =>
      (index === 0 && /^(bearer|basic|token|digest)$/i.test(piece)) ||
      (/^[A-Za-z0-9_.-]+=$/.test(piece) && valueShapes(piece.slice(0, -1)).length === 0),
  );
}

function isBlank(value: string): boolean {
  return normalizeText(value).trim() === "";
}

// ---------------------------------------------------------------------------------------------
// Headers

/** Why this header carries a literal credential, or undefined when it does not. */
export function headerCredential(name: string, value: string): CredentialShape | undefined {
  // A token written as the header's name is a literal too, whatever the value. Names are matched
  // case-insensitively over HTTP, so their casing says nothing: no entropy test on them.
  const nameItself = valueShapes(name, { authScheme: false, opaqueTokens: false })[0];
  if (isBlank(value) || isOnlyReferences(value)) return nameItself;
  return nameShape(name) ?? valueShapes(value)[0] ?? nameItself;
}

/** One entry per header that carries a literal credential: why, never which (the names are secret). */
export function headerCredentials(
  headers: Readonly<Record<string, string>> | undefined,
  givenAsSecrets: readonly string[] = [],
): CredentialShape[] {
  const secret = new Set(givenAsSecrets);
  return Object.entries(headers ?? {})
    .filter(([name]) => !secret.has(name))
    .flatMap(([name, value]) => headerCredential(name, value) ?? []);
}

// ---------------------------------------------------------------------------------------------
// URLs

/**
 * Webhook URLs whose path (or host) is itself the credential: anyone who has the URL can post.
 * Hosts compare after the URL parser's IDNA mapping and lower-casing, without a trailing dot.
 */
const webhookFormats: readonly {
  readonly provider: string;
  readonly host: (host: string) => boolean;
  readonly path: RegExp;
}[] = [
  {
    provider: "Slack",
    host: (h) => h === "hooks.slack.com" || h === "hooks.slack-gov.com",
    path: /^\/(services|workflows|triggers)\/[^/]+/i,
  },
  {
    provider: "Discord",
    host: (h) =>
      ["discord.com", "discordapp.com", "canary.discord.com", "ptb.discord.com", "canary.discordapp.com", "ptb.discordapp.com"].includes(h),
    path: /^\/api\/(v\d+\/)?webhooks\/[^/]+\/[^/]+/i,
  },
  { provider: "Microsoft Teams", host: (h) => h.endsWith(".webhook.office.com"), path: /^\/webhook(b2)?\/[^/]+/i },
  {
    provider: "Microsoft Teams",
    host: (h) => ["outlook.office.com", "outlook.office365.com"].includes(h),
    path: /^\/webhook(b2)?\/[^/]+/i,
  },
  { provider: "Zapier", host: (h) => h === "hooks.zapier.com", path: /^\/hooks\/(catch|standard)\/[^/]+\/[^/]+/i },
  { provider: "IFTTT", host: (h) => h === "maker.ifttt.com", path: /^\/(trigger\/[^/]+\/(json\/)?with\/key|use)\/[^/]+/i },
  { provider: "Make", host: (h) => h === "hook.integromat.com" || /^hook\.[a-z0-9-]+\.make\.com$/.test(h), path: /^\/[^/]+/ },
  { provider: "Pipedream", host: (h) => h.endsWith(".m.pipedream.net"), path: /^/ },
  { provider: "Telegram", host: (h) => h === "api.telegram.org", path: /^\/(file\/)?bot[^/]+/i },
  {
    provider: "Feishu/Lark",
    host: (h) => h === "open.feishu.cn" || h === "open.larksuite.com",
    path: /^\/open-apis\/bot\/v\d+\/hook\/[^/]+/i,
  },
  { provider: "Webex", host: (h) => h === "webexapis.com", path: /^\/v1\/webhooks\/incoming\/[^/]+/i },
];

function decode(component: string): string {
  try {
    return decodeURIComponent(component);
  } catch {
    return component;
  }
}

/** How deep a parameter is decoded again when decoding revealed more parameters. */
const maxParameterDecoding = 3;

/**
 * The name and value pairs in a query string or fragment, as any server might read them: split
 * on `&` and `;`, `+` read as a space, percent-decoded (until stable), and split again when
 * decoding revealed separators (`ApiKey%3Dhunter2`, `q=a%26token%3Dhunter2`). Each pair keeps the
 * 1-based position of the top-level piece it came from.
 */
function parametersIn(text: string): Array<{ position: number; name: string; value: string }> {
  const found: Array<{ position: number; name: string; value: string }> = [];
  const pending = text
    .split(/[&;]/)
    .map((piece, i) => ({ piece, position: i + 1, depth: 0 }))
    .reverse();
  for (let item = pending.pop(); item; item = pending.pop()) {
    const decoded = decodeFully(item.piece.replace(/\+/g, " "));
    const separator = decoded.indexOf("=");
    const name = separator < 0 ? decoded : decoded.slice(0, separator);
    const value = separator < 0 ? "" : decoded.slice(separator + 1);
    if (item.depth < maxParameterDecoding && decoded !== item.piece && /[&;]/.test(decoded)) {
      // Decoding revealed separators: read what it revealed as parameters of their own.
      pending.push(
        ...decoded
          .split(/[&;]/)
          .map((piece) => ({ piece, position: item.position, depth: item.depth + 1 }))
          .reverse(),
      );
    } else if (item.piece !== "") {
      found.push({ position: item.position, name, value });
    }
  }
  return found;
}

function decodeFully(component: string): string {
  let current = component;
  for (let i = 0; i < maxParameterDecoding; i += 1) {
    const next = decode(current);
    if (next === current) break;
    current = next;
  }
  return current;
}

function parameterCredentials(part: "query" | "fragment", text: string): UrlCredential[] {
  const found: UrlCredential[] = [];
  for (const { position, name, value } of parametersIn(text)) {
    const literal = !isBlank(value) && !isOnlyReferences(value);
    const byName = literal ? nameShape(name, credentialQueryNames) : undefined;
    const shape = byName ?? (isOnlyReferences(value) ? undefined : valueShapes(value)[0]) ?? valueShapes(name)[0];
    if (shape && !found.some((f) => f.parameter === position)) found.push({ part, parameter: position, shape });
  }
  return found;
}

/**
 * A URL path as a webhook's server routes it: percent-decoded (until stable) and with repeated
 * slashes collapsed, so `//services/…` or `/%73ervices/…` is still Slack's webhook path.
 */
function routedPath(pathname: string): string {
  return decodeFully(pathname).replace(/\/{2,}/g, "/");
}

/** Where a URL carries a literal credential, and what kind. Empty for a clean URL. */
export function urlCredentials(rawUrl: string): UrlCredential[] {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    // A URL this parser cannot read cannot be shown to be free of credentials.
    return [{ part: "url", shape: { kind: "unparseable-url" } }];
  }
  const found: UrlCredential[] = [];

  const userinfo = [url.username, url.password].map(decode).filter((part) => part !== "");
  if (userinfo.length > 0 && !userinfo.every(isOnlyReferences)) found.push({ part: "userinfo", shape: { kind: "userinfo" } });

  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  // A token as a subdomain (lower-cased by the parser, so only lower-case prefixes still show).
  const inHost = host
    .split(".")
    .map((label) => valueShapes(label, { opaqueTokens: false, authScheme: false })[0])
    .find((shape) => shape !== undefined);
  if (inHost) found.push({ part: "host", shape: inHost });
  const path = routedPath(url.pathname);
  const webhook = webhookFormats.find((format) => format.host(host) && format.path.test(path));
  if (webhook) found.push({ part: "path", shape: { kind: "webhook", provider: webhook.provider } });
  else {
    // Paths are full of random-looking ids: only token prefixes and JWTs count there.
    const segment = url.pathname
      .split("/")
      .map(decode)
      .map((s) => valueShapes(s, { opaqueTokens: false, authScheme: false })[0])
      .find((shape) => shape !== undefined);
    if (segment) found.push({ part: "path", shape: segment });
  }

  found.push(...parameterCredentials("query", url.search.replace(/^\?/, "")));

  const rawFragment = url.hash.replace(/^#/, "");
  const fragment = decodeFully(rawFragment);
  if (fragment !== "") {
    const inParameters = fragment.includes("=") ? parameterCredentials("fragment", rawFragment) : [];
    if (inParameters.length > 0) found.push(...inParameters);
    else {
      const shape = isOnlyReferences(fragment) ? undefined : valueShapes(fragment)[0];
      if (shape) found.push({ part: "fragment", shape });
    }
  }
  return found;
}
