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
  return fc.noBias(fc.array(fc.nat({ max: alphabet.length - 1 }), { minLength: length, maxLength: length })).map((indices) =>
    indices.map((i) => alphabet[i]).join(""),
  );
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const upperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const hex = "0123456789abcdef";
const base64url = `${alnum}_-`;

/** Each letter upper- or lower-cased at random. */
function randomCasing(text: string): fc.Arbitrary<string> {
  return fc.array(fc.boolean(), { minLength: text.length, maxLength: text.length }).map((upper) =>
    [...text].map((char, i) => (upper[i] ? char.toUpperCase() : char.toLowerCase())).join(""),
  );
}

/** Fullwidth look-alikes of ASCII letters, which NFKC folds back. */
function fullwidth(text: string): string {
  return [...text].map((char) => (/[A-Za-z]/.test(char) ? String.fromCodePoint(char.codePointAt(0)! - 0x21 + 0xff01) : char)).join("");
}

// ---------------------------------------------------------------------------------------------
// Header names

const schemeHeaderNames = ["Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie"];
const nameWords = ["key", "token", "auth", "secret", "pass", "password", "passwd", "apikey", "api key", "session", "credential", "signature", "access token", "client secret", "auth token", "subscription key"];
const namePrefixes = ["", "x", "x api", "ocp apim", "client", "my service", "partner", "upstream"];
const nameSuffixes = ["", "id", "value", "v2", "header"];

/** Header (or parameter) names of every credential family, in random casing and separators, some with look-alikes. */
export const credentialName: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom(...schemeHeaderNames).map((name) => name.replace(/-/g, " ")),
    fc.tuple(fc.constantFrom(...namePrefixes), fc.constantFrom(...nameWords), fc.constantFrom(...nameSuffixes)).map((parts) =>
      parts.filter((p) => p !== "").join(" "),
    ),
  )
  .chain((spaced) =>
    fc.tuple(randomCasing(spaced), fc.constantFrom("-", "_", " ", "", "-"), fc.constantFrom("plain", "plain", "plain", "fullwidth", "zero-width")).map(
      ([cased, separator, disguise]) => {
        const joined = cased.split(" ").join(separator);
        if (disguise === "fullwidth") return fullwidth(joined);
        if (disguise === "zero-width") return joined.replace(/(?<=^.)/, "\u200b");
        return joined;
      },
    ),
  );

/** Names with no credential word: what ordinary headers are called. */
export const ordinaryHeaderName = fc
  .constantFrom("Content-Type", "Accept", "Accept-Language", "Cache-Control", "X-Request-Id", "X-Correlation-Id", "X-Request-Source", "User-Agent", "X-Intercom-Region")
  .chain(randomCasing);

// ---------------------------------------------------------------------------------------------
// Credential values

const schemes = ["Basic", "Bearer", "Token", "Digest"];

/** `Scheme credentials`, any casing; the credentials low-entropy or not. */
const authSchemeValue = fc
  .tuple(fc.constantFrom(...schemes).chain(randomCasing), fc.oneof(randomText(alnum, 12), fc.constantFrom("hunter2", "admin:admin", "letmein", "username=\"svc\", response=\"6629fae4\"")))
  .map(([scheme, credential]) => `${scheme} ${credential}`);

/** Base64 (standard or URL-safe) of 16 to 48 random bytes, with its padding, without it, or with a wrong amount. */
const base64Value = fc
  .tuple(randomBytes(16, 48), fc.boolean(), fc.constantFrom("kept", "stripped"))
  .map(([bytes, urlSafe, padding]) => {
    const text = Buffer.from(bytes).toString(urlSafe ? "base64url" : "base64");
    const core = text.replace(/=+$/, "");
    return padding === "stripped" ? core : core.padEnd(Math.ceil(core.length / 4) * 4, "=");
  });

/** Provider tokens: each prefix with a random body of the provider's length. */
const prefixedToken: fc.Arbitrary<string> = fc.oneof(
  randomText(alnum, 36).chain((body) => fc.constantFrom("ghp_", "gho_", "ghu_", "ghs_", "ghr_").map((p) => p + body)),
  randomText(`${alnum}_`, 82).map((body) => `github_pat_${body}`),
  fc.tuple(fc.constantFrom("xoxb", "xoxp", "xoxa", "xoxe", "xoxs"), randomText("0123456789", 12), randomText(alnum, 24)).map(([p, team, body]) => `${p}-${team}-${body}`),
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
    [base64urlJson({ alg, typ: "JWT" }), base64urlJson(claims), alg === "none" ? "" : Buffer.from(signature).toString("base64url")].join("."),
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

export type ValueFamily = "auth-scheme" | "base64" | "token-prefix" | "jwt" | "high-entropy" | "private-key";

/** A credential value and the family it was drawn from. */
export const credentialValue: fc.Arbitrary<{ family: ValueFamily; value: string }> = fc.oneof(
  authSchemeValue.map((value) => ({ family: "auth-scheme" as const, value })),
  base64Value.map((value) => ({ family: "base64" as const, value })),
  prefixedToken.map((value) => ({ family: "token-prefix" as const, value })),
  jwt.map((value) => ({ family: "jwt" as const, value })),
  highEntropy.map((value) => ({ family: "high-entropy" as const, value })),
  privateKeyValue.map((value) => ({ family: "private-key" as const, value })),
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
  fc.tuple(fc.oneof(ordinaryHeaderName, fc.constantFrom("X-Custom", "X-Upstream-Context", "X-Partner")), credentialValue.map((c) => c.value)),
);

const identifier = fc.tuple(fc.constantFrom("orders", "crm", "billing", "shop", "api"), fc.constantFrom("token", "key", "secret", "api_token")).map((parts) => parts.join("_"));

/** A reference to a token stored in Intercom, in the forms a header holds it. */
export const tokenReference = identifier.chain((name) =>
  fc.constantFrom(`{{${name}}}`, `Bearer {{${name}}}`, `bearer {{ ${name} }}`, `Token {{${name}}}`, `session={{${name}}}`, `Basic {{${name}}}`),
);

/** Low-entropy ordinary values: content types, words, small ids. */
export const ordinaryValue = fc.oneof(
  fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", "application/vnd.api+json", "multipart/form-data", "en-US,en;q=0.9", "no-cache", "intercom"),
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
  fc.tuple(hostCasing("hooks.slack.com"), randomText(upperAlnum, 9), randomText(upperAlnum, 9), randomText(alnum, 24)).map(
    ([host, t, b, key]) => `https://${host}/services/T${t}/B${b}/${key}`,
  ),
  fc.tuple(fc.constantFrom("discord.com", "discordapp.com", "ptb.discord.com").chain(hostCasing), randomText("0123456789", 18), randomText(base64url, 68)).map(
    ([host, id, token]) => `https://${host}/api/webhooks/${id}/${token}`,
  ),
  fc.tuple(randomText("abcdefghijklmnopqrstuvwxyz", 8), randomText(hex, 32)).map(([tenant, id]) => `https://${tenant}.webhook.office.com/webhookb2/${id}@${id}/IncomingWebhook/${id}/${id}`),
  fc.tuple(randomText("0123456789", 7), randomText("abcdefghijklmnopqrstuvwxyz0123456789", 6)).map(([id, key]) => `https://hooks.zapier.com/hooks/catch/${id}/${key}/`),
  randomText(alnum, 22).map((key) => `https://maker.ifttt.com/trigger/order_ready/with/key/${key}`),
  randomText("abcdefghijklmnopqrstuvwxyz0123456789", 32).map((token) => `https://hook.eu1.make.com/${token}`),
  fc.tuple(randomText("0123456789", 10), randomText(base64url, 35)).map(([id, token]) => `https://api.telegram.org/bot${id}:${token}/sendMessage`),
);

/** URLs carrying a credential: user-info, a host label, a query parameter (by name or value), the fragment, a webhook or token in the path. */
export const credentialUrl: fc.Arbitrary<{ part: string; url: string }> = fc.oneof(
  fc.tuple(fc.constantFrom("svc", "admin", "api"), literalUnderCredentialName).map(([user, pass]) => ({
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
    fc.array(fc.tuple(fc.constantFrom("page", "include", "limit", "sort", "expand"), fc.oneof(fc.nat({ max: 500 }).map(String), fc.constantFrom("items", "asc", "customer"))), { maxLength: 3 }),
    fc.option(identifier, { nil: undefined }),
  )
  .map(([host, path, query, reference]) => {
    const params = [...query.map(([k, v]) => `${k}=${v}`), ...(reference ? [`token={{${reference}}}`] : [])];
    return `https://${host}/${path.join("/")}${params.length > 0 ? `?${params.join("&")}` : ""}`;
  });
