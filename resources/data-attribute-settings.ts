import { z } from "zod";
import { defineControl, workspaceIdField } from "../core/control";
import { controlResource } from "../core/resource";

export const dataAttributeSettingsSchema = z.strictObject({
  workspaceId: workspaceIdField,
  allowAttributeCreationViaMessenger: z.boolean().describe("Whether data sent through the Messenger may create new custom attributes."),
});

export const dataAttributeSettingsControl = defineControl({
  name: "DataAttributeSettings",
  catalogOrder: 140,
  description: "Whether the Messenger may create new custom data attributes.",
  schema: dataAttributeSettingsSchema,
  secretPaths: [],
  identityFields: [],
  intercomDefaults: [{ allowAttributeCreationViaMessenger: true }],
  intercomDefaultSummary: "the Messenger may create new custom attributes",
});

export type DataAttributeSettingsSettings = z.output<typeof dataAttributeSettingsSchema>;
export class DataAttributeSettings extends controlResource(dataAttributeSettingsControl) {}
