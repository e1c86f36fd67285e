/**
 * `check <file|dir|->`: grades workspace documents (cli/documents.ts) without Pulumi, with the same
 * pack, configuration, profiles and exceptions as `preview`, through the same path: the documents
 * become the resources the equivalent program would register, and {@link gradeResources} grades
 * them as it grades a program's.
 */
import { PolicyPackSession } from "./analyzer-client";
import { DocumentResources } from "./documents";
import { launchDocumentsPack } from "./preview-pack";
import { gradeResources, GradeOptions, PreviewResult } from "./preview";
import { withDefaultProviders } from "./preview-engine";

export interface CheckOptions extends Omit<GradeOptions, "project" | "stack" | "remediate"> {
  /** The compiled policy pack to run. */
  readonly packDir: string;
}

/**
 * Grades the documents' resources in their project and stack, with the pack `launched` for them
 * (cli/preview-pack.ts `launchDocumentsPack`, which the tool starts while it reads the documents) or one it
 * launches. Closes the pack either way.
 */
export async function check(
  documents: DocumentResources,
  options: CheckOptions,
  launched: Promise<PolicyPackSession> = launchDocumentsPack({
    packDir: options.packDir,
    project: documents.project,
    stack: documents.stack,
    ...(options.asOf ? { asOf: options.asOf } : {}),
    ...(options.organization ? { organization: options.organization } : {}),
  }),
): Promise<PreviewResult> {
  const session = await launched;
  try {
    // With the default provider their program would get (cli/preview-engine.ts), so that both grade the same resources.
    const resources = withDefaultProviders(documents.resources);
    return await gradeResources(session, resources, { ...options, project: documents.project, stack: documents.stack });
  } finally {
    await session.close();
  }
}
