import { emailPasswordSignInDisabled } from "../../../policies/authentication-access/email-password-sign-in-disabled";
import { expectNeedsReview, expectSecure, grade, secure, verdict } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

describe("intercom-email-password-sign-in-disabled", () => {
  const base = secure.ssoEnforcement;

  it("passes the secure fixture (email/password off)", () => {
    expectSecure(grade(emailPasswordSignInDisabled, base));
  });

  it("flags email and password sign-in left on beside required SSO", () => {
    expectNeedsReview(grade(emailPasswordSignInDisabled, { ...base, emailPasswordSignIn: true }), "Email and password", "emailPasswordSignIn");
  });

  it("flags email and password sign-in on Intercom's default (no SSO)", () => {
    const findings = grade(emailPasswordSignInDisabled, { workspaceId: base.workspaceId, googleSignIn: "off", samlSso: "off", emailPasswordSignIn: true });
    expectNeedsReview(findings, "turn it off");
  });

  it("grades a non-boolean emailPasswordSignIn as not evaluated", () => {
    expect(verdict(grade(emailPasswordSignInDisabled, { ...base, emailPasswordSignIn: "false" as never }))?.statuses).toEqual(["not_evaluated"]);
  });

  describeResourcePolicyBasics(emailPasswordSignInDisabled, "authentication-access", base);
});
