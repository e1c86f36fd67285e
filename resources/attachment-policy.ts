import { z } from "zod";
import { defineControl, workspaceIdField } from "../core/control";
import { controlResource } from "../core/resource";

export const attachmentPolicySchema = z.strictObject({
  workspaceId: workspaceIdField,
  customerUploads: z
    .enum(["disabled", "users_only", "everyone"])
    .describe("Who may upload files in the Messenger: nobody, identified users only, or everyone including visitors."),
  allowedFileTypes: z
    .array(z.string().regex(/^[A-Za-z0-9]{1,16}$/, { message: "a file extension without the dot, e.g. pdf" }))
    .describe("File extensions customers may upload, without the dot. Empty with uploads enabled: any type."),
});

export const attachmentPolicyControl = defineControl({
  name: "AttachmentPolicy",
  catalogOrder: 120,
  description: "Whether customers may upload files in the Messenger, and which file types.",
  schema: attachmentPolicySchema,
  secretPaths: [],
  identityFields: [],
  intercomDefaults: [{ customerUploads: "everyone", allowedFileTypes: [] }],
  intercomDefaultSummary: "everyone may upload files of any type",
});

export type AttachmentPolicySettings = z.output<typeof attachmentPolicySchema>;
export class AttachmentPolicy extends controlResource(attachmentPolicyControl) {}
