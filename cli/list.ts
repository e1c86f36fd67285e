/**
 * `list`: the launched pack's policies, one line each, filterable. Every fact comes from the pack
 * (cli/policy-facts.ts); every text from it is escaped before it is printed.
 */
import { escapeForDisplay, escapeJsonForDisplay } from "../core/display";
import { healthCheckSections } from "../core/health-check";
import { UsageError } from "./errors";
import { criticalities, enforcementLevels, frameworkKeys, PackFacts, PolicyFacts, severities } from "./policy-facts";

/** Each filter: the policy's value must be one of those given (several values of one filter: any of them; several filters: all). */
export interface ListFilter {
  readonly section?: readonly string[];
  readonly severity?: readonly string[];
  readonly criticality?: readonly string[];
  readonly framework?: readonly string[];
  readonly enforcement?: readonly string[];
}

export type FilterName = keyof ListFilter;
export const filterNames: readonly FilterName[] = ["section", "severity", "criticality", "framework", "enforcement"];

/** The values each filter accepts: fixed vocabularies, and for sections the Health Check's and any the pack names. */
export function allowedFilterValues(pack: PackFacts): Record<FilterName, readonly string[]> {
  const sections = new Set<string>(healthCheckSections.map((s) => s.id));
  for (const policy of pack.policies) if (policy.section !== undefined) sections.add(policy.section);
  return {
    section: [...sections],
    severity: severities,
    criticality: criticalities,
    framework: frameworkKeys,
    enforcement: enforcementLevels,
  };
}

/**
 * The filter with each value in its canonical spelling (matched case-insensitively: `shall`,
 * `PCIDSS`); an unknown value is a usage error that lists the allowed ones.
 */
export function resolveFilter(
  given: Partial<Record<FilterName, readonly string[]>>,
  allowed: Record<FilterName, readonly string[]>,
): ListFilter {
  const resolved: Partial<Record<FilterName, readonly string[]>> = {};
  for (const name of filterNames) {
    const values = given[name];
    if (values === undefined || values.length === 0) continue;
    resolved[name] = values.map((value) => {
      const canonical = allowed[name].find((a) => a.toLowerCase() === value.toLowerCase());
      if (canonical === undefined) throw new UsageError(`--${name} ${value} is not one of: ${allowed[name].join(", ")}`);
      return canonical;
    });
  }
  return resolved;
}

/**
 * The filters whose vocabulary does not depend on the pack, checked before the pack is launched
 * (a typo costs nothing); sections are checked against the pack's own once it answered.
 */
export function checkFixedFilters(given: Partial<Record<FilterName, readonly string[]>>): void {
  resolveFilter({ ...given, section: [] }, allowedFilterValues({ name: "", version: "", policies: [] }));
}

/** The policy's value for a filter; a framework filter looks at every framework the policy maps to. */
function valuesFor(policy: PolicyFacts, name: FilterName): readonly string[] {
  switch (name) {
    case "section":
      return policy.section !== undefined ? [policy.section] : [];
    case "severity":
      return policy.severity !== undefined ? [policy.severity] : [];
    case "criticality":
      return policy.criticality !== undefined ? [policy.criticality] : [];
    case "framework":
      return frameworkKeys.filter((key) => (policy.frameworks[key] ?? []).length > 0);
    case "enforcement":
      return [policy.enforcementLevel];
  }
}

/** Whether the policy satisfies every filter given. A fact the pack does not state satisfies no filter on it. */
export function matchesFilter(policy: PolicyFacts, filter: ListFilter): boolean {
  return filterNames.every((name) => {
    const wanted = filter[name];
    return wanted === undefined || wanted.length === 0 || valuesFor(policy, name).some((value) => wanted.includes(value));
  });
}

const none = "-";

/** One line per policy, in columns: id, name, section, severity, default enforcement, SHALL/SHOULD, frameworks. */
export function renderListText(pack: PackFacts, policies: readonly PolicyFacts[]): string {
  const header = ["ID", "POLICY", "SECTION", "SEVERITY", "ENFORCEMENT", "LEVEL", "FRAMEWORKS"];
  const rows = policies.map((p) =>
    [
      p.id ?? none,
      p.name,
      p.section ?? none,
      p.severity ?? none,
      p.enforcementLevel,
      p.criticality ?? none,
      frameworkKeys.filter((key) => (p.frameworks[key] ?? []).length > 0).join(",") || none,
    ].map(escapeForDisplay),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number))).join("  ");
  const title = `Policy pack ${escapeForDisplay(pack.name)} ${escapeForDisplay(pack.version)}: ${policies.length} of ${pack.policies.length} policies`;
  if (policies.length === 0) return `${title}\nNo policy matches the filters.\n`;
  return `${title}\n\n${[line(header), ...rows.map(line)].join("\n")}\n`;
}

/** `--json`: an array of the listed policies' facts; exact values, every unsafe character a \u escape. */
export function renderListJson(policies: readonly PolicyFacts[]): string {
  return `${escapeJsonForDisplay(JSON.stringify(policies, null, 2))}\n`;
}
