import type { GovernedPolicy } from "../core/exceptions";
import { healthCheckSections, HealthCheckItemId, SectionId } from "../core/health-check";
import type { AnyPolicy, Criticality, FrameworkMappings, Severity } from "../core/policy";
import { frameworkKeys, parsePolicyTags } from "./policy-tags";

/**
 * The policy facts the report reads, taken from the pack the tool launched (its GetAnalyzerInfo),
 * never from the tool's own import of policies/: the report describes the policies that graded
 * the program. This pack carries what CrossGuard has no field for in each policy's tags
 * (core/crossguard.ts tagsOf, kindTagsOf); the rest travels in CrossGuard's own fields.
 */

/** Which workspaces a stack policy grades: every one, those handling PHI, or those declaring a control (its type token). */
export type ReportPolicyScope = "every-workspace" | "phi-workspaces" | { readonly typeToken: string };

/** What the report needs of a policy, and nothing else. A library policy (AnyPolicy) has this shape too. */
export interface ReportPolicy {
  readonly name: string;
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly section: SectionId;
  /** The Health Check rows the policy grades; the first is the row it belongs to. */
  readonly items: readonly HealthCheckItemId[];
  readonly severity: Severity;
  readonly criticality: Criticality;
  readonly remediation: readonly string[];
  readonly helpUrl: string;
  readonly frameworks: FrameworkMappings;
  /** Sent only beside a framework reference (CrossGuard's framework.specification). */
  readonly rationale?: string;
  readonly kind: "resource" | "stack" | "schema";
  /** A stack policy's scope; absent for the other kinds. */
  readonly scope?: ReportPolicyScope;
}

/** A policy as GetAnalyzerInfo describes it (cli/analyzer-client.ts PolicyInfo), as far as the catalog reads it. */
export interface PackPolicyInfo {
  readonly name: string;
  readonly displayName: string;
  readonly description: string;
  readonly enforcementLevel: string;
  readonly policyType: string;
  readonly severity?: string;
  readonly tags: readonly string[];
  readonly remediationSteps: string;
  readonly url: string;
  readonly framework?: { readonly specification: string };
}

const severities: readonly string[] = ["low", "medium", "high", "critical"];
const sectionOfItem = new Map<string, SectionId>(
  healthCheckSections.flatMap((s) => s.items.map((i) => [i.id as string, s.id as SectionId])),
);
const sectionIds = new Set<string>(healthCheckSections.map((s) => s.id));

/**
 * The report's view of one policy the pack described, or undefined when the pack did not describe
 * it as a Health Check policy (a foreign pack's, or tags missing, repeated or naming a section, row,
 * criticality or severity this tool does not know). Never guessed: the report files the findings
 * of a policy it has no entry for under "other", with the policy's name and message.
 */
export function reportPolicyOf(info: PackPolicyInfo): ReportPolicy | undefined {
  // The same reading of the tags as `list` and `explain` (report/policy-tags.ts); a repeated fact states nothing.
  const tags = parsePolicyTags(info.tags);
  const { id, section, criticality, kind, items } = tags;
  const severity = info.severity;
  if (id === undefined || section === undefined || !sectionIds.has(section) || criticality === undefined) return undefined;
  if (severity === undefined || !severities.includes(severity)) return undefined;
  // The first row is the policy's own, in its section; every row must be one the tool knows.
  if (items.length === 0 || sectionOfItem.get(items[0] as string) !== section || !items.every((item) => sectionOfItem.has(item)))
    return undefined;
  const remediation = remediationStepsOf(info.remediationSteps);
  if (remediation === undefined || info.url === "" || info.displayName === "") return undefined;
  const scope = kind === "stack" ? scopeOf(tags.scope) : undefined;
  const kindMatches =
    (kind === "stack" && info.policyType === "stack" && scope !== undefined) ||
    ((kind === "resource" || kind === "schema") &&
      info.policyType === "resource" &&
      tags.scope === undefined &&
      !tags.repeated.includes("scope"));
  if (!kindMatches) return undefined;
  const frameworks: { -readonly [K in keyof FrameworkMappings]: string[] } = {};
  for (const key of frameworkKeys) {
    const refs = tags.frameworks[key];
    if (refs) frameworks[key] = [...refs];
  }
  return {
    name: info.name,
    id,
    title: info.displayName,
    description: info.description,
    section: section as SectionId,
    items: [...items] as HealthCheckItemId[],
    severity: severity as Severity,
    criticality: criticality as Criticality,
    remediation,
    helpUrl: info.url,
    frameworks,
    ...(info.framework !== undefined ? { rationale: info.framework.specification } : {}),
    kind: kind as ReportPolicy["kind"],
    ...(scope !== undefined ? { scope } : {}),
  };
}

/** Every policy of the pack the report can place; the others' findings are reported under "other". */
export function reportCatalogOf(policies: readonly PackPolicyInfo[]): ReportPolicy[] {
  return policies.flatMap((info) => reportPolicyOf(info) ?? []);
}

function scopeOf(value: string | undefined): ReportPolicyScope | undefined {
  if (value === undefined || value === "") return undefined;
  return value === "every-workspace" || value === "phi-workspaces" ? value : { typeToken: value };
}

/**
 * The steps as the pack numbered them ("1. …\n2. …", core/crossguard.ts). A line that does not open
 * with the next number continues the step before it; undefined when there is no first step.
 */
function remediationStepsOf(text: string): string[] | undefined {
  const steps: string[] = [];
  for (const line of text.split("\n")) {
    const opening = `${steps.length + 1}. `;
    if (line.startsWith(opening)) steps.push(line.slice(opening.length));
    else if (steps.length > 0) steps[steps.length - 1] += `\n${line}`;
    else return undefined;
  }
  return steps.length > 0 ? steps : undefined;
}

/**
 * The policies the pack says remediate (a resource policy tagged with the fields it may change):
 * what --remediate sets to Pulumi's `remediate` level.
 */
export function remediatingPolicyNames(catalog: readonly ReportPolicy[], policies: readonly PackPolicyInfo[]): string[] {
  const remediating = new Set(policies.filter((p) => parsePolicyTags(p.tags).remediates.length > 0).map((p) => p.name));
  return catalog.filter((p) => p.kind === "resource" && remediating.has(p.name)).map((p) => p.name);
}

/**
 * What governance (core/exceptions.ts levelChangesOf) needs of each policy, as the pack describes
 * it: its criticality, the level it runs at by default (GetAnalyzerInfo's), and whether its
 * findings may be waived (a schema policy's may not).
 */
export function governedPoliciesOfPack(catalog: readonly ReportPolicy[], policies: readonly PackPolicyInfo[]): GovernedPolicy[] {
  const levels = new Map(policies.map((p) => [p.name, p.enforcementLevel]));
  return catalog.flatMap((policy) => {
    const level = levels.get(policy.name);
    if (level !== "advisory" && level !== "mandatory" && level !== "disabled") return [];
    return [{ name: policy.name, criticality: policy.criticality, defaultLevel: level, waivable: policy.kind !== "schema" }];
  });
}

/**
 * The healthcare policies that may be configured to grade every workspace: a stack policy scoped to
 * PHI workspaces whose arguments (the pack's config schema) include `everyWorkspace`.
 */
export function everyWorkspaceCapable(
  catalog: readonly ReportPolicy[],
  policies: readonly { readonly name: string; readonly configSchema?: { readonly properties: Record<string, unknown> } }[],
): ReportPolicy[] {
  const schemas = new Map(policies.map((p) => [p.name, p.configSchema?.properties ?? {}]));
  return catalog.filter(
    (p) => p.kind === "stack" && p.scope === "phi-workspaces" && Object.hasOwn(schemas.get(p.name) ?? {}, "everyWorkspace"),
  );
}

/** The library's own answer for a policy (for tests comparing it with what the pack sends; the tool itself never reads policies/). */
export function reportPolicyOfLibrary(policy: AnyPolicy): ReportPolicy {
  const frameworks: { -readonly [K in keyof FrameworkMappings]: string[] } = {};
  for (const key of frameworkKeys) {
    const refs = policy.frameworks[key];
    if (refs && refs.length > 0) frameworks[key] = [...refs];
  }
  const hasFramework = Object.keys(frameworks).length > 0;
  return {
    name: policy.name,
    id: policy.id,
    title: policy.title,
    description: policy.description,
    section: policy.section,
    items: [...policy.items],
    severity: policy.severity,
    criticality: policy.criticality,
    remediation: [...policy.remediation],
    helpUrl: policy.helpUrl,
    frameworks,
    ...(hasFramework ? { rationale: policy.rationale } : {}),
    kind: policy.kind,
    ...(policy.kind === "stack" ? { scope: typeof policy.scope === "string" ? policy.scope : { typeToken: policy.scope.typeToken } } : {}),
  };
}
