import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { customActionControl } from "../../resources/custom-action";
import { frameworks } from "../support/frameworks";
import { nonPublicHostReason } from "../support/network";

export const customActionPublicEndpoint = defineResourcePolicy({
  name: "intercom-custom-action-public-endpoint",
  id: "IHC.ACT.02",
  title: "Custom Actions call public endpoints",
  description: "A live Custom Action does not target a private, loopback, link-local or internal address.",
  items: ["actions.transport"],
  severity: "critical",
  criticality: "SHALL",
  rationale:
    "Requests run from Intercom's backend: a private or metadata address is either unreachable or, worse, a server-side request forgery target. Either way it is a misconfiguration.",
  remediation: ["Expose the endpoint on a public https host you control, behind authentication."],
  helpUrl: helpLinks.customActionsSecurity,
  frameworks: { ...frameworks.outboundRequests, nist80053: ["SC-7"] },
  control: customActionControl,
  appliesTo: (action) => action.state === "live",
  // Never remediated: there is no safe endpoint to substitute; the action's owner changes it.
  check: (action) => {
    const host = new URL(action.url).hostname;
    const reason = nonPublicHostReason(host);
    return reason ? [`Custom Action "${action.name}" targets ${reason} (${host}).`] : [];
  },
});
