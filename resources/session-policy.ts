import { z } from "zod";
import { defineControl, workspaceIdField } from "../core/control";
import { controlResource } from "../core/resource";

export const sessionPolicySchema = z.strictObject({
  workspaceId: workspaceIdField,
  reauthenticateAfterHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .nullable()
    .describe(
      "Force teammates to sign in again after this many hours; null keeps Intercom's default (signed in while active within a 4-day window). An identity provider's timeout takes priority.",
    ),
});

export const sessionPolicyControl = defineControl({
  name: "SessionPolicy",
  catalogOrder: 30,
  description: "How long a teammate's dashboard session lasts before re-authentication.",
  schema: sessionPolicySchema,
  secretPaths: [],
  identityFields: [],
  intercomDefaults: [{ reauthenticateAfterHours: null }],
  intercomDefaultSummary: "signed in while active within a 4-day window",
});

export type SessionPolicySettings = z.output<typeof sessionPolicySchema>;
export class SessionPolicy extends controlResource(sessionPolicyControl) {}
