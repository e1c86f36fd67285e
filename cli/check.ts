/**
 * `check <file|dir|->`: grades workspace documents (cli/documents.ts) without Pulumi, with the same
 * pack, configuration, profiles and exceptions as `preview`, through the same path: the documents
 * become the resources the equivalent program would register, and {@link gradeResources} grades
 * them as it grades a program's.
 */
import { asOfVariable } from "../core/clock";
import { PolicyPackSession } from "./analyzer-client";
import { DocumentResources } from "./documents";
import { gradeResources, GradeOptions, PreviewResult } from "./preview";
import { withDefaultProviders } from "./preview-engine";

export interface CheckOptions extends Omit<GradeOptions, "project" | "stack" | "remediate"> {
  /** The compiled policy pack to run. */
  readonly packDir: string;
}

/** Launches the pack and grades the documents' resources in their project and stack. */
export async function check(documents: DocumentResources, options: CheckOptions): Promise<PreviewResult> {
  // Started for the documents' stack as `preview` starts a pack for a program's (the CLI's environment and
  // ConfigureStack): a document carries no stack configuration or tags, so the pack gets none.
  const session = await PolicyPackSession.launch(options.packDir, {
    env: options.asOf ? { [asOfVariable]: options.asOf } : {},
    stack: { stack: documents.stack, project: documents.project, organization: options.organization ?? "organization", dryRun: true },
  });
  try {
    // With the default provider their program would get (cli/preview-engine.ts), so that both grade the same resources.
    const resources = withDefaultProviders(documents.resources);
    return await gradeResources(session, resources, { ...options, project: documents.project, stack: documents.stack });
  } finally {
    await session.close();
  }
}
