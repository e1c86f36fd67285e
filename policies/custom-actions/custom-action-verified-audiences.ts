import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { customActionControl } from "../../resources/custom-action";
import { frameworks } from "../support/frameworks";

export const customActionVerifiedAudiences = defineResourcePolicy({
  name: "intercom-custom-action-verified-audiences",
  id: "IHC.ACT.07",
  title: "Custom Actions run for verified users only",
  description: "A live Custom Action runs only for users, never for leads or visitors, and never bypasses authentication.",
  items: ["actions.identity"],
  severity: "high",
  criticality: "SHALL",
  rationale:
    "Leads and visitors are unverified: whatever email they typed is what the action matches on. Bypassing authentication does the same for users.",
  remediation: ["Limit audiences to users and leave bypassAuthentication off."],
  helpUrl: helpLinks.customActionsSecurity,
  frameworks: { ...frameworks.customerAuthentication, nist80053: ["AC-3", "IA-8"] },
  control: customActionControl,
  appliesTo: (action) => action.state === "live",
  // Entry by entry: each unverified audience is refused, whatever else is listed.
  independentEntries: ["audiences"],
  // Never remediated: narrowing an action's audience changes who it serves; its owner decides.
  check: (action) => {
    const problems: string[] = [];
    const unverified = action.audiences.filter((audience) => audience !== "users");
    if (unverified.length > 0) problems.push(`Custom Action "${action.name}" runs for unverified audiences: ${unverified.join(", ")}.`);
    if (action.bypassAuthentication) problems.push(`Custom Action "${action.name}" bypasses authentication.`);
    return problems;
  },
});
