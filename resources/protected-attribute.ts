import { z } from "zod";
import { defineControl, workspaceIdField } from "../core/control";
import { nonEmptyString } from "../core/fields";
import { controlResource } from "../core/resource";

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
  description: "Whether one data attribute can be changed from the Messenger.",
  schema: protectedAttributeSchema,
  secretPaths: [],
  identityFields: ["model", "attribute"],
  restApi: "GET/POST /data_attributes, PUT /data_attributes/{id} (messenger_writable)",
});

export type ProtectedAttributeSettings = z.output<typeof protectedAttributeSchema>;
export class ProtectedAttribute extends controlResource(protectedAttributeControl) {}
