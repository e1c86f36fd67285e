import { z } from "zod";
import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { messengerSecurityControl } from "../../resources/messenger-security";
import { daysBetween, isoDay } from "../support/dates";
import { frameworks } from "../support/frameworks";

export const secretRotation = defineResourcePolicy({
  name: "intercom-messenger-secret-rotation",
  id: "IHC.MSG.07",
  title: "Messenger API secret rotated",
  description: "The Messenger API secret that signs tokens was rotated within the configured period (365 days by default).",
  items: ["messenger.jwt-hygiene"],
  severity: "low",
  criticality: "SHOULD",
  rationale: "Regular rotation limits how long a secret copied from a server, a log or a former teammate stays useful.",
  remediation: ["Rotate the secret in Settings > Security > Messenger, deploy it to your backend, and update secretRotatedAt."],
  helpUrl: helpLinks.messengerJwt,
  frameworks: { ...frameworks.secretManagement, nist80053: ["SC-12"] },
  control: messengerSecurityControl,
  configSchema: z.strictObject({
    maxAgeDays: z.number().int().min(1).default(365).describe("The longest acceptable time between rotations, in days."),
  }),
  appliesTo: (messenger) => messenger.identityVerification !== "off",
  // Never remediated: rotating the secret is an act on Intercom and every signing server, not a setting.
  check: (messenger, { config, now }) => {
    if (!messenger.secretRotatedAt)
      return [`When the ${messenger.platform} Messenger API secret was last rotated is not declared (secretRotatedAt).`];
    const age = daysBetween(new Date(messenger.secretRotatedAt), now);
    if (age < 0) return [`secretRotatedAt (${isoDay(messenger.secretRotatedAt)}) is in the future.`];
    return age > config.maxAgeDays
      ? [
          `The ${messenger.platform} Messenger API secret was last rotated ${age} days ago (${isoDay(messenger.secretRotatedAt)}); the maximum is ${config.maxAgeDays}.`,
        ]
      : [];
  },
});
