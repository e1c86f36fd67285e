import { z } from "zod";
import { defineControl, workspaceIdField } from "../core/control";
import { isoDate, nonEmptyString } from "../core/fields";
import { controlResource } from "../core/resource";

export const messengerPlatform = z.enum(["web", "ios", "android"]);

export const messengerSecuritySchema = z.strictObject({
  workspaceId: workspaceIdField,
  platform: messengerPlatform.describe("Each platform has its own secret and its own enforce toggle."),
  identityVerification: z
    .enum(["jwt", "hmac", "off"])
    .describe("jwt: Messenger Security with server-signed JWTs (recommended); hmac: legacy user_hash (deprecated, no expiry); off."),
  enforced: z.boolean().describe("Whether the Messenger rejects users without a valid token or hash."),
  jwtExpirySeconds: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("Lifetime (exp) of the JWTs your backend signs; match your app's session length."),
  secretRotatedAt: isoDate.optional().describe("When the Messenger API secret was last rotated."),
  apiSecret: nonEmptyString
    .optional()
    .describe("The Messenger API secret used to sign tokens. Stored as a secret; never put it in front-end code."),
});

export const messengerSecurityControl = defineControl({
  name: "MessengerSecurity",
  catalogOrder: 50,
  description: "Messenger identity verification (JWT or legacy HMAC) for one platform.",
  schema: messengerSecuritySchema,
  secretPaths: ["apiSecret"],
  identityFields: ["platform"],
  intercomDefaults: [{ platform: "web", identityVerification: "off", enforced: false }],
  intercomDefaultSummary: "web Messenger identity verification off: anyone can claim to be any user",
  restApi: "GET/POST/DELETE /secure_mode_secrets (Preview: the secrets only)",
});

export type MessengerSecuritySettings = z.output<typeof messengerSecuritySchema>;
export class MessengerSecurity extends controlResource(messengerSecurityControl) {}
