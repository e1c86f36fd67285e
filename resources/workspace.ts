import { z } from "zod";
import { defineControl, workspaceIdField } from "../core/control";
import { email, nonEmptyString } from "../core/fields";
import { controlResource } from "../core/resource";

export const workspaceSchema = z.strictObject({
  workspaceId: workspaceIdField,
  name: nonEmptyString.describe("The workspace's display name."),
  region: z.enum(["us", "eu", "au"]).describe("Data hosting region: US, EU (Dublin) or Australia."),
  securityContactEmail: email.optional().describe("Who Intercom contacts about a security incident; shown at the top of the Health Check."),
  handlesPhi: z
    .boolean()
    .default(false)
    .describe("True when conversations may carry protected health information: the healthcare checklist applies."),
});

export const workspaceControl = defineControl({
  name: "Workspace",
  catalogOrder: 0,
  description: "An Intercom workspace (APP_ID): its region, security contact and whether it handles PHI.",
  schema: workspaceSchema,
  secretPaths: [],
  identityFields: [],
});

export type WorkspaceSettings = z.output<typeof workspaceSchema>;
export class Workspace extends controlResource(workspaceControl) {}
