import { twoFactorRequired } from "../../../policies/authentication-access/two-factor-required";
import { expectNeedsReview, expectNotEvaluated, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

describe("intercom-two-factor-required", () => {
  const base = secure.twoFactorAuthentication;

  it("passes required 2FA", () => {
    expectSecure(grade(twoFactorRequired, base));
  });

  it("flags optional 2FA (Intercom's default)", () => {
    expectNeedsReview(grade(twoFactorRequired, { ...base, enforcement: "optional" }), '"optional"', "not required");
  });

  it("flags 2FA off", () => {
    expectNeedsReview(grade(twoFactorRequired, { ...base, enforcement: "off" }), '"off"');
  });

  it("grades an unknown enforcement value as not evaluated", () => {
    expectNotEvaluated(grade(twoFactorRequired, { ...base, enforcement: "enforced" as never }));
  });

  describeResourcePolicyBasics(twoFactorRequired, "authentication-access", base);
});
