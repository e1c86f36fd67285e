import { z } from "zod";
import { defineControl, workspaceIdField } from "../core/control";
import { isoDate } from "../core/fields";
import { controlResource } from "../core/resource";

export const businessAssociateAgreementSchema = z.strictObject({
  workspaceId: workspaceIdField,
  signed: z.boolean().describe("Whether a Business Associate Agreement with Intercom is signed."),
  signedOn: isoDate.optional().describe("When it was signed."),
  coversAllDataCategories: z.boolean().describe("Whether it covers the whole pipeline: chat, identity, page context and behavioural data."),
});

export const businessAssociateAgreementControl = defineControl({
  name: "BusinessAssociateAgreement",
  catalogOrder: 170,
  description: "The HIPAA Business Associate Agreement covering the workspace.",
  schema: businessAssociateAgreementSchema,
  secretPaths: [],
  identityFields: [],
});

export type BusinessAssociateAgreementSettings = z.output<typeof businessAssociateAgreementSchema>;
export class BusinessAssociateAgreement extends controlResource(businessAssociateAgreementControl) {}
