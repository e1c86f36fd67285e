import { defineStackPolicy, StackViolation } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { messengerInstallationControl } from "../../resources/messenger-installation";
import { workspaceControl } from "../../resources/workspace";
import { frameworks } from "../support/frameworks";
import { phiWorkspaces } from "../support/phi";

export const hipaaBehaviouralProfiling = defineStackPolicy({
  name: "intercom-hipaa-behavioural-profiling",
  id: "IHC.HIPAA.03",
  title: "Minimal behavioural profiling",
  description:
    "In a workspace that handles PHI, product tours are off and page views are tracked only with clinical pages excluded.",
  section: "healthcare",
  items: ["hipaa.profiling"],
  severity: "high",
  criticality: "SHALL",
  rationale:
    "Page views and tour interactions on condition or treatment pages are implicit PHI: they reveal what a patient is being treated for.",
  remediation: [
    "Turn product tours off in this workspace.",
    "Turn page-view tracking off, or list every clinical path in excludedPaths.",
  ],
  helpUrl: helpLinks.hipaa,
  frameworks: frameworks.minimumNecessary,
  reads: [workspaceControl, messengerInstallationControl],
  scope: "phi-workspaces",
  check: (stack) =>
    phiWorkspaces(stack).flatMap((workspace) =>
      stack.instances(messengerInstallationControl, workspace.workspaceId).flatMap((installation): StackViolation[] => {
        const label = `Workspace "${workspace.settings.name}" (${workspace.workspaceId}) handles PHI`;
        const problems: string[] = [];
        if (installation.settings.productTours) problems.push("product tours are on");
        if (installation.settings.trackPageViews && (installation.settings.excludedPaths ?? []).length === 0) {
          problems.push("page views are tracked on every page, clinical ones included");
        }
        return problems.length > 0 ? [{ urn: installation.urn, message: `${label} but ${problems.join(" and ")}.` }] : [];
      }),
    ),
});
