/**
 * `audit --live`: reads what Intercom's REST API exposes of the workspace the access token belongs
 * to (intercom/live.ts) and grades it with the pack, configuration, profiles and exceptions `check`
 * uses, through the same path (`gradeResources`): the live state becomes the resources a program
 * declaring it would register.
 *
 * What the API cannot read is never filled in: every field a reader names unreadable, and every field
 * of a control no reader reads, is sent as Pulumi's unknown value, so a policy that needs it reports
 * "not evaluated" (core/unknowns.ts), and the report lists it with reason "not_readable" ("not
 * readable through the API: declare it"). The run is not a preview (dryRun false): nothing will
 * check those values later, so a SHALL policy that needs one is enforced at its own level and fails
 * the run (exit 1) like a failed one, never passed and never Secure.
 */
import { asOfVariable } from "../core/clock";
import { allControls } from "../resources";
import type { LiveControl } from "../intercom/live-types";
import { LiveWorkspace } from "../intercom/live";
import { CapturedResource, PolicyPackSession } from "./analyzer-client";
import { CheckOptions } from "./check";
import { defaultProject } from "./document-reading";
import { controlResource, DocumentResources, rootStackResource } from "./documents";
import { resourceUrn } from "./preview-engine";
import { gradeResources, PreviewResult } from "./preview";
import { unknownSentinel as unknownValue } from "../core/wire-form";

/** The stack the live workspace is graded (and imported) as: URNs name it. */
export const liveStack = "live";

const controlsByName = new Map(allControls.map((c) => [c.name, c]));

/** A live control's settings with every unreadable field set to the unknown value. */
export function gradedSettings(control: LiveControl): Record<string, unknown> {
  const settings: Record<string, unknown> = { ...control.props };
  for (const field of control.unreadable ?? []) settings[field] = unknownValue;
  return settings;
}

/**
 * The resources a program declaring the live workspace would register (as cli/documents.ts builds a
 * document's): the root stack, the Workspace, then each control, depending on the workspace's id.
 */
export function liveResources(live: LiveWorkspace, project: string = defaultProject, stack: string = liveStack): DocumentResources {
  const root = rootStackResource(project, stack);
  const resources: CapturedResource[] = [root];
  let workspaceUrn: string | undefined;
  const seen = new Set<string>();
  for (const control of live.controls) {
    const definition = controlsByName.get(control.control);
    if (!definition) throw new Error(`a live reader returned an unknown control ${control.control}`);
    const dependsOn = workspaceUrn !== undefined && control.control !== "Workspace" ? [workspaceUrn] : [];
    const resource = controlResource(definition, control.name, gradedSettings(control), dependsOn);
    const urn = resourceUrn(project, stack, resource.type, resource.name);
    if (seen.has(urn)) throw new Error(`two live ${control.control} controls are named ${control.name}`);
    seen.add(urn);
    if (control.control === "Workspace") workspaceUrn = urn;
    resources.push({ ...resource, urn, parent: root.urn, custom: true });
  }
  return { project, stack, resources, secretTexts: [] };
}

/** Launches the pack and grades the live workspace: not a preview, and every unknown value reported as not readable. */
export async function auditLive(live: LiveWorkspace, options: CheckOptions): Promise<PreviewResult> {
  const graded = liveResources(live);
  const session = await PolicyPackSession.launch(options.packDir, {
    env: options.asOf ? { [asOfVariable]: options.asOf } : {},
  });
  try {
    const result = await gradeResources(session, graded.resources, {
      ...options,
      project: graded.project,
      stack: graded.stack,
      dryRun: false,
    });
    return withUnreadableMarked(result);
  } finally {
    await session.close();
  }
}

/**
 * Every unknown value of a live read is one the API does not expose (a live value is never "not known
 * yet"): marked so as data, so every format says "declare it" rather than "known at update".
 */
export function withUnreadableMarked(result: PreviewResult): PreviewResult {
  const report = result.report;
  return {
    ...result,
    report: { ...report, unknownValues: report.unknownValues.map((u) => ({ ...u, reason: "not_readable" as const })) },
  };
}
