import { z } from "zod";
import { defineControl, workspaceIdField } from "../core/control";
import { nonEmptyString } from "../core/fields";
import { controlResource } from "../core/resource";

const signInRequirement = z.enum(["off", "allowed", "required"]);

export const ssoEnforcementSchema = z.strictObject({
  workspaceId: workspaceIdField,
  googleSignIn: signInRequirement.describe("Google sign-in for teammates: off, allowed, or required."),
  samlSso: signInRequirement.describe("SAML single sign-on for teammates: off, allowed, or required."),
  emailPasswordSignIn: z.boolean().describe("Whether teammates may still sign in with email and password. Turn off once SSO is required."),
  saml: z
    .strictObject({
      idpEntityId: nonEmptyString.describe("The identity provider's entity ID (issuer)."),
      idpSsoUrl: z.url({ protocol: /^https?$/ }).describe("The identity provider's single sign-on URL."),
      idpCertificate: nonEmptyString.describe("The identity provider's signing certificate (PEM). Stored as a secret."),
      signedAssertions: z.boolean().describe("Whether Intercom requires signed SAML assertions."),
    })
    .optional()
    .describe("SAML identity provider settings, when SAML SSO is allowed or required."),
  scimProvisioning: z.boolean().optional().describe("Whether teammates are provisioned through SCIM."),
});

export const ssoEnforcementControl = defineControl({
  name: "SsoEnforcement",
  catalogOrder: 10,
  description: "How teammates sign in to the workspace: Google, SAML SSO, email and password.",
  schema: ssoEnforcementSchema,
  secretPaths: ["saml.idpCertificate"],
  identityFields: [],
  intercomDefaults: [{ googleSignIn: "off", samlSso: "off", emailPasswordSignIn: true }],
  intercomDefaultSummary: "email and password sign-in on, no SSO required",
});

export type SsoEnforcementSettings = z.output<typeof ssoEnforcementSchema>;
export class SsoEnforcement extends controlResource(ssoEnforcementControl) {}
