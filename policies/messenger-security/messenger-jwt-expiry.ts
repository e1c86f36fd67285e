import { z } from "zod";
import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { messengerSecurityControl } from "../../resources/messenger-security";
import { frameworks } from "../support/frameworks";

export const jwtExpiry = defineResourcePolicy({
  name: "intercom-messenger-jwt-expiry",
  id: "IHC.MSG.06",
  title: "Messenger JWTs expire",
  description: "Messenger JWTs carry an expiry no longer than the configured maximum (24 hours by default).",
  items: ["messenger.jwt-hygiene"],
  severity: "medium",
  criticality: "SHOULD",
  rationale:
    "A token's lifetime bounds how long a leaked token impersonates its user; Intercom recommends matching your app's session length.",
  remediation: ["Set exp on every JWT you sign to your app's session length, and declare it as jwtExpirySeconds."],
  helpUrl: helpLinks.messengerJwt,
  frameworks: { ...frameworks.sessionManagement, nist80053: ["AC-12", "SC-23"] },
  control: messengerSecurityControl,
  configSchema: z.strictObject({
    maxSeconds: z
      .number()
      .int()
      .min(60)
      .default(24 * 60 * 60)
      .describe("The longest acceptable JWT lifetime, in seconds."),
  }),
  appliesTo: (messenger) => messenger.identityVerification === "jwt",
  // Never remediated: a shorter JWT lifetime fails tokens the site issues until the site changes too (identity verification).
  check: (messenger, { config }) => {
    if (messenger.jwtExpirySeconds === undefined)
      return [`The ${messenger.platform} Messenger's JWT expiry is not declared (jwtExpirySeconds).`];
    return messenger.jwtExpirySeconds > config.maxSeconds
      ? [`The ${messenger.platform} Messenger's JWTs live ${messenger.jwtExpirySeconds} seconds; the maximum is ${config.maxSeconds}.`]
      : [];
  },
});
