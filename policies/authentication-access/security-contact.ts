import { z } from "zod";
import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { workspaceControl } from "../../resources/workspace";
import { frameworks } from "../support/frameworks";

export const securityContact = defineResourcePolicy({
  name: "intercom-security-contact",
  id: "IHC.AUTH.09",
  title: "Security contact set",
  description:
    "With requireSecurityContact set, the workspace names a security contact; off by default, as Intercom shows the contact only if configured.",
  items: ["auth.security-contact"],
  severity: "low",
  criticality: "SHOULD",
  rationale:
    "Intercom contacts this address about a security incident affecting the workspace; without it, the notice may reach nobody who can act.",
  remediation: [
    "Set securityContactEmail to a monitored group address (Settings > Security > Workspace > Security contact).",
    "To make a missing contact a finding, configure this policy with requireSecurityContact: true.",
  ],
  helpUrl: helpLinks.securityContact,
  frameworks: frameworks.incidentContact,
  control: workspaceControl,
  configSchema: z.strictObject({
    requireSecurityContact: z
      .boolean()
      .default(false)
      .describe(
        "Report a workspace without securityContactEmail. Default false: Intercom treats the contact as optional (shown only if configured).",
      ),
  }),
  // Never remediated: only a person can name the security contact; an address is never invented.
  check: (workspace, { config }) =>
    config.requireSecurityContact && !workspace.securityContactEmail
      ? ["No security contact email is set for the workspace (requireSecurityContact is on)."]
      : [],
});
