import { defineStackPolicy, StackViolation } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { messengerInstallationControl } from "../../resources/messenger-installation";
import { workspaceControl } from "../../resources/workspace";
import { frameworks } from "../support/frameworks";
import { phiLabel, phiScopeConfig, phiWorkspaces } from "../support/phi";

export const hipaaConsentGatedMessenger = defineStackPolicy({
  name: "intercom-hipaa-consent-gated-messenger",
  id: "IHC.HIPAA.02",
  title: "Messenger loads only after server-side consent",
  description: "In a workspace that handles PHI, the Messenger loads only after consent, and that consent is verified server-side.",
  items: ["hipaa.consent"],
  severity: "critical",
  criticality: "SHALL",
  rationale:
    "Client-side tools that load before consent are behind most healthcare tracking enforcement; a browser consent banner can be bypassed, delayed or ignored.",
  remediation: [
    "Serve the Messenger snippet only after your server has recorded the visitor's consent.",
    "Declare a MessengerInstallation with loadAfterConsent and consentVerifiedServerSide set to true.",
  ],
  helpUrl: helpLinks.cookieConsent,
  frameworks: { ...frameworks.consent, nist80053: ["PT-4"] },
  reads: [workspaceControl, messengerInstallationControl],
  scope: "phi-workspaces",
  configSchema: phiScopeConfig,
  check: (stack, { config }) =>
    phiWorkspaces(stack, config.everyWorkspace).flatMap((workspace): StackViolation[] => {
      const label = phiLabel(workspace);
      const installations = stack.instances(messengerInstallationControl, workspace.workspaceId);
      if (!stack.declares(messengerInstallationControl, workspace.workspaceId, {})) {
        return [
          {
            urn: workspace.urn,
            message: `${label} but declares no MessengerInstallation: the Messenger is assumed to load before consent.`,
          },
        ];
      }
      return installations.flatMap((installation): StackViolation[] => {
        const problems: string[] = [];
        if (!installation.settings.loadAfterConsent) problems.push("the Messenger loads before consent");
        if (!installation.settings.consentVerifiedServerSide) problems.push("consent is not verified server-side");
        return problems.length > 0 ? [{ urn: installation.urn, message: `${label} but ${problems.join(" and ")}.` }] : [];
      });
    }),
});
