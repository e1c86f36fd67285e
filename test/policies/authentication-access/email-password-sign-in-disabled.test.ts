import { emailPasswordSignInDisabled } from "../../../policies/authentication-access/email-password-sign-in-disabled";
import { expectNeedsReview, expectSecure, grade, secure, verdict } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";
import { remediate } from "../../support/remediation";
import { UNKNOWN } from "../../support/unknowns";

describe("intercom-email-password-sign-in-disabled", () => {
  const base = secure.ssoEnforcement;

  it("passes the secure fixture (email/password off)", () => {
    expectSecure(grade(emailPasswordSignInDisabled, base));
  });

  it("flags email and password sign-in left on beside required SSO", () => {
    expectNeedsReview(
      grade(emailPasswordSignInDisabled, { ...base, emailPasswordSignIn: true }),
      "Email and password",
      "emailPasswordSignIn",
    );
  });

  it("flags email and password sign-in on Intercom's default (no SSO)", () => {
    const findings = grade(emailPasswordSignInDisabled, {
      workspaceId: base.workspaceId,
      googleSignIn: "off",
      samlSso: "off",
      emailPasswordSignIn: true,
    });
    expectNeedsReview(findings, "turn it off");
  });

  it("grades a non-boolean emailPasswordSignIn as not evaluated", () => {
    expect(verdict(grade(emailPasswordSignInDisabled, { ...base, emailPasswordSignIn: "false" as never }))?.statuses).toEqual([
      "not_evaluated",
    ]);
  });

  describeResourcePolicyBasics(emailPasswordSignInDisabled, "authentication-access", base);
});

describe("intercom-email-password-sign-in-disabled: remediation", () => {
  const { saml, ...withoutSaml } = secure.ssoEnforcement;
  const requirements = ["off", "allowed", "required"] as const;

  // Every combination of the sign-in settings: password sign-in is turned off exactly when Google
  // sign-in, or SAML with its identity provider declared, is already required.
  const cases = requirements.flatMap((googleSignIn) =>
    requirements.flatMap((samlSso) =>
      [true, false].flatMap((withIdp) =>
        [true, false].map((emailPasswordSignIn) => ({ googleSignIn, samlSso, withIdp, emailPasswordSignIn })),
      ),
    ),
  );
  it.each(cases)("turns password sign-in off only under required SSO: %j", ({ withIdp, ...patch }) => {
    const props = { ...withoutSaml, ...(withIdp ? { saml } : {}), ...patch };
    const fix = remediate(emailPasswordSignInDisabled, props);
    const ssoRequired = patch.googleSignIn === "required" || (patch.samlSso === "required" && withIdp);
    if (patch.emailPasswordSignIn && ssoRequired) {
      expect(fix).toEqual({ emailPasswordSignIn: false });
      expectSecure(grade(emailPasswordSignInDisabled, { ...props, ...fix }));
    } else {
      expect(fix).toBeUndefined();
    }
  });

  it("never changes who can sign in: the SSO fields are never part of a fix", () => {
    expect(emailPasswordSignInDisabled.remediates).toEqual(["emailPasswordSignIn"]);
  });

  it("makes no fix when whether SSO is required is not known yet", () => {
    expect(
      remediate(emailPasswordSignInDisabled, { ...secure.ssoEnforcement, emailPasswordSignIn: true, samlSso: UNKNOWN }),
    ).toBeUndefined();
    expect(remediate(emailPasswordSignInDisabled, { ...secure.ssoEnforcement, emailPasswordSignIn: UNKNOWN })).toBeUndefined();
  });
});
