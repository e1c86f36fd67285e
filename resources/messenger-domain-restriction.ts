import { z } from "zod";
import { defineControl, workspaceIdField } from "../core/control";
import { controlResource } from "../core/resource";

export const messengerDomainRestrictionSchema = z.strictObject({
  workspaceId: workspaceIdField,
  trustedDomains: z
    .array(z.string())
    .describe("Full domain names the Messenger may load on; `*` only as a leading subdomain wildcard. Blank admits any domain."),
});

export const messengerDomainRestrictionControl = defineControl({
  name: "MessengerDomainRestriction",
  catalogOrder: 60,
  description: "The trusted domains the Messenger may be installed on.",
  schema: messengerDomainRestrictionSchema,
  secretPaths: [],
  identityFields: [],
  intercomDefaults: [{ trustedDomains: [] }],
  intercomDefaultSummary: "no trusted domains: the Messenger loads on any site",
});

export type MessengerDomainRestrictionSettings = z.output<typeof messengerDomainRestrictionSchema>;
export class MessengerDomainRestriction extends controlResource(messengerDomainRestrictionControl) {}
