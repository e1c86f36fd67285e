import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { ssoEnforcementControl } from "../../resources/sso-enforcement";
import { frameworks } from "../support/frameworks";

export const ssoRequired = defineResourcePolicy({
  name: "intercom-sso-required",
  id: "IHC.AUTH.01",
  title: "SSO required for teammates",
  description: "Teammates must sign in through Google or SAML SSO: one of them is set to required.",
  items: ["auth.sign-in-methods"],
  severity: "critical",
  criticality: "SHALL",
  rationale:
    "Single sign-on puts teammate access under the identity provider's MFA, offboarding and session rules. While SSO is only allowed, anyone with a teammate's password can still get in.",
  remediation: [
    "In Settings > Security > Workspace, set Require Google sign-in or Require SAML to required.",
    "For SAML, configure the identity provider (NameID = email, signed assertions) first, and consider SCIM provisioning.",
  ],
  helpUrl: helpLinks.ssoAnd2fa,
  frameworks: { ...frameworks.teammateAuthentication, nist80053: ["AC-2", "IA-2"] },
  control: ssoEnforcementControl,
  example: {
    workspaceId: "abc12345",
    googleSignIn: "off",
    samlSso: "required",
    emailPasswordSignIn: false,
    saml: {
      idpEntityId: "https://idp.example.com/entity",
      idpSsoUrl: "https://idp.example.com/sso",
      idpCertificate: "-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----",
      signedAssertions: true,
    },
  },
  // Never remediated: requiring SSO decides who can sign in, and locks out anyone not in the identity provider.
  check: (sso) =>
    sso.googleSignIn === "required" || sso.samlSso === "required"
      ? []
      : [`No SSO is required: googleSignIn is "${sso.googleSignIn}" and samlSso is "${sso.samlSso}"; set one of them to "required".`],
});
