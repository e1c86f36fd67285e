import { defineStackPolicy, StackViolation } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { show } from "../../core/redaction";
import { customActionControl } from "../../resources/custom-action";
import { messengerSecurityControl } from "../../resources/messenger-security";
import { protectedAttributeControl } from "../../resources/protected-attribute";
import { frameworks } from "../support/frameworks";
import { verifiableMatchAttributes } from "../support/identity-attributes";
import { isVerifiedAndEnforced } from "../support/identity-verification";

export const customActionProtectedMatch = defineStackPolicy({
  name: "intercom-custom-action-protected-match",
  id: "IHC.ACT.08",
  title: "Custom Actions match on attributes the Messenger cannot forge",
  description:
    "The attribute a live Custom Action matches on is protected from Messenger writes: email and user_id by enforced web identity verification, anything else by a ProtectedAttribute that is not Messenger-writable.",
  items: ["actions.identity"],
  severity: "critical",
  criticality: "SHALL",
  rationale:
    "If the user can set the matched attribute themselves, the action fetches whoever's data they point it at: Intercom's first named leak path for Custom Actions.",
  remediation: [
    "Enforce identity verification on the web Messenger when matching on email or user_id.",
    "Match on email or user_id (intercom-custom-action-identity-match requires it); if that policy is disabled, at least declare a ProtectedAttribute for the matched attribute with messengerWritable: false.",
  ],
  helpUrl: helpLinks.customActionsSecurity,
  frameworks: { ...frameworks.dataIntegrity, nist80053: ["AC-3"] },
  reads: [customActionControl, protectedAttributeControl, messengerSecurityControl],
  scope: customActionControl,
  check: (stack) =>
    stack
      .instances(customActionControl)
      .filter((action) => action.settings.state === "live")
      .flatMap((action): StackViolation[] => {
        const attribute = action.settings.identityMatch;
        const declared = stack
          .instances(protectedAttributeControl, action.workspaceId)
          .filter((p) => p.settings.model === "contact" && p.settings.attribute === attribute);
        const describe = `Custom Action "${action.settings.name}" matches on ${show(attribute)}`;
        if (declared.some((p) => p.settings.messengerWritable)) {
          return [{ urn: action.urn, message: `${describe}, which the Messenger may update.` }];
        }
        if ((verifiableMatchAttributes as readonly string[]).includes(attribute)) {
          const web = stack.instances(messengerSecurityControl, action.workspaceId).filter((m) => m.settings.platform === "web");
          // A web MessengerSecurity that is invalid or not known yet is reported as not evaluated.
          const webUnreadable = web.length === 0 && stack.declares(messengerSecurityControl, action.workspaceId, { platform: "web" });
          return web.some((m) => isVerifiedAndEnforced(m.settings)) || webUnreadable
            ? []
            : [
                {
                  urn: action.urn,
                  message: `${describe}, but web identity verification is not enforced, so the Messenger's value is unverified.`,
                },
              ];
        }
        return declared.length > 0
          ? []
          : [{ urn: action.urn, message: `${describe}, which is not declared protected from Messenger writes.` }];
      }),
});
