import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { ipAllowlistControl } from "../../resources/ip-allowlist";
import { frameworks } from "../support/frameworks";

export const ipAllowlistEnabled = defineResourcePolicy({
  name: "intercom-ip-allowlist-enabled",
  id: "IHC.AUTH.07",
  title: "Dashboard IP allowlist on",
  description: "The dashboard IP allowlist should be on, so the workspace is reachable only from your networks.",
  items: ["auth.ip-allowlist"],
  severity: "medium",
  criticality: "SHOULD",
  rationale: "Restricting the dashboard to known networks limits what a stolen session or credential can reach.",
  remediation: ["In Settings > Security > Workspace, enable IP restrictions and list your networks."],
  helpUrl: helpLinks.ipRestrictions,
  frameworks: { ...frameworks.networkRestriction, nist80053: ["AC-17", "SC-7"] },
  control: ipAllowlistControl,
  example: { workspaceId: "abc12345", scope: "dashboard", enabled: true, entries: ["203.0.113.0/24"] },
  appliesTo: (allowlist) => allowlist.scope === "dashboard",
  // Never remediated: turning the allowlist on locks out every teammate outside it.
  check: (allowlist) => (allowlist.enabled ? [] : ["The dashboard IP allowlist is off: any address can reach the workspace."]),
});
