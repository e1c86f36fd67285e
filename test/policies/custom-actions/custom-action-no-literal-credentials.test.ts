import fc from "fast-check";
import {
  headerCredential,
  isOnlyReferences,
  isProseLike,
  nameShape,
  opaqueTokenLimits,
  shannonEntropy,
  urlCredentials,
  valueShapes,
} from "../../../policies/support/credentials";
import { customActionNoLiteralCredentials } from "../../../policies/custom-actions/custom-action-no-literal-credentials";
import { evaluateResourcePolicy } from "../../../core/evaluate";
import { arrivedSecretAt, PropertyPath } from "../../../core/secret-envelope";
import { customActionSchema } from "../../../resources/custom-action";
import { mobileSdkSchema } from "../../../resources/mobile-sdk";
import { urlAmbiguity } from "../../../core/unambiguous-url";
import {
  ambiguousUrl,
  encodedUserPassword,
  wrappedLiteral,
  credentialHeader,
  credentialName,
  credentialUrl,
  credentialValue,
  entropyOf,
  literalUnderCredentialName,
  ordinaryHeaderName,
  ordinaryValue,
  safeHeaders,
  safeUrl,
  tokenReference,
} from "../../support/credentials";
import { expectNeedsReview, expectNotEvaluated, expectSecure, grade, gradeRaw, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";
import { propertyParameters } from "../../support/property";

const policyName = "intercom-custom-action-no-literal-credentials";

describe(policyName, () => {
  const base = secure.customAction;
  /** Grades props as if the engine had sent secret envelopes at these paths. */
  const gradeSent = (props: Record<string, unknown>, sentAsSecret: PropertyPath[]) =>
    evaluateResourcePolicy(
      customActionNoLiteralCredentials,
      { name: "fixture", props },
      { now: new Date("2026-11-21T00:00:00Z"), sentAsSecret },
    );
  const headers = (value: Record<string, string>, sentAsSecret: PropertyPath[] = []) =>
    gradeSent({ ...base, headers: value }, sentAsSecret);
  const url = (value: string, sentAsSecret: PropertyPath[] = []) => gradeSent({ ...base, url: value }, sentAsSecret);

  it("passes the secure fixture (Authorization references a stored token)", () => {
    expectSecure(grade(customActionNoLiteralCredentials, base));
  });

  it("passes no headers at all", () => {
    expectSecure(grade(customActionNoLiteralCredentials, { ...base, headers: undefined }));
  });

  it.each([
    ["a bare token reference", { Authorization: "{{orders_token}}" }],
    ["a Bearer reference with spaces inside the braces", { Authorization: "Bearer {{ orders_token }}" }],
    ["a referenced API key", { "X-API-Key": "{{api_key}}" }],
    ["a cookie of references", { Cookie: "session={{token}}; csrf={{csrf_token}}" }],
    ["an empty credential header", { "X-Api-Token": "" }],
    ["ordinary headers", { Accept: "application/json", "Content-Type": "application/json", "X-Request-Source": "intercom" }],
    ["a content type with parameters", { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8" }],
    ["a request id", { "X-Request-Id": "req-12345" }],
    ["a UUID request id (detect-secrets does not flag UUIDs)", { "X-Request-Id": "123e4567-e89b-12d3-a456-426614174000" }],
  ])("passes %s", (_label, value) => {
    expectSecure(headers(value as Record<string, string>));
  });

  it.each([
    ["a literal Bearer token", "Authorization", "Bearer sk_live_0123456789"],
    ["a literal Basic credential", "Authorization", "Basic dXNlcjpwYXNz"],
    ["a literal value in Authorization", "Authorization", "0123456789abcdef"],
    ["a literal API key", "X-API-Key", "abc123"],
    ["a literal api_key", "api_key", "abc123"],
    ["a literal session cookie", "Cookie", "session=abc123"],
    ["a literal secret", "X-Client-Secret", "shh"],
    ["a literal password", "X-Password", "hunter2"],
    ["a token mixed with a reference", "Authorization", "Bearer {{orders_token}}extra"],
    ["a reference whose name is a token", "Authorization", "Bearer {{ghp_0123456789abcdefghijABCDEFGHIJ012345}}"],
    ["a Bearer scheme under a neutral name", "X-Forwarded-Credentials-For", "Bearer abc"],
    ["a Bearer scheme under an unrelated name", "X-Custom", "Bearer abc.def.ghi"],
    ["an auth header named with fullwidth look-alikes", "Ａｕｔｈｏｒｉｚａｔｉｏｎ", "letmein"],
    ["a key header with a zero-width space inside", "X-Api-K\u200bey", "letmein"],
    ["a header named with Cyrillic look-alikes", "X-Т\u043eken", "letmein"],
  ])("flags %s, naming neither the header nor the value", (_label, name, value) => {
    const [finding] = expectNeedsReview(
      headers({ Accept: "application/json", [name]: value }),
      '"Order lookup"',
      "literal credential in a header",
    );
    expect(finding?.message).not.toContain(value);
    expect(finding?.message).not.toContain(name);
  });

  it("flags a token written as a header's name, whatever its value", () => {
    for (const value of ["", "1", "{{orders_token}}"]) {
      expectNeedsReview(headers({ ghp_0123456789abcdefghijABCDEFGHIJ012345: value }), "shaped like a GitHub token");
    }
  });

  it("says what the value looks like, never the value", () => {
    const token = "ghp_0123456789abcdefghijABCDEFGHIJ012345";
    const [finding] = expectNeedsReview(headers({ "X-Custom": token }), "shaped like a GitHub token");
    expect(finding?.message).not.toMatch(/ghp_|0123456789/);
  });

  it("counts headers with the same problem in one message", () => {
    const [finding, ...rest] = expectNeedsReview(headers({ "X-Api-Key": "abc", "X-Client-Secret": "def" }), "in 2 headers");
    expect(rest).toEqual([]);
    expect(finding?.message).not.toMatch(/X-Api-Key|X-Client-Secret/i);
  });

  it("flags user-info in the URL", () => {
    expectNeedsReview(url("https://svc:hunter2@api.example.com/orders"), "user-info");
  });

  it.each(["api_key", "apikey", "token", "access_token", "secret", "client_secret", "password", "sig", "code", "X-Amz-Signature"])(
    "flags a literal %p query parameter by its position, not its name",
    (name) => {
      const [finding] = expectNeedsReview(
        url(`https://api.example.com/orders?page=2&${name}=abc123`),
        "query string (parameter 2)",
        "name that marks a credential",
      );
      expect(finding?.message).not.toContain("abc123");
    },
  );

  it("passes a query parameter that references a stored token, and ordinary parameters", () => {
    expectSecure(url("https://api.example.com/orders?token={{orders_token}}&page=2&include=items"));
  });

  it.each([
    ["Slack", "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"],
    ["Slack", "https://HOOKS.Slack.com./workflows/T00000000/A00000000/123/abc"],
    ["Discord", "https://discord.com/api/webhooks/123456789012345678/abcdefghijklmnopqrstuvwxyz"],
    ["Microsoft Teams", "https://acme.webhook.office.com/webhookb2/abc@def/IncomingWebhook/123/456"],
    ["Zapier", "https://hooks.zapier.com/hooks/catch/123456/abcdef/"],
    ["IFTTT", "https://maker.ifttt.com/trigger/ready/with/key/abcdefghijklmnop"],
    ["Telegram", "https://api.telegram.org/bot123456789:AAEabcdefghijklmnopqrstuvwxyz01234/sendMessage"],
  ])("flags a %s webhook URL: its path is the credential", (provider, webhook) => {
    expectNeedsReview(url(webhook), "URL's path", `${provider} webhook`);
  });

  it("flags a token in the path or the fragment", () => {
    expectNeedsReview(url("https://api.example.com/v1/ghp_0123456789abcdefghijABCDEFGHIJ012345/orders"), "URL's path", "GitHub");
    expectNeedsReview(url("https://api.example.com/callback#access_token=abc123&token_type=bearer"), "fragment (parameter 1)");
  });

  it("flags a token used as a host name label", () => {
    expectNeedsReview(url("https://ghp_0123456789abcdefghijabcdefghij012345.example.com/orders"), "URL's host name", "GitHub");
  });

  it("does not judge URL path ids by entropy", () => {
    expectSecure(url("https://api.example.com/orders/5f2b7c9e1a3d4f60abcd1234/items/7d9a4c1e"));
  });

  it("applies to drafts too: the credential is in the source either way", () => {
    expectNeedsReview(
      grade(customActionNoLiteralCredentials, { ...base, state: "draft", headers: { Authorization: "Bearer abc123" } }),
      "literal credential",
    );
  });

  it("reports a header and a URL credential as two problems", () => {
    const findings = grade(customActionNoLiteralCredentials, {
      ...base,
      url: "https://api.example.com/orders?api_key=abc",
      headers: { Authorization: "Bearer abc" },
    });
    expect(expectNeedsReview(findings)).toHaveLength(2);
  });

  it("grades a header with a non-string value as not evaluated", () => {
    expectNotEvaluated(grade(customActionNoLiteralCredentials, { ...base, headers: { "X-Retry": 3 as never } }));
  });

  describe("values that arrived as Pulumi secrets, exactly where the envelope sat", () => {
    const restingOnSecretHeaders = "the finding rests on secret values (headers)";
    it("accepts a credential in a header value sent as its own secret", () => {
      expectSecure(headers({ Accept: "application/json", Authorization: "Bearer abc123" }, [["headers", "Authorization"]]));
    });

    it("still flags the headers not sent as secrets, and an envelope at another name's path", () => {
      // The check read a value that arrived secret, so its finding names the fields only (core/secret-reads.ts).
      expectNeedsReview(
        headers({ Authorization: "Bearer abc123", "X-Api-Key": "abc" }, [["headers", "Authorization"]]),
        restingOnSecretHeaders,
      );
      expectNeedsReview(headers({ Authorization: "Bearer abc123" }, [["headers", "authorization"]]), "literal credential");
    });

    it("fails closed for an envelope around the whole headers object: it vouches for no single value", () => {
      // Still blocking; the check read values that arrived secret, so the finding names the field only.
      expectNeedsReview(
        headers({ Authorization: "Bearer abc123", "X-Api-Key": "sk_live_0123456789abcdef" }, [["headers"]]),
        restingOnSecretHeaders,
      );
      expectNeedsReview(headers({ Authorization: "Bearer abc123" }, [["headers"], ["headers", "Authorization"]]), restingOnSecretHeaders);
      expectNeedsReview(headers({ Authorization: "Bearer abc123" }, [[]]), "rests on secret values");
    });

    it("accepts credentials in a URL sent as a secret, and nowhere else", () => {
      const webhook = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX";
      expectSecure(url(webhook, [["url"]]));
      expectNeedsReview(url(webhook), "Slack webhook");
      expectNeedsReview(url(webhook, [["headers"], ["name"]]), "rests on secret values (headers, name)");
    });

    it("refuses the former companion fields as unknown fields, never as secret markers", () => {
      expectNotEvaluated(
        gradeRaw(customActionNoLiteralCredentials, {
          ...base,
          headers: { Authorization: "Bearer abc" },
          secretHeaderNames: ["Authorization"],
        }),
      );
      expectNotEvaluated(
        gradeRaw(customActionNoLiteralCredentials, { ...base, url: "https://u:p@api.example.com/", urlGivenAsSecret: true }),
      );
    });
  });

  describeResourcePolicyBasics(customActionNoLiteralCredentials, "custom-actions", base);
});

/** Every reason a header finding may give: none leaves room for text from the header. */
const headerReasons = [
  /^a name that marks a credential, with a value that is no reference to a stored token$/,
  /^a name that is no plain HTTP name \(look-alike or invisible characters\), so it cannot be told from a credential's$/,
  /^a value holding a private key$/,
  /^a value that is an HTTP authentication scheme with a literal credential$/,
  /^a value shaped like a (GitHub|GitLab|Slack|Stripe|AWS|Google|OpenAI or Anthropic|SendGrid|Twilio|Shopify|npm) token$/,
  /^a value holding a JSON Web Token$/,
  /^a value holding base64-encoded data, as encoded credentials are$/,
  /^a value holding a base64-encoded user name and password$/,
  /^a value in \{\{…\}\} that is no token name but a literal shaped like a credential$/,
  /^a value holding a high-entropy string, as generated keys are$/,
];

describe(`${policyName}: generated classes`, () => {
  const check = (settings: Record<string, unknown>, sentAsSecret: PropertyPath[] = []) =>
    customActionNoLiteralCredentials.check({ ...secure.customAction, ...settings } as never, {
      config: {},
      now: new Date(),
      sentAsSecret: (path) => arrivedSecretAt(sentAsSecret, path),
      packConfig: {},
      policies: [],
    });

  it("flags every credential-shaped header, under any name, without quoting it; passes it once given as a secret", () => {
    fc.assert(
      fc.property(credentialHeader, safeHeaders, ([name, value], others) => {
        const all = { ...others, [name]: value };
        const messages = check({ headers: all });
        expect(messages).toHaveLength(1);
        // Fixed wording: the action's name and the kind of credential, nothing taken from the header.
        const [, reason] = /^Custom Action "Order lookup" carries a literal credential in a header: (.+)\.$/.exec(messages[0] ?? "") ?? [];
        expect(headerReasons.some((pattern) => pattern.test(reason ?? ""))).toBe(true);
        expect(check({ headers: all }, [["headers", name]])).toEqual([]);
        // One envelope around all the headers vouches for none of them.
        expect(check({ headers: all }, [["headers"]])).toEqual(messages);
      }),
      propertyParameters(300),
    );
  });

  it("recognises each value family under a neutral name", () => {
    fc.assert(
      fc.property(credentialValue, ({ value }) => {
        expect(headerCredential("X-Custom", value)).toBeDefined();
      }),
      propertyParameters(300),
    );
  });

  it("flags any literal, even a low-entropy password, under a credential name in any casing, separator or look-alike", () => {
    fc.assert(
      fc.property(credentialName, literalUnderCredentialName, (name, value) => {
        expect(nameShape(name)).toBeDefined();
        expect(headerCredential(name, value)).toBeDefined();
      }),
      propertyParameters(300),
    );
  });

  it("passes ordinary headers with low-entropy values and token references", () => {
    fc.assert(
      fc.property(safeHeaders, (value) => {
        expect(check({ headers: value })).toEqual([]);
      }),
      propertyParameters(300),
    );
  });

  it("passes token references under credential names, and ordinary values under ordinary names", () => {
    fc.assert(
      fc.property(credentialName, tokenReference, ordinaryHeaderName, ordinaryValue, (name, reference, ordinaryName, value) => {
        expect(isOnlyReferences(reference)).toBe(true);
        expect(headerCredential(name, reference)).toBeUndefined();
        expect(headerCredential(ordinaryName, value)).toBeUndefined();
      }),
      propertyParameters(200),
    );
  });

  it("flags every credential-bearing URL in the part it was put in, and passes it given as a secret", () => {
    fc.assert(
      fc.property(credentialUrl, ({ part, url }) => {
        const found = urlCredentials(url);
        expect(found.map((f) => f.part)).toContain(part);
        const messages = check({ url });
        expect(messages.length).toBeGreaterThan(0);
        for (const message of messages) expect(message).toMatch(/literal credential in (the URL|the URL's)/);
        expect(check({ url }, [["url"]])).toEqual([]);
      }),
      propertyParameters(300),
    );
  });

  it("passes ordinary https URLs and token references", () => {
    fc.assert(
      fc.property(safeUrl, (url) => {
        expect(urlCredentials(url)).toEqual([]);
      }),
      propertyParameters(200),
    );
  });
});

describe(`${policyName}: the opaque-token rule`, () => {
  it("computes Shannon entropy as detect-secrets does", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 64 }), (text) => {
        expect(shannonEntropy(text)).toBeCloseTo(entropyOf(text), 10);
      }),
      propertyParameters(100),
    );
    expect(shannonEntropy("aaaa")).toBe(0);
    expect(shannonEntropy("abcd")).toBe(2);
  });

  it.each([
    "application/json",
    "application/x-www-form-urlencoded",
    "XMLHttpRequest",
    "IntercomCustomActionsConnector",
    "order-status-lookup-service",
    "build-20240115-linux-amd64",
    "internationalization",
    "OPTIONS",
  ])("reads %p as prose", (text) => {
    expect(isProseLike(text)).toBe(true);
    expect(valueShapes(text)).toEqual([]);
  });

  it.each(["dXNlcjpwYXNz", "aB3xYz9QwErTy7Ui", "0123456789abcdef0123"])("does not read %p as prose", (text) => {
    expect(isProseLike(text)).toBe(false);
  });

  it("flags hex of 20 characters at 3.0 bits, not below; and needs 16 base64 characters, or 12 with padding", () => {
    expect(valueShapes("0123456789abcdef0123").map((s) => s.kind)).toEqual(["high-entropy"]);
    expect(valueShapes("0123456789abcdef012")).toEqual([]);
    expect(valueShapes("0101010101010101010101")).toEqual([]);
    expect(valueShapes("aB3xYz9QwErTy7Ui")).toEqual([{ kind: "base64" }]);
    expect(valueShapes("aB3xYz9QwEr=")).toEqual([{ kind: "base64" }]);
    expect(valueShapes("aB3xYz9QwEr")).toEqual([]);
    expect(opaqueTokenLimits).toEqual({ minLength: 16, minPaddedLength: 12, minHexLength: 20, minEntropy: 3.0, highEntropy: 3.5 });
  });

  it("finishes quickly on long adversarial values (no regex backtracking)", () => {
    const long = `${"aB".repeat(50_000)}${"a".repeat(50_000)}1234567=${"x.".repeat(20_000)}`;
    const started = Date.now();
    valueShapes(long);
    isOnlyReferences(`{{${"a".repeat(50_000)}`);
    urlCredentials(`https://api.example.com/${"a".repeat(50_000)}?${"a=b&".repeat(10_000)}`);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe(`${policyName}: the encodings a literal hides behind`, () => {
  const base = secure.customAction;
  const flagged = (settings: Record<string, unknown>) =>
    expectNeedsReview(grade(customActionNoLiteralCredentials, { ...base, ...settings } as never), "literal credential");

  it.each(["dXNlcjpwYXNz", "YWRtaW46YWRtaW4=", "cm9vdDpyb290", "YWRtaW46YWRtaW4"])(
    "flags base64 user:password %p without a scheme, in a header and a query",
    (encoded) => {
      flagged({ headers: { "X-Custom": encoded } });
      flagged({ url: `https://api.example.com/orders?q=${encoded}` });
    },
  );

  it.each([
    "https://api.example.com/orders?a=1;token=hunter2",
    "https://api.example.com/orders?ApiKey%3Dhunter2",
    "https://api.example.com/orders?q=a%26token%3Dhunter2",
  ])("flags a parameter only a server splitting on ; or decoding = sees: %p", (url) => {
    flagged({ url });
  });

  it.each([
    "https://hooks.slack.com//services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
    "https://hooks.slack.com/%73ervices/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
    "https://hooks.slack-gov.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
    "https://discord.com/api//webhooks/123456789012345678/abcdefghijklmnopqrstuvwxyz",
    "https://ptb.discordapp.com/api/webhooks/123456789012345678/abcdefghijklmnopqrstuvwxyz",
    "https://canary.discordapp.com/api/webhooks/123456789012345678/abcdefghijklmnopqrstuvwxyz",
  ])("flags the webhook %p, routed as its server routes it", (url) => {
    expectNeedsReview(grade(customActionNoLiteralCredentials, { ...base, url }), "webhook, whose URL is itself the credential");
  });

  it.each(["Basic {{dXNlcjpwYXNz}}", "Bearer {{Tr0ub4dor3xx}}", "{{Tr0ub4dor3xx}}"])(
    "flags %p: a literal in the form of a reference",
    (value) => {
      flagged({ headers: { Authorization: value } });
      flagged({ headers: { "X-Custom": value } });
    },
  );

  it.each([
    "{{orders_token}}",
    "Bearer {{crm.apiKey}}",
    "Bearer {{API_KEY_V2}}",
    "session={{token}}; csrf={{csrf_token}}",
    "Token {{token2024}}",
  ])("still passes the reference %p", (value) => {
    expectSecure(grade(customActionNoLiteralCredentials, { ...base, headers: { Authorization: value } }));
  });

  it("flags every generated base64 user:password and every wrapped literal, under a neutral name", () => {
    fc.assert(
      fc.property(fc.oneof(encodedUserPassword, wrappedLiteral), (value) => {
        expect(headerCredential("X-Custom", value)).toBeDefined();
      }),
      propertyParameters(300),
    );
  });
});

describe("CustomAction url and MobileSdk apiEndpoint: URLs every parser reads alike", () => {
  it("refuses every generated ambiguous URL in the schema, naming why but not the URL; no policy grades it", () => {
    fc.assert(
      fc.property(ambiguousUrl, ({ url }) => {
        expect(urlAmbiguity(url) ?? (URL.canParse(url) ? "parsed" : "unparseable")).not.toBe("parsed");
        const parsed = customActionSchema.safeParse({ ...secure.customAction, url });
        expect(parsed.success).toBe(false);
        const findings = gradeRaw(customActionNoLiteralCredentials, { ...secure.customAction, url });
        expectNotEvaluated(findings);
        expect(
          mobileSdkSchema.safeParse({ workspaceId: "abc123xyz", platform: "ios", encryptedMode: true, apiEndpoint: url }).success,
        ).toBe(false);
      }),
      propertyParameters(300),
    );
  });

  it.each([
    "https://api.example.com\\@127.0.0.1/x",
    "https://api.example.com\\@169.254.169.254/latest/meta-data/",
    "https://api.example.com\\admin:hunter2@10.0.0.1/",
  ])("refuses %p, which WHATWG and curl read as different hosts", (url) => {
    const parsed = customActionSchema.safeParse({ ...secure.customAction, url });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues.map((i) => i.message))).not.toMatch(/127\.0\.0\.1|169\.254|hunter2/);
  });

  it("accepts every generated credential-bearing and ordinary URL (so the policies grade them), and an explicit default port", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          credentialUrl.map((c) => c.url),
          safeUrl,
        ),
        (url) => {
          expect(urlAmbiguity(url)).toBeUndefined();
        },
      ),
      propertyParameters(300),
    );
    expect(urlAmbiguity("https://api.example.com:443/orders")).toBeUndefined();
    expect(urlAmbiguity("https://api.example.com:8443/orders")).toBeUndefined();
    expect(urlAmbiguity("https://[2606:4700::1111]/orders")).toBeUndefined();
  });
});
