import { z } from "zod";
import { defineControl, workspaceIdField } from "../core/control";
import { controlResource } from "../core/resource";

const compilableRegex = z
  .string()
  .min(1)
  .refine(
    (pattern) => {
      try {
        new RegExp(pattern);
        return true;
      } catch {
        return false;
      }
    },
    { message: "a valid regular expression" },
  );

export const redactionChannel = z.enum(["web", "ios", "android", "email", "phone"]);

export const panRedactionSchema = z.strictObject({
  workspaceId: workspaceIdField,
  enabled: z.boolean().describe("Whether content redaction is on."),
  creditCards: z.boolean().describe("The built-in PAN rule: Luhn-checked card numbers are redacted."),
  socialSecurityNumbers: z.boolean().describe("The built-in US Social Security number rule."),
  channels: z.array(redactionChannel).describe("Where redaction applies: web, ios, android, email (inbound), phone (calls)."),
  customRules: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(100).describe("Rule name, up to 100 characters."),
        pattern: compilableRegex.describe("The regular expression to redact."),
      }),
    )
    .max(10)
    .optional()
    .describe("Up to 10 custom regex redaction rules."),
});

export const panRedactionControl = defineControl({
  name: "PanRedaction",
  catalogOrder: 100,
  description: "Content redaction of card numbers (PAN), SSNs and custom patterns in conversations.",
  schema: panRedactionSchema,
  secretPaths: [],
  identityFields: [],
  intercomDefaults: [{ enabled: false, creditCards: false, socialSecurityNumbers: false, channels: [] }],
  intercomDefaultSummary: "redaction off: card numbers stay in transcripts",
});

export type PanRedactionSettings = z.output<typeof panRedactionSchema>;
export class PanRedaction extends controlResource(panRedactionControl) {}
