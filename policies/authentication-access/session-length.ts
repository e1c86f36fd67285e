import { z } from "zod";
import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { sessionPolicyControl } from "../../resources/session-policy";
import { frameworks } from "../support/frameworks";

export const sessionLength = defineResourcePolicy({
  name: "intercom-session-length",
  id: "IHC.AUTH.05",
  title: "Secure session length",
  description: "Teammates must re-authenticate within a bounded time (24 hours by default), not Intercom's 4-day activity window.",
  items: ["auth.session-length"],
  severity: "medium",
  criticality: "SHOULD",
  rationale:
    "A dashboard session on a lost or shared device stays usable for as long as it lives. Intercom's default keeps teammates signed in while active within a 4-day window.",
  remediation: [
    "In Settings > Security > Workspace, set a custom session length no longer than the configured maximum.",
    "If your identity provider enforces a shorter timeout, it takes priority; declare the same value here.",
  ],
  helpUrl: helpLinks.sessionLength,
  frameworks: { ...frameworks.sessionManagement, nist80053: ["AC-12", "IA-11"] },
  control: sessionPolicyControl,
  example: { workspaceId: "abc12345", reauthenticateAfterHours: 12 },
  configSchema: z.strictObject({
    maxHours: z.number().int().min(1).default(24).describe("The longest acceptable session, in hours."),
  }),
  // Never remediated: a shorter session signs teammates out, and its length is the organisation's choice.
  check: (session, { config }) => {
    if (session.reauthenticateAfterHours === null) {
      return [`No session length is set: Intercom's default 4-day activity window applies (maximum ${config.maxHours} hours).`];
    }
    return session.reauthenticateAfterHours > config.maxHours
      ? [`Teammates re-authenticate every ${session.reauthenticateAfterHours} hours; the maximum is ${config.maxHours}.`]
      : [];
  },
});
