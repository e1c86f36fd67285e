/**
 * Hand-made policies, resources and verdicts for the report's pure functions (buildReport,
 * renderText). Only the fields the report reads are meaningful; the rest are filled in so the
 * objects have the full policy shape.
 */
import { healthCheckSections, HealthCheckItemId } from "../../core/health-check";
import { AnyPolicy, Severity } from "../../core/policy";
import { DeclaredResource, Verdict } from "../../report/model";

export const typeToken = (control: string) => `pulumi-nodejs:dynamic/intercom:${control}`;
export const urnOf = (control: string, name: string) => `urn:pulumi:dev::report-test::${typeToken(control)}::${name}`;

export interface PolicyOptions {
  readonly kind?: "resource" | "stack" | "schema";
  /** For stack policies: "every-workspace", "phi-workspaces" or a control name (its type token is the scope). */
  readonly scope?: "every-workspace" | "phi-workspaces" | { readonly control: string };
  readonly severity?: Severity;
  readonly title?: string;
  readonly remediation?: readonly string[];
  readonly helpUrl?: string;
}

export function policy(name: string, items: readonly HealthCheckItemId[], options: PolicyOptions = {}): AnyPolicy {
  const first = items[0] as string;
  const section = healthCheckSections.find((s) => s.items.some((i) => i.id === first));
  if (!section) throw new Error(`test fixture: unknown item ${first}`);
  const base = {
    name,
    id: `TEST.${name}`,
    title: options.title ?? `Title of ${name}`,
    description: `Description of ${name}.`,
    section: section.id,
    items,
    severity: options.severity ?? "high",
    criticality: "SHALL",
    rationale: `Rationale of ${name}.`,
    remediation: options.remediation ?? [`First step to fix ${name}.`, `Second step to fix ${name}.`],
    helpUrl: options.helpUrl ?? `https://www.intercom.com/help/en/articles/${name}`,
    frameworks: {},
  };
  const kind = options.kind ?? "resource";
  if (kind === "stack") {
    const scope = options.scope ?? "every-workspace";
    return {
      ...base,
      kind,
      reads: [],
      scope: typeof scope === "string" ? scope : { name: scope.control, typeToken: typeToken(scope.control) },
      check: () => [],
    } as unknown as AnyPolicy;
  }
  if (kind === "schema") return { ...base, kind } as unknown as AnyPolicy;
  return { ...base, kind, check: () => [] } as unknown as AnyPolicy;
}

/** One resource policy per row of the Health Check, named after the row. */
export function onePolicyPerItem(): AnyPolicy[] {
  return healthCheckSections.flatMap((section) =>
    section.items.map((item) => policy(policyNameFor(item.id), [item.id as HealthCheckItemId])),
  );
}

export function policyNameFor(itemId: string): string {
  return `intercom-test-${itemId.replace(/\./g, "-")}`;
}

export function workspace(
  workspaceId: string,
  name: string,
  details: { securityContactEmail?: string; handlesPhi?: boolean } = {},
): DeclaredResource {
  return {
    urn: urnOf("Workspace", name),
    name,
    type: typeToken("Workspace"),
    workspaceId,
    workspace: { name: `Workspace ${name}`, ...details },
  };
}

export function control(controlName: string, name: string, workspaceId: string | undefined): DeclaredResource {
  return { urn: urnOf(controlName, name), name, type: typeToken(controlName), workspaceId };
}

/** `${urn} ${policy}` for every pair: what preview records for resource policies that applied. */
export function appliedTo(resources: readonly DeclaredResource[], policies: readonly AnyPolicy[]): Set<string> {
  return new Set(resources.flatMap((r) => policies.map((p) => `${r.urn} ${p.name}`)));
}

export function verdict(
  policyName: string,
  urn: string,
  message: string,
  enforcementLevel: Verdict["enforcementLevel"] = "advisory",
  status: Verdict["status"] = "needs_review",
): Verdict {
  return { policyName, urn, message, enforcementLevel, status };
}
