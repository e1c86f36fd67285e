import { z } from "zod";
import { defineControl, workspaceIdField } from "../core/control";
import { controlResource } from "../core/resource";

export const notificationPrivacySchema = z.strictObject({
  workspaceId: workspaceIdField,
  emailNotificationContent: z.enum(["full", "summary", "none"]).describe("How much of a message email notifications carry."),
  pushNotificationContent: z.enum(["full", "generic"]).describe("Whether mobile push notifications show the message or a generic text."),
});

export const notificationPrivacyControl = defineControl({
  name: "NotificationPrivacy",
  catalogOrder: 80,
  description: "How much message content email and push notifications carry (HIPAA-friendly notifications).",
  schema: notificationPrivacySchema,
  secretPaths: [],
  identityFields: [],
  intercomDefaults: [{ emailNotificationContent: "full", pushNotificationContent: "full" }],
  intercomDefaultSummary: "notifications carry full message content",
});

export type NotificationPrivacySettings = z.output<typeof notificationPrivacySchema>;
export class NotificationPrivacy extends controlResource(notificationPrivacyControl) {}
