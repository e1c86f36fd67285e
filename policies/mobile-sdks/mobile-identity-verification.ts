import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { messengerSecurityControl } from "../../resources/messenger-security";
import { frameworks } from "../support/frameworks";
import { identityVerificationProblems } from "../support/identity-verification";

export const mobileIdentityVerification = defineResourcePolicy({
  name: "intercom-mobile-identity-verification",
  id: "IHC.MOB.01",
  title: "iOS and Android identity verification enforced",
  description: "A declared iOS or Android Messenger verifies users and enforces it.",
  items: ["mobile.identity-verification"],
  severity: "critical",
  criticality: "SHALL",
  rationale:
    "Each mobile platform has its own secret and enforce toggle: a secured web Messenger does not protect the apps, where anyone can register as any user_id.",
  remediation: [
    "Generate JWTs (or user hashes) on your server for the iOS and Android SDKs with each platform's secret.",
    "Release the app version that sends them, then enforce identity verification for that platform.",
  ],
  helpUrl: helpLinks.identityVerificationSetup,
  frameworks: { ...frameworks.customerAuthentication, nist80053: ["IA-8", "SC-23"] },
  control: messengerSecurityControl,
  appliesTo: (messenger) => messenger.platform !== "web",
  // Never remediated: enforcing identity verification refuses every app user the app does not sign for yet.
  check: identityVerificationProblems,
});
