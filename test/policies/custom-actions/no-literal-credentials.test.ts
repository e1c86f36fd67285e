import { headersWithLiteralCredentials } from "../../../policies/support/credentials";
import { customActionNoLiteralCredentials } from "../../../policies/custom-actions/no-literal-credentials";
import { expectNeedsReview, expectNotEvaluated, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

describe("intercom-custom-action-no-literal-credentials", () => {
  const base = secure.customAction;
  const headers = (value: Record<string, string>) => grade(customActionNoLiteralCredentials, { ...base, headers: value });
  const url = (value: string) => grade(customActionNoLiteralCredentials, { ...base, url: value });

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
    ["an empty credential header", { "X-Api-Token": "" }],
    ["ordinary headers", { Accept: "application/json", "Content-Type": "application/json", "X-Request-Source": "intercom" }],
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
    ["a Bearer scheme under a neutral name", "X-Forwarded-Credentials-For", "Bearer abc"],
    ["a Bearer scheme under an unrelated name", "X-Custom", "Bearer abc.def.ghi"],
  ])("flags %s, naming the header", (_label, name, value) => {
    expectNeedsReview(headers({ Accept: "application/json", [name]: value }), '"Order lookup"', "literal credential", `"${name}" header`);
  });

  it("never quotes the header's value", () => {
    const [finding] = expectNeedsReview(headers({ Authorization: "Bearer sk_live_0123456789" }));
    expect(finding?.message).not.toMatch(/sk_live/);
  });

  it("flags user-info in the URL", () => {
    expectNeedsReview(url("https://svc:hunter2@api.example.com/orders"), "user-info");
  });

  it.each(["api_key", "apikey", "token", "access_token", "secret", "client_secret", "password", "sig"])("flags a literal %p query parameter", (name) => {
    expectNeedsReview(url(`https://api.example.com/orders?${name}=abc123`), `"${name}" query parameter`);
  });

  it("passes a query parameter that references a stored token, and ordinary parameters", () => {
    expectSecure(url("https://api.example.com/orders?token={{orders_token}}&page=2&include=items"));
  });

  it("applies to drafts too: the credential is in the source either way", () => {
    expectNeedsReview(grade(customActionNoLiteralCredentials, { ...base, state: "draft", headers: { Authorization: "Bearer abc123" } }), "Authorization");
  });

  it("reports a header and a URL credential as two problems", () => {
    const findings = grade(customActionNoLiteralCredentials, { ...base, url: "https://api.example.com/orders?api_key=abc", headers: { Authorization: "Bearer abc" } });
    expect(expectNeedsReview(findings)).toHaveLength(2);
  });

  it("grades a header with a non-string value as not evaluated", () => {
    expectNotEvaluated(grade(customActionNoLiteralCredentials, { ...base, headers: { "X-Retry": 3 as never } }));
  });

  describeResourcePolicyBasics(customActionNoLiteralCredentials, "custom-actions", base);
});

describe("intercom-custom-action-no-literal-credentials: header names and references", () => {
  it.each(["Ocp-Apim-Subscription-Key", "x-functions-key", "X-Access-Key"])("flags a literal value in %p", (header) => {
    const names = headersWithLiteralCredentials({ [header]: "0123456789abcdef" });
    expect(names).toEqual([header]);
  });

  it("does not mistake X-Author for an auth header", () => {
    expect(headersWithLiteralCredentials({ "X-Author": "support team" })).toEqual([]);
  });

  it("accepts a cookie that only references a stored token", () => {
    expect(headersWithLiteralCredentials({ Cookie: "session={{token}}" })).toEqual([]);
    expect(headersWithLiteralCredentials({ Cookie: "session=abc123def456" })).toEqual(["Cookie"]);
  });
});

describe("intercom-custom-action-no-literal-credentials: URL query parameters", () => {
  it("flags a credential-named query parameter, whatever its prefix", () => {
    expectNeedsReview(
      grade(customActionNoLiteralCredentials, { ...secure.customAction, url: "https://api.example.com/orders?x-api-key=sk_live_123456" }),
      '"x-api-key" query parameter',
    );
  });
});
