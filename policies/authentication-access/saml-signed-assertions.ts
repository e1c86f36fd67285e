import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { ssoEnforcementControl } from "../../resources/sso-enforcement";
import { frameworks } from "../support/frameworks";

export const samlSignedAssertions = defineResourcePolicy({
  name: "intercom-saml-signed-assertions",
  id: "IHC.AUTH.03",
  title: "SAML configured with signed assertions",
  description: "When SAML SSO is allowed or required, its identity provider is declared, reached over https and its assertions are signed.",
  items: ["auth.sign-in-methods"],
  severity: "high",
  criticality: "SHALL",
  rationale:
    "Unsigned SAML assertions can be forged or altered in transit; an http sign-on URL exposes them. Either undoes what SSO protects.",
  remediation: [
    "Declare the `saml` block: idpEntityId, an https idpSsoUrl, the IdP's signing certificate.",
    "Set signedAssertions: true and enable assertion signing in the identity provider.",
  ],
  helpUrl: helpLinks.samlSso,
  frameworks: { ...frameworks.teammateAuthentication, nist80053: ["IA-2", "SC-8"] },
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
  appliesTo: (sso) => sso.samlSso !== "off",
  // Never remediated: requiring signed assertions stops every SAML sign-in if the identity provider does not sign them.
  check: (sso) => {
    if (!sso.saml) return [`samlSso is "${sso.samlSso}" but no saml identity provider settings are declared.`];
    const problems: string[] = [];
    if (!sso.saml.signedAssertions) problems.push("SAML assertions are not required to be signed (saml.signedAssertions: false).");
    if (!sso.saml.idpSsoUrl.toLowerCase().startsWith("https://")) problems.push("The SAML sign-on URL (saml.idpSsoUrl) is not https.");
    return problems;
  },
});
