import { z } from "zod";
import { defineResourcePolicy } from "../../core/policy";
import { mayOnlyGrow, normaliseEntry } from "../../core/floors";
import { helpLinks } from "../../core/help-links";
import { show } from "../../core/redaction";
import { customActionControl } from "../../resources/custom-action";
import { frameworks } from "../support/frameworks";
import { identityAttributes } from "../support/identity-attributes";

export const customActionResponseMapping = defineResourcePolicy({
  name: "intercom-custom-action-response-mapping",
  id: "IHC.ACT.05",
  title: "Custom Action responses never overwrite identity",
  description: "A live Custom Action does not map response data onto an attribute that identifies the user.",
  items: ["actions.response-data"],
  severity: "critical",
  criticality: "SHALL",
  rationale:
    "Intercom does not validate third-party data. A response an attacker can influence (a phone number registered elsewhere) overwrites the user's identity and hands them someone else's account.",
  remediation: ["Map responses onto non-identifying attributes only; keep identity attributes owned by your backend."],
  helpUrl: helpLinks.customActionsSecurity,
  frameworks: { ...frameworks.dataIntegrity, nist80053: ["SI-10"] },
  control: customActionControl,
  configSchema: z.strictObject({
    identityAttributes: mayOnlyGrow(identityAttributes, "Attributes a response must never overwrite."),
  }),
  appliesTo: (action) => action.state === "live",
  // Entry by entry: each mapping onto an identity attribute is refused alone.
  independentEntries: ["responseMappings"],
  // Never remediated: dropping a mapping changes what the action does; its owner decides.
  check: (action, { config }) =>
    (action.responseMappings ?? [])
      // The configured names arrive normalised (case, width, spacing): "EMAIL" is identity as email.
      .filter((mapping) => config.identityAttributes.includes(normaliseEntry(mapping.toAttribute)))
      .map((mapping) => `Custom Action "${action.name}" writes its response onto the identity attribute ${show(mapping.toAttribute)}.`),
});
