import { z } from "zod";
import { defineControl, workspaceIdField } from "../core/control";
import { nonEmptyString } from "../core/fields";
import { controlResource } from "../core/resource";
import { dataAttributeProvider } from "../intercom/data-attribute-provider";

export const protectedAttributeSchema = z.strictObject({
  workspaceId: workspaceIdField,
  model: z.enum(["contact", "company"]).describe("Which data model the attribute belongs to."),
  attribute: nonEmptyString.describe("The attribute's name, e.g. email, user_id or a custom attribute."),
  messengerWritable: z
    .boolean()
    .describe('Whether the Messenger may update it (false: "prevent updates via the Messenger"; messenger_writable in the REST API).'),
});

export const protectedAttributeControl = defineControl({
  name: "ProtectedAttribute",
  catalogOrder: 130,
  description: "Whether one data attribute can be changed from the Messenger.",
  schema: protectedAttributeSchema,
  secretPaths: [],
  identityFields: ["model", "attribute"],
  restApi: "GET/POST /data_attributes, PUT /data_attributes/{id} (messenger_writable)",
});

export type ProtectedAttributeSettings = z.output<typeof protectedAttributeSchema>;
/**
 * Applied through `/data_attributes` when an Intercom token is configured (found by model and name,
 * created if missing, messenger_writable set); declared state otherwise. Deleting it leaves the
 * attribute as it is in Intercom (see intercom/data-attribute-api.ts).
 */
export class ProtectedAttribute extends controlResource(protectedAttributeControl, { provider: dataAttributeProvider() }) {}
