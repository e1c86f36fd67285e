import { defineStackPolicy, StackViolation } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { StackModel } from "../../core/stack-model";
import { ssoEnforcementControl } from "../../resources/sso-enforcement";
import { twoFactorAuthenticationControl, TwoFactorAuthenticationSettings } from "../../resources/two-factor-authentication";
import type { SettingsGrading } from "../support/undeclared-controls";
import { frameworks } from "../support/frameworks";

/**
 * Whether nobody can sign in to the workspace with a password: every SsoEnforcement it declares
 * (valid, with its workspace known) requires Google or SAML and has email/password sign-in off,
 * and none is invalid. A workspace that declares none is on Intercom's default: passwords on.
 */
export function passwordSignInClosed(stack: StackModel, workspaceId: string): boolean {
  const declared = stack.instances(ssoEnforcementControl, workspaceId);
  return (
    declared.length > 0 &&
    stack.invalidInstances(ssoEnforcementControl, workspaceId).length === 0 &&
    declared.every(
      ({ settings }) => (settings.googleSignIn === "required" || settings.samlSso === "required") && !settings.emailPasswordSignIn,
    )
  );
}

/** The 2FA rule for one TwoFactorAuthentication's settings in its workspace. */
function gradeTwoFactor(settings: TwoFactorAuthenticationSettings, workspaceId: string, stack: StackModel): string[] {
  // Intercom's 2FA protects email/password sign-in; with that closed, the IdP's MFA applies.
  if (settings.enforcement === "required" || passwordSignInClosed(stack, workspaceId)) return [];
  return [
    `Two-factor authentication is "${settings.enforcement}", not required for every teammate, while teammates can still sign in with a password (email/password sign-in is on, or no SSO is required).`,
  ];
}

export const twoFactorRequired = Object.assign(
  defineStackPolicy({
    name: "intercom-two-factor-required",
    id: "IHC.AUTH.04",
    title: "Two-factor authentication enforced",
    description:
      "Two-factor authentication must be required for the whole workspace, not left to each teammate, unless SSO is required and email/password sign-in is off.",
    items: ["auth.two-factor"],
    severity: "medium",
    criticality: "SHOULD",
    rationale:
      "Optional 2FA protects only the teammates who opt in. Intercom's 2FA applies to email/password sign-in: while that is possible (password sign-in on, or SSO only allowed), enforced 2FA covers it. Once Google or SAML is required and passwords are off, the identity provider's MFA does that job.",
    remediation: [
      "In Settings > Security > Workspace, enforce two-factor authentication for all teammates (authenticator app).",
      "Or require Google sign-in or SAML and turn email/password sign-in off (see intercom-sso-required).",
    ],
    helpUrl: helpLinks.ssoAnd2fa,
    frameworks: { ...frameworks.teammateAuthentication, nist80053: ["IA-2(1)", "IA-2(2)"] },
    reads: [twoFactorAuthenticationControl, ssoEnforcementControl],
    scope: twoFactorAuthenticationControl,
    check: (stack) =>
      stack
        .instances(twoFactorAuthenticationControl)
        .flatMap((twoFactor): StackViolation[] =>
          gradeTwoFactor(twoFactor.settings, twoFactor.workspaceId, stack).map((message) => ({ urn: twoFactor.urn, message })),
        ),
  }),
  {
    // Lets intercom-two-factor-authentication-declared grade Intercom's default the same way.
    control: twoFactorAuthenticationControl,
    gradeSettings: (settings: Record<string, unknown>, workspaceId: string, stack: StackModel) =>
      gradeTwoFactor(settings as TwoFactorAuthenticationSettings, workspaceId, stack),
  } satisfies SettingsGrading,
);
