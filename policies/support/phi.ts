import { ControlInstance, StackModel } from "../../core/stack-model";
import { workspaceControl, WorkspaceSettings } from "../../resources/workspace";

/** Declared workspaces whose conversations may carry protected health information. */
export function phiWorkspaces(stack: StackModel): ControlInstance<WorkspaceSettings>[] {
  return stack.instances(workspaceControl).filter((w) => w.settings.handlesPhi);
}
