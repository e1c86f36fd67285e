import { z } from "zod";
import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { messengerSessionControl } from "../../resources/messenger-session";
import { frameworks } from "../support/frameworks";

export const messengerSessionDuration = defineResourcePolicy({
  name: "intercom-messenger-session-duration",
  id: "IHC.MSG.02",
  title: "Messenger session duration bounded",
  description: "Messenger sessions on a device end within the configured maximum (one day by default), not Intercom's one-week default.",
  items: ["messenger.session-duration"],
  severity: "medium",
  criticality: "SHOULD",
  rationale:
    "The Messenger session cookie lets the next person on a shared device read the previous user's conversations until it expires.",
  remediation: ["Set a shorter Messenger session duration, and end the session (shutdown) when users log out of your app."],
  helpUrl: helpLinks.messengerSessionDuration,
  frameworks: { ...frameworks.sessionManagement, nist80053: ["AC-12"] },
  control: messengerSessionControl,
  configSchema: z.strictObject({
    maxMinutes: z
      .number()
      .int()
      .min(1)
      .default(24 * 60)
      .describe("The longest acceptable Messenger session, in minutes."),
  }),
  // Never remediated: a shorter Messenger session signs users out; session length is the organisation's choice.
  check: (session, { config }) =>
    session.sessionDurationMinutes > config.maxMinutes
      ? [`Messenger sessions last ${session.sessionDurationMinutes} minutes; the maximum is ${config.maxMinutes}.`]
      : [],
});
