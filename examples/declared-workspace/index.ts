import * as pulumi from "@pulumi/pulumi";
import {
  Workspace,
  SsoEnforcement,
  MessengerSecurity,
  MessengerDomainRestriction,
  PanRedaction,
} from "intercom-security-health-check/resources";

const config = new pulumi.Config();
const workspace = new Workspace("acme", {
  workspaceId: "ab12cd34ef", // the Intercom APP_ID
  name: "Acme Support",
  region: "eu",
  securityContactEmail: "security@acme.example.com",
});

new SsoEnforcement("acme-sso", {
  workspaceId: workspace.workspaceId,
  googleSignIn: "off",
  samlSso: "required",
  emailPasswordSignIn: false,
  saml: {
    idpEntityId: "https://idp.acme.example.com",
    idpSsoUrl: "https://idp.acme.example.com/sso",
    idpCertificate: config.require("samlCertificate"),
    signedAssertions: true,
  },
});
new MessengerSecurity("acme-web", {
  workspaceId: workspace.workspaceId,
  platform: "web",
  identityVerification: "jwt",
  enforced: true,
  jwtExpirySeconds: 3600,
  secretRotatedAt: "2026-09-01",
  apiSecret: config.requireSecret("webMessengerSecret"), // always stored as a Pulumi secret
});
new MessengerDomainRestriction("acme-domains", { workspaceId: workspace.workspaceId, trustedDomains: ["app.acme.example.com"] });
new PanRedaction("acme-redaction", {
  workspaceId: workspace.workspaceId,
  enabled: true,
  creditCards: true,
  socialSecurityNumbers: true,
  channels: ["web", "ios", "android", "email"],
});
