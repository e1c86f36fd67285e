import { z } from "zod";
import { defineControl, workspaceIdField } from "../core/control";
import { controlResource } from "../core/resource";

export const linkSafetySchema = z.strictObject({
  workspaceId: workspaceIdField,
  warnOnUntrustedLinks: z.boolean().describe("Show a warning screen before following a link to an untrusted domain."),
  warnOnMaliciousLinks: z.boolean().describe("Show a warning screen before following a link flagged as malicious."),
  trustedDomains: z.array(z.string()).describe("Domains whose links open without a warning."),
  blockedDomains: z.array(z.string()).describe("Domains whose links are blocked."),
});

export const linkSafetyControl = defineControl({
  name: "LinkSafety",
  catalogOrder: 110,
  description: "Warning screens for untrusted and malicious links, with trusted and blocked domain lists.",
  schema: linkSafetySchema,
  secretPaths: [],
  identityFields: [],
  intercomDefaults: [{ warnOnUntrustedLinks: false, warnOnMaliciousLinks: false, trustedDomains: [], blockedDomains: [] }],
  intercomDefaultSummary: "not confirmed on: graded as no link warnings",
});

export type LinkSafetySettings = z.output<typeof linkSafetySchema>;
export class LinkSafety extends controlResource(linkSafetyControl) {}
