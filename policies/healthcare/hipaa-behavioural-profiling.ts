import { defineStackPolicy, StackViolation } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { messengerInstallationControl } from "../../resources/messenger-installation";
import { workspaceControl } from "../../resources/workspace";
import { frameworks } from "../support/frameworks";
import { phiLabel, phiScopeConfig, phiWorkspaces } from "../support/phi";

export const hipaaBehaviouralProfiling = defineStackPolicy({
  name: "intercom-hipaa-behavioural-profiling",
  id: "IHC.HIPAA.03",
  title: "Minimal behavioural profiling",
  description: "In a workspace that handles PHI, product tours and page-view tracking are off, whatever paths are excluded.",
  items: ["hipaa.profiling"],
  severity: "high",
  criticality: "SHALL",
  rationale:
    "Page views and tour interactions on condition or treatment pages are implicit PHI: they reveal what a patient is being treated for. The HIPAA checklist asks for minimal behavioural profiling: a list of excluded paths is never known to cover every clinical page (new pages, query strings, single-page navigation), so tracking stays off.",
  remediation: [
    "Turn product tours off in this workspace.",
    "Turn page-view tracking off (trackPageViews: false); excludedPaths limits where the Messenger loads, it does not make tracking acceptable.",
  ],
  helpUrl: helpLinks.hipaa,
  frameworks: { ...frameworks.minimumNecessary, nist80053: ["SI-12(1)"] },
  reads: [workspaceControl, messengerInstallationControl],
  scope: "phi-workspaces",
  configSchema: phiScopeConfig,
  check: (stack, { config }) =>
    phiWorkspaces(stack, config.everyWorkspace).flatMap((workspace) =>
      stack.instances(messengerInstallationControl, workspace.workspaceId).flatMap((installation): StackViolation[] => {
        const label = phiLabel(workspace);
        const problems: string[] = [];
        if (installation.settings.productTours) problems.push("product tours are on");
        if (installation.settings.trackPageViews) {
          // Excluding paths does not settle it: behavioural profiling stays off in a PHI workspace.
          problems.push(
            (installation.settings.excludedPaths ?? []).length === 0
              ? "page views are tracked on every page, clinical ones included"
              : "page views are tracked (excluded paths do not make page-view tracking acceptable with PHI)",
          );
        }
        return problems.length > 0 ? [{ urn: installation.urn, message: `${label} but ${problems.join(" and ")}.` }] : [];
      }),
    ),
});
