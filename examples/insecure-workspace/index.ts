/**
 * A deliberately unsafe Intercom workspace: `pulumi preview --policy-pack ../..` blocks it with
 * mandatory violations in Authentication & Access, Messenger Security, Data Protection, Mobile
 * SDKs and Custom Actions. Each unsafe setting says why it is unsafe. Every value is still
 * well-typed, so the program runs and it is the policies (not the resource schemas) that object.
 * Do not deploy it.
 */
import {
  AttachmentPolicy,
  CustomAction,
  IpAllowlist,
  LinkSafety,
  MessengerDomainRestriction,
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

// No securityContactEmail: an incident notice from Intercom reaches nobody who can act. Not a
// finding by default (Intercom shows the contact only if configured): see requireSecurityContact.
const workspace = new Workspace("legacy", {
  workspaceId: "zx98yw76",
  name: "Legacy Support",
  region: "eu",
});
const workspaceId = workspace.workspaceId;

// Authentication & Access ----------------------------------------------------------------------

new SsoEnforcement("legacy-sso", {
  workspaceId,
  googleSignIn: "allowed", // UNSAFE: allowed is not required; nothing forces sign-in through the IdP
  samlSso: "off",
  emailPasswordSignIn: true, // UNSAFE: a password beside SSO bypasses the IdP's MFA and offboarding
});

// UNSAFE: 2FA left to each teammate, so most accounts have none.
new TwoFactorAuthentication("legacy-2fa", { workspaceId, enforcement: "optional" });

// UNSAFE: null keeps Intercom's 4-day activity window; a session on a lost laptop stays usable.
new SessionPolicy("legacy-session", { workspaceId, reauthenticateAfterHours: null });

new IpAllowlist("legacy-dashboard-ips", {
  workspaceId,
  scope: "dashboard",
  enabled: true, // looks like a control, but:
  entries: [
    "0.0.0.0/0", // UNSAFE: admits every IPv4 address
    "10.0.0.300", // UNSAFE: malformed (octet > 255): Intercom rejects or misreads it
  ],
});

// Messenger Security ---------------------------------------------------------------------------

// UNSAFE: web identity verification off: anyone can open the Messenger as any user_id or email
// and read that user's conversations (Intercom's "Messenger security disabled" finding).
new MessengerSecurity("legacy-messenger-web", {
  workspaceId,
  platform: "web",
  identityVerification: "off",
  enforced: false,
});

new MessengerDomainRestriction("legacy-trusted-domains", {
  workspaceId,
  trustedDomains: [
    "*", // UNSAFE: any site may embed the Messenger with this APP_ID
    "localhost", // UNSAFE: anyone can serve localhost
    "http://shop.example.com/checkout", // UNSAFE: a scheme and a path, not a domain name
  ],
});

// UNSAFE: a 30-day session cookie lets the next person on a shared device read the last user's chats.
new MessengerSession("legacy-messenger-session", { workspaceId, sessionDurationMinutes: 30 * 24 * 60 });

// UNSAFE: full message content lands in mailboxes and on lock screens.
new NotificationPrivacy("legacy-notifications", {
  workspaceId,
  emailNotificationContent: "full",
  pushNotificationContent: "full",
});

// Mobile SDKs -----------------------------------------------------------------------------------

// UNSAFE: iOS uses the deprecated HMAC user_hash (never expires) and does not even enforce it.
new MessengerSecurity("legacy-messenger-ios", {
  workspaceId,
  platform: "ios",
  identityVerification: "hmac",
  enforced: false,
});

new MobileSdk("legacy-ios", {
  workspaceId,
  platform: "ios",
  apiEndpoint: "http://intercom-proxy.example.net", // UNSAFE: plain http, to a host that is not Intercom's
  encryptedMode: false, // UNSAFE: conversations cached in clear on the device
  push: { credential: "apns_p12_certificate", expiresAt: "2025-06-30" }, // UNSAFE: legacy certificate, already expired
});

// UNSAFE: an Android SDK with no Android MessengerSecurity at all: identity verification is off there.
new MobileSdk("legacy-android", {
  workspaceId,
  platform: "android",
  encryptedMode: false,
  push: { credential: "fcm_server_key" }, // UNSAFE: legacy FCM server key, retired by Google
});

// Data Protection --------------------------------------------------------------------------------

// UNSAFE: redaction off: card numbers customers paste stay in transcripts (PCI DSS scope).
new PanRedaction("legacy-redaction", {
  workspaceId,
  enabled: false,
  creditCards: false,
  socialSecurityNumbers: false,
  channels: [],
});

new LinkSafety("legacy-link-safety", {
  workspaceId,
  warnOnUntrustedLinks: false, // UNSAFE: no warning before a teammate opens a phishing page
  warnOnMaliciousLinks: false, // UNSAFE: not even for links flagged as malicious
  trustedDomains: ["*"], // UNSAFE: trusts every domain
  blockedDomains: [],
});

new AttachmentPolicy("legacy-attachments", {
  workspaceId,
  customerUploads: "everyone", // UNSAFE: anonymous visitors may upload
  allowedFileTypes: ["pdf", "exe", "js", "svg"], // UNSAFE: executables and scripts teammates will open
});

// UNSAFE: the browser may rewrite the user's email, i.e. claim someone else's identity.
new ProtectedAttribute("legacy-email-writable", {
  workspaceId,
  model: "contact",
  attribute: "email",
  messengerWritable: true,
});

// DataAttributeSettings is not declared at all: the workspace is graded on Intercom's default
// (the Messenger may create new custom attributes), reported as "Needs review".

// Custom Actions -----------------------------------------------------------------------------------

new CustomAction("legacy-order-lookup", {
  workspaceId,
  name: "Order lookup",
  url: "http://10.0.0.12:8080/orders", // UNSAFE: plain http, and a private address (SSRF target from Intercom's backend)
  method: "GET",
  headers: { Authorization: "Bearer hard-coded-example-token" }, // UNSAFE: literal credential in source and history
  audiences: ["users", "leads", "visitors"], // UNSAFE: leads and visitors are unverified
  identityMatch: "user_shopify_id", // UNSAFE: a custom attribute the user can set to a victim's id
  state: "live",
  // UNSAFE: no testedAt: live without ever being tested against real data
  responseMappings: [{ from: "customer.email", toAttribute: "email" }], // UNSAFE: a third party overwrites the user's identity
  bypassAuthentication: true, // UNSAFE: runs for users whose identity is not verified
});

export const intercomWorkspaceId = workspace.workspaceId;
