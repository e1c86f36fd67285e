import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { attachmentPolicyControl } from "../../resources/attachment-policy";
import { frameworks } from "../support/frameworks";

export const attachmentAudience = defineResourcePolicy({
  name: "intercom-attachment-audience",
  id: "IHC.DATA.06",
  title: "Uploads limited to identified users",
  description: "Customer uploads are limited to identified users, not open to anonymous visitors.",
  items: ["data.attachments"],
  severity: "low",
  criticality: "SHOULD",
  rationale: "Anonymous visitors can upload anything without accountability; identified users are at least known.",
  remediation: ["Set customerUploads to users_only (or disabled)."],
  helpUrl: helpLinks.attachments,
  frameworks: { ...frameworks.malwareProtection, nist80053: ["AC-3", "IA-8"] },
  control: attachmentPolicyControl,
  example: { workspaceId: "abc12345", customerUploads: "users_only", allowedFileTypes: ["pdf", "png", "jpg"] },
  // Never remediated: limiting uploads changes what customers can send; which audience is the workspace's choice.
  check: (attachments) =>
    attachments.customerUploads === "everyone" ? ["Anonymous visitors and leads may upload files (customerUploads: everyone)."] : [],
});
