import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { messengerSecurityControl } from "../../resources/messenger-security";
import { frameworks } from "../support/frameworks";
import { identityVerificationProblems } from "../support/identity-verification";

export const webIdentityVerification = defineResourcePolicy({
  name: "intercom-web-identity-verification",
  id: "IHC.AUTH.08",
  title: "Web Messenger identity verification enforced",
  description: "The web Messenger verifies users (Messenger Security JWTs or identity verification) and enforces it.",
  items: ["auth.identity-verification"],
  severity: "critical",
  criticality: "SHALL",
  rationale:
    "Without enforced verification anyone can open the Messenger as any user_id or email and read that user's conversations. Intercom names Messenger security disabled as a high-impact finding.",
  remediation: [
    "Sign a JWT server-side (HS256, the web Messenger API secret) carrying user_id, and pass it to the Messenger.",
    "Once every page sends tokens, turn on enforcement for web in Settings > Security > Messenger.",
  ],
  helpUrl: helpLinks.messengerJwt,
  frameworks: { ...frameworks.customerAuthentication, nist80053: ["IA-8", "SC-23"] },
  control: messengerSecurityControl,
  appliesTo: (messenger) => messenger.platform === "web",
  // Never remediated: enforcing identity verification refuses every Messenger user the site does not sign for yet.
  check: identityVerificationProblems,
});
