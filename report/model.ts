import type { Accountability, LevelChange } from "../core/exceptions";
import type { ReportPolicy } from "./catalog";
import { HealthCheckItem, healthCheckSections, SectionId } from "../core/health-check";

/**
 * The Health Check as a report: per workspace, the four sections (plus custom actions,
 * healthcare and configuration integrity), each row's status and the findings behind it.
 * Built from the pack's verdicts (diagnostics), never by re-running policies, so it shows
 * exactly what blocked or passed.
 */

/** "Waived": every finding of the row is waived by an unexpired exception; never Secure, never blocking. */
export type ItemStatus = "Secure" | "Needs review" | "Not evaluated" | "Waived" | "Not in use";
/**
 * A workspace's overall status: "Issues found" if anything blocks, needs review or was not
 * evaluated; else "Waived" if any finding is waived; else "Secure".
 */
export type OverallStatus = "Secure" | "Waived" | "Issues found";
export type ReportFindingStatus = "needs_review" | "not_evaluated" | "waived";

/**
 * The exception behind a finding, as configured (core/exceptions.ts): on a waived finding, the one
 * waiving it; on any other, one that covered it and expired, so the report says since when it blocks.
 */
export interface FindingException extends Accountability {
  /** Its position in the policy's `exceptions` list. */
  readonly index: number;
  readonly urn?: string;
  readonly workspace?: string;
  readonly resource?: string;
  /** Set when it expired: the instant (ISO) from which the finding is no longer waived. */
  readonly expiredSince?: string;
}

/** A verdict as the policy pack reported it (an Analyzer diagnostic, reduced). */
export interface Verdict {
  readonly policyName: string;
  /** The policy's own message, without the description the SDK prefixes. */
  readonly message: string;
  readonly enforcementLevel: "advisory" | "mandatory" | "disabled" | "remediate";
  readonly urn: string;
  /**
   * The finding's status, classified from data (cli/preview.ts verdictClassifier: the payload the
   * pack attached, core/finding-payload.ts; a diagnostic without one needs review), never from the
   * message's words. "waived" only with the exception that waives it, and never on a verdict that blocks.
   */
  readonly status: ReportFindingStatus;
  /** The exception waiving it, or one that covered it and expired (see {@link FindingException}). */
  readonly exception?: FindingException;
}

/** A resource the program declared, reduced to what the report needs. */
export interface DeclaredResource {
  readonly urn: string;
  readonly name: string;
  readonly type: string;
  readonly workspaceId: string | undefined;
  /** Present on a Workspace resource. */
  readonly workspace?: { readonly name?: string; readonly securityContactEmail?: string; readonly handlesPhi?: boolean };
  /** A control whose workspaceId is not known until the update: filed under "workspace not known yet". */
  readonly workspaceUnknown?: boolean;
  /** Where the program declared it, relative to the program's directory (cli/user-code-location.ts), when its registration shows it. */
  readonly declaredAt?: { readonly path: string; readonly line: number; readonly column: number };
}

/** Where a control's values are not known until the update: paths, never values. */
export interface UnknownValues {
  readonly urn: string;
  readonly resourceName: string;
  readonly type: string;
  /** Dot paths, cut at a secret path. */
  readonly paths: readonly string[];
  /**
   * Why they are not known: absent, not until the update (a preview); "not_readable", never: `audit --live`
   * read the workspace and Intercom's API does not expose them, so they must be declared to be graded.
   */
  readonly reason?: "not_readable";
}

/** Controls whose workspace is not known until the update: graded on their own settings, apart. */
export interface UnknownWorkspaceReport {
  readonly resources: readonly { readonly urn: string; readonly name: string; readonly type: string }[];
  readonly findings: readonly ReportFinding[];
}

export interface ReportFinding {
  readonly policy: ReportPolicy | undefined;
  readonly policyName: string;
  readonly status: ReportFindingStatus;
  readonly blocking: boolean;
  readonly message: string;
  readonly urn: string;
  readonly resourceName: string | undefined;
  readonly exception?: FindingException;
}

export interface ItemReport {
  readonly item: HealthCheckItem;
  readonly status: ItemStatus;
  readonly findings: readonly ReportFinding[];
  /** The policies that grade this row (enabled ones). */
  readonly policies: readonly ReportPolicy[];
  /** Policies of this row that configuration disabled: the row is not graded on them. */
  readonly disabledPolicies: readonly ReportPolicy[];
}

export interface SectionReport {
  readonly id: SectionId;
  readonly title: string;
  readonly items: readonly ItemReport[];
}

export interface WorkspaceReport {
  readonly workspaceId: string;
  readonly name: string | undefined;
  readonly declared: boolean;
  readonly securityContactEmail: string | undefined;
  readonly handlesPhi: boolean;
  readonly overall: OverallStatus;
  readonly blockingCount: number;
  /** Findings that neither block nor are waived. */
  readonly reviewCount: number;
  readonly waivedCount: number;
  readonly sections: readonly SectionReport[];
}

export interface HealthCheckReport {
  readonly workspaces: readonly WorkspaceReport[];
  /** Controls whose workspaceId is not known yet, and their findings; undefined when there are none. */
  readonly unknownWorkspace?: UnknownWorkspaceReport;
  /** Findings about resources outside any workspace (or policies this tool does not know). */
  readonly other: readonly ReportFinding[];
  readonly blocking: boolean;
  /** Every control value not known until the update (empty when all are known). */
  readonly unknownValues: readonly UnknownValues[];
  /**
   * SHALL policies that could not be evaluated because a value they need is not known until the
   * update, and that would block then: the preview cannot vouch for them.
   */
  readonly blockedByUnknowns: readonly ReportFinding[];
  /** Every policy configuration runs below its default level (off, or advisory instead of mandatory), with its accountability. */
  readonly levelChanges: readonly LevelChange[];
  /** The injected clock (--as-of, INTERCOM_HEALTH_CHECK_AS_OF) expiries and ages were judged by; absent: the real time. */
  readonly asOf?: string;
}

export interface ReportInput {
  /** The policies of the pack that ran (report/catalog.ts): findings of any other policy are filed under "other". */
  readonly policies: readonly ReportPolicy[];
  readonly resources: readonly DeclaredResource[];
  readonly verdicts: readonly Verdict[];
  /** `${urn} ${policyName}` for every resource policy that ran on a resource and applied to it. */
  readonly applied: ReadonlySet<string>;
  /** Policies whose enforcement level is `disabled` in the pack's configuration. */
  readonly disabled?: ReadonlySet<string>;
  /** Control values not known until the update (a preview). */
  readonly unknownValues?: readonly UnknownValues[];
  /** Policies whose effective level blocks (mandatory, remediate); all SHALL policies when absent. */
  readonly blockingPolicies?: ReadonlySet<string>;
  /** Policies running below their default level (core/exceptions.ts levelChangesOf over the effective configuration). */
  readonly levelChanges?: readonly LevelChange[];
  /** Healthcare policies configured to grade every workspace (everyWorkspace), not only those handling PHI. */
  readonly everyWorkspacePolicies?: ReadonlySet<string>;
  /** The injected clock the run was evaluated by, when not the real time. */
  readonly asOf?: string;
}

export function buildReport(input: ReportInput): HealthCheckReport {
  const policiesByName = new Map(input.policies.map((p) => [p.name, p]));
  const disabled = input.disabled ?? new Set<string>();
  const resourcesByUrn = new Map(input.resources.map((r) => [r.urn, r]));

  const findings: ReportFinding[] = input.verdicts
    .filter((v) => v.enforcementLevel !== "disabled")
    .map((v) => {
      const resource = resourcesByUrn.get(v.urn);
      const blocking = v.enforcementLevel === "mandatory" || v.enforcementLevel === "remediate";
      const classified = v.status;
      // Waived only with its exception, and never while it blocks: what blocks is shown as blocking.
      const waived = classified === "waived" && !blocking && v.exception !== undefined && v.exception.expiredSince === undefined;
      return {
        policy: policiesByName.get(v.policyName),
        policyName: v.policyName,
        status: classified === "waived" && !waived ? "needs_review" : classified,
        blocking,
        message: v.message,
        urn: v.urn,
        resourceName: resource?.name,
        ...(v.exception ? { exception: v.exception } : {}),
      };
    });

  const workspaceOf = (urn: string) => resourcesByUrn.get(urn)?.workspaceId;
  const workspaceIds = [
    ...new Set([...input.resources.filter((r) => r.workspace).map((r) => r.workspaceId), ...input.resources.map((r) => r.workspaceId)]),
  ].filter((id): id is string => id !== undefined);

  // Indexed once: a report over 100,000 findings or resources stays linear.
  const resourcesByWorkspace = groupBy(input.resources, (r) => r.workspaceId);
  const findingsByWorkspace = groupBy(
    findings.filter((f) => f.policy !== undefined),
    (f) => workspaceOf(f.urn),
  );
  // Which resource policies applied somewhere in each workspace (policy names have no spaces).
  const appliedByWorkspace = new Map<string | undefined, Set<string>>();
  for (const entry of input.applied) {
    const space = entry.lastIndexOf(" ");
    const workspaceId = workspaceOf(entry.slice(0, space));
    const names = appliedByWorkspace.get(workspaceId) ?? new Set<string>();
    names.add(entry.slice(space + 1));
    appliedByWorkspace.set(workspaceId, names);
  }
  const workspaces = workspaceIds.map((workspaceId) => {
    const workspaceResources = resourcesByWorkspace.get(workspaceId) ?? [];
    const declaration = workspaceResources.find((r) => r.workspace);
    const own = findingsByWorkspace.get(workspaceId) ?? [];
    const handlesPhi = declaration?.workspace?.handlesPhi === true;
    const everyWorkspace = input.everyWorkspacePolicies ?? new Set<string>();
    const sections = healthCheckSections
      .map((section): SectionReport => {
        const items = section.items.map((item): ItemReport => {
          const grading = input.policies.filter((p) => p.items.includes(item.id as never));
          const policies = grading.filter((p) => !disabled.has(p.name));
          const disabledPolicies = grading.filter((p) => disabled.has(p.name));
          const names = new Set(policies.map((p) => p.name));
          const itemFindings = own.filter((f) => names.has(f.policyName));
          // A row whose every policy is disabled was not checked: never shown as Secure.
          const status =
            policies.length === 0 && disabledPolicies.length > 0
              ? "Not evaluated"
              : itemStatus(itemFindings, policies, workspaceResources, appliedByWorkspace.get(workspaceId), handlesPhi, everyWorkspace);
          return { item, policies, disabledPolicies, findings: itemFindings, status };
        });
        return { id: section.id, title: section.title, items };
      })
      .filter((section) => {
        const definition = healthCheckSections.find((s) => s.id === section.id);
        if (!definition?.onlyWhenRelevant) return true;
        const inScope = handlesPhi || section.items.some((i) => i.policies.some((p) => everyWorkspace.has(p.name)));
        return section.items.some((i) => i.findings.length > 0) || (section.id === "healthcare" && inScope);
      });
    const blockingCount = own.filter((f) => f.blocking).length;
    const waivedCount = own.filter((f) => f.status === "waived").length;
    const reviewCount = own.length - blockingCount - waivedCount;
    const rowsClean = sections.every((s) =>
      s.items.every((i) => i.status === "Secure" || i.status === "Not in use" || i.status === "Waived"),
    );
    const overall: OverallStatus = !rowsClean || blockingCount + reviewCount > 0 ? "Issues found" : waivedCount > 0 ? "Waived" : "Secure";
    return {
      workspaceId,
      name: declaration?.workspace?.name,
      declared: declaration !== undefined,
      securityContactEmail: declaration?.workspace?.securityContactEmail,
      handlesPhi,
      overall,
      blockingCount,
      reviewCount,
      waivedCount,
      sections,
    } satisfies WorkspaceReport;
  });

  // Controls whose workspace is not known yet: graded on their own settings, filed apart.
  const unplaced = input.resources.filter((r) => r.workspaceUnknown);
  const isUnplaced = (urn: string) => resourcesByUrn.get(urn)?.workspaceUnknown === true;
  const unknownWorkspace: UnknownWorkspaceReport | undefined =
    unplaced.length > 0
      ? {
          resources: unplaced.map((r) => ({ urn: r.urn, name: r.name, type: r.type })),
          findings: findings.filter((f) => f.policy !== undefined && isUnplaced(f.urn)),
        }
      : undefined;

  // Findings outside any workspace, and findings of policies this report does not know (another
  // pack's): shown apart, never dropped.
  const knownWorkspaces = new Set(workspaceIds);
  const other = findings.filter((f) => {
    const id = workspaceOf(f.urn);
    if (f.policy !== undefined && isUnplaced(f.urn)) return false;
    return f.policy === undefined || id === undefined || !knownWorkspaces.has(id);
  });

  // Not evaluated because of a value not known yet: advisory now (the pack's preview verdict),
  // but a SHALL policy that would block at update cannot be vouched for by the preview. Decided
  // from data, never from a message's words (redaction or program text can change those): a
  // SHALL policy whose configured level blocks reports advisory only when a value it needs is
  // not known yet, so every advisory verdict of one, about a control with unknown values (for a
  // stack policy: while any value is unknown), counts. The schema check is left out: it grades
  // well-formedness, which the update checks in full.
  const unknownValues = input.unknownValues ?? [];
  const withUnknowns = new Set(unknownValues.map((u) => u.urn));
  const blocksAtUpdate = (name: string) => input.blockingPolicies?.has(name) ?? true;
  const blockedByUnknowns = findings.filter((f) => {
    const policy = policiesByName.get(f.policyName);
    if (
      f.blocking ||
      f.status === "waived" ||
      !policy ||
      policy.criticality !== "SHALL" ||
      policy.kind === "schema" ||
      !blocksAtUpdate(f.policyName)
    )
      return false;
    return policy.kind === "stack" ? unknownValues.length > 0 : withUnknowns.has(f.urn);
  });
  return {
    workspaces,
    ...(unknownWorkspace ? { unknownWorkspace } : {}),
    other,
    blocking: findings.some((f) => f.blocking),
    unknownValues,
    blockedByUnknowns,
    levelChanges: input.levelChanges ?? [],
    ...(input.asOf !== undefined ? { asOf: input.asOf } : {}),
  };
}

function groupBy<T, K>(values: readonly T[], keyOf: (value: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const value of values) {
    const key = keyOf(value);
    const group = groups.get(key);
    if (group) group.push(value);
    else groups.set(key, [value]);
  }
  return groups;
}

function itemStatus(
  findings: readonly ReportFinding[],
  policies: readonly ReportPolicy[],
  workspaceResources: readonly DeclaredResource[],
  appliedPolicies: ReadonlySet<string> | undefined,
  handlesPhi: boolean,
  everyWorkspace: ReadonlySet<string>,
): ItemStatus {
  if (findings.some((f) => f.status === "needs_review")) return "Needs review";
  if (findings.some((f) => f.status === "not_evaluated")) return "Not evaluated";
  // Only waived findings are left: graded and failed, accepted for now; never Secure.
  if (findings.length > 0) return "Waived";
  const graded = policies.some((policy) => {
    if (policy.kind === "stack") {
      if (policy.scope === "every-workspace") return true;
      if (policy.scope === "phi-workspaces") return handlesPhi || everyWorkspace.has(policy.name);
      const scope = policy.scope;
      return scope !== undefined && workspaceResources.some((r) => r.type === scope.typeToken);
    }
    if (policy.kind === "schema") return workspaceResources.length > 0;
    return appliedPolicies?.has(policy.name) === true;
  });
  return graded ? "Secure" : "Not in use";
}

/** How a finding reads, from its status and whether it blocks: one decision for every format. */
export type FindingLevel = "Waived" | "Blocking (not evaluated)" | "Not evaluated" | "Blocking" | "Advisory";

export function findingLevel(finding: ReportFinding): FindingLevel {
  if (finding.status === "waived") return "Waived";
  if (finding.status === "not_evaluated") return finding.blocking ? "Blocking (not evaluated)" : "Not evaluated";
  return finding.blocking ? "Blocking" : "Advisory";
}

/** The level as the plain-text formats (text, JUnit) write it. */
export const findingLevelCapitals: Readonly<Record<FindingLevel, string>> = {
  Waived: "WAIVED",
  "Blocking (not evaluated)": "BLOCKING (not evaluated)",
  "Not evaluated": "NOT EVALUATED",
  Blocking: "BLOCKING",
  Advisory: "ADVISORY",
};
