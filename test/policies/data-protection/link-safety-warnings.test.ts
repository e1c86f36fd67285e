import { linkSafetyWarnings } from "../../../policies/data-protection/link-safety-warnings";
import { expectNeedsReview, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";
import { remediate } from "../../support/remediation";
import { UNKNOWN } from "../../support/unknowns";

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
    expect(
      expectNeedsReview(grade(linkSafetyWarnings, { ...base, warnOnMaliciousLinks: false, warnOnUntrustedLinks: false })),
    ).toHaveLength(2);
  });

  describeResourcePolicyBasics(linkSafetyWarnings, "data-protection", base);
});

describe("intercom-link-safety-warnings: remediation", () => {
  const base = secure.linkSafety;
  const cases = [true, false].flatMap((warnOnMaliciousLinks) =>
    [true, false].map((warnOnUntrustedLinks) => ({ warnOnMaliciousLinks, warnOnUntrustedLinks })),
  );

  it.each(cases)("turns on exactly the warnings that are off, nothing else: %j", (patch) => {
    const props = { ...base, ...patch };
    const fix = remediate(linkSafetyWarnings, props);
    const expected = {
      ...(patch.warnOnMaliciousLinks ? {} : { warnOnMaliciousLinks: true }),
      ...(patch.warnOnUntrustedLinks ? {} : { warnOnUntrustedLinks: true }),
    };
    if (Object.keys(expected).length === 0) {
      expect(fix).toBeUndefined();
    } else {
      expect(fix).toEqual(expected);
      expectSecure(grade(linkSafetyWarnings, { ...props, ...fix }));
    }
  });

  it("makes no fix on a value not known yet", () => {
    expect(remediate(linkSafetyWarnings, { ...base, warnOnMaliciousLinks: UNKNOWN })).toBeUndefined();
    expect(remediate(linkSafetyWarnings, { ...base, warnOnMaliciousLinks: false, trustedDomains: [UNKNOWN] })).toBeUndefined();
  });
});
