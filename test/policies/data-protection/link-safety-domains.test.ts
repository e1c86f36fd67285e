import { linkSafetyDomains } from "../../../policies/data-protection/link-safety-domains";
import { expectNeedsReview, expectNotEvaluated, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

describe("intercom-link-safety-domains", () => {
  const base = secure.linkSafety;
  const trusted = (...trustedDomains: string[]) => grade(linkSafetyDomains, { ...base, trustedDomains });

  it("passes the secure fixture (example.com, *.example.com)", () => {
    expectSecure(grade(linkSafetyDomains, base));
  });

  it("passes an empty trusted list: every link then gets the warning", () => {
    expectSecure(trusted());
  });

  it.each([
    ["*", "admits any domain"],
    ["*.com", "top-level domain"],
    ["*.co.uk", "public suffix"],
    ["https://x.com", "scheme"],
    ["x.com/path", "path"],
    ["localhost", "localhost"],
    ["10.0.0.1", "IP address"],
    ["[::1]", "IP address"],
  ])("flags the overly broad trusted domain %p (%s)", (domain, reason) => {
    expectNeedsReview(trusted("example.com", domain), "Trusted link domain", reason);
  });

  it("flags a domain that is both trusted and blocked, ignoring case and spaces", () => {
    expectNeedsReview(
      grade(linkSafetyDomains, { ...base, trustedDomains: ["Malware.Example.net "], blockedDomains: ["malware.example.net"] }),
      "both trusted and blocked",
    );
  });

  it("flags a domain that is both trusted and blocked in another notation (Unicode, full-width dot, trailing dot)", () => {
    expectNeedsReview(
      grade(linkSafetyDomains, { ...base, trustedDomains: ["bücher.example．com."], blockedDomains: ["XN--BCHER-KVA.example.com"] }),
      "both trusted and blocked",
    );
  });

  it("flags wildcards over public suffixes and wildcard-DNS names here too", () => {
    expectNeedsReview(trusted("*.vercel.app"), "public suffix");
    expectNeedsReview(trusted("10-0-0-1.sslip.io"), "wildcard-DNS");
  });

  it("does not judge the blocked list (blocking broadly is safe)", () => {
    expectSecure(grade(linkSafetyDomains, { ...base, blockedDomains: ["*", "*.com"] }));
  });

  it("grades a non-string domain as not evaluated", () => {
    expectNotEvaluated(grade(linkSafetyDomains, { ...base, trustedDomains: [null as never] }));
  });

  describeResourcePolicyBasics(linkSafetyDomains, "data-protection", base);
});
