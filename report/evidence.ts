import { hiddenPathsOf } from "../core/control";
import { frameworkNames, FrameworkMappings } from "../core/policy";
import { isSecretEnvelope, secretSignature, signatureKey } from "../core/secret-envelope";
import { isUnknownValue } from "../core/unknowns";
import { settingsProps } from "../core/validation";
import { allControls } from "../resources";
import type { ReportPolicy } from "./catalog";
import { canonicalSha256 } from "./digest";
import type { HealthCheckReport, ItemStatus, ReportFindingStatus } from "./model";
import { unknownSentinel } from "../core/wire-form";

/**
 * What an auditor files beside the Health Check: how the run was made (clock, tool, pack, input,
 * configuration, stack, commit) and a framework table, so that the report can be traced back and
 * checked again (`verify`). Every hash is SHA-256, hex, over a canonical JSON form; nothing here
 * is derived from a secret (secret values are replaced before hashing, never hashed).
 */
export interface RunEvidence {
  /** When the run started (ISO instant, the real clock). */
  readonly ranAt: string;
  /** The moment date-based rules were judged at (ISO): the injected clock, or ranAt. */
  readonly asOf: string;
  /** Whether asOf was injected (--as-of, INTERCOM_HEALTH_CHECK_AS_OF). */
  readonly clockInjected: boolean;
  readonly tool: { readonly name: string; readonly version: string };
  /** The pack that graded, and a hash of the policy set it described (GetAnalyzerInfo). */
  readonly pack: { readonly name: string; readonly version: string; readonly policySetSha256: string };
  /** What was graded: a Pulumi program (`preview`) or workspace documents (`check`). */
  readonly input: {
    readonly kind: "program" | "documents" | "live";
    readonly subject: string;
    /** Of the normalised resources graded, secrets replaced by a marker. */
    readonly sha256: string;
    readonly resourceCount: number;
  };
  /** The policy configuration the pack ran with (profile, arguments, exceptions, levels). */
  readonly configuration: {
    readonly profile?: string;
    /** --remediate: the policies that remediate ran at Pulumi's remediate level, and graded the fixed resources. */
    readonly remediate?: boolean;
    readonly sha256: string;
    /** As sent to the pack (profile and file merged) and as its Configure answered; empty: the pack's defaults. */
    readonly policyConfig: Readonly<Record<string, unknown>>;
    /** Every policy's enforcement level in the run: configured, or the pack's default. */
    readonly levels?: Readonly<Record<string, string>>;
  };
  readonly stack?: string;
  /** The program directory's repository: HEAD, whether the work tree had changes, and its origin without credentials. */
  readonly git?: { readonly commit: string; readonly dirty: boolean; readonly repository?: string };
  readonly frameworks: readonly FrameworkRow[];
}

/** The statuses a framework reference can have: the worst of the Health Check rows its policies grade. */
export type FrameworkStatus = "Secure" | "Waived" | "Issues found" | "Not evaluated" | "Not in use";

/** One framework control reference and the policies mapped to it, with their combined status. */
export interface FrameworkRow {
  readonly framework: keyof FrameworkMappings;
  /** The framework's own label, e.g. "SOC 2". */
  readonly frameworkName: string;
  /** The control reference, e.g. "CC6.1". */
  readonly reference: string;
  readonly policies: readonly string[];
  readonly status: FrameworkStatus;
}

/** Pulumi's secret signature without its value: what every secret becomes in the normalised input. */
export const secretMarker: Readonly<Record<string, string>> = Object.freeze({ [signatureKey]: secretSignature });
/** Pulumi's unknown sentinel (on the wire, every unknown is this string): what every unknown becomes. */
export const unknownMarker = unknownSentinel;

/** A resource as the tool sent it to the pack: wire form, secrets in Pulumi's signature form, unknowns as sentinels. */
export interface GradedResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly properties: Record<string, unknown>;
}

/** A resource as hashed for evidence: nothing of a secret left in it. */
export interface NormalisedResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly properties: unknown;
}

const controlsByType = new Map(allControls.map((c) => [c.typeToken, c]));
const maxNormalisedDepth = 64;

/**
 * The resources graded, as hashed for evidence: sorted by URN, each property walked with every
 * secret envelope, every value at a control's secret or sensitive path and every value nested
 * deeper than any control replaced by {@link secretMarker}, every unknown by {@link unknownMarker},
 * and every other text (keys, names, URNs included) redacted against the run's secret texts as the
 * report is. Nothing derived from a secret is hashed: a hash of a short secret would give it away
 * to anyone who tries the candidates. Engine-owned inputs (a dynamic resource's serialized provider) are left out.
 */
export function normalisedInput(resources: readonly GradedResource[], redact: (text: string) => string): NormalisedResource[] {
  const normalised = resources.map((resource) => {
    const definition = controlsByType.get(resource.type);
    const hidden = definition ? hiddenPathsOf(definition).map((p) => p.split(".")) : [];
    const atHiddenPath = (path: readonly (string | number)[]) =>
      hidden.some((parts) => parts.length === path.length && parts.every((part, i) => part === "*" || part === String(path[i])));
    const walk = (value: unknown, path: (string | number)[]): unknown => {
      if (isSecretEnvelope(value)) return secretMarker;
      if (isUnknownValue(value)) return unknownMarker;
      if (value === null || value === undefined) return null;
      if (atHiddenPath(path) || path.length > maxNormalisedDepth) return secretMarker;
      if (typeof value === "string") return redact(value);
      if (typeof value === "number" || typeof value === "boolean")
        return Number.isFinite(value) || typeof value === "boolean" ? value : String(value);
      if (Array.isArray(value)) return value.map((element, i) => walk(element, [...path, i]));
      if (typeof value === "object") {
        const entries = Object.entries(value as Record<string, unknown>).map(
          ([key, element]) => [redact(key), walk(element, [...path, key])] as const,
        );
        return Object.fromEntries(entries);
      }
      return String(typeof value);
    };
    return {
      type: redact(resource.type),
      name: redact(resource.name),
      urn: redact(resource.urn),
      properties: walk(settingsProps(resource.properties), []),
    };
  });
  return normalised.sort((a, b) => compareText(a.urn, b.urn) || compareText(a.type, b.type) || compareText(a.name, b.name));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The SHA-256 of the normalised input (see {@link normalisedInput}). */
export function inputSha256(resources: readonly GradedResource[], redact: (text: string) => string): string {
  return canonicalSha256(normalisedInput(resources, redact));
}

/** A policy as GetAnalyzerInfo describes it, as far as the policy-set hash reads it (cli/analyzer-client.ts PolicyInfo). */
export interface DescribedPolicy {
  readonly name: string;
}

/**
 * The SHA-256 of the policy set the pack described: every policy's every GetAnalyzerInfo field
 * (name, levels, config schema, tags, description, remediation, link, framework), sorted by name.
 * Lists inside a policy keep their order: a tag's order carries meaning (a policy's first row).
 */
export function policySetSha256(policies: readonly DescribedPolicy[]): string {
  return canonicalSha256([...policies].sort((a, b) => compareText(a.name, b.name)));
}

/** The configuration part of the evidence: what the pack ran with, and its hash. */
export interface ConfigurationEvidence {
  readonly profile?: string;
  readonly remediate?: boolean;
  readonly policyConfig: Readonly<Record<string, unknown>>;
  readonly levels?: Readonly<Record<string, string>>;
}

/** The SHA-256 of a run's configuration: profile, --remediate, the per-policy configuration (arguments, exceptions) and every level. */
export function configurationSha256(configuration: ConfigurationEvidence): string {
  return canonicalSha256({
    profile: configuration.profile ?? null,
    remediate: configuration.remediate === true,
    policyConfig: configuration.policyConfig,
    levels: configuration.levels ?? {},
  });
}

/** Every text in a JSON value (keys included) passed through `redact`. */
export function redactTexts(value: unknown, redact: (text: string) => string, depth = 0): unknown {
  if (typeof value === "string") return redact(value);
  if (depth > maxNormalisedDepth) return null;
  if (Array.isArray(value)) return value.map((v) => redactTexts(v, redact, depth + 1));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [redact(key), redactTexts(v, redact, depth + 1)]));
  }
  return value;
}

const statusRank: Record<FrameworkStatus, number> = { "Issues found": 4, "Not evaluated": 3, Waived: 2, Secure: 1, "Not in use": 0 };

function frameworkStatusOfItem(status: ItemStatus): FrameworkStatus {
  return status === "Needs review" ? "Issues found" : status;
}

function frameworkStatusOfFinding(status: ReportFindingStatus): FrameworkStatus {
  return status === "needs_review" ? "Issues found" : status === "not_evaluated" ? "Not evaluated" : "Waived";
}

/** The worst of some statuses: Issues found, Not evaluated, Waived, Secure; Not in use when there are none. */
export function worstFrameworkStatus(statuses: Iterable<FrameworkStatus>): FrameworkStatus {
  let worst: FrameworkStatus = "Not in use";
  for (const status of statuses) if (statusRank[status] > statusRank[worst]) worst = status;
  return worst;
}

/**
 * The framework table: for every framework (frameworkNames, core/policy.ts) and every control
 * reference a policy of the catalog maps to it, the policies mapped to it and the worst status of
 * the Health Check rows those policies grade, in every workspace. Fails closed: a finding of a
 * mapped policy outside any workspace row (workspace not known yet, elsewhere) counts too, and a
 * mapped policy configuration disabled makes the reference at least Not evaluated. Not in use when
 * no row a mapped policy grades is in use.
 */
export function frameworkTable(report: HealthCheckReport, catalog: readonly ReportPolicy[]): FrameworkRow[] {
  const rows: FrameworkRow[] = [];
  const disabled = new Set(report.levelChanges.filter((c) => c.level === "disabled").map((c) => c.policy));
  const looseFindings = [...(report.unknownWorkspace?.findings ?? []), ...report.other, ...report.blockedByUnknowns];
  // What each row raises, worked out once for every framework: its status and the policies grading it, then those disabled.
  const raisedByItems = report.workspaces.flatMap((w) =>
    w.sections.flatMap((s) =>
      s.items.flatMap((item) => {
        const disabledNames = item.disabledPolicies.map((p) => p.name);
        const raised: Array<{ names: readonly string[]; status: FrameworkStatus }> = [];
        if (item.status !== "Not in use") {
          raised.push({ names: [...item.policies.map((p) => p.name), ...disabledNames], status: frameworkStatusOfItem(item.status) });
        }
        if (disabledNames.length > 0) raised.push({ names: disabledNames, status: "Not evaluated" });
        return raised;
      }),
    ),
  );
  for (const framework of Object.keys(frameworkNames) as (keyof typeof frameworkNames)[]) {
    const references = new Map<string, Set<string>>();
    for (const policy of catalog) {
      const refs = (policy.frameworks as Readonly<Record<string, readonly string[] | undefined>>)[framework] ?? [];
      for (const reference of refs) {
        const names = references.get(reference) ?? new Set<string>();
        names.add(policy.name);
        references.set(reference, names);
      }
    }
    // Each row, item and finding is visited once and raises the worst status of the references its
    // policies map to (the worst of a list does not depend on its order), not once per reference.
    const referencesOf = new Map<string, string[]>();
    for (const [reference, names] of references) for (const name of names) listOf(referencesOf, name).push(reference);
    const worst = new Map<string, FrameworkStatus>();
    const raise = (policyNames: Iterable<string>, status: FrameworkStatus): void => {
      for (const name of policyNames) {
        for (const reference of referencesOf.get(name) ?? []) {
          const current = worst.get(reference) ?? "Not in use";
          if (statusRank[status] > statusRank[current]) worst.set(reference, status);
        }
      }
    };
    for (const { names, status } of raisedByItems) raise(names, status);
    for (const finding of looseFindings) raise([finding.policyName], frameworkStatusOfFinding(finding.status));
    raise(disabled, "Not evaluated");
    for (const reference of [...references.keys()].sort(compareReferences)) {
      const names = references.get(reference) as Set<string>;
      rows.push({
        framework,
        frameworkName: frameworkNames[framework],
        reference,
        policies: [...names].sort(compareText),
        status: worst.get(reference) ?? "Not in use",
      });
    }
  }
  return rows;
}

function listOf<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

/** References in reading order: "CC6.1" before "CC6.10", "164.308(a)(1)" before "164.312(a)(1)". */
function compareReferences(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true }) || compareText(a, b);
}
