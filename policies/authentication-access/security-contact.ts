import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { workspaceControl } from "../../resources/workspace";
import { frameworks } from "../support/frameworks";

export const securityContact = defineResourcePolicy({
  name: "intercom-security-contact",
  id: "IHC.AUTH.09",
  title: "Security contact set",
  description: "The workspace names a security contact, shown at the top of the Health Check.",
  section: "authentication-access",
  items: ["auth.security-contact"],
  severity: "low",
  criticality: "SHOULD",
  rationale: "Intercom contacts this address about a security incident affecting the workspace; without it, the notice may reach nobody who can act.",
  remediation: ["Set securityContactEmail to a monitored group address (Settings > Security > Workspace > Security contact)."],
  helpUrl: helpLinks.securityContact,
  frameworks: frameworks.incidentContact,
  control: workspaceControl,
  check: (workspace) => (workspace.securityContactEmail ? [] : ["No security contact email is set for the workspace."]),
});
