import { linkSafetyWarnings } from "../../../policies/data-protection/link-safety-warnings";
import { expectNeedsReview, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

describe("intercom-link-safety-warnings", () => {
  const base = secure.linkSafety;

  it("passes both warnings on", () => {
    expectSecure(grade(linkSafetyWarnings, base));
  });

  it("flags no warning for malicious links", () => {
    expectNeedsReview(grade(linkSafetyWarnings, { ...base, warnOnMaliciousLinks: false }), "malicious");
  });

  it("flags no warning for untrusted links", () => {
    expectNeedsReview(grade(linkSafetyWarnings, { ...base, warnOnUntrustedLinks: false }), "untrusted domain");
  });

  it("reports both when both are off (the graded default)", () => {
    expect(expectNeedsReview(grade(linkSafetyWarnings, { ...base, warnOnMaliciousLinks: false, warnOnUntrustedLinks: false }))).toHaveLength(2);
  });

  describeResourcePolicyBasics(linkSafetyWarnings, "data-protection", base);
});
