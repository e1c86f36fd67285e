import { z } from "zod";
import { defineControl, workspaceIdField } from "../core/control";
import { controlResource } from "../core/resource";

export const messengerInstallationSchema = z.strictObject({
  workspaceId: workspaceIdField,
  loadAfterConsent: z.boolean().describe("The Messenger script loads only after the visitor consents."),
  consentVerifiedServerSide: z
    .boolean()
    .describe("Consent is verified on your server before the Messenger is served, not only by a browser banner."),
  trackPageViews: z.boolean().describe("Whether the Messenger records the pages a visitor views."),
  productTours: z.boolean().describe("Whether product tours run (their interactions are tracked per user)."),
  excludedPaths: z
    .array(z.string().startsWith("/", { message: "a path starting with /" }))
    .optional()
    .describe("Paths (e.g. clinical pages) where the Messenger does not load or track."),
});

export const messengerInstallationControl = defineControl({
  name: "MessengerInstallation",
  catalogOrder: 160,
  description: "How the Messenger is installed on your site: consent gating and behavioural tracking.",
  schema: messengerInstallationSchema,
  secretPaths: [],
  identityFields: [],
});

export type MessengerInstallationSettings = z.output<typeof messengerInstallationSchema>;
export class MessengerInstallation extends controlResource(messengerInstallationControl) {}
