import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { notificationPrivacyControl } from "../../resources/notification-privacy";
import { frameworks } from "../support/frameworks";

export const notificationContent = defineResourcePolicy({
  name: "intercom-notification-content",
  id: "IHC.MSG.04",
  title: "HIPAA-friendly notification content",
  description: "Email and push notifications do not carry full message content.",
  items: ["messenger.notification-content"],
  severity: "medium",
  criticality: "SHOULD",
  rationale:
    "Notifications land on lock screens and in mail systems outside Intercom's controls; full message content there leaks whatever customers typed.",
  remediation: ["Set email notifications to summary or none, and push notifications to generic text."],
  helpUrl: helpLinks.notificationContent,
  frameworks: { ...frameworks.dataLeakage, nist80053: ["AC-4"] },
  control: notificationPrivacyControl,
  example: { workspaceId: "abc12345", emailNotificationContent: "none", pushNotificationContent: "generic" },
  check: (notifications) => {
    const problems: string[] = [];
    if (notifications.emailNotificationContent === "full") problems.push("Email notifications carry full message content.");
    if (notifications.pushNotificationContent === "full") problems.push("Push notifications carry full message content.");
    return problems;
  },
  // Remediates: full content becomes a summary (email) or generic text (push). Only what a
  // notification shows changes; every notification is still sent (none, for email, would stop
  // them, so it is left to people).
  remediates: ["emailNotificationContent", "pushNotificationContent"],
  remediate: (notifications) => {
    const fix = {
      ...(notifications.emailNotificationContent === "full" ? { emailNotificationContent: "summary" as const } : {}),
      ...(notifications.pushNotificationContent === "full" ? { pushNotificationContent: "generic" as const } : {}),
    };
    return Object.keys(fix).length > 0 ? fix : undefined;
  },
});
