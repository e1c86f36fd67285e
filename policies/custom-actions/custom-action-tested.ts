import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { customActionControl } from "../../resources/custom-action";
import { isoDay } from "../support/dates";
import { frameworks } from "../support/frameworks";

export const customActionTested = defineResourcePolicy({
  name: "intercom-custom-action-tested",
  id: "IHC.ACT.06",
  title: "Custom Actions tested before going live",
  description: "A live Custom Action records when it was tested, and that date is not in the future.",
  items: ["actions.testing"],
  severity: "medium",
  criticality: "SHOULD",
  rationale:
    "Intercom's guidance: test an action first to confirm it returns data for the matched user and stores it in the right attributes.",
  remediation: ["Test the action against real data in the editor, then record testedAt before setting it live."],
  helpUrl: helpLinks.customActionsSecurity,
  frameworks: { ...frameworks.changeManagement, nist80053: ["CM-3(2)"] },
  control: customActionControl,
  appliesTo: (action) => action.state === "live",
  // Never remediated: a test date records a fact only a person knows.
  check: (action, { now }) => {
    if (!action.testedAt) return [`Custom Action "${action.name}" is live with no record of being tested (testedAt).`];
    return new Date(action.testedAt).getTime() > now.getTime()
      ? [`Custom Action "${action.name}" testedAt (${isoDay(action.testedAt)}) is in the future.`]
      : [];
  },
});
