import { z } from "zod";
import { defineControl, workspaceIdField } from "../core/control";
import { controlResource } from "../core/resource";

export const messengerSessionSchema = z.strictObject({
  workspaceId: workspaceIdField,
  sessionDurationMinutes: z
    .number()
    .int()
    .positive()
    .describe("How long a visitor or user Messenger session cookie lasts, in minutes (Intercom's default: one week)."),
});

export const messengerSessionControl = defineControl({
  name: "MessengerSession",
  catalogOrder: 70,
  description: "How long Messenger sessions last on a device.",
  schema: messengerSessionSchema,
  secretPaths: [],
  identityFields: [],
  intercomDefaults: [{ sessionDurationMinutes: 7 * 24 * 60 }],
  intercomDefaultSummary: "Messenger sessions last one week",
});

export type MessengerSessionSettings = z.output<typeof messengerSessionSchema>;
export class MessengerSession extends controlResource(messengerSessionControl) {}
