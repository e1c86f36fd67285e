import { defineStackPolicy, StackViolation } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { businessAssociateAgreementControl } from "../../resources/business-associate-agreement";
import { workspaceControl } from "../../resources/workspace";
import { frameworks } from "../support/frameworks";
import { phiLabel, phiScopeConfig, phiWorkspaces } from "../support/phi";

export const hipaaBusinessAssociateAgreement = defineStackPolicy({
  name: "intercom-hipaa-baa",
  id: "IHC.HIPAA.01",
  title: "Signed, full-scope Business Associate Agreement",
  description: "A workspace that handles PHI has a signed Business Associate Agreement covering every data category.",
  items: ["hipaa.baa"],
  severity: "critical",
  criticality: "SHALL",
  rationale:
    "Without a BAA Intercom accepts no HIPAA liability for the PHI it processes; a BAA that excludes page context or behavioural data leaves exactly the gaps regulators find.",
  remediation: [
    "Sign a BAA with Intercom covering chat, identity, page context and behavioural data, and declare it.",
    "Until then, set handlesPhi only on workspaces that have one, and keep PHI out of the others.",
  ],
  helpUrl: helpLinks.hipaa,
  frameworks: { ...frameworks.businessAssociate, nist80053: ["SA-9"] },
  reads: [workspaceControl, businessAssociateAgreementControl],
  scope: "phi-workspaces",
  configSchema: phiScopeConfig,
  check: (stack, { config, now }) =>
    phiWorkspaces(stack, config.everyWorkspace).flatMap((workspace): StackViolation[] => {
      const agreements = stack.instances(businessAssociateAgreementControl, workspace.workspaceId);
      const label = phiLabel(workspace);
      if (!stack.declares(businessAssociateAgreementControl, workspace.workspaceId, {})) {
        return [{ urn: workspace.urn, message: `${label} but declares no Business Associate Agreement.` }];
      }
      return agreements.flatMap((baa): StackViolation[] => {
        if (!baa.settings.signed) return [{ urn: baa.urn, message: `${label} but its Business Associate Agreement is not signed.` }];
        if (baa.settings.signedOn && new Date(baa.settings.signedOn).getTime() > now.getTime()) {
          return [{ urn: baa.urn, message: `${label} but its Business Associate Agreement is dated in the future (signedOn).` }];
        }
        if (!baa.settings.coversAllDataCategories) {
          return [{ urn: baa.urn, message: `${label} but its Business Associate Agreement does not cover every data category.` }];
        }
        return [];
      });
    }),
});
