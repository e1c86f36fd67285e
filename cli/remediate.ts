/**
 * `preview --remediate`: what Pulumi's `remediate` enforcement level would change before the update.
 * Every policy that remediates runs at that level (unless the user's configuration sets its level),
 * each resource goes to Remediate first and then, fixed, to Analyze, as the engine does, and each
 * fix is shown as the before and after of the properties it changed. A value that arrived secret
 * is shown as [secret], before and after; one not known yet as unknown.
 */
import { escapeForDisplay } from "../core/display";
import { isSecretEnvelope } from "../core/secret-envelope";
import { isUnknownValue } from "../core/unknowns";
import { CapturedResource, PolicyPackSession } from "./analyzer-client";
import { callInOrder } from "./analyze-in-order";

/** A property's value as shown: the value itself, or only what kind of value it is. */
export type ShownValue = { value: unknown } | { secret: true } | { unknown: true } | { absent: true };

export interface PropertyChange {
  /** Dot path of the changed property. */
  readonly field: string;
  readonly before: ShownValue;
  readonly after: ShownValue;
}

export interface AppliedRemediation {
  readonly urn: string;
  readonly resourceName: string;
  readonly type: string;
  readonly policyName: string;
  readonly description: string;
  readonly changes: readonly PropertyChange[];
  /** Set when the policy could not run on this resource (as the engine shows it: an advisory). */
  readonly diagnostic?: string;
}

/**
 * The configuration to send: each named policy at `remediate`, unless the user's configuration sets
 * its level (its own entry, or "all" for every policy); the user's arguments are kept.
 */
export function withRemediateLevels(
  policyConfig: Record<string, unknown> | undefined,
  remediatingPolicyNames: readonly string[],
): Record<string, unknown> {
  const config: Record<string, unknown> = { ...policyConfig };
  if (levelOf(config["all"]) !== undefined) return config;
  for (const name of remediatingPolicyNames) {
    const entry = config[name];
    if (levelOf(entry) !== undefined) continue;
    config[name] = entry !== null && typeof entry === "object" ? { ...entry, enforcementLevel: "remediate" } : "remediate";
  }
  return config;
}

function levelOf(entry: unknown): unknown {
  if (typeof entry === "string") return entry;
  return entry !== null && typeof entry === "object" ? (entry as Record<string, unknown>)["enforcementLevel"] : undefined;
}

/**
 * Remediate for each resource, as the engine calls it before Analyze: each remediation's properties
 * replace the resource's from then on. Returns the resources as they would be created, and the fixes.
 */
export async function remediateResources(
  session: PolicyPackSession,
  resources: readonly CapturedResource[],
): Promise<{ resources: CapturedResource[]; remediations: AppliedRemediation[] }> {
  // A few calls in flight, as the engine's steps run concurrently: one resource's Remediate never depends on another's,
  // and the results are taken in the resources' order, so they are those of calls made one after another.
  const results = await callInOrder(resources, (resource) => remediateResource(session, resource));
  const fixed: CapturedResource[] = [];
  const remediations: AppliedRemediation[] = [];
  for (const [index, resource] of resources.entries()) {
    const result = results[index] as Awaited<ReturnType<typeof remediateResource>>;
    remediations.push(...result.remediations);
    fixed.push(result.properties === resource.properties ? resource : { ...resource, properties: result.properties });
  }
  return { resources: fixed, remediations };
}

/**
 * Remediate for one resource, as the engine's step generator runs it before Analyze (step_generator.go): each
 * remediation's properties replace the inputs from then on; a remediation that could not run is a diagnostic. Returns
 * the inputs to go on with (the same object when nothing changed) and the fixes.
 */
export async function remediateResource(
  session: PolicyPackSession,
  resource: CapturedResource,
): Promise<{ properties: Record<string, unknown>; remediations: AppliedRemediation[] }> {
  const result = await session.remediate(resource);
  const remediations: AppliedRemediation[] = [];
  let properties = resource.properties;
  for (const remediation of result.remediations) {
    const base = {
      urn: resource.urn,
      resourceName: resource.name,
      type: resource.type,
      policyName: remediation.policyName,
      description: remediation.description,
    };
    if (remediation.diagnostic) {
      remediations.push({ ...base, changes: [], diagnostic: remediation.diagnostic });
    } else if (remediation.properties) {
      const changes = changedProperties(properties, remediation.properties);
      // The engine's internal inputs (a dynamic resource's __provider) are never sent to a pack: kept as they were.
      properties = { ...engineInternal(resource.properties), ...remediation.properties };
      if (changes.length > 0) remediations.push({ ...base, changes });
    }
  }
  return { properties, remediations };
}

function engineInternal(properties: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(properties).filter(([key]) => key.startsWith("__")));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !isSecretEnvelope(value);
}

/** Whether a secret envelope sits anywhere in the value. */
function holdsSecret(value: unknown, depth = 0): boolean {
  if (isSecretEnvelope(value)) return true;
  if (depth > 64 || value === null || typeof value !== "object") return false;
  return Object.values(value).some((element) => holdsSecret(element, depth + 1));
}

function holdsUnknown(value: unknown, depth = 0): boolean {
  if (isUnknownValue(value)) return true;
  if (depth > 64 || value === null || typeof value !== "object") return false;
  return Object.values(value).some((element) => holdsUnknown(element, depth + 1));
}

/** A wire-form value as it may be shown: never a secret's value, never an unknown's sentinel. */
export function shown(value: unknown): ShownValue {
  if (value === undefined) return { absent: true };
  if (holdsSecret(value)) return { secret: true };
  if (holdsUnknown(value)) return { unknown: true };
  return { value };
}

/** The properties that differ, by dot path (objects compared field by field; lists and secrets whole). */
export function changedProperties(before: Record<string, unknown>, after: Record<string, unknown>, prefix = ""): PropertyChange[] {
  const changes: PropertyChange[] = [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((key) => !key.startsWith("__")).sort();
  for (const key of keys) {
    const field = prefix ? `${prefix}.${key}` : key;
    const [a, b] = [before[key], after[key]];
    if (isPlainObject(a) && isPlainObject(b)) changes.push(...changedProperties(a, b, field));
    else if (canonicalJson(a) !== canonicalJson(b)) changes.push({ field, before: shown(a), after: shown(b) });
  }
  return changes;
}

/** JSON with object keys sorted: properties come back from the pack with their keys in another order. */
function canonicalJson(value: unknown, depth = 0): string {
  if (depth > 64) return JSON.stringify(value) ?? "undefined";
  if (Array.isArray(value)) return `[${value.map((element) => canonicalJson(element, depth + 1)).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, element]) => `${JSON.stringify(key)}:${canonicalJson(element, depth + 1)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "undefined";
}

/** A shown value with any text that is a secret elsewhere in the program hidden too. */
function redactedShown(value: ShownValue, redact: (text: string) => string): ShownValue {
  if (!("value" in value)) return value;
  const text = JSON.stringify(value.value) ?? "";
  return redact(text) === text ? value : { secret: true };
}

/** The fixes with every shown value checked against the program's secret texts. */
export function redactRemediations(remediations: readonly AppliedRemediation[], redact: (text: string) => string): AppliedRemediation[] {
  return remediations.map((r) => ({
    ...r,
    resourceName: redact(r.resourceName),
    urn: redact(r.urn),
    changes: r.changes.map((c) => ({
      ...c,
      field: redact(c.field),
      before: redactedShown(c.before, redact),
      after: redactedShown(c.after, redact),
    })),
    ...(r.diagnostic ? { diagnostic: redact(r.diagnostic) } : {}),
  }));
}

function showText(value: ShownValue): string {
  if ("secret" in value) return "[secret]";
  if ("unknown" in value) return "unknown";
  if ("absent" in value) return "(absent)";
  return JSON.stringify(value.value) ?? "undefined";
}

/** The text report's "Remediations" block (program text escaped field by field); empty when nothing was fixed. */
export function renderRemediationsText(remediations: readonly AppliedRemediation[]): string {
  if (remediations.length === 0) return "";
  const lines = ["", "Remediations (made before the update; the report above grades the fixed resources):"];
  for (const r of remediations) {
    const control = r.type.split(":").pop() ?? r.type;
    lines.push(`  ${escapeForDisplay(control)} "${escapeForDisplay(r.resourceName)}" by ${escapeForDisplay(r.policyName)}`);
    if (r.diagnostic) lines.push(`    not run: ${escapeForDisplay(r.diagnostic)}`);
    for (const c of r.changes) {
      lines.push(`    ${escapeForDisplay(c.field)}: ${escapeForDisplay(showText(c.before))} → ${escapeForDisplay(showText(c.after))}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** The `remediations` array of the JSON report. */
export function serializableRemediations(remediations: readonly AppliedRemediation[]) {
  return remediations.map((r) => ({
    urn: r.urn,
    resource: r.resourceName,
    type: r.type,
    policy: r.policyName,
    description: r.description,
    changes: r.changes.map((c) => ({ field: c.field, before: c.before, after: c.after })),
    ...(r.diagnostic ? { diagnostic: r.diagnostic } : {}),
  }));
}
