import { z } from "zod";
import { defineControl, workspaceIdField } from "../core/control";
import { isoDate } from "../core/fields";
import { controlResource } from "../core/resource";
import { unambiguousText } from "../core/unambiguous-url";

export const mobileSdkSchema = z.strictObject({
  workspaceId: workspaceIdField,
  platform: z.enum(["ios", "android"]).describe("The mobile platform the SDK is installed on."),
  apiEndpoint: unambiguousText
    .optional()
    .describe(
      "The API endpoint the SDK talks to, when not the region's default Intercom host; a URL every parser reads the same host in (no backslash, whitespace or control characters, at most one @, no encoded delimiters in the authority, the host in plain ASCII).",
    ),
  encryptedMode: z.boolean().describe("Whether the SDK stores its data on the device encrypted."),
  push: z
    .strictObject({
      credential: z
        .enum(["apns_p8_key", "apns_p12_certificate", "fcm_service_account", "fcm_server_key"])
        .describe("APNs .p8 key (or legacy .p12 certificate) for iOS; FCM service account (or legacy server key) for Android."),
      expiresAt: isoDate.optional().describe("When the certificate or key expires, if it does."),
    })
    .optional()
    .describe("Push notification credentials, when push is configured."),
});

export const mobileSdkControl = defineControl({
  name: "MobileSdk",
  catalogOrder: 90,
  description: "An Intercom mobile SDK installation: endpoint, encrypted mode and push credentials.",
  schema: mobileSdkSchema,
  secretPaths: [],
  identityFields: ["platform"],
});

export type MobileSdkSettings = z.output<typeof mobileSdkSchema>;
export class MobileSdk extends controlResource(mobileSdkControl) {}
