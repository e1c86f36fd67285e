import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { panRedactionControl } from "../../resources/pan-redaction";
import { frameworks } from "../support/frameworks";

export const panRedaction = defineResourcePolicy({
  name: "intercom-pan-redaction",
  id: "IHC.DATA.01",
  title: "PAN redaction on",
  description: "Content redaction is on, with the credit-card (PAN) rule, on at least one channel.",
  items: ["data.pan-redaction"],
  severity: "critical",
  criticality: "SHALL",
  rationale:
    "Customers paste card numbers into chats; unredacted, they sit in transcripts, exports and notifications, bringing Intercom into PCI DSS scope.",
  remediation: ["In Settings > Data > Content redaction, turn redaction on with the credit card number rule."],
  helpUrl: helpLinks.panRedaction,
  frameworks: { ...frameworks.cardholderData, nist80053: ["SC-28"] },
  control: panRedactionControl,
  example: {
    workspaceId: "abc12345",
    enabled: true,
    creditCards: true,
    socialSecurityNumbers: true,
    channels: ["web", "ios", "android", "email", "phone"],
  },
  check: (redaction) => {
    if (!redaction.enabled) return ["Content redaction is off: card numbers stay in conversations."];
    const problems: string[] = [];
    if (!redaction.creditCards) problems.push("Content redaction is on but its credit-card (PAN) rule is off.");
    if (redaction.channels.length === 0) problems.push("Content redaction is on but applies to no channel, so nothing is redacted.");
    return problems;
  },
  // Remediates: the card rule where redaction is already on. It redacts only Luhn-checked card
  // numbers, on the channels already chosen; turning redaction on or choosing channels is left
  // to people, as it changes what every teammate sees on every channel.
  remediates: ["creditCards"],
  remediate: (redaction) => (redaction.enabled && !redaction.creditCards ? { creditCards: true } : undefined),
});
