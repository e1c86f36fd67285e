import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { show } from "../../core/redaction";
import { customActionControl } from "../../resources/custom-action";
import { frameworks } from "../support/frameworks";
import { verifiableMatchAttributes } from "../support/identity-attributes";

export const customActionIdentityMatch = defineResourcePolicy({
  name: "intercom-custom-action-identity-match",
  id: "IHC.ACT.04",
  title: "Custom Actions match users on email or user_id",
  description: "A live Custom Action matches the user on email or user_id, the values identity verification vouches for.",
  items: ["actions.identity"],
  severity: "critical",
  criticality: "SHALL",
  rationale:
    "Intercom can only verify email and user_id from the Messenger. Matching on anything else (say user_shopify_id) lets a user set it to a victim's id and fetch the victim's data.",
  remediation: ["Match on email or user_id, with identity verification enforced."],
  helpUrl: helpLinks.customActionsSecurity,
  frameworks: { ...frameworks.dataIntegrity, nist80053: ["AC-3"] },
  control: customActionControl,
  appliesTo: (action) => action.state === "live",
  // Never remediated: which attribute identifies a user is the action's design; a guess could return another user's data.
  check: (action) =>
    (verifiableMatchAttributes as readonly string[]).includes(action.identityMatch)
      ? []
      : [`Custom Action "${action.name}" matches users on ${show(action.identityMatch)}, which identity verification does not vouch for.`],
});
