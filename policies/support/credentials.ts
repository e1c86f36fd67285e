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
  return normalizeText(name).toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
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
  "http https www xml html css svg png jpg gif pdf csv tsv txt cdn sdk rpc grpc tls ssl dns jwt sql smtp ftp ssh php xhr src std pkg cfg msg".split(" "),
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
 * A value that is only references to tokens stored in Intercom, e.g. `{{token}}`,
 * `Bearer {{token}}` or `session={{token}}; lang={{locale}}`: without the references, only an
 * auth scheme or cookie names remain. A "reference" whose name is itself credential-shaped, or
 * braces that are look-alikes, are literals.
 */
export function isOnlyReferences(value: string): boolean {
  let references = 0;
  let literalInside = false;
  const rest = value.replace(reference, (_match, inner: string) => {
    const name = inner.trim();
    if (!/^[A-Za-z0-9_.-]+$/.test(name) || valueShapes(name).length > 0) literalInside = true;
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
  { provider: "Slack", host: (h) => h === "hooks.slack.com", path: /^\/(services|workflows|triggers)\/[^/]+/i },
  {
    provider: "Discord",
    host: (h) => ["discord.com", "discordapp.com", "canary.discord.com", "ptb.discord.com"].includes(h),
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

function parameterCredentials(part: "query" | "fragment", params: URLSearchParams): UrlCredential[] {
  const found: UrlCredential[] = [];
  let position = 0;
  for (const [name, value] of params) {
    position += 1;
    const literal = !isBlank(value) && !isOnlyReferences(value);
    const byName = literal ? nameShape(name, credentialQueryNames) : undefined;
    const shape = byName ?? (isOnlyReferences(value) ? undefined : valueShapes(value)[0]) ?? valueShapes(name)[0];
    if (shape) found.push({ part, parameter: position, shape });
  }
  return found;
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
  const webhook = webhookFormats.find((format) => format.host(host) && format.path.test(url.pathname));
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

  found.push(...parameterCredentials("query", url.searchParams));

  const fragment = decode(url.hash.replace(/^#/, ""));
  if (fragment !== "") {
    const inParameters = fragment.includes("=") ? parameterCredentials("fragment", new URLSearchParams(fragment)) : [];
    if (inParameters.length > 0) found.push(...inParameters);
    else {
      const shape = isOnlyReferences(fragment) ? undefined : valueShapes(fragment)[0];
      if (shape) found.push({ part: "fragment", shape });
    }
  }
  return found;
}
