import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { defineControl, workspaceIdField } from "../core/control";
import { isoDate, nonEmptyString } from "../core/fields";
import { ControlArgs, ControlInputError, controlResource } from "../core/resource";

export const customActionSchema = z.strictObject({
  workspaceId: workspaceIdField,
  name: nonEmptyString.describe("The action's name, unique in the workspace."),
  url: z
    .url()
    .describe(
      "The endpoint Intercom's backend calls. Given as a Pulumi secret (e.g. a webhook URL from encrypted config), it is not a literal in code: the pack accepts credentials in it.",
    ),
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).describe("The HTTP method."),
  headers: z
    .record(z.string(), z.string())
    .optional()
    .describe(
      "Request headers, names and values. Stored as a secret. A credential belongs in a token (tokenId, referenced as {{token}}) or in a value given as a Pulumi secret, never in a literal.",
    ),
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
  secretHeaderNames: z
    .array(z.string())
    .optional()
    .describe(
      "Set by the CustomAction resource, never by hand: the names of the headers whose values the program gave as Pulumi secrets, which the pack does not count as literals. Absent (a raw registration), every header counts as a literal. Stored as a secret, like the header names it lists.",
    ),
  urlGivenAsSecret: z
    .boolean()
    .optional()
    .describe(
      "Set by the CustomAction resource, never by hand: whether the program gave url as a Pulumi secret, so credentials in it are not literals in code. Absent, the URL counts as a literal.",
    ),
});

export const customActionControl = defineControl({
  name: "CustomAction",
  description: "A Custom Action (data connector): an HTTP request Intercom's backend makes on a customer's behalf.",
  schema: customActionSchema,
  // Header names are names (a `*` selects the values); which headers were given as secrets is not secret.
  secretPaths: ["headers.*"],
  identityFields: ["name"],
  restApi: "/data_connectors (2.16, Preview)",
});

export type CustomActionSettings = z.output<typeof customActionSchema>;

/** Fields the resource computes from how the program passed its inputs. */
const computedFields = ["secretHeaderNames", "urlGivenAsSecret"] as const;

/**
 * What a program passes to a CustomAction. A header value may be an Output, e.g. a token from
 * `config.requireSecret`: the resource records which header values were Pulumi secrets, so the
 * pack tells them from literals written in code, and stores every header as a secret anyway.
 */
export type CustomActionArgs = Omit<ControlArgs<typeof customActionSchema>, "headers" | (typeof computedFields)[number]> & {
  headers?: pulumi.Input<Record<string, pulumi.Input<string>>>;
};

function isDeferred(value: unknown): value is pulumi.Output<unknown> | Promise<unknown> {
  return pulumi.Output.isInstance(value) || value instanceof Promise;
}

/**
 * The headers whose values were given as Pulumi secrets. Per header for a plain object (its
 * values strings or Outputs); for headers given whole as one Output, all of them or none, as
 * that Output is secret or not (Pulumi keeps one secret flag per Output).
 */
function secretHeaderNamesOf(headers: NonNullable<CustomActionArgs["headers"]>): pulumi.Input<string[]> {
  if (isDeferred(headers)) {
    const whole = pulumi.output(headers);
    return pulumi
      .output(pulumi.isSecret(whole))
      .apply((secret): pulumi.Output<string[]> => (secret ? whole.apply((h) => Object.keys(h ?? {})) : pulumi.output([])));
  }
  const entries = Object.entries(headers);
  if (!entries.some(([, value]) => isDeferred(value))) return [];
  return pulumi.output(
    Promise.all(
      entries.map(async ([name, value]) => (pulumi.Output.isInstance(value) && (await pulumi.isSecret(pulumi.output(value))) ? [name] : [])),
    ),
  ).apply((names) => names.flat());
}

function withCallerSecrecy(resourceName: string, args: CustomActionArgs): ControlArgs<typeof customActionSchema> {
  const given = (args ?? {}) as Record<string, unknown>;
  const set = computedFields.filter((field) => given[field] !== undefined);
  if (set.length > 0) {
    throw new ControlInputError(
      `CustomAction "${resourceName}": ${set.map((field) => `field ${field}`).join(", ")} is computed by the resource from how headers and url were passed (as Pulumi secrets or not); do not set it.`,
    );
  }
  const { headers, url } = args ?? {};
  return {
    ...args,
    ...(headers === undefined || headers === null
      ? {}
      : {
          // Header values that are Outputs make the whole object one Output, validated once it resolves.
          headers: !isDeferred(headers) && Object.values(headers).some(isDeferred) ? pulumi.output(headers) : headers,
          secretHeaderNames: secretHeaderNamesOf(headers),
        }),
    urlGivenAsSecret: isDeferred(url) ? pulumi.output(pulumi.isSecret(pulumi.output(url))) : false,
  } as ControlArgs<typeof customActionSchema>;
}

export class CustomAction extends controlResource(customActionControl) {
  constructor(name: string, args: CustomActionArgs, opts?: pulumi.CustomResourceOptions) {
    super(name, withCallerSecrecy(name, args), opts);
  }
}
