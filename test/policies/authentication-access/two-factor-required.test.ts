import { passwordSignInClosed, twoFactorRequired } from "../../../policies/authentication-access/two-factor-required";
import { StackModel } from "../../../core/stack-model";
import { allControls, ssoEnforcementControl, twoFactorAuthenticationControl } from "../../../resources";
import {
  expectNeedsReview,
  expectNotEvaluated,
  expectSecure,
  find,
  gradeStack,
  names,
  otherWorkspaceId,
  rawResource,
  secureStack,
  urnOf,
  without,
  withProps,
  workspaceId,
} from "../../support/fixtures";
import { describeStackPolicyBasics } from "../../support/policy-basics";

describe("intercom-two-factor-required", () => {
  const twoFactorUrn = urnOf(twoFactorAuthenticationControl, names.twoFactor);
  /** The secure stack with password sign-in still possible, so 2FA matters. */
  const passwordsOn = () => withProps(secureStack(), names.sso, { emailPasswordSignIn: true });
  const withTwoFactor = (stack: ReturnType<typeof secureStack>, enforcement: string) => withProps(stack, names.twoFactor, { enforcement });

  it("keeps its name and id, and is a stack policy reading TwoFactorAuthentication and SsoEnforcement", () => {
    expect([twoFactorRequired.name, twoFactorRequired.id, twoFactorRequired.kind]).toEqual([
      "intercom-two-factor-required",
      "IHC.AUTH.04",
      "stack",
    ]);
    expect(twoFactorRequired.reads).toEqual([twoFactorAuthenticationControl, ssoEnforcementControl]);
    expect(twoFactorRequired.scope).toBe(twoFactorAuthenticationControl);
  });

  it("passes required 2FA, whatever the sign-in methods", () => {
    expectSecure(gradeStack(twoFactorRequired, secureStack()));
    expectSecure(gradeStack(twoFactorRequired, passwordsOn()));
  });

  it.each(["optional", "off"])("flags %p 2FA while password sign-in is on, under the 2FA control's urn", (enforcement) => {
    const findings = expectNeedsReview(
      gradeStack(twoFactorRequired, withTwoFactor(passwordsOn(), enforcement)),
      `"${enforcement}"`,
      "not required",
      "password",
    );
    expect(findings.map((f) => f.urn)).toEqual([twoFactorUrn]);
  });

  it("does not flag 2FA when SSO is required and email/password sign-in is off (Intercom's 2FA applies to password sign-in)", () => {
    expectSecure(gradeStack(twoFactorRequired, withTwoFactor(secureStack(), "optional")));
    expectSecure(
      gradeStack(
        twoFactorRequired,
        withTwoFactor(withProps(secureStack(), names.sso, { samlSso: "off", googleSignIn: "required" }), "off"),
      ),
    );
  });

  it("flags optional 2FA when SSO is only allowed, even with password sign-in off", () => {
    const ssoAllowed = withProps(secureStack(), names.sso, { samlSso: "allowed", googleSignIn: "allowed" });
    expectNeedsReview(gradeStack(twoFactorRequired, withTwoFactor(ssoAllowed, "optional")), '"optional"');
  });

  it("flags optional 2FA in a workspace that declares no SsoEnforcement (Intercom's default: passwords on)", () => {
    expectNeedsReview(gradeStack(twoFactorRequired, withTwoFactor(without(secureStack(), names.sso), "optional")), '"optional"');
  });

  it("does not let another workspace's SsoEnforcement exempt this one", () => {
    const sso = find(secureStack(), names.sso);
    const elsewhere = { ...sso, name: "other-sso", urn: `${sso.urn}-other`, props: { ...sso.props, workspaceId: otherWorkspaceId } };
    expectNeedsReview(
      gradeStack(twoFactorRequired, [...without(withTwoFactor(secureStack(), "optional"), names.sso), elsewhere]),
      '"optional"',
    );
  });

  it("does not exempt a workspace whose SsoEnforcement is invalid: that is reported, and 2FA still graded", () => {
    const broken = rawResource(ssoEnforcementControl, names.sso, { ...find(secureStack(), names.sso).props, samlSso: "enforced" });
    const findings = gradeStack(twoFactorRequired, [...without(withTwoFactor(secureStack(), "optional"), names.sso), broken]);
    expectNotEvaluated(findings, "SsoEnforcement");
    expect(findings.filter((f) => f.status === "needs_review").map((f) => f.urn)).toEqual([twoFactorUrn]);
  });

  it("does not exempt a workspace where a second SsoEnforcement leaves passwords on", () => {
    const sso = find(secureStack(), names.sso);
    const second = { ...sso, name: "sso-2", urn: `${sso.urn}-2`, props: { ...sso.props, emailPasswordSignIn: true } };
    expectNeedsReview(gradeStack(twoFactorRequired, [...withTwoFactor(secureStack(), "optional"), second]), '"optional"');
  });

  it("leaves a workspace that declares no TwoFactorAuthentication to intercom-two-factor-authentication-declared", () => {
    expectSecure(gradeStack(twoFactorRequired, without(passwordsOn(), names.twoFactor)));
  });

  it("grades an unknown enforcement value as not evaluated", () => {
    const broken = rawResource(twoFactorAuthenticationControl, names.twoFactor, {
      ...find(secureStack(), names.twoFactor).props,
      enforcement: "enforced",
    });
    expectNotEvaluated(gradeStack(twoFactorRequired, [...without(passwordsOn(), names.twoFactor), broken]), "TwoFactorAuthentication");
  });

  describe("exempts exactly the sign-in settings that close password sign-in (every combination)", () => {
    const requirements = ["off", "allowed", "required"] as const;
    const cases = requirements.flatMap((google) =>
      requirements.flatMap((saml) =>
        [false, true].flatMap((password) =>
          (["off", "optional", "required"] as const).map((enforcement) => ({ google, saml, password, enforcement })),
        ),
      ),
    );
    it.each(cases)("google $google, saml $saml, password $password, 2FA $enforcement", ({ google, saml, password, enforcement }) => {
      const stack = withTwoFactor(
        withProps(secureStack(), names.sso, { googleSignIn: google, samlSso: saml, emailPasswordSignIn: password }),
        enforcement,
      );
      const closed = (google === "required" || saml === "required") && !password;
      expect(passwordSignInClosed(StackModel.build(stack, allControls), workspaceId)).toBe(closed);
      const findings = gradeStack(twoFactorRequired, stack);
      expect(findings.map((f) => f.status)).toEqual([enforcement === "required" || closed ? "secure" : "needs_review"]);
    });
  });

  describeStackPolicyBasics(twoFactorRequired, "authentication-access", passwordsOn);
});
