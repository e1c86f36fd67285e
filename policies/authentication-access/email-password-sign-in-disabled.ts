import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { ssoEnforcementControl } from "../../resources/sso-enforcement";
import { frameworks } from "../support/frameworks";

export const emailPasswordSignInDisabled = defineResourcePolicy({
  name: "intercom-email-password-sign-in-disabled",
  id: "IHC.AUTH.02",
  title: "Email and password sign-in off",
  description: "Email and password sign-in must be turned off, so every teammate signs in through SSO.",
  items: ["auth.sign-in-methods"],
  severity: "critical",
  criticality: "SHALL",
  rationale:
    "Intercom names email/password sign-in as a high-impact finding: a password left beside SSO bypasses the identity provider, its MFA and its offboarding.",
  remediation: [
    "Require Google sign-in or SAML first (see intercom-sso-required).",
    "Then turn off Email & Password (and Email & Password with 2FA) in Settings > Security > Workspace.",
  ],
  helpUrl: helpLinks.ssoAnd2fa,
  frameworks: { ...frameworks.teammateAuthentication, nist80053: ["IA-2", "IA-5"] },
  control: ssoEnforcementControl,
  example: { workspaceId: "abc12345", googleSignIn: "required", samlSso: "off", emailPasswordSignIn: false },
  check: (sso) => (sso.emailPasswordSignIn ? ["Email and password sign-in is on (emailPasswordSignIn: true); turn it off."] : []),
  // Remediates: turns password sign-in off only where Google sign-in, or SAML with its identity
  // provider declared, is already required, so everyone already signs in through SSO. Never
  // requires SSO itself: that decides who can sign in (see intercom-sso-required).
  remediates: ["emailPasswordSignIn"],
  remediate: (sso) =>
    sso.emailPasswordSignIn && (sso.googleSignIn === "required" || (sso.samlSso === "required" && sso.saml !== undefined))
      ? { emailPasswordSignIn: false }
      : undefined,
});
