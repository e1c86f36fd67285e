import { webIdentityVerification } from "../../../policies/authentication-access/web-identity-verification";
import { expectNeedsReview, expectNotApplicable, expectNotEvaluated, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

describe("intercom-web-identity-verification", () => {
  const base = secure.webMessengerSecurity;

  it("passes enforced JWT verification on the web", () => {
    expectSecure(grade(webIdentityVerification, base));
  });

  it("passes enforced legacy HMAC verification (intercom-messenger-jwt owns the HMAC finding)", () => {
    expectSecure(grade(webIdentityVerification, { ...base, identityVerification: "hmac" }));
  });

  it("flags identity verification off", () => {
    expectNeedsReview(grade(webIdentityVerification, { ...base, identityVerification: "off", enforced: false }), "off", "web", "any user");
  });

  it("flags identity verification off even if the enforce toggle is on", () => {
    expectNeedsReview(grade(webIdentityVerification, { ...base, identityVerification: "off" }), "Identity verification is off");
  });

  it("flags JWT verification that is not enforced", () => {
    expectNeedsReview(grade(webIdentityVerification, { ...base, enforced: false }), "not enforced", "jwt");
  });

  it("flags HMAC verification that is not enforced", () => {
    expectNeedsReview(grade(webIdentityVerification, { ...base, identityVerification: "hmac", enforced: false }), "not enforced", "hmac");
  });

  it("does not apply to iOS or Android (intercom-mobile-identity-verification grades them)", () => {
    expectNotApplicable(grade(webIdentityVerification, { ...secure.iosMessengerSecurity, identityVerification: "off" }));
    expectNotApplicable(grade(webIdentityVerification, { ...secure.androidMessengerSecurity, enforced: false }));
  });

  it("grades an unknown platform as not evaluated", () => {
    expectNotEvaluated(grade(webIdentityVerification, { ...base, platform: "desktop" as never }));
  });

  describeResourcePolicyBasics(webIdentityVerification, "authentication-access", base);
});
