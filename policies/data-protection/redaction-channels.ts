import { z } from "zod";
import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { panRedactionControl, redactionChannel } from "../../resources/pan-redaction";
import { frameworks } from "../support/frameworks";

export const redactionChannels = defineResourcePolicy({
  name: "intercom-redaction-channels",
  id: "IHC.DATA.02",
  title: "Redaction covers every channel",
  description: "Content redaction applies on every channel customers write in (web, iOS, Android and email by default).",
  items: ["data.pan-redaction"],
  severity: "medium",
  criticality: "SHOULD",
  rationale: "A card number typed in a channel redaction does not cover is stored in full.",
  remediation: ["Add the missing channels to the redaction settings, or configure requiredChannels to the channels you use."],
  helpUrl: helpLinks.panRedaction,
  frameworks: { ...frameworks.cardholderData, nist80053: ["SC-28"] },
  control: panRedactionControl,
  configSchema: z.strictObject({
    requiredChannels: z.array(redactionChannel).default(["web", "ios", "android", "email"]).describe("Channels redaction must cover."),
  }),
  appliesTo: (redaction) => redaction.enabled,
  // Never remediated: a new channel gets every redaction rule, custom patterns included, and redacted text is gone for good.
  check: (redaction, { config }) => {
    const missing = config.requiredChannels.filter((channel) => !redaction.channels.includes(channel));
    return missing.length > 0 ? [`Redaction does not cover: ${missing.join(", ")}.`] : [];
  },
});
