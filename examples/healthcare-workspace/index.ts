/**
 * A patient-portal Intercom workspace that handles protected health information (`handlesPhi:
 * true`), so the pack's healthcare (HIPAA) checklist applies on top of the Health Check. It passes
 * every policy: a signed, full-scope Business Associate Agreement; a Messenger served only after
 * server-side consent, with no product tours or page-view tracking; no message content in
 * notifications; SSNs redacted alongside card numbers. The portal is web-only, so no mobile SDK
 * is declared, and it runs no Custom Actions: no PHI leaves Intercom for a third party.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  AttachmentPolicy,
  BusinessAssociateAgreement,
  DataAttributeSettings,
  IpAllowlist,
  LinkSafety,
  MessengerDomainRestriction,
  MessengerInstallation,
  MessengerSecurity,
  MessengerSession,
  NotificationPrivacy,
  PanRedaction,
  ProtectedAttribute,
  SessionPolicy,
  SsoEnforcement,
  TwoFactorAuthentication,
  Workspace,
} from "intercom-security-health-check/resources";

const config = new pulumi.Config();
// Set with `pulumi config set --secret webMessengerSecret ...`; the placeholder only lets the example run.
const webMessengerSecret = config.getSecret("webMessengerSecret") ?? pulumi.secret("example-only-not-a-real-secret");

const workspace = new Workspace("clinic", {
  workspaceId: "hc01pt22",
  name: "Northwind Clinic Patient Support",
  region: "us",
  securityContactEmail: "privacy-officer@northwind-clinic.example.com",
  handlesPhi: true,
});
const workspaceId = workspace.workspaceId;

// Healthcare (HIPAA) -------------------------------------------------------------------------------

// Covers chat, identity, page context and behavioural data: no partial scope.
new BusinessAssociateAgreement("clinic-baa", {
  workspaceId,
  signed: true,
  signedOn: "2026-03-02",
  coversAllDataCategories: true,
});

// The portal's server serves the Messenger snippet only once it has recorded consent; nothing
// behavioural is tracked, and the Messenger never loads on clinical pages.
new MessengerInstallation("clinic-installation", {
  workspaceId,
  loadAfterConsent: true,
  consentVerifiedServerSide: true,
  trackPageViews: false,
  productTours: false,
  excludedPaths: ["/records", "/prescriptions", "/test-results"],
});

// Notifications say only that there is a new message; what the patient wrote stays in Intercom.
new NotificationPrivacy("clinic-notifications", {
  workspaceId,
  emailNotificationContent: "none",
  pushNotificationContent: "generic",
});

new PanRedaction("clinic-redaction", {
  workspaceId,
  enabled: true,
  creditCards: true,
  socialSecurityNumbers: true, // an identifier HIPAA names
  channels: ["web", "ios", "android", "email", "phone"],
  customRules: [{ name: "Medical record numbers", pattern: "MRN-\\d{7}" }],
});

// Authentication & Access ----------------------------------------------------------------------

new SsoEnforcement("clinic-sso", {
  workspaceId,
  googleSignIn: "required",
  samlSso: "off",
  emailPasswordSignIn: false,
});
new TwoFactorAuthentication("clinic-2fa", { workspaceId, enforcement: "required" });
new SessionPolicy("clinic-session", { workspaceId, reauthenticateAfterHours: 8 });
new IpAllowlist("clinic-dashboard-ips", {
  workspaceId,
  scope: "dashboard",
  enabled: true,
  entries: ["192.0.2.0/26"], // the clinic's network (a documentation range stands in)
});

// Messenger Security ---------------------------------------------------------------------------

new MessengerSecurity("clinic-messenger-web", {
  workspaceId,
  platform: "web",
  identityVerification: "jwt",
  enforced: true,
  jwtExpirySeconds: 900, // 15 minutes, matching the portal's idle timeout
  secretRotatedAt: "2026-08-15",
  apiSecret: webMessengerSecret,
});
new MessengerDomainRestriction("clinic-trusted-domains", {
  workspaceId,
  trustedDomains: ["portal.northwind-clinic.example.com"],
});
// Short sessions: patients often use shared or family devices.
new MessengerSession("clinic-messenger-session", { workspaceId, sessionDurationMinutes: 60 });

// Data Protection --------------------------------------------------------------------------------

new LinkSafety("clinic-link-safety", {
  workspaceId,
  warnOnUntrustedLinks: true,
  warnOnMaliciousLinks: true,
  trustedDomains: ["northwind-clinic.example.com", "*.northwind-clinic.example.com"],
  blockedDomains: [],
});
new AttachmentPolicy("clinic-attachments", {
  workspaceId,
  customerUploads: "users_only",
  allowedFileTypes: ["pdf", "png", "jpg"],
});
for (const attribute of ["email", "user_id"]) {
  new ProtectedAttribute(`clinic-protect-${attribute}`, {
    workspaceId,
    model: "contact",
    attribute,
    messengerWritable: false,
  });
}
new DataAttributeSettings("clinic-attribute-creation", { workspaceId, allowAttributeCreationViaMessenger: false });

export const intercomWorkspaceId = workspace.workspaceId;
