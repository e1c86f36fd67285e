import { z } from "zod";
import { mayOnlyTurnOn } from "../../core/floors";
import { ControlInstance, StackModel } from "../../core/stack-model";
import { workspaceControl, WorkspaceSettings } from "../../resources/workspace";

/**
 * The healthcare policies' one argument: grade every workspace, not only those declaring
 * handlesPhi (the hipaa profile turns it on). Turning it on only widens a SHALL policy's scope, so
 * it may be turned on, never off.
 */
export const phiScopeConfig = z.strictObject({
  everyWorkspace: mayOnlyTurnOn(
    false,
    "Hold every workspace to this safeguard, not only those declaring handlesPhi (PHI reaches workspaces nobody marked).",
  ),
});

/** Declared workspaces whose conversations may carry protected health information, or every one when configured so. */
export function phiWorkspaces(stack: StackModel, everyWorkspace = false): ControlInstance<WorkspaceSettings>[] {
  return stack.instances(workspaceControl).filter((w) => everyWorkspace || w.settings.handlesPhi);
}

/** How a finding names the workspace: a message never says a workspace handles PHI when it did not declare so. */
export function phiLabel(workspace: ControlInstance<WorkspaceSettings>): string {
  const named = `Workspace "${workspace.settings.name}" (${workspace.workspaceId})`;
  return workspace.settings.handlesPhi ? `${named} handles PHI` : `${named} is held to the healthcare safeguards (everyWorkspace)`;
}
