import * as fs from "fs";
import * as path from "path";
import { asOfVariable } from "../core/clock";
import { escapeForDisplay } from "../core/display";
import { isValidIsoDate } from "../core/fields";
import { secretRedactor } from "../core/redaction";
import { canonicalJson } from "../report/digest";
import { configurationSha256, RunEvidence } from "../report/evidence";
import { jsonReport, JsonReport, reportDigest } from "../report/json";
import { redactReport } from "../report/redact";
import { InputError, UsageError } from "./errors";
import { GradedEvidence, runEvidence, RunCircumstances } from "./evidence";
import { checkPackDir } from "./pack-dir";
import { resolvePolicyConfig } from "./policy-config";
import { check } from "./check";
import { readDocumentSources } from "./document-reading";
import { documentResources } from "./documents";
import { preview, PreviewResult } from "./preview";
import { readStackConfiguration } from "./stack-config";

/**
 * `verify <report.json>`: whether a --json report is the one the tool wrote, and, given the input
 * again, whether grading it again gives the same report. Without the input: the digest over the
 * whole document, the recorded configuration against its hash, and the report's own arithmetic
 * (the verdict, counts and row statuses against its findings), so that an edit names what it
 * broke. The digest is not a signature: whoever edits the report can recompute it; the re-run
 * (`--input`) is what ties a report to its input. With the input: the program is graded again with
 * the recorded configuration, stack and clock (or the options given), and the input, policy-set
 * and configuration hashes, the row statuses and every finding are compared.
 */

/** One thing that does not match; `subject` names it, the texts are already shown-safe where they quote the report. */
export interface VerifyDifference {
  readonly check: "digest" | "consistency" | "evidence" | "finding" | "row" | "pack";
  readonly message: string;
}

/** The report file as JSON; refused (exit 2) when it is not a JSON object of this tool. */
export function readReportDocument(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    const reason = error instanceof Error && "code" in error ? String((error as NodeJS.ErrnoException).code) : "read failed";
    throw new UsageError(`${file}: cannot read the report (${reason})`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new InputError(`${file} is not JSON: verify reads the report written by --format json`);
  }
  // JSON.parse keeps a repeated key's last value, and the digest is over what it keeps; a reader
  // keeping the first would see another report that verifies just the same.
  if (repeatsAKey(text)) {
    throw new InputError(
      `${file} has an object with the same key twice: readers disagree on which value counts, so it is not a report the tool wrote`,
    );
  }
  if (
    document === null ||
    typeof document !== "object" ||
    Array.isArray(document) ||
    typeof (document as Record<string, unknown>)["schemaVersion"] !== "string"
  ) {
    throw new InputError(`${file} is not a Health Check report (no schemaVersion): verify reads the report written by --format json`);
  }
  // A number beyond JSON's range (1e400) parses as Infinity, which the digest cannot be taken over: refused, not a crash.
  if (holdsNonFiniteNumber(document)) {
    throw new InputError(`${file} holds a number too large for JSON, which the tool never writes: it is not a report the tool wrote`);
  }
  return document as Record<string, unknown>;
}

/** Whether an object of a text JSON.parse accepted names a key twice (compared as JSON.parse reads keys, escapes decoded). */
function holdsNonFiniteNumber(value: unknown): boolean {
  if (typeof value === "number") return !Number.isFinite(value);
  if (value !== null && typeof value === "object") return Object.values(value).some(holdsNonFiniteNumber);
  return false;
}

function repeatsAKey(text: string): boolean {
  // One entry per open object (its keys so far) or array (null); a string is a key when it opens an object's member.
  const open: (Set<string> | null)[] = [];
  let atKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      const keys = open[open.length - 1];
      if (atKey && keys) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (keys.has(key)) return true;
        keys.add(key);
        atKey = false;
      }
      i = end;
    } else if (c === "{") {
      open.push(new Set());
      atKey = true;
    } else if (c === "[") {
      open.push(null);
      atKey = false;
    } else if (c === "}" || c === "]") {
      open.pop();
    } else if (c === ",") {
      atKey = open.length > 0 && open[open.length - 1] !== null;
    }
  }
  return false;
}

type JsonFinding = JsonReport["other"][number];

/** Every finding of a document with where it was filed: a workspace row, the unknown workspace, elsewhere, or blocked by unknowns. */
export function locatedFindings(document: JsonReport): { where: string; finding: JsonFinding }[] {
  return [
    ...document.workspaces.flatMap((w) =>
      w.sections.flatMap((s) =>
        s.items.flatMap((i) => i.findings.map((finding) => ({ where: `workspace ${w.workspaceId} row ${i.id}`, finding }))),
      ),
    ),
    ...(document.unknownWorkspace?.findings ?? []).map((finding) => ({ where: "workspace not known yet", finding })),
    ...document.other.map((finding) => ({ where: "other findings", finding })),
    ...document.blockedByUnknowns.map((finding) => ({ where: "not vouched for (unknown values)", finding })),
  ];
}

function describeFinding(where: string, f: JsonFinding): string {
  const resource = f.resource !== undefined ? ` [${f.resource}]` : "";
  return `${where}: ${f.policy}${resource} on ${f.urn} (${f.status}${f.blocking ? ", blocking" : ""})`;
}

/** The row status a row's findings give (report/model.ts itemStatus); undefined when it has none (Secure, Not in use, or disabled). */
function statusOfFindings(findings: readonly JsonFinding[]): string | undefined {
  if (findings.some((f) => f.status === "needs_review")) return "Needs review";
  if (findings.some((f) => f.status === "not_evaluated")) return "Not evaluated";
  return findings.length > 0 ? "Waived" : undefined;
}

/**
 * What can be checked without the input: the digest, the recorded configuration's hash, and the
 * report's arithmetic. Each difference says what does not match.
 */
export function integrityDifferences(document: Record<string, unknown>): VerifyDifference[] {
  const differences: VerifyDifference[] = [];
  const digest = document["digest"] as { algorithm?: unknown; value?: unknown } | undefined;
  if (digest === undefined || digest === null || typeof digest !== "object") {
    differences.push({ check: "digest", message: "the report has no digest (written by a tool before report schema 1.1.0, or removed)" });
  } else if (digest.algorithm !== "sha256") {
    differences.push({ check: "digest", message: `the digest's algorithm is not sha256` });
  } else {
    const recomputed = reportDigest(document).value;
    if (digest.value !== recomputed) {
      differences.push({
        check: "digest",
        message: `the digest does not match the document: recorded ${shownValue(digest.value)}, recomputed ${recomputed}; the report was changed after it was written`,
      });
    }
  }
  const report = document as unknown as JsonReport;
  try {
    differences.push(...consistencyDifferences(report));
  } catch {
    differences.push({ check: "consistency", message: "the report does not have the shape of a Health Check report" });
  }
  return differences;
}

function consistencyDifferences(report: JsonReport): VerifyDifference[] {
  const differences: VerifyDifference[] = [];
  const evidence = report.evidence;
  if (evidence) {
    const recomputed = configurationSha256(evidence.configuration);
    if (evidence.configuration.sha256 !== recomputed) {
      differences.push({
        check: "evidence",
        message: `evidence.configuration.sha256 ${shownValue(evidence.configuration.sha256)} is not the hash of the recorded configuration (${recomputed})`,
      });
    }
  }
  const located = locatedFindings(report);
  const anyBlocking = located.some(({ finding }) => finding.blocking);
  if (report.blocking !== anyBlocking) {
    differences.push({
      check: "consistency",
      message: `the report says blocking: ${String(report.blocking)}, but ${anyBlocking ? "a finding blocks" : "no finding blocks"}`,
    });
  }
  for (const { where, finding } of located) {
    if (finding.status === "waived" && (finding.blocking || finding.exception === undefined || finding.exception.expired)) {
      differences.push({
        check: "consistency",
        message: `${describeFinding(where, finding)}: waived, but ${finding.blocking ? "it blocks" : "no unexpired exception waives it"}`,
      });
    }
  }
  for (const workspace of report.workspaces) {
    const unique = new Map<string, JsonFinding>();
    for (const section of workspace.sections) {
      for (const item of section.items) {
        const expected = statusOfFindings(item.findings);
        const allowed =
          expected !== undefined
            ? [expected]
            : item.policies.length === 0 && item.disabledPolicies.length > 0
              ? ["Not evaluated"]
              : ["Secure", "Not in use"];
        if (!allowed.includes(item.status)) {
          differences.push({
            check: "consistency",
            message: `workspace ${workspace.workspaceId} row ${item.id}: status ${item.status}, but its findings make it ${allowed.join(" or ")}`,
          });
        }
        for (const f of item.findings) unique.set(canonicalJson([f.policy, f.urn, f.message]), f);
      }
    }
    const findings = [...unique.values()];
    const blockingCount = findings.filter((f) => f.blocking).length;
    const waivedCount = findings.filter((f) => f.status === "waived").length;
    const reviewCount = findings.length - blockingCount - waivedCount;
    const counts = { blockingCount, reviewCount, waivedCount };
    for (const [name, count] of Object.entries(counts)) {
      const recorded = workspace[name as keyof typeof counts];
      if (recorded !== count)
        differences.push({
          check: "consistency",
          message: `workspace ${workspace.workspaceId}: ${name} ${String(recorded)}, but its findings count ${count}`,
        });
    }
    const rowsClean = workspace.sections.every((s) =>
      s.items.every((i) => i.status === "Secure" || i.status === "Not in use" || i.status === "Waived"),
    );
    const overall = !rowsClean || blockingCount + reviewCount > 0 ? "Issues found" : waivedCount > 0 ? "Waived" : "Secure";
    if (workspace.overall !== overall)
      differences.push({
        check: "consistency",
        message: `workspace ${workspace.workspaceId}: overall ${workspace.overall}, but its rows make it ${overall}`,
      });
  }
  return differences;
}

/** A recorded value quoted in a message: a short string as given (escaped when printed), anything else by its type. */
function shownValue(value: unknown): string {
  return typeof value === "string" && value.length <= 128 ? value : `a ${typeof value}`;
}

/** Differences between the report as recorded and as the re-run wrote it: hashes, pack, row statuses, findings. */
export function regradeDifferences(recorded: JsonReport, recomputed: JsonReport): VerifyDifference[] {
  const differences: VerifyDifference[] = [];
  const before = recorded.evidence;
  const after = recomputed.evidence;
  if (before && after) {
    const hashes: [string, string, string][] = [
      ["input", before.input.sha256, after.input.sha256],
      ["policy set", before.pack.policySetSha256, after.pack.policySetSha256],
      ["configuration", before.configuration.sha256, after.configuration.sha256],
    ];
    for (const [what, was, now] of hashes) {
      if (was !== now)
        differences.push({ check: "evidence", message: `the ${what} hash differs: recorded ${shownValue(was)}, recomputed ${now}` });
    }
    if (before.input.resourceCount !== after.input.resourceCount) {
      differences.push({
        check: "evidence",
        message: `the input has ${after.input.resourceCount} resources, the report recorded ${String(before.input.resourceCount)}`,
      });
    }
  }
  if (recorded.pack.name !== recomputed.pack.name || recorded.pack.version !== recomputed.pack.version) {
    differences.push({
      check: "pack",
      message: `graded by pack ${recomputed.pack.name} ${recomputed.pack.version}, the report recorded ${shownValue(recorded.pack.name)} ${shownValue(recorded.pack.version)}`,
    });
  }
  if (recorded.blocking !== recomputed.blocking) {
    differences.push({
      check: "consistency",
      message: `the report says blocking: ${String(recorded.blocking)}, the re-run ${String(recomputed.blocking)}`,
    });
  }
  const rows = (document: JsonReport) =>
    new Map(
      document.workspaces.flatMap((w) =>
        w.sections.flatMap((s) => s.items.map((i) => [`workspace ${w.workspaceId} row ${i.id}`, i.status] as const)),
      ),
    );
  const recordedRows = rows(recorded);
  const recomputedRows = rows(recomputed);
  for (const key of new Set([...recordedRows.keys(), ...recomputedRows.keys()])) {
    const was = recordedRows.get(key);
    const now = recomputedRows.get(key);
    if (was !== now) differences.push({ check: "row", message: `${key}: recorded ${was ?? "absent"}, re-run ${now ?? "absent"}` });
  }
  const keyed = (document: JsonReport) => {
    const counts = new Map<string, { text: string; count: number }>();
    for (const { where, finding } of locatedFindings(document)) {
      const key = canonicalJson({ where, finding: JSON.parse(JSON.stringify(finding)) as unknown });
      const entry = counts.get(key) ?? { text: describeFinding(where, finding), count: 0 };
      entry.count++;
      counts.set(key, entry);
    }
    return counts;
  };
  const recordedFindings = keyed(recorded);
  const recomputedFindings = keyed(recomputed);
  for (const [key, { text, count }] of recordedFindings) {
    const missing = count - (recomputedFindings.get(key)?.count ?? 0);
    if (missing > 0) differences.push({ check: "finding", message: `recorded, not found again: ${text}` });
  }
  for (const [key, { text, count }] of recomputedFindings) {
    const added = count - (recordedFindings.get(key)?.count ?? 0);
    if (added > 0) differences.push({ check: "finding", message: `found again, not as recorded: ${text}` });
  }
  // Every other field too (a framework row's status, a security contact, an accountability): the
  // checks above name what they compare, and an edit elsewhere must not pass for a re-run's match.
  if (differences.length === 0) {
    const changed = differingPaths(withoutCircumstances(recorded), withoutCircumstances(recomputed));
    if (changed.length > 0) {
      const shown = changed.slice(0, 5).join(", ");
      differences.push({
        check: "consistency",
        message: `the re-run differs in ${changed.length} other field(s): ${shown}${changed.length > 5 ? ", ..." : ""}`,
      });
    }
  }
  return differences;
}

/** A --json document without when, what and where its run read (and the digest, and the schema that wrote it), which a faithful re-run may differ in. */
function withoutCircumstances(document: JsonReport): unknown {
  const { digest: _digest, schemaVersion: _schemaVersion, evidence, asOf, ...rest } = JSON.parse(JSON.stringify(document)) as JsonReport;
  // The moment judged at, as an instant: a re-run is given the recorded evidence's instant for a date given as --as-of, or for a clock not injected.
  const instant = asOf !== undefined && !Number.isNaN(Date.parse(asOf)) ? new Date(asOf).toISOString() : asOf;
  const judgedAt = instant ?? evidence?.asOf;
  if (!evidence) return { ...rest, judgedAt };
  const { ranAt: _ranAt, clockInjected: _clockInjected, tool: _tool, git: _git, input, ...graded } = evidence;
  const { subject: _subject, ...inputGraded } = input;
  return { ...rest, judgedAt, evidence: { ...graded, input: inputGraded } };
}

/** The JSON paths at which two JSON values differ (leaves, or where one has what the other lacks). */
function differingPaths(a: unknown, b: unknown, at = "$"): string[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => differingPaths(a[i], b[i], `${at}[${i}]`)).flat();
  }
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap((key) => differingPaths(a[key], b[key], `${at}.${key}`));
  }
  return canonicalJson(a ?? null) === canonicalJson(b ?? null) && (a === undefined) === (b === undefined) ? [] : [at];
}

/** The options of `verify` that say how to grade the input again; absent ones are taken from the recorded evidence. */
export interface VerifyCommandOptions {
  input?: string;
  policyPack: string;
  policyPackConfig?: string;
  profile?: string;
  stack?: string;
  config: string[];
  configFile?: string;
  secret: string[];
  secretEnv: string[];
  asOf?: string;
  json?: boolean;
}

/** What the tool knows of itself, for the re-run's evidence. */
export interface ToolIdentity {
  readonly toolName: string;
  readonly toolVersion: string;
}

/** A re-run of the grading on the input again: the document it writes, and the secret texts its output must not show. */
export interface Regraded {
  readonly document: JsonReport;
  readonly secretTexts: readonly string[];
}

/**
 * How to grade an input of each kind again. `check` (workspace documents, cli/check.ts) plugs in
 * here: a function reading the documents at `options.input` and grading them with
 * gradeResources, as {@link regradeProgram} does for a program.
 */
export const regraders: Partial<
  Record<RunEvidence["input"]["kind"], (recorded: JsonReport, options: VerifyCommandOptions, tool: ToolIdentity) => Promise<Regraded>>
> = {
  program: regradeProgram,
  documents: regradeDocuments,
};

/**
 * Runs the program again as `preview` did: the recorded stack, clock (so date-based rules judge
 * as they did) and configuration (the profile and per-policy configuration the pack ran with),
 * each overridden by the option given.
 */
export async function regradeProgram(recorded: JsonReport, options: VerifyCommandOptions, tool: ToolIdentity): Promise<Regraded> {
  const programDir = path.resolve(options.input as string);
  if (!fs.existsSync(programDir) || !fs.statSync(programDir).isDirectory())
    throw new UsageError(`--input ${options.input as string} is not a directory`);
  const evidence = recorded.evidence;
  const { asOf, profile, remediate, policyConfig, packDir } = recordedSettings(recorded, options);
  const stack = options.stack ?? evidence?.stack ?? "dev";
  if (!/^[A-Za-z0-9_.-]+$/.test(stack)) throw new UsageError(`--stack must be a stack name, got "${stack}"`);
  const stackConfig = readStackConfiguration(programDir, {
    stack,
    ...(options.configFile !== undefined ? { configFile: options.configFile } : {}),
    config: options.config,
    secrets: options.secret,
    secretEnv: options.secretEnv,
  });
  const ranAt = new Date().toISOString();
  const result = await preview(programDir, {
    ...(asOf ? { asOf } : {}),
    packDir,
    stack,
    ...(policyConfig ? { policyConfig } : {}),
    ...(remediate ? { remediate: true } : {}),
    config: stackConfig.config,
    secretConfigKeys: stackConfig.secretKeys,
  });
  const circumstances: RunCircumstances = {
    ranAt,
    ...(asOf ? { asOf } : {}),
    ...tool,
    inputKind: "program",
    subject: options.input as string,
    ...(profile !== undefined ? { profile } : {}),
    ...(remediate ? { remediate: true } : {}),
    stack,
  };
  return { document: regradedDocument(result, recorded, circumstances, stackConfig.secretTexts), secretTexts: stackConfig.secretTexts };
}

/** How a run is repeated: the recorded clock, profile, remediate flag and configuration, each overridden by the option given. */
function recordedSettings(recorded: JsonReport, options: VerifyCommandOptions) {
  const evidence = recorded.evidence;
  const asOf = options.asOf ?? evidence?.asOf ?? (process.env[asOfVariable] || undefined);
  if (asOf !== undefined && !isValidIsoDate(asOf)) throw new UsageError(`--as-of ${asOf} is not an ISO 8601 date (e.g. 2026-11-21)`);
  const profile = options.profile ?? evidence?.configuration.profile;
  const remediate = evidence?.configuration.remediate === true;
  // The configuration given again, or else exactly the one the pack ran with (levels, arguments, exceptions).
  const policyConfig =
    options.policyPackConfig !== undefined || options.profile !== undefined
      ? resolvePolicyConfig({
          ...(options.policyPackConfig !== undefined ? { file: options.policyPackConfig } : {}),
          ...(profile !== undefined ? { profile } : {}),
          ...(remediate ? { remediate: true } : {}),
          now: asOf ? new Date(asOf) : new Date(),
        })
      : evidence && Object.keys(evidence.configuration.policyConfig).length > 0
        ? { ...evidence.configuration.policyConfig }
        : undefined;
  const packDir = checkPackDir(options.policyPack);
  return { asOf, profile, remediate, policyConfig, packDir };
}

/**
 * Grades workspace documents again as `check` did (cli/check.ts): the documents at --input (a
 * file, a directory, or - for standard input), the recorded clock and configuration.
 */
export async function regradeDocuments(recorded: JsonReport, options: VerifyCommandOptions, tool: ToolIdentity): Promise<Regraded> {
  const { asOf, profile, policyConfig, packDir } = recordedSettings(recorded, options);
  const documents = documentResources(readDocumentSources(options.input as string));
  const ranAt = new Date().toISOString();
  const result = await check(documents, { ...(asOf ? { asOf } : {}), packDir, ...(policyConfig ? { policyConfig } : {}) });
  const circumstances: RunCircumstances = {
    ranAt,
    ...(asOf ? { asOf } : {}),
    ...tool,
    inputKind: "documents",
    subject: options.input as string,
    ...(profile !== undefined ? { profile } : {}),
    stack: documents.stack,
  };
  return { document: regradedDocument(result, recorded, circumstances, documents.secretTexts), secretTexts: documents.secretTexts };
}

/** The --json document a re-run writes, redacted as `preview` redacts it (cli/main.ts emitGradedReport). */
export function regradedDocument(
  result: PreviewResult,
  recorded: JsonReport,
  circumstances: RunCircumstances,
  secretTexts: readonly string[],
): JsonReport {
  const redact = secretRedactor([...result.secrets, ...secretTexts]);
  const report = redactReport(result.report, redact);
  const graded: GradedEvidence | undefined = result.graded;
  return jsonReport(report, {
    pack: { name: result.packName, version: result.packVersion },
    allowUnknown: recorded.allowUnknown,
    ...(graded
      ? { evidence: runEvidence(graded, report, { name: result.packName, version: result.packVersion }, circumstances, redact) }
      : {}),
  });
}

/** Verifies a report file; returns the differences (none: intact, and the same on the input when given). */
export async function verifyReport(
  file: string,
  options: VerifyCommandOptions,
  tool: ToolIdentity,
): Promise<{ differences: VerifyDifference[]; secretTexts: readonly string[]; regraded: boolean }> {
  const document = readReportDocument(file);
  const differences = integrityDifferences(document);
  if (options.input === undefined) return { differences, secretTexts: [], regraded: false };
  const recorded = document as unknown as JsonReport;
  const kind = recorded.evidence?.input.kind ?? "program";
  const regrade = regraders[kind];
  if (!regrade) throw new UsageError(`verify --input cannot grade ${kind} input again yet`);
  const regraded = await regrade(recorded, options, tool);
  return {
    differences: [...differences, ...regradeDifferences(recorded, regraded.document)],
    secretTexts: regraded.secretTexts,
    regraded: true,
  };
}

/** The verdict as text: each difference on its own line, escaped (a report's text is not trusted). */
export function renderVerifyText(file: string, differences: readonly VerifyDifference[], regraded: boolean): string {
  if (differences.length === 0) {
    const what = regraded
      ? "its digest, its arithmetic, and a re-run on the input (hashes, rows and findings) all match"
      : "its digest and its arithmetic match (pass --input to grade the input again)";
    return `Verified ${escapeForDisplay(file)}: ${what}.\n`;
  }
  return `Verification failed for ${escapeForDisplay(file)}: ${differences.length} difference(s)\n${differences.map((d) => `  ${d.check}: ${escapeForDisplay(d.message)}`).join("\n")}\n`;
}
