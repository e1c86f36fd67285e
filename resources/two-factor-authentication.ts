import { z } from "zod";
import { defineControl, workspaceIdField } from "../core/control";
import { controlResource } from "../core/resource";

export const twoFactorAuthenticationSchema = z.strictObject({
  workspaceId: workspaceIdField,
  enforcement: z
    .enum(["off", "optional", "required"])
    .describe("Authenticator-app (TOTP) two-factor authentication: off, optional per teammate, or required for all."),
});

export const twoFactorAuthenticationControl = defineControl({
  name: "TwoFactorAuthentication",
  catalogOrder: 20,
  description: "Whether two-factor authentication is enforced for every teammate.",
  schema: twoFactorAuthenticationSchema,
  secretPaths: [],
  identityFields: [],
  intercomDefaults: [{ enforcement: "optional" }],
  intercomDefaultSummary: "2FA optional: each teammate decides",
});

export type TwoFactorAuthenticationSettings = z.output<typeof twoFactorAuthenticationSchema>;
export class TwoFactorAuthentication extends controlResource(twoFactorAuthenticationControl) {}
