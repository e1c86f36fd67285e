import { defineStackPolicy, StackViolation } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { workspaceControl } from "../../resources/workspace";
import { frameworks } from "../support/frameworks";

export const workspaceDeclared = defineStackPolicy({
  name: "intercom-control-workspace-declared",
  id: "IHC.CFG.02",
  title: "Controls belong to a declared workspace",
  description: "Every control's workspaceId names a Workspace declared in the same stack.",
  items: ["config.workspace"],
  severity: "critical",
  criticality: "SHALL",
  rationale:
    "A control for an undeclared workspace is usually a typo in the APP_ID: the setting lands nowhere, and the real workspace is graded on Intercom's defaults instead.",
  remediation: ["Declare the Workspace, or correct the control's workspaceId (pass workspace.workspaceId rather than a string)."],
  helpUrl: helpLinks.healthCheck,
  frameworks: { ...frameworks.configurationManagement, nist80053: ["CM-6"] },
  reads: [workspaceControl],
  scope: "every-workspace",
  check: (stack) => {
    const declared = new Set([
      ...stack.instances(workspaceControl).map((w) => w.workspaceId),
      ...stack.invalidInstances(workspaceControl).flatMap((w) => (w.workspaceId ? [w.workspaceId] : [])),
    ]);
    return stack.valid
      .filter((control) => control.definition !== workspaceControl && !declared.has(control.workspaceId))
      .map((control): StackViolation => ({
        urn: control.urn,
        message: `${control.definition.name} "${control.name}" belongs to workspace ${control.workspaceId}, which is not declared as a Workspace.`,
      }));
  },
});
