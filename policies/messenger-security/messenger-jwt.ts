import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { messengerSecurityControl } from "../../resources/messenger-security";
import { frameworks } from "../support/frameworks";

export const jwtVerification = defineResourcePolicy({
  name: "intercom-messenger-jwt",
  id: "IHC.MSG.05",
  title: "Messenger Security uses JWTs",
  description: "Identity verification uses Messenger Security JWTs, not the deprecated HMAC user_hash.",
  items: ["messenger.jwt-hygiene"],
  severity: "medium",
  criticality: "SHOULD",
  rationale:
    "A legacy user_hash never expires: once leaked it impersonates that user forever. JWTs carry an expiry and can carry attributes Intercom then trusts.",
  remediation: ["Migrate from identity verification (HMAC) to Messenger Security with JWTs, platform by platform."],
  helpUrl: helpLinks.jwtMigration,
  frameworks: { ...frameworks.customerAuthentication, nist80053: ["IA-8", "SC-23"] },
  control: messengerSecurityControl,
  appliesTo: (messenger) => messenger.identityVerification !== "off",
  // Never remediated: switching identity verification to JWTs refuses users until the site signs them.
  check: (messenger) =>
    messenger.identityVerification === "hmac"
      ? [`The ${messenger.platform} Messenger uses legacy HMAC identity verification (user_hash, no expiry).`]
      : [],
});
