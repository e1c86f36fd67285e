import { defineStackPolicy, StackViolation } from "../../core/policy";
import { independentPart } from "../../core/unknowns";
import { helpLinks } from "../../core/help-links";
import { notificationPrivacyControl } from "../../resources/notification-privacy";
import { panRedactionControl } from "../../resources/pan-redaction";
import { workspaceControl } from "../../resources/workspace";
import { frameworks } from "../support/frameworks";
import { phiLabel, phiScopeConfig, phiWorkspaces } from "../support/phi";

export const hipaaPhiSafeguards = defineStackPolicy({
  name: "intercom-hipaa-phi-safeguards",
  id: "IHC.HIPAA.04",
  title: "PHI kept out of notifications and redacted",
  description:
    "In a workspace that handles PHI, email notifications carry no message content, push notifications are generic, and SSN redaction is on.",
  items: ["hipaa.safeguards"],
  severity: "high",
  criticality: "SHALL",
  rationale:
    "Notifications copy what patients type to mailboxes and lock screens outside the BAA's safeguards; Social Security numbers are identifiers HIPAA names.",
  remediation: [
    "Declare NotificationPrivacy with emailNotificationContent: none and pushNotificationContent: generic.",
    "Declare PanRedaction with socialSecurityNumbers: true on every channel.",
  ],
  helpUrl: helpLinks.notificationContent,
  frameworks: { ...frameworks.minimumNecessary, nist80053: ["AC-4", "SC-28"] },
  reads: [workspaceControl, notificationPrivacyControl, panRedactionControl],
  scope: "phi-workspaces",
  configSchema: phiScopeConfig,
  check: (stack, { config }) =>
    phiWorkspaces(stack, config.everyWorkspace).flatMap((workspace): StackViolation[] => {
      const label = phiLabel(workspace);
      const id = workspace.workspaceId;
      const violations: StackViolation[] = [];
      // Each requirement on each control is its own part: a value not known in one leaves the others graded.
      const notifications = stack.instances(notificationPrivacyControl, id);
      violations.push(
        ...independentPart(
          (): StackViolation[] =>
            stack.declares(notificationPrivacyControl, id, {})
              ? []
              : [
                  {
                    urn: workspace.urn,
                    message: `${label} but declares no NotificationPrivacy: notifications carry full content by default.`,
                  },
                ],
          [],
        ),
      );
      for (const n of notifications) {
        violations.push(
          ...independentPart(
            (): StackViolation[] =>
              n.settings.emailNotificationContent !== "none"
                ? [
                    {
                      urn: n.urn,
                      message: `${label} but email notifications carry message content (${n.settings.emailNotificationContent}).`,
                    },
                  ]
                : [],
            [],
          ),
          ...independentPart(
            (): StackViolation[] =>
              n.settings.pushNotificationContent !== "generic"
                ? [{ urn: n.urn, message: `${label} but push notifications carry message content.` }]
                : [],
            [],
          ),
        );
      }
      const redaction = stack.instances(panRedactionControl, id);
      violations.push(
        ...independentPart(
          (): StackViolation[] =>
            stack.declares(panRedactionControl, id, {})
              ? []
              : [{ urn: workspace.urn, message: `${label} but declares no PanRedaction: SSNs are not redacted.` }],
          [],
        ),
      );
      for (const r of redaction) {
        violations.push(
          ...independentPart(
            (): StackViolation[] =>
              !r.settings.enabled || !r.settings.socialSecurityNumbers
                ? [{ urn: r.urn, message: `${label} but Social Security numbers are not redacted.` }]
                : [],
            [],
          ),
        );
      }
      return violations;
    }),
});
