import { execFile } from "child_process";
import {
  configurationSha256,
  frameworkTable,
  GradedResource,
  inputSha256,
  policySetSha256,
  redactTexts,
  RunEvidence,
} from "../report/evidence";
import { reportCatalogOf } from "../report/catalog";
import type { HealthCheckReport } from "../report/model";
import type { PolicyInfo } from "./analyzer-client";

/**
 * The run's evidence (report/evidence.ts), assembled from what the grading saw (the resources as
 * sent, the pack's policies, the configuration it ran with) and how the run was made. Shared by
 * `preview` (and `check`) and `verify`, which recomputes the same hashes.
 */

/** What {@link gradeResources} (cli/preview.ts) hands on for evidence: exactly what the pack graded and ran with. */
export interface GradedEvidence {
  /** The resources as given to grading (before any --remediate fix), wire form. */
  readonly resources: readonly GradedResource[];
  readonly policies: readonly PolicyInfo[];
  /** The configuration the pack ran with, in --policy-pack-config form: every policy's level and arguments, exceptions. */
  readonly configured: Readonly<Record<string, unknown>>;
}

/** How the run was made, known to the command and not to the grading. */
export interface RunCircumstances {
  /** When the command started (ISO, the real clock). */
  readonly ranAt: string;
  /** The injected clock (--as-of, INTERCOM_HEALTH_CHECK_AS_OF), if any. */
  readonly asOf?: string;
  readonly toolName: string;
  readonly toolVersion: string;
  readonly inputKind: RunEvidence["input"]["kind"];
  readonly subject: string;
  readonly profile?: string;
  readonly remediate?: boolean;
  readonly stack?: string;
  readonly git?: RunEvidence["git"];
}

/** The hashes that tie a report to its input, policy set and configuration: what `verify --input` compares. */
export interface EvidenceHashes {
  readonly inputSha256: string;
  readonly resourceCount: number;
  readonly policySetSha256: string;
  readonly configuration: RunEvidence["configuration"];
}

/** Every text redacted with `redact` (the run's secrets): nothing of a secret is hashed or shown. */
export function evidenceHashes(
  graded: GradedEvidence,
  circumstances: Pick<RunCircumstances, "profile" | "remediate">,
  redact: (text: string) => string,
): EvidenceHashes {
  const policyConfig = redactTexts(graded.configured, redact) as Record<string, unknown>;
  const levelOf = (entry: unknown) =>
    entry !== null && typeof entry === "object" ? (entry as Record<string, unknown>)["enforcementLevel"] : entry;
  const levels = Object.fromEntries(
    [...graded.policies]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((p) => {
        const configured = Object.hasOwn(graded.configured, p.name) ? levelOf(graded.configured[p.name]) : undefined;
        return [p.name, typeof configured === "string" ? configured : p.enforcementLevel];
      }),
  );
  const configuration = {
    ...(circumstances.profile !== undefined ? { profile: redact(circumstances.profile) } : {}),
    ...(circumstances.remediate ? { remediate: true } : {}),
    policyConfig,
    levels,
  };
  return {
    inputSha256: inputSha256(graded.resources, redact),
    resourceCount: graded.resources.length,
    policySetSha256: policySetSha256(graded.policies),
    configuration: { ...configuration, sha256: configurationSha256(configuration) },
  };
}

/** The whole evidence of a run, over the report as shown (already redacted). */
export function runEvidence(
  graded: GradedEvidence,
  report: HealthCheckReport,
  pack: { readonly name: string; readonly version: string },
  circumstances: RunCircumstances,
  redact: (text: string) => string,
): RunEvidence {
  const hashes = evidenceHashes(graded, circumstances, redact);
  return {
    ranAt: circumstances.ranAt,
    asOf: circumstances.asOf !== undefined ? new Date(circumstances.asOf).toISOString() : circumstances.ranAt,
    clockInjected: circumstances.asOf !== undefined,
    tool: { name: circumstances.toolName, version: circumstances.toolVersion },
    pack: { name: pack.name, version: pack.version, policySetSha256: hashes.policySetSha256 },
    input: {
      kind: circumstances.inputKind,
      subject: redact(circumstances.subject),
      sha256: hashes.inputSha256,
      resourceCount: hashes.resourceCount,
    },
    configuration: hashes.configuration,
    ...(circumstances.stack !== undefined ? { stack: redact(circumstances.stack) } : {}),
    ...(circumstances.git ? { git: circumstances.git } : {}),
    frameworks: frameworkTable(report, reportCatalogOf(graded.policies)),
  };
}

const gitTimeoutMs = 5_000;

function git(dir: string, args: readonly string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      "git",
      // No fsmonitor hook nor optional lock: reading the state must not run the repository's configuration or write its index.
      ["-c", "core.fsmonitor=false", ...args],
      {
        cwd: dir,
        timeout: gitTimeoutMs,
        maxBuffer: 16 * 1024 * 1024,
        env: { ...process.env, GIT_OPTIONAL_LOCKS: "0", GIT_TERMINAL_PROMPT: "0" },
        windowsHide: true,
      },
      (error, stdout) => resolve(error ? undefined : stdout),
    );
  });
}

/**
 * The commit of the repository the directory is in, whether its work tree has changes, and its
 * origin (credentials removed); undefined when git is not installed, the directory is in no
 * repository (or one without a commit), or git does not answer in time. Never an error.
 */
export async function gitStateOf(dir: string): Promise<RunEvidence["git"] | undefined> {
  const head = (await git(dir, ["rev-parse", "--verify", "HEAD"]))?.trim();
  if (head === undefined || !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(head)) return undefined;
  const status = await git(dir, ["status", "--porcelain"]);
  const origin = (await git(dir, ["config", "--get", "remote.origin.url"]))?.trim();
  const repository = origin ? repositoryUriOf(origin) : undefined;
  // A status git could not give is not a clean tree.
  return { commit: head, dirty: status === undefined || status.trim() !== "", ...(repository !== undefined ? { repository } : {}) };
}

/**
 * A remote as a URI without what identifies a person or grants access: user, password (a token in
 * an https remote), query and fragment dropped; scp-like `host:path` written as ssh://host/path.
 * Undefined for anything else (a local path).
 */
export function repositoryUriOf(remote: string): string | undefined {
  // A one-letter "host" is a Windows drive (C:\repo), as git reads it.
  const scpLike = /^(?:[^@/\s]+@)?([A-Za-z0-9.-]{2,}):(?!\/\/)([^\s\\]+)$/.exec(remote);
  const candidate = scpLike ? `ssh://${scpLike[1]}/${(scpLike[2] as string).replace(/^\/+/, "")}` : remote;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return undefined;
  }
  if (!["https:", "http:", "ssh:", "git:"].includes(url.protocol) || url.hostname === "") return undefined;
  url.username = "";
  url.password = "";
  url.search = "";
  url.hash = "";
  return url.toString();
}
