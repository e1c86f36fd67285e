/**
 * An Intercom workspace whose security settings pass every policy of the pack: each control the
 * Health Check grades is declared, and declared securely. Every control takes the Workspace's
 * `workspaceId` output rather than repeating the APP_ID, so a typo cannot send a setting to a
 * workspace nobody declared, and Pulumi orders the workspace first.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  AttachmentPolicy,
  CustomAction,
  DataAttributeSettings,
  IpAllowlist,
  LinkSafety,
  MessengerDomainRestriction,
  MessengerInstallation,
  MessengerSecurity,
  MessengerSession,
  MobileSdk,
  NotificationPrivacy,
  PanRedaction,
  ProtectedAttribute,
  SessionPolicy,
  SsoEnforcement,
  TwoFactorAuthentication,
  Workspace,
} from "intercom-security-health-check/resources";

const config = new pulumi.Config();

/**
 * Secrets come from stack config (`pulumi config set --secret webMessengerSecret ...`). The
 * placeholder only lets the example run without one; the resources store either as a secret.
 */
function secretSetting(key: string): pulumi.Input<string> {
  return config.getSecret(key) ?? pulumi.secret(`example-only-not-a-real-${key}`);
}

// When the Messenger API secrets were last rotated: keep within the rotation period (365 days).
const secretsRotatedAt = "2026-09-01";

const workspace = new Workspace("acme", {
  workspaceId: "ab12cd34ef",
  name: "Acme Support",
  region: "us",
  securityContactEmail: "security@acme.example.com",
  handlesPhi: false,
});
const workspaceId = workspace.workspaceId;

// Authentication & Access ----------------------------------------------------------------------

// SAML is required and email/password is off, so every sign-in goes through the IdP (its MFA and offboarding).
new SsoEnforcement("acme-sso", {
  workspaceId,
  googleSignIn: "off",
  samlSso: "required",
  emailPasswordSignIn: false,
  saml: {
    idpEntityId: "https://idp.acme.example.com/saml/metadata",
    idpSsoUrl: "https://idp.acme.example.com/saml/sso",
    // A plain string: nested fields take plain values, and the control stores this one as a secret anyway.
    idpCertificate: config.get("samlIdpCertificate") ?? "-----BEGIN CERTIFICATE-----\nexample-only\n-----END CERTIFICATE-----",
    signedAssertions: true,
  },
  scimProvisioning: true,
});

new TwoFactorAuthentication("acme-2fa", { workspaceId, enforcement: "required" });

// Shorter than the 24-hour maximum, instead of Intercom's 4-day activity window.
new SessionPolicy("acme-session", { workspaceId, reauthenticateAfterHours: 12 });

// Office and VPN egress ranges only (documentation ranges stand in for real ones).
new IpAllowlist("acme-dashboard-ips", {
  workspaceId,
  scope: "dashboard",
  enabled: true,
  entries: ["203.0.113.0/24", "198.51.100.17"],
});
new IpAllowlist("acme-rest-api-ips", {
  workspaceId,
  scope: "rest_api",
  enabled: true,
  entries: ["198.51.100.0/28"],
});

// Messenger Security ---------------------------------------------------------------------------

// One MessengerSecurity per platform: each has its own secret and its own enforce toggle.
for (const platform of ["web", "ios", "android"] as const) {
  new MessengerSecurity(`acme-messenger-${platform}`, {
    workspaceId,
    platform,
    identityVerification: "jwt",
    enforced: true,
    jwtExpirySeconds: 3600, // one hour, like the app's own session
    secretRotatedAt: secretsRotatedAt,
    apiSecret: secretSetting(`${platform}MessengerSecret`),
  });
}

new MessengerDomainRestriction("acme-trusted-domains", {
  workspaceId,
  trustedDomains: ["www.acme.example.com", "app.acme.example.com"],
});

new MessengerSession("acme-messenger-session", { workspaceId, sessionDurationMinutes: 720 });

new NotificationPrivacy("acme-notifications", {
  workspaceId,
  emailNotificationContent: "summary",
  pushNotificationContent: "generic",
});

// Mobile SDKs -----------------------------------------------------------------------------------

new MobileSdk("acme-ios", {
  workspaceId,
  platform: "ios",
  apiEndpoint: "https://api-iam.intercom.io", // the US region's Intercom host, over https
  encryptedMode: true,
  push: { credential: "apns_p8_key" }, // .p8 keys do not expire, unlike .p12 certificates
});
new MobileSdk("acme-android", {
  workspaceId,
  platform: "android",
  apiEndpoint: "https://api-iam.intercom.io",
  encryptedMode: true,
  push: { credential: "fcm_service_account" },
});

// Data Protection --------------------------------------------------------------------------------

new PanRedaction("acme-redaction", {
  workspaceId,
  enabled: true,
  creditCards: true,
  socialSecurityNumbers: true,
  channels: ["web", "ios", "android", "email", "phone"],
  customRules: [{ name: "Acme account numbers", pattern: "ACME-\\d{8}" }],
});

new LinkSafety("acme-link-safety", {
  workspaceId,
  warnOnUntrustedLinks: true,
  warnOnMaliciousLinks: true,
  trustedDomains: ["acme.example.com", "*.acme.example.com"],
  blockedDomains: ["acme-login.example.net"],
});

new AttachmentPolicy("acme-attachments", {
  workspaceId,
  customerUploads: "users_only",
  allowedFileTypes: ["pdf", "png", "jpg", "jpeg"],
});

// The attributes identity verification vouches for must not be writable from the browser.
for (const attribute of ["email", "user_id"]) {
  new ProtectedAttribute(`acme-protect-${attribute}`, {
    workspaceId,
    model: "contact",
    attribute,
    messengerWritable: false,
  });
}

new DataAttributeSettings("acme-attribute-creation", { workspaceId, allowAttributeCreationViaMessenger: false });

// Custom Actions -----------------------------------------------------------------------------------

// Public https endpoint, the credential kept as a token in Intercom and only referenced here,
// matched on the verified email, tested before going live, writing back nothing that identifies the user.
new CustomAction("acme-order-status", {
  workspaceId,
  name: "Order status",
  url: "https://api.acme.example.com/v1/orders/latest",
  method: "GET",
  headers: { Accept: "application/json", Authorization: "Bearer {{orders_api_token}}" },
  tokenId: "orders_api_token",
  audiences: ["users"],
  identityMatch: "email",
  state: "live",
  testedAt: "2026-10-15",
  responseMappings: [{ from: "order.status", toAttribute: "last_order_status" }],
});

// The Messenger loads after consent and tracks nothing behavioural (graded for PHI workspaces;
// declared here because it is good practice anyway). A non-PHI workspace needs no BAA.
new MessengerInstallation("acme-installation", {
  workspaceId,
  loadAfterConsent: true,
  consentVerifiedServerSide: true,
  trackPageViews: false,
  productTours: false,
});

export const intercomWorkspaceId = workspace.workspaceId;
