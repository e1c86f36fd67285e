import { mobileApiEndpoint } from "../../../policies/messenger-security/mobile-api-endpoint";
import { expectNeedsReview, expectNotApplicable, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

describe("intercom-mobile-api-endpoint", () => {
  const base = secure.iosSdk;
  const endpoint = (apiEndpoint: string) => grade(mobileApiEndpoint, { ...base, apiEndpoint });

  it("passes the secure fixture (https on api-iam.intercom.io)", () => {
    expectSecure(grade(mobileApiEndpoint, base));
  });

  it.each(["https://api-iam.eu.intercom.io", "https://api-iam.au.intercom.io", "https://api.intercom.io/", "https://API.Intercom.IO"])(
    "passes the Intercom host %s",
    (url) => {
      expectSecure(endpoint(url));
    },
  );

  it("does not apply when the SDK uses its region's default endpoint", () => {
    expectNotApplicable(grade(mobileApiEndpoint, { ...base, apiEndpoint: undefined }));
  });

  it("flags plain http to an Intercom host", () => {
    expectNeedsReview(endpoint("http://api-iam.intercom.io"), "uses http", "not https");
  });

  it.each([
    ["another host", "https://api.example.com"],
    ["a look-alike suffix", "https://api.intercom.io.attacker.example"],
    ["a look-alike name", "https://evilintercom.io"],
    ["an IP address", "https://10.0.0.5"],
    ["localhost", "https://localhost:8443"],
  ])("flags %s (%s) as not an Intercom host", (_label, url) => {
    expectNeedsReview(endpoint(url), "is not an Intercom host");
  });

  it("flags credentials in the URL", () => {
    expectNeedsReview(endpoint("https://user:pass@api-iam.intercom.io"), "carries credentials");
  });

  it("flags an endpoint that is not a URL", () => {
    expectNeedsReview(endpoint("api-iam.intercom.io"), "not a URL");
  });

  it("reports http to another host as two problems", () => {
    expect(expectNeedsReview(endpoint("http://api.example.com"))).toHaveLength(2);
  });

  it("names the platform", () => {
    expectNeedsReview(grade(mobileApiEndpoint, { ...secure.androidSdk, apiEndpoint: "http://api.example.com" }), "android");
  });

  describeResourcePolicyBasics(mobileApiEndpoint, "messenger-security", base);
});
