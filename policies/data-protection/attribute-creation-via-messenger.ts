import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { dataAttributeSettingsControl } from "../../resources/data-attribute-settings";
import { frameworks } from "../support/frameworks";

export const attributeCreationViaMessenger = defineResourcePolicy({
  name: "intercom-attribute-creation-via-messenger",
  id: "IHC.DATA.08",
  title: "Messenger cannot create attributes",
  description: "Data sent through the Messenger cannot create new custom attributes.",
  items: ["data.protected-attributes"],
  severity: "medium",
  criticality: "SHOULD",
  rationale:
    "A new attribute created from the browser is unprotected by default, and anything a client can send ends up stored on the user.",
  remediation: ["Turn off attribute creation via the Messenger; create attributes deliberately in settings or through the REST API."],
  helpUrl: helpLinks.protectedAttributes,
  frameworks: { ...frameworks.dataIntegrity, nist80053: ["AC-3", "SI-10"] },
  control: dataAttributeSettingsControl,
  example: { workspaceId: "abc12345", allowAttributeCreationViaMessenger: false },
  // Never remediated: installs that send new attributes would lose data until they are declared.
  check: (settings) => (settings.allowAttributeCreationViaMessenger ? ["The Messenger may create new custom attributes."] : []),
});
