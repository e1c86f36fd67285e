/**
 * Starting the pack for a preview or a check, apart from cli/preview.ts and cli/check.ts: this module loads only
 * the Analyzer client and the stack's configuration, so the tool can start the pack first and load the rest of
 * what a run needs (the policies, the controls, @pulumi/pulumi) while the pack's process starts.
 */
import { asOfVariable } from "../core/clock";
import { PolicyPackSession } from "./analyzer-client";
import { readProjectIdentity, stackTagsOf } from "./stack-config";
import type { PreviewOptions } from "./preview";

/** What starting the pack takes of a preview's options. */
export type PreviewPackOptions = Pick<
  PreviewOptions,
  "packDir" | "stack" | "asOf" | "config" | "secretConfigKeys" | "objectConfigKeys" | "tags" | "organization"
>;

/**
 * The pack, started for the program's stack as the CLI starts it (environment and ConfigureStack: cli/analyzer-client.ts).
 * Async throughout: a problem with the program's project or tags rejects, to be reported where the caller awaits it.
 */
export async function launchPreviewPack(
  programDir: string,
  options: PreviewPackOptions & { readonly signal?: AbortSignal },
): Promise<PolicyPackSession> {
  const identity = readProjectIdentity(programDir);
  const stack = {
    stack: options.stack,
    project: identity.name,
    organization: options.organization ?? "organization",
    dryRun: true,
    tags: stackTagsOf(identity, options.config ?? {}, options.tags ?? [], options.objectConfigKeys),
    config: options.config ?? {},
    configSecretKeys: options.secretConfigKeys ?? [],
  };
  return PolicyPackSession.launch(options.packDir, {
    env: options.asOf ? { [asOfVariable]: options.asOf } : {},
    stack,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** What starting the pack for a check needs: the documents' project and stack (cli/document-reading.ts). */
export interface DocumentsPackOptions {
  readonly packDir: string;
  readonly project: string;
  readonly stack: string;
  readonly asOf?: string;
  readonly organization?: string;
  /** Aborted when the run fails before it grades: the pack's start is cut short (LaunchOptions.signal). */
  readonly signal?: AbortSignal;
}

/**
 * The pack, started for the documents' stack as `preview` starts one for a program's (the CLI's environment and
 * ConfigureStack): a document carries no stack configuration or tags, so the pack gets none.
 */
export function launchDocumentsPack(options: DocumentsPackOptions): Promise<PolicyPackSession> {
  return PolicyPackSession.launch(options.packDir, {
    env: options.asOf ? { [asOfVariable]: options.asOf } : {},
    stack: { stack: options.stack, project: options.project, organization: options.organization ?? "organization", dryRun: true },
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** A pack started while the run still prepares (cli/main.ts): `cancel` stops it, loaded or still loading, when the run fails first. */
export interface EarlyPack {
  readonly launched: Promise<PolicyPackSession>;
  cancel(): Promise<void>;
}

export function startEarly(launch: (signal: AbortSignal) => Promise<PolicyPackSession>): EarlyPack {
  const stop = new AbortController();
  const launched = launch(stop.signal);
  // Its failure is reported where the run awaits it, not as a rejection nobody handled in the meantime.
  launched.catch(() => undefined);
  return {
    launched,
    cancel: async () => {
      // Not waiting for a pack still loading to report a problem found meanwhile.
      stop.abort();
      await launched.then((session) => session.close()).catch(() => undefined);
    },
  };
}
