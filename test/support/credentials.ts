/**
 * Generators for the credential classes intercom-custom-action-no-literal-credentials must
 * recognise, and for the ordinary values it must let through. Shared by the policy spec, the
 * Analyzer-protocol suite and the preview suite, so all three grade the same classes.
 *
 * Random material comes from fc.noBias byte arrays: fast-check's usual bias towards small and
 * repeated values would produce "tokens" like `aaaa`, which are no member of a random-token class.
 */
import fc from "fast-check";

// ---------------------------------------------------------------------------------------------
// Helpers

/** Shannon entropy in bits per character, computed here independently of the policy's support code. */
export function entropyOf(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) entropy -= (count / text.length) * Math.log2(count / text.length);
  return entropy;
}

const randomBytes = (min: number, max: number) => fc.noBias(fc.uint8Array({ minLength: min, maxLength: max }));

/** `length` characters drawn uniformly (no bias) from `alphabet`. */
export function randomText(alphabet: string, length: number): fc.Arbitrary<string> {
  return fc
    .noBias(fc.array(fc.nat({ max: alphabet.length - 1 }), { minLength: length, maxLength: length }))
    .map((indices) => indices.map((i) => alphabet[i]).join(""));
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const upperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const hex = "0123456789abcdef";
const base64url = `${alnum}_-`;

/** Each letter upper- or lower-cased at random. */
function randomCasing(text: string): fc.Arbitrary<string> {
  return fc
    .array(fc.boolean(), { minLength: text.length, maxLength: text.length })
    .map((upper) => [...text].map((char, i) => (upper[i] ? char.toUpperCase() : char.toLowerCase())).join(""));
}

/** Fullwidth look-alikes of ASCII letters, which NFKC folds back. */
function fullwidth(text: string): string {
  return [...text].map((char) => (/[A-Za-z]/.test(char) ? String.fromCodePoint(char.codePointAt(0)! - 0x21 + 0xff01) : char)).join("");
}

// ---------------------------------------------------------------------------------------------
// Header names

const schemeHeaderNames = ["Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie"];
const nameWords = [
  "key",
  "token",
  "auth",
  "secret",
  "pass",
  "password",
  "passwd",
  "apikey",
  "api key",
  "session",
  "credential",
  "signature",
  "access token",
  "client secret",
  "auth token",
  "subscription key",
];
const namePrefixes = ["", "x", "x api", "ocp apim", "client", "my service", "partner", "upstream"];
const nameSuffixes = ["", "id", "value", "v2", "header"];

/** Header (or parameter) names of every credential family, in random casing and separators, some with look-alikes. */
export const credentialName: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom(...schemeHeaderNames).map((name) => name.replace(/-/g, " ")),
    fc
      .tuple(fc.constantFrom(...namePrefixes), fc.constantFrom(...nameWords), fc.constantFrom(...nameSuffixes))
      .map((parts) => parts.filter((p) => p !== "").join(" ")),
  )
  .chain((spaced) =>
    fc
      .tuple(
        randomCasing(spaced),
        fc.constantFrom("-", "_", " ", "", "-"),
        fc.constantFrom("plain", "plain", "plain", "fullwidth", "zero-width"),
      )
      .map(([cased, separator, disguise]) => {
        const joined = cased.split(" ").join(separator);
        if (disguise === "fullwidth") return fullwidth(joined);
        if (disguise === "zero-width") return joined.replace(/(?<=^.)/, "\u200b");
        return joined;
      }),
  );

/** Names with no credential word: what ordinary headers are called. */
export const ordinaryHeaderName = fc
  .constantFrom(
    "Content-Type",
    "Accept",
    "Accept-Language",
    "Cache-Control",
    "X-Request-Id",
    "X-Correlation-Id",
    "X-Request-Source",
    "User-Agent",
    "X-Intercom-Region",
  )
  .chain(randomCasing);

// ---------------------------------------------------------------------------------------------
// Credential values

const schemes = ["Basic", "Bearer", "Token", "Digest"];

/** `Scheme credentials`, any casing; the credentials low-entropy or not. */
const authSchemeValue = fc
  .tuple(
    fc.constantFrom(...schemes).chain(randomCasing),
    fc.oneof(randomText(alnum, 12), fc.constantFrom("hunter2", "admin:admin", "letmein", 'username="svc", response="6629fae4"')),
  )
  .map(([scheme, credential]) => `${scheme} ${credential}`);

/** Base64 (standard or URL-safe) of 16 to 48 random bytes, with its padding, without it, or with a wrong amount. */
const base64Value = fc.tuple(randomBytes(16, 48), fc.boolean(), fc.constantFrom("kept", "stripped")).map(([bytes, urlSafe, padding]) => {
  const text = Buffer.from(bytes).toString(urlSafe ? "base64url" : "base64");
  const core = text.replace(/=+$/, "");
  return padding === "stripped" ? core : core.padEnd(Math.ceil(core.length / 4) * 4, "=");
});

/** Provider tokens: each prefix with a random body of the provider's length. */
const prefixedToken: fc.Arbitrary<string> = fc.oneof(
  randomText(alnum, 36).chain((body) => fc.constantFrom("ghp_", "gho_", "ghu_", "ghs_", "ghr_").map((p) => p + body)),
  randomText(`${alnum}_`, 82).map((body) => `github_pat_${body}`),
  fc
    .tuple(fc.constantFrom("xoxb", "xoxp", "xoxa", "xoxe", "xoxs"), randomText("0123456789", 12), randomText(alnum, 24))
    .map(([p, team, body]) => `${p}-${team}-${body}`),
  fc.tuple(fc.constantFrom("sk_live_", "rk_live_", "sk_test_"), randomText(alnum, 24)).map(([p, body]) => p + body),
  fc.tuple(fc.constantFrom("AKIA", "ASIA"), randomText(upperAlnum, 16)).map(([p, body]) => p + body),
  randomText(base64url, 35).map((body) => `AIza${body}`),
  fc.tuple(fc.constantFrom("sk-", "sk-proj-"), randomText(alnum, 48)).map(([p, body]) => p + body),
  fc.tuple(randomText(base64url, 22), randomText(base64url, 43)).map(([a, b]) => `SG.${a}.${b}`),
  randomText(hex, 32).map((body) => `SK${body}`),
  fc.tuple(fc.constantFrom("shpat_", "shpss_"), randomText(hex, 32)).map(([p, body]) => p + body),
  randomText(alnum, 36).map((body) => `npm_${body}`),
  randomText(base64url, 20).map((body) => `glpat-${body}`),
);

function base64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** JWTs: a JOSE header and claims of random content, signed (random bytes) or unsigned. */
const jwt = fc
  .tuple(
    fc.constantFrom("HS256", "RS256", "ES256", "none"),
    fc.dictionary(fc.constantFrom("sub", "iss", "aud", "exp", "scope", "email"), fc.oneof(fc.string(), fc.integer())),
    randomBytes(32, 64),
  )
  .map(([alg, claims, signature]) =>
    [base64urlJson({ alg, typ: "JWT" }), base64urlJson(claims), alg === "none" ? "" : Buffer.from(signature).toString("base64url")].join(
      ".",
    ),
  );

/**
 * High-entropy strings: random hex of 32 to 64 characters, or random alphanumerics of 24 to 64,
 * kept when their entropy reaches the documented limits (3.0 bits per character for hex, 3.5
 * otherwise), as detect-secrets and gitleaks measure it.
 */
const highEntropy = fc
  .oneof(
    fc.integer({ min: 32, max: 64 }).chain((n) => randomText(hex, n)),
    fc.integer({ min: 24, max: 64 }).chain((n) => randomText(alnum, n)),
  )
  .filter((text) => entropyOf(text) >= (/^[0-9a-f]+$/.test(text) ? 3.0 : 3.5));

const privateKeyValue = randomText(base64url, 64).map((body) => `-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----`);

/** Printable ASCII but for the space and the colon: what a user name may hold. */
const userNameAlphabet = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i))
  .filter((c) => c !== ":")
  .join("");
const passwordAlphabet = `${userNameAlphabet}:`;

/**
 * `user:password` base64-encoded without a scheme, as HTTP Basic credentials are, at any length
 * and entropy (`YWRtaW46YWRtaW4=` is admin:admin): either alphabet, padding kept or stripped.
 */
export const encodedUserPassword = fc
  .tuple(
    fc.oneof(
      fc.constantFrom("user", "admin", "root", "svc", "api"),
      fc.integer({ min: 1, max: 12 }).chain((n) => randomText(userNameAlphabet, n)),
    ),
    fc.oneof(
      fc.constantFrom("pass", "admin", "root", "hunter2", "x"),
      fc.integer({ min: 1, max: 24 }).chain((n) => randomText(passwordAlphabet, n)),
    ),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([user, password, urlSafe, stripped]) => {
    const text = Buffer.from(`${user}:${password}`).toString(urlSafe ? "base64url" : "base64");
    const core = text.replace(/=+$/, "");
    return stripped ? core : core.padEnd(Math.ceil(core.length / 4) * 4, "=");
  });

/** A password-like literal (letters with digits between them) or encoded credentials wrapped in `{{…}}` to pass as a reference. */
export const wrappedLiteral = fc
  .tuple(
    fc.oneof(
      encodedUserPassword.filter((encoded) => !encoded.includes("{") && !encoded.includes("}")),
      fc
        .tuple(
          randomText("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", 4),
          randomText("0123456789", 1),
          randomText("abcdefghijklmnopqrstuvwxyz", 3),
          randomText("0123456789", 1),
          randomText(alnum, 3),
        )
        .map((parts) => parts.join("")),
    ),
    fc.constantFrom("Basic {{X}}", "Bearer {{X}}", "Token {{ X }}", "{{X}}"),
  )
  .map(([literal, form]) => form.replace("X", literal));

export type ValueFamily =
  "auth-scheme" | "base64" | "token-prefix" | "jwt" | "high-entropy" | "private-key" | "encoded-user-password" | "wrapped-literal";

/** A credential value and the family it was drawn from. */
export const credentialValue: fc.Arbitrary<{ family: ValueFamily; value: string }> = fc.oneof(
  authSchemeValue.map((value) => ({ family: "auth-scheme" as const, value })),
  base64Value.map((value) => ({ family: "base64" as const, value })),
  prefixedToken.map((value) => ({ family: "token-prefix" as const, value })),
  jwt.map((value) => ({ family: "jwt" as const, value })),
  highEntropy.map((value) => ({ family: "high-entropy" as const, value })),
  privateKeyValue.map((value) => ({ family: "private-key" as const, value })),
  encodedUserPassword.map((value) => ({ family: "encoded-user-password" as const, value })),
  wrappedLiteral.map((value) => ({ family: "wrapped-literal" as const, value })),
);

/** Any non-blank literal a credential-named header might hold, including low-entropy passwords. */
export const literalUnderCredentialName = fc.oneof(
  credentialValue.map((c) => c.value),
  fc.constantFrom("hunter2", "abc123", "admin", "session=abc123", "0123456789abcdef", "changeme"),
  fc.string({ minLength: 1, maxLength: 24 }).filter((s) => s.trim() !== "" && !s.includes("{{")),
);

// ---------------------------------------------------------------------------------------------
// Headers

/** A credential-bearing header: a credential-named one, or any name with a credential-shaped value. */
export const credentialHeader: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.tuple(credentialName, literalUnderCredentialName),
  fc.tuple(
    fc.oneof(ordinaryHeaderName, fc.constantFrom("X-Custom", "X-Upstream-Context", "X-Partner")),
    credentialValue.map((c) => c.value),
  ),
);

const identifier = fc
  .tuple(fc.constantFrom("orders", "crm", "billing", "shop", "api"), fc.constantFrom("token", "key", "secret", "api_token"))
  .map((parts) => parts.join("_"));

/** A reference to a token stored in Intercom, in the forms a header holds it. */
export const tokenReference = identifier.chain((name) =>
  fc.constantFrom(
    `{{${name}}}`,
    `Bearer {{${name}}}`,
    `bearer {{ ${name} }}`,
    `Token {{${name}}}`,
    `session={{${name}}}`,
    `Basic {{${name}}}`,
  ),
);

/** Low-entropy ordinary values: content types, words, small ids. */
export const ordinaryValue = fc.oneof(
  fc.constantFrom(
    "application/json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "application/vnd.api+json",
    "multipart/form-data",
    "en-US,en;q=0.9",
    "no-cache",
    "intercom",
  ),
  fc.tuple(fc.constantFrom("req", "intercom", "order", "lookup"), fc.nat({ max: 99999 })).map(([word, n]) => `${word}-${n}`),
  fc.constantFrom("Intercom-Custom-Action/1.0", "us", "eu", "orders-service"),
);

/** Ordinary headers and token references: what must pass. */
export const safeHeaders: fc.Arbitrary<Record<string, string>> = fc
  .tuple(
    fc.uniqueArray(fc.tuple(ordinaryHeaderName, ordinaryValue), { maxLength: 4, selector: ([name]) => name.toLowerCase() }),
    fc.option(fc.tuple(credentialName, tokenReference), { nil: undefined }),
  )
  .map(([ordinary, reference]) => Object.fromEntries([...ordinary, ...(reference ? [reference] : [])]));

// ---------------------------------------------------------------------------------------------
// URLs

const hostCasing = (host: string) => fc.tuple(randomCasing(host), fc.boolean()).map(([h, dot]) => (dot ? `${h}.` : h));

/** Webhook URLs whose path is the credential. */
const webhookUrl = fc.oneof(
  fc
    .tuple(hostCasing("hooks.slack.com"), randomText(upperAlnum, 9), randomText(upperAlnum, 9), randomText(alnum, 24))
    .map(([host, t, b, key]) => `https://${host}/services/T${t}/B${b}/${key}`),
  fc
    .tuple(
      fc.constantFrom("discord.com", "discordapp.com", "ptb.discord.com").chain(hostCasing),
      randomText("0123456789", 18),
      randomText(base64url, 68),
    )
    .map(([host, id, token]) => `https://${host}/api/webhooks/${id}/${token}`),
  fc
    .tuple(randomText("abcdefghijklmnopqrstuvwxyz", 8), randomText(hex, 32))
    .map(([tenant, id]) => `https://${tenant}.webhook.office.com/webhookb2/${id}@${id}/IncomingWebhook/${id}/${id}`),
  fc
    .tuple(randomText("0123456789", 7), randomText("abcdefghijklmnopqrstuvwxyz0123456789", 6))
    .map(([id, key]) => `https://hooks.zapier.com/hooks/catch/${id}/${key}/`),
  randomText(alnum, 22).map((key) => `https://maker.ifttt.com/trigger/order_ready/with/key/${key}`),
  randomText("abcdefghijklmnopqrstuvwxyz0123456789", 32).map((token) => `https://hook.eu1.make.com/${token}`),
  fc
    .tuple(randomText("0123456789", 10), randomText(base64url, 35))
    .map(([id, token]) => `https://api.telegram.org/bot${id}:${token}/sendMessage`),
);

/**
 * How a webhook path may be written and still reach the same route: repeated slashes, and
 * percent-encoded letters (servers decode the path before routing).
 */
function obfuscatedPath(path: string): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.array(fc.boolean(), { minLength: path.length, maxLength: path.length }),
      fc.array(fc.boolean(), { minLength: path.length, maxLength: path.length }),
    )
    .map(([encode, doubled]) =>
      [...path]
        .map((char, i) => {
          if (char === "/") return doubled[i] ? "//" : "/";
          return encode[i] && /[a-z]/i.test(char) ? `%${char.charCodeAt(0).toString(16)}` : char;
        })
        .join(""),
    );
}

const disguisedWebhookUrl = fc.oneof(
  fc
    .tuple(
      fc.constantFrom("hooks.slack.com", "hooks.slack-gov.com"),
      randomText(upperAlnum, 9),
      randomText(upperAlnum, 9),
      randomText(alnum, 24),
    )
    .chain(([host, t, b, key]) => obfuscatedPath(`/services/T${t}/B${b}/${key}`).map((path) => `https://${host}${path}`)),
  fc
    .tuple(
      fc.constantFrom("discord.com", "discordapp.com", "ptb.discordapp.com", "canary.discordapp.com"),
      randomText("0123456789", 18),
      randomText(base64url, 68),
    )
    .chain(([host, id, token]) => obfuscatedPath(`/api/webhooks/${id}/${token}`).map((path) => `https://${host}${path}`)),
);

/** A credential-named parameter written so that only a server splitting on `;` or decoding `%3D` sees it. */
const disguisedParameter = fc
  .tuple(credentialName, literalUnderCredentialName, fc.constantFrom("semicolon", "encoded-equals", "encoded-pair"))
  .map(([name, value, form]) => {
    const pair = `${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
    if (form === "semicolon") return `https://api.example.com/orders?a=1;${pair}`;
    if (form === "encoded-equals") return `https://api.example.com/orders?${encodeURIComponent(name)}%3D${encodeURIComponent(value)}`;
    return `https://api.example.com/orders?q=${encodeURIComponent(`a&${name}=${value}`)}`;
  });

/** URLs carrying a credential: user-info, a host label, a query parameter (by name or value), the fragment, a webhook or token in the path. */
export const credentialUrl: fc.Arbitrary<{ part: string; url: string }> = fc.oneof(
  // Passwords with `:`, `@`, `/` or `\` would be percent-encoded into the authority, which the
  // schema refuses as ambiguous before this policy runs (see ambiguousUrl).
  fc
    .tuple(
      fc.constantFrom("svc", "admin", "api"),
      literalUnderCredentialName.filter((pass) => !/[:@/\\]/.test(pass)),
    )
    .map(([user, pass]) => ({
      part: "userinfo",
      url: `https://${user}:${encodeURIComponent(pass)}@api.example.com/orders`,
    })),
  randomText(alnum, 40).map((token) => ({ part: "userinfo", url: `https://${token}@api.example.com/orders` })),
  fc.tuple(credentialName, literalUnderCredentialName).map(([name, value]) => ({
    part: "query",
    url: `https://api.example.com/orders?page=2&${encodeURIComponent(name)}=${encodeURIComponent(value)}`,
  })),
  fc.tuple(fc.constantFrom("q", "state", "ref", "context"), credentialValue).map(([name, c]) => ({
    part: "query",
    url: `https://api.example.com/orders?${name}=${encodeURIComponent(c.value)}&include=items`,
  })),
  fc.tuple(fc.constantFrom("access_token", "id_token", "token"), credentialValue).map(([name, c]) => ({
    part: "fragment",
    url: `https://api.example.com/callback#${name}=${encodeURIComponent(c.value)}&token_type=bearer`,
  })),
  credentialValue.map((c) => ({ part: "fragment", url: `https://api.example.com/callback#${encodeURIComponent(c.value)}` })),
  webhookUrl.map((url) => ({ part: "path", url })),
  disguisedWebhookUrl.map((url) => ({ part: "path", url })),
  disguisedParameter.map((url) => ({ part: "query", url })),
  fc.tuple(fc.constantFrom("ghp_", "npm_", "glpat-"), randomText("abcdefghijklmnopqrstuvwxyz0123456789", 36)).map(([p, body]) => ({
    part: "host",
    url: `https://${p}${body}.tunnel.example.com/orders`,
  })),
  prefixedToken.map((token) => ({ part: "path", url: `https://api.example.com/v1/${token}/orders` })),
);

/** Public https URLs with ordinary paths and parameters, and token references. */
export const safeUrl = fc
  .tuple(
    fc.constantFrom("api.example.com", "shop.example.org", "crm.example.net"),
    fc.array(fc.constantFrom("v1", "orders", "customers", "latest", "status", "lookup"), { maxLength: 4 }),
    fc.array(
      fc.tuple(
        fc.constantFrom("page", "include", "limit", "sort", "expand"),
        fc.oneof(fc.nat({ max: 500 }).map(String), fc.constantFrom("items", "asc", "customer")),
      ),
      { maxLength: 3 },
    ),
    fc.option(identifier, { nil: undefined }),
  )
  .map(([host, path, query, reference]) => {
    const params = [...query.map(([k, v]) => `${k}=${v}`), ...(reference ? [`token={{${reference}}}`] : [])];
    return `https://${host}/${path.join("/")}${params.length > 0 ? `?${params.join("&")}` : ""}`;
  });

// ---------------------------------------------------------------------------------------------
// URLs that parsers read differently

const internalAddress = fc.constantFrom("127.0.0.1", "169.254.169.254", "10.0.0.1", "192.168.1.10", "localhost");
const publicHost = fc.constantFrom("api.example.com", "hooks.example.org", "crm.example.net");

/** Characters no two parsers treat alike: C0 controls, DEL, and whitespace of every kind. */
const disputedCharacter = fc.oneof(
  fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code)),
  fc.constantFrom(
    "\u007f",
    " ",
    "\u0085",
    "\u00a0",
    "\u1680",
    "\u2000",
    "\u2007",
    "\u200a",
    "\u2028",
    "\u2029",
    "\u202f",
    "\u205f",
    "\u3000",
  ),
);

/**
 * URLs that WHATWG reads one way and curl, Python or another client another way, each with the
 * kind of ambiguity: a backslash, whitespace or a control character anywhere, more than one `@`
 * in the authority, encoded delimiters in it, and authorities WHATWG rewrites (IPv4 shorthand and
 * other notations, look-alike or non-ASCII letters, missing or extra slashes, stray delimiters).
 */
export const ambiguousUrl: fc.Arbitrary<{ kind: string; url: string }> = fc.oneof(
  fc
    .tuple(publicHost, internalAddress, fc.constantFrom("", "admin:hunter2", "user"), fc.constantFrom("/x", "/latest/meta-data/", "/"))
    .map(([host, target, userinfo, path]) => ({
      kind: "backslash",
      url: `https://${host}\\${userinfo === "" ? "" : userinfo}@${target}${path}`,
    })),
  fc.tuple(safeUrl, fc.nat(), disputedCharacter).map(([url, at, char]) => {
    const position = 8 + (at % (url.length - 8));
    return { kind: "character", url: `${url.slice(0, position)}${char}${url.slice(position)}` };
  }),
  fc.tuple(safeUrl, fc.nat()).map(([url, at]) => {
    const position = 8 + (at % (url.length - 8));
    return { kind: "backslash", url: `${url.slice(0, position)}\\${url.slice(position)}` };
  }),
  fc.tuple(publicHost, internalAddress, fc.constantFrom("a", "user:pass", "")).map(([host, target, userinfo]) => ({
    kind: "two-at",
    url: `https://${userinfo}@${host}@${target}/orders`,
  })),
  fc
    .tuple(publicHost, internalAddress, fc.constantFrom("%2f", "%2F", "%40", "%5c", "%5C", "%3a", "%3A"), fc.boolean())
    .map(([host, target, escape, before]) => ({
      kind: "encoded-delimiter",
      url: before ? `https://${host}${escape}@${target}/orders` : `https://user${escape}x@${target}/orders`,
    })),
  fc
    .constantFrom(
      "https://2130706433/orders",
      "https://0x7f.0.0.1/orders",
      "https://0177.0.0.1/orders",
      "https://127.1/orders",
      "https://[::ffff:127.0.0.1]/orders",
      "https://[0:0:0:0:0:0:0:1]/orders",
      "https://169.254.169.254.nip.io%2e/x",
      "https:api.example.com/orders",
      "https:/api.example.com/orders",
      "https:///api.example.com/orders",
      "https://@api.example.com/orders",
      "https://api.example.com:/orders",
      "https://ａｐｉ.example.com/orders",
      "https://api。example。com/orders",
      "https://bücher.example/orders",
      "https://api.exa\u00admple.com/orders",
      "https://api%2eexample.com/orders",
    )
    .map((url) => ({ kind: "rewritten", url })),
);
