import { ssoRequired } from "../../../policies/authentication-access/sso-required";
import { expectNeedsReview, expectSecure, grade, secure, verdict } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

describe("intercom-sso-required", () => {
  const base = secure.ssoEnforcement;

  it("passes the secure fixture (SAML required)", () => {
    expectSecure(grade(ssoRequired, base));
  });

  it("passes when Google sign-in is required instead of SAML", () => {
    expectSecure(grade(ssoRequired, { ...base, googleSignIn: "required", samlSso: "off", saml: undefined }));
  });

  it("flags no SSO required when both methods are only allowed", () => {
    expectNeedsReview(grade(ssoRequired, { ...base, googleSignIn: "allowed", samlSso: "allowed" }), "No SSO is required", '"allowed"');
  });

  it("flags no SSO required when both methods are off (Intercom's default)", () => {
    expectNeedsReview(
      grade(ssoRequired, { ...base, googleSignIn: "off", samlSso: "off", emailPasswordSignIn: true }),
      "No SSO",
      "required",
    );
  });

  it("is not about email/password: SSO required with a password left on still passes this policy", () => {
    // intercom-email-password-sign-in-disabled owns that finding; one problem, one policy.
    expectSecure(grade(ssoRequired, { ...base, emailPasswordSignIn: true }));
  });

  it("grades an unknown sign-in value as not evaluated", () => {
    expect(verdict(grade(ssoRequired, { ...base, samlSso: "mandatory" as never }))?.statuses).toEqual(["not_evaluated"]);
  });

  describeResourcePolicyBasics(ssoRequired, "authentication-access", base);
});
