import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { defineControl, workspaceIdField } from "../core/control";
import { isoDate, nonEmptyString } from "../core/fields";
import { ControlArgs, controlResource } from "../core/resource";
import { unambiguousUrl } from "../core/unambiguous-url";
import { dataConnectorProvider } from "../intercom/data-connector-provider";

export const customActionSchema = z.strictObject({
  workspaceId: workspaceIdField,
  name: nonEmptyString.describe("The action's name, unique in the workspace."),
  url: unambiguousUrl.describe(
    "The endpoint Intercom's backend calls, written so that every URL parser reads the same host (no backslash, whitespace or control characters, at most one @, no encoded delimiters in the authority, the host in plain ASCII). Given as a Pulumi secret (e.g. a webhook URL from encrypted config), it is not a literal in code: the pack accepts credentials in it.",
  ),
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).describe("The HTTP method."),
  headers: z
    .record(z.string(), z.string())
    .optional()
    .describe(
      "Request headers, names and values. Every value is hidden in messages. A credential belongs in a token (tokenId, referenced as {{token}}) or in a value given as its own Pulumi secret, never in a literal.",
    ),
  tokenId: nonEmptyString.optional().describe("A token stored in Intercom and referenced from the request."),
  audiences: z
    .array(z.enum(["users", "leads", "visitors"]))
    .min(1)
    .describe("Who the action may run for."),
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
  bypassAuthentication: z.boolean().optional().describe("Whether the action may run for users whose identity is not verified."),
});

export const customActionControl = defineControl({
  name: "CustomAction",
  catalogOrder: 150,
  description: "A Custom Action (data connector): an HTTP request Intercom's backend makes on a customer's behalf.",
  schema: customActionSchema,
  secretPaths: [],
  // Hidden in every message, but not stored as one secret: each header value keeps the secretness
  // the program gave it, which tells a value given as a Pulumi secret from a literal. Header names
  // are names (a `*` selects the values).
  sensitivePaths: ["headers.*"],
  identityFields: ["name"],
  restApi: "/data_connectors (2.16, Preview)",
});

export type CustomActionSettings = z.output<typeof customActionSchema>;

/**
 * What a program passes to a CustomAction. Each header value may be an Output of its own, e.g. a
 * token from `config.requireSecret`: it reaches the pack with its own secretness, so the pack
 * tells it from a literal written in code. A whole headers Output that is secret makes no value
 * secret on its own (the pack fails closed): give each credential as its own Pulumi secret.
 */
export type CustomActionArgs = Omit<ControlArgs<typeof customActionSchema>, "headers"> & {
  headers?: pulumi.Input<Record<string, pulumi.Input<string>>>;
};

/**
 * Applied through `/data_connectors` when an Intercom token is configured: name, method, URL,
 * headers, tokenId, audiences, state and bypassAuthentication. identityMatch, testedAt and
 * responseMappings stay declared (no request sets them). Deleting it drafts, then deletes, the
 * connector (see intercom/data-connector-api.ts).
 */
export class CustomAction extends controlResource(customActionControl, { provider: dataConnectorProvider() }) {
  constructor(name: string, args: CustomActionArgs, opts?: pulumi.CustomResourceOptions) {
    super(name, args as ControlArgs<typeof customActionSchema>, opts);
  }
}
