import { defineSchemaPolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { frameworks } from "../support/frameworks";

export const controlSchema = defineSchemaPolicy({
  name: "intercom-control-schema",
  id: "IHC.CFG.01",
  title: "Controls match their schema",
  description: "Every Intercom control's properties match its schema: known fields, right types, allowed values.",
  items: ["config.schema"],
  severity: "critical",
  criticality: "SHALL",
  rationale:
    "A control written by an older program, by hand or with wrong types cannot be graded. It is reported and blocks, rather than being passed unread.",
  remediation: [
    "Fix the fields the message names; the JSON Schemas in schemas/ list every field and its allowed values.",
    "Construct controls with this package's resource classes, which validate inputs before anything is sent.",
  ],
  helpUrl: helpLinks.healthCheck,
  frameworks: { ...frameworks.configurationManagement, nist80053: ["CM-6"] },
});
