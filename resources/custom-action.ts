import { z } from "zod";
import { defineControl, workspaceIdField } from "../core/control";
import { isoDate, nonEmptyString } from "../core/fields";
import { controlResource } from "../core/resource";

export const customActionSchema = z.strictObject({
  workspaceId: workspaceIdField,
  name: nonEmptyString.describe("The action's name, unique in the workspace."),
  url: z.url().describe("The endpoint Intercom's backend calls."),
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).describe("The HTTP method."),
  headers: z
    .record(z.string(), z.string())
    .optional()
    .describe("Request headers. Stored as a secret; credentials belong in a token (tokenId), not here."),
  tokenId: nonEmptyString.optional().describe("A token stored in Intercom and referenced from the request."),
  audiences: z.array(z.enum(["users", "leads", "visitors"])).min(1).describe("Who the action may run for."),
  identityMatch: nonEmptyString.describe("The attribute the user is matched on in your system (email or user_id)."),
  state: z.enum(["draft", "live"]).describe("Draft actions are not run for customers."),
  testedAt: isoDate.optional().describe("When the action was last tested against real data before going live."),
  responseMappings: z
    .array(
      z.strictObject({
        from: nonEmptyString.describe("A path in the response body."),
        toAttribute: nonEmptyString.describe("The Intercom attribute it overwrites."),
      }),
    )
    .optional()
    .describe("Response fields written back onto the user's attributes."),
  bypassAuthentication: z
    .boolean()
    .optional()
    .describe("Whether the action may run for users whose identity is not verified."),
});

export const customActionControl = defineControl({
  name: "CustomAction",
  description: "A Custom Action (data connector): an HTTP request Intercom's backend makes on a customer's behalf.",
  schema: customActionSchema,
  secretPaths: ["headers.*"],
  identityFields: ["name"],
  restApi: "/data_connectors (2.16, Preview)",
});

export type CustomActionSettings = z.output<typeof customActionSchema>;
export class CustomAction extends controlResource(customActionControl) {}
