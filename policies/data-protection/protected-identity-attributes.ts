import { z } from "zod";
import { defineResourcePolicy } from "../../core/policy";
import { mayOnlyGrow, normaliseEntry } from "../../core/floors";
import { helpLinks } from "../../core/help-links";
import { show } from "../../core/redaction";
import { protectedAttributeControl } from "../../resources/protected-attribute";
import { frameworks } from "../support/frameworks";
import { identityAttributes } from "../support/identity-attributes";

export const protectedIdentityAttributes = defineResourcePolicy({
  name: "intercom-protected-identity-attributes",
  id: "IHC.DATA.07",
  title: "Identity attributes protected from Messenger writes",
  description: "Attributes that identify a user (email, user_id, phone, external ids) cannot be updated from the Messenger.",
  items: ["data.protected-attributes"],
  severity: "high",
  criticality: "SHALL",
  rationale:
    "An attribute the Messenger may write is whatever the person at the keyboard says. If it identifies the user, they can take over another user's identity, and anything matched on it.",
  remediation: ['Turn on "Prevent updates via the Messenger" for the attribute (messengerWritable: false).'],
  helpUrl: helpLinks.protectedAttributes,
  frameworks: { ...frameworks.dataIntegrity, nist80053: ["AC-3", "SI-10"] },
  control: protectedAttributeControl,
  configSchema: z.strictObject({
    identityAttributes: mayOnlyGrow(identityAttributes, "Attributes that identify a user and must never be Messenger-writable."),
  }),
  // The configured names arrive normalised (case, width, spacing): "EMAIL" is protected as email.
  // Never remediated: the Messenger may collect that attribute (a lead's email); a person decides where it is written.
  check: (attribute, { config }) =>
    attribute.messengerWritable && config.identityAttributes.includes(normaliseEntry(attribute.attribute))
      ? [`The ${attribute.model} attribute ${show(attribute.attribute)} identifies a user but the Messenger may update it.`]
      : [],
});
