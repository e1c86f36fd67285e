import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { customActionControl } from "../../resources/custom-action";
import { frameworks } from "../support/frameworks";

export const customActionHttps = defineResourcePolicy({
  name: "intercom-custom-action-https",
  id: "IHC.ACT.01",
  title: "Custom Actions call https endpoints",
  description: "A live Custom Action calls its endpoint over https.",
  items: ["actions.transport"],
  severity: "critical",
  criticality: "SHALL",
  rationale: "Custom Action requests carry customer data and tokens; over plain http anyone on the path reads and alters them.",
  remediation: ["Serve the endpoint over https and change the action's URL to https://."],
  helpUrl: helpLinks.customActionsSecurity,
  frameworks: { ...frameworks.transmission, nist80053: ["SC-8", "SC-8(1)"] },
  control: customActionControl,
  appliesTo: (action) => action.state === "live",
  // Never remediated: another URL may not answer, or be another server; the action's owner changes it.
  check: (action) => {
    const scheme = new URL(action.url).protocol.replace(":", "");
    return scheme === "https" ? [] : [`Custom Action "${action.name}" calls its endpoint over ${scheme}, not https.`];
  },
});
