/**
 * The Intercom client against Prism serving Intercom's 2.16 description: every request it sends
 * validates, retries honour the rate-limit headers, refusals become typed errors, and no token, nor
 * a form of one, reaches an error message.
 */
import fc from "fast-check";
import {
  checkedTestBaseUrl,
  connectionFrom,
  IntercomApiError,
  IntercomClient,
  IntercomRateLimitedError,
  IntercomRefusedError,
  IntercomUnauthorizedError,
  regionHosts,
} from "../../intercom/client";
import { derivedForms } from "../../core/redaction";
import { propertyParameters, sampleOf } from "../support/property";
import { PrismServer, startPrism } from "../support/prism";

let prism: PrismServer;
beforeAll(async () => {
  prism = await startPrism();
});
afterAll(async () => {
  await prism?.stop();
});
beforeEach(() => prism.reset());
afterEach(() => {
  // Every request any test sent is valid against Intercom's description.
  expect(prism.requestViolations()).toEqual([]);
});

/** Tokens shaped like Intercom's (base64-ish, long) and arbitrary printable ones. */
const tokens = fc.oneof(
  fc.base64String({ minLength: 40, maxLength: 80 }).filter((t) => t.replace(/=/g, "").length >= 24),
  fc.string({ unit: "grapheme-ascii", minLength: 16, maxLength: 60 }).filter((t) => t.trim().length >= 16 && !/\s/.test(t)),
);

function clientFor(token: string, sleeps: number[] = [], now = () => Date.UTC(2026, 10, 22)): IntercomClient {
  return new IntercomClient({ token, baseUrl: prism.url, sleep: async (ms) => void sleeps.push(ms), now });
}

function expectNoTokenIn(text: string, token: string): void {
  expect(text).not.toContain(token);
  for (const form of derivedForms(token).anywhere) expect(text).not.toContain(form);
}

describe("requests", () => {
  it("reads the IP allowlist with the token, the Intercom-Version header and nothing Prism refuses", async () => {
    const result = await clientFor("tok_test_read").request<{ enabled: boolean; ip_allowlist: string[] }>("GET", "/ip_allowlist");
    expect(result).toEqual({ type: "ip_allowlist", enabled: true, ip_allowlist: ["192.168.1.0/24", "10.0.0.1"] });
    expect(prism.exchanges).toHaveLength(1);
    expect(prism.exchanges[0]!.requestHeaders["intercom-version"]).toBe("2.16");
    expect(prism.exchanges[0]!.requestHeaders.authorization).toBe("Bearer tok_test_read");
  });

  it("the harness sees an invalid request (so a clean run means something)", async () => {
    await expect(clientFor("tok").request("PUT", "/ip_allowlist", { body: { enabled: "yes" } })).rejects.toBeInstanceOf(IntercomApiError);
    expect(prism.requestViolations().length).toBeGreaterThan(0);
    prism.reset();
  });

  it("selects the host by region, and refuses a base URL that is not loopback", () => {
    expect(new IntercomClient({ token: "t", region: "eu" }).baseUrl).toBe("https://api.eu.intercom.io");
    expect(new IntercomClient({ token: "t", region: "au" }).baseUrl).toBe("https://api.au.intercom.io");
    expect(new IntercomClient({ token: "t" }).baseUrl).toBe(regionHosts.us);
    for (const bad of [
      "https://evil.example",
      "http://127.0.0.1.evil.example",
      "http://user:pw@127.0.0.1:1",
      "file:///etc/passwd",
      "nonsense",
    ]) {
      expect(() => checkedTestBaseUrl(bad)).toThrow(/loopback|not a URL/);
    }
  });

  it("takes the token and region from Pulumi configuration before the environment, and none means declared only", () => {
    const config = (values: Record<string, string>) => ({ get: (key: string) => values[key] });
    expect(connectionFrom(undefined, {})).toBeUndefined();
    expect(
      connectionFrom(config({ "intercom:accessToken": "a", "intercom:region": "eu" }), {
        INTERCOM_ACCESS_TOKEN: "b",
        INTERCOM_REGION: "au",
      }),
    ).toEqual({ token: "a", region: "eu" });
    expect(connectionFrom(undefined, { INTERCOM_ACCESS_TOKEN: "b", INTERCOM_REGION: "au" })).toEqual({ token: "b", region: "au" });
    expect(() => connectionFrom(undefined, { INTERCOM_ACCESS_TOKEN: "b", INTERCOM_REGION: "mars" })).toThrow(/us, eu, au/);
  });
});

describe("refusals become typed errors", () => {
  it("422 (lockout protection) is an IntercomRefusedError quoting Intercom's reason", async () => {
    prism.prefer("code=422");
    const error = await clientFor("tok_x")
      .request("PUT", "/ip_allowlist", { body: { enabled: true, ip_allowlist: ["10.0.0.0/8"] } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntercomRefusedError);
    expect((error as IntercomRefusedError).codes).toEqual(["parameter_invalid"]);
    expect((error as Error).message).toMatch(/refused the change \(422\).*lock you out/);
  });

  it("401 is an IntercomUnauthorizedError saying where the token comes from", async () => {
    prism.prefer("code=401");
    const error = await clientFor("tok_x")
      .request("GET", "/ip_allowlist")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntercomUnauthorizedError);
    expect((error as Error).message).toMatch(/rejected the access token \(401\).*INTERCOM_ACCESS_TOKEN/);
  });

  it("no token, nor a form of one, in any error message, even when Intercom echoes it", async () => {
    for (const token of sampleOf(tokens, 12)) {
      prism.reset();
      prism.prefer("code=401");
      const unauthorized = await clientFor(token)
        .request("GET", "/ip_allowlist")
        .catch((e: Error) => e);
      prism.prefer("code=422");
      const refused = await clientFor(token)
        .request("PUT", "/ip_allowlist", { body: { enabled: false, ip_allowlist: [] } })
        .catch((e: Error) => e);
      prism.prefer(undefined);
      prism.inject({
        status: 403,
        body: JSON.stringify({ type: "error.list", request_id: token, errors: [{ code: token, message: `bad token ${token}` }] }),
      });
      const echoed = await clientFor(token)
        .request("GET", "/ip_allowlist")
        .catch((e: Error) => e);
      prism.inject({ status: 429 });
      const exhausted = await new IntercomClient({ token, baseUrl: prism.url, maxAttempts: 1 })
        .request("GET", "/ip_allowlist")
        .catch((e: Error) => e);
      for (const error of [unauthorized, refused, echoed, exhausted]) {
        expect(error).toBeInstanceOf(IntercomApiError);
        const shown = `${(error as Error).message} ${JSON.stringify(error)} ${String((error as IntercomApiError).codes)} ${(error as IntercomApiError).requestId}`;
        expectNoTokenIn(shown, token);
      }
      expectNoTokenIn(JSON.stringify(clientFor(token)), token);
    }
  });
});

describe("a token split across Intercom's error entries", () => {
  it("is not shown piece by piece: the entries read together hold no token", async () => {
    const splits = tokens.chain((token) =>
      fc
        .uniqueArray(fc.integer({ min: 1, max: token.length - 1 }), { minLength: 1, maxLength: 4 })
        .map((cuts) => ({ token, cuts: [...cuts].sort((a, b) => a - b) })),
    );
    await fc.assert(
      fc.asyncProperty(splits, fc.constantFrom(401, 403, 422, 500), async ({ token, cuts }, status) => {
        const pieces = [0, ...cuts].map((start, i) => token.slice(start, cuts[i] ?? token.length));
        const errors = pieces.map((piece) => ({ code: piece, message: piece }));
        const answer = (async () => new Response(JSON.stringify({ type: "error.list", errors }), { status })) as unknown as typeof fetch;
        const client = new IntercomClient({ token, baseUrl: "http://127.0.0.1:9", fetch: answer, maxAttempts: 1 });
        const error = (await client.request("PUT", "/ip_allowlist").catch((e: Error) => e)) as IntercomApiError;
        expect(error).toBeInstanceOf(IntercomApiError);
        // Read as a reader would: the separators the message puts between entries taken out.
        for (const shown of [error.message, error.codes.join("")]) expectNoTokenIn(shown.replace(/; |, /g, ""), token);
        // An entry holding the whole token beside a reason keeps the reason: only that entry's token is hidden.
        const whole = (async () =>
          new Response(
            JSON.stringify({ type: "error.list", errors: [{ code: "x", message: `bad ${token} here` }, { message: "because" }] }),
            {
              status,
            },
          )) as unknown as typeof fetch;
        const quoted = await new IntercomClient({ token, baseUrl: "http://127.0.0.1:9", fetch: whole, maxAttempts: 1 })
          .request("PUT", "/ip_allowlist")
          .catch((e: Error) => e);
        expect((quoted as Error).message).toMatch(/bad \[secret\] here; because/);
      }),
      propertyParameters(60),
    );
  });
});

describe("retries", () => {
  it("429 is retried after Retry-After seconds, and the retried request reaches Prism", async () => {
    const sleeps: number[] = [];
    prism.inject({ status: 429, headers: { "retry-after": "7" } }, { status: 429, headers: { "retry-after": "2" } });
    const result = await clientFor("tok", sleeps).request<{ enabled: boolean }>("GET", "/ip_allowlist");
    expect(result.enabled).toBe(true);
    expect(sleeps).toEqual([7000, 2000]);
    expect(prism.exchanges.map((e) => [e.status, e.injected])).toEqual([
      [429, true],
      [429, true],
      [200, false],
    ]);
  });

  it("without Retry-After, waits until X-RateLimit-Reset, bounded", async () => {
    const now = Date.UTC(2026, 10, 22, 12, 0, 0);
    const sleeps: number[] = [];
    prism.inject(
      { status: 429, headers: { "x-ratelimit-reset": String(now / 1000 + 9) } },
      { status: 429, headers: { "x-ratelimit-reset": String(now / 1000 + 100_000) } },
    );
    await clientFor("tok", sleeps, () => now).request("PUT", "/ip_allowlist", { body: { enabled: false, ip_allowlist: [] } });
    expect(sleeps).toEqual([9000, 60_000]);
  });

  it("gives up after the attempts allowed with IntercomRateLimitedError", async () => {
    const sleeps: number[] = [];
    prism.inject(...Array.from({ length: 5 }, () => ({ status: 429, headers: { "retry-after": "1" } })));
    const error = await clientFor("tok", sleeps)
      .request("GET", "/ip_allowlist")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntercomRateLimitedError);
    expect(sleeps).toHaveLength(4);
    expect(prism.exchanges.every((e) => e.injected)).toBe(true);
  });

  it("5xx is retried with exponential backoff for idempotent requests only", async () => {
    const sleeps: number[] = [];
    prism.inject({ status: 503 }, { status: 500 });
    await clientFor("tok", sleeps).request("PUT", "/ip_allowlist", { body: { enabled: false, ip_allowlist: [] } });
    expect(sleeps).toEqual([1000, 2000]);
    prism.reset();
    prism.inject({ status: 503 });
    const error = await clientFor("tok", sleeps)
      .request("POST", "/ip_allowlist", { body: {} })
      .catch((e: unknown) => e);
    expect((error as IntercomApiError).kind).toBe("server");
    expect(prism.exchanges).toHaveLength(1);
  });
});
