/**
 * Generators and an independent oracle for values not known until the update.
 *
 * The oracle: a rule's result depends only on the values it reads. `readsOf` runs a policy on the
 * fully known settings through a proxy that records every property read (no unknown machinery
 * involved), so "the policy reads path P" is observed, not declared. With P unknown instead, the
 * rule runs identically up to its first read of P: so it must be graded exactly as with the known
 * value when it never reads P, and be not evaluated, naming P, when it does.
 */
import fc from "fast-check";
import { z } from "zod";
import { ControlDefinition, isSecretPath } from "../../core/control";
import { contextFor } from "../../core/evaluate";
import { ResourcePolicy, RuleContext } from "../../core/policy";
import { StackResource } from "../../core/stack-model";
import { displayPath, ValuePath } from "../../core/unknowns";
import { isSecretEnvelope } from "../../core/secret-envelope";
import { settingsProps } from "../../core/validation";
import { allControls } from "../../resources";
import { resourcePolicies, stackPolicies } from "../../policies";
import { otherWorkspaceId, secureSample, secureStack, secureStackVariants, urnOf } from "./fixtures";

/** What the engine sends for a value not known during a preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Pulumi's other unknown sentinels (the SDK's per-type variants): unknown wherever they appear too. */
export const OTHER_SENTINELS = [
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
] as const;

export type Path = (string | number)[];

export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The value with Pulumi's secret envelopes replaced by what they hold (the engine's wire form, made plain). */
export function unwrapSecrets(value: unknown): unknown {
  if (isSecretEnvelope(value)) return unwrapSecrets(value.value);
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

/** Where any of Pulumi's unknown sentinels sits in `value` (test-side, independent of core/unknowns.ts). */
export function findUnknowns(value: unknown, prefix: Path = []): Path[] {
  if (value === UNKNOWN || (OTHER_SENTINELS as readonly unknown[]).includes(value)) return [prefix];
  if (value === null || typeof value !== "object") return [];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value as Record<string, unknown>);
  return entries.flatMap(([key, inner]) => findUnknowns(inner, [...prefix, key]));
}

/** Every path in `value` below the root: each object key and array index, leaves and subtrees. */
export function pathsIn(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== "object") return [];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value as Record<string, unknown>);
  return entries.flatMap(([key, inner]) => [[...prefix, key], ...pathsIn(inner, [...prefix, key])]);
}

export function getAt(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((current, step) => (current as Record<string, unknown> | undefined)?.[String(step)], value);
}

/** A copy with `replacement` at `path` (`undefined` removes an object key). */
export function setAt<T>(value: T, path: Path, replacement: unknown): T {
  const copy = clone(value) as unknown;
  let parent = copy as Record<string, unknown>;
  for (const step of path.slice(0, -1)) parent = parent[String(step)] as Record<string, unknown>;
  const last = String(path[path.length - 1]);
  if (replacement === undefined && !Array.isArray(parent)) delete parent[last];
  else parent[last] = replacement;
  return copy as T;
}

// ---------------------------------------------------------------------------------------------
// Schema-driven candidate values

interface Def {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, string>;
  values?: unknown[];
  in?: z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The schema of the value at `path` (through optional, nullable, default), if the schema has one there. */
export function schemaAt(schema: z.ZodType, path: Path): z.ZodType | undefined {
  let current: z.ZodType | undefined = schema;
  for (const step of path) {
    current = unwrap(current);
    if (!current) return undefined;
    const def = defOf(current);
    if (def.type === "object") current = def.shape?.[String(step)];
    else if (def.type === "array") current = def.element;
    else if (def.type === "record") current = def.valueType;
    else return undefined;
  }
  return current;
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  while (current) {
    const def = defOf(current);
    if (["optional", "nullable", "default", "readonly", "prefault", "catch", "nonoptional"].includes(def.type)) current = def.innerType;
    else if (def.type === "pipe") current = def.in;
    else return current;
  }
  return current;
}

/** Strings every kind of rule cares about: domains, URLs, dates, addresses, identities, extensions. */
const stringPool = [
  "email",
  "user_id",
  "phone",
  "*",
  "*.com",
  "app.example.com",
  "*.example.com",
  "localhost",
  "10.0.0.1",
  "https://api.example.com/orders",
  "http://api.example.com/orders",
  "https://10.0.0.1/x",
  "https://idp.example.com/sso",
  "2026-01-01",
  "2020-01-01",
  "2027-06-01",
  "203.0.113.0/24",
  "0.0.0.0/0",
  "exe",
  "pdf",
  "svg",
  "Bearer abc.def.ghi",
  "order.status",
  "last_order_status",
  "x",
  "contact-model",
  "Order lookup",
];
const numberPool = [0, 1, 12, 24, 25, 60, 1440, 3600, 86400, 100000];

/** A few values the schema at this place may accept (filtered by a full parse by the caller). */
export function candidatesFor(schema: z.ZodType | undefined, original: unknown): unknown[] {
  const out: unknown[] = [original];
  if (!schema) return out;
  const defType = defOf(schema).type;
  if (defType === "optional") out.push(undefined);
  if (defType === "nullable") out.push(null);
  const inner = unwrap(schema);
  if (!inner) return out;
  const def = defOf(inner);
  switch (def.type) {
    case "boolean":
      out.push(true, false);
      break;
    case "enum":
      out.push(...Object.values(def.entries ?? {}));
      break;
    case "literal":
      out.push(...(def.values ?? []));
      break;
    case "number":
      out.push(...numberPool);
      break;
    case "string":
      out.push(...stringPool);
      break;
    case "array": {
      const elements = candidatesFor(def.element, undefined)
        .filter((v) => v !== undefined)
        .slice(0, 6);
      out.push([], ...elements.map((e) => [e]), elements.slice(0, 2));
      break;
    }
    case "record":
      out.push({});
      break;
    case "union":
      for (const option of def.options ?? []) out.push(...candidatesFor(option, original).slice(1));
      break;
    default:
      break;
  }
  return out;
}

/** The valid completions of an unknown at `path`: values that keep the control schema-valid (the original included). */
export function completions(definition: ControlDefinition, props: Record<string, unknown>, path: Path): Record<string, unknown>[] {
  const parent = getAt(props, path.slice(0, -1));
  if (parent === null || typeof parent !== "object") return [];
  const original = getAt(props, path);
  // A secret's completions must not collide with other values: redaction would hide those in messages.
  const candidates = isSecretPath(definition, path)
    ? [original, "completion-secret-one", "completion-secret-two"]
    : candidatesFor(schemaAt(definition.schema, path), original);
  return candidates
    .map((value) => setAt(props, path, value))
    .filter((candidate) => definition.schema.safeParse(settingsProps(candidate)).success);
}

// ---------------------------------------------------------------------------------------------
// Generated controls

export const gradedControls: readonly ControlDefinition[] = allControls.filter((c) => {
  try {
    secureSample(c);
    return true;
  } catch {
    return false;
  }
});

/** A valid control of this kind: the secure sample with a few fields changed to other valid values (so unsafe ones too). */
export function controlPropsArbitrary(definition: ControlDefinition): fc.Arbitrary<Record<string, unknown>> {
  const base = clone(secureSample(definition));
  const leafPaths = pathsIn(base);
  const topLevel = Object.keys(definition.schema.shape).map((k): Path => [k]);
  const mutable = [...leafPaths, ...topLevel.filter((p) => !leafPaths.some((l) => String(l[0]) === String(p[0])))];
  return fc.array(fc.tuple(fc.constantFrom(...mutable), fc.nat()), { maxLength: 3 }).map((mutations) => {
    let props = base;
    for (const [path, pick] of mutations) {
      const options = completions(definition, props, path).slice(1);
      if (options.length > 0) props = options[pick % options.length] as Record<string, unknown>;
    }
    return props;
  });
}

/** Paths where an unknown may sit: every present path, and every absent top-level field of the schema. */
export function unknownPlaces(definition: ControlDefinition, props: Record<string, unknown>): Path[] {
  const present = pathsIn(props);
  const absent = Object.keys(definition.schema.shape)
    .filter((k) => !(k in props))
    .map((k): Path => [k]);
  return [...present, ...absent];
}

export interface UnknownCase {
  readonly definition: ControlDefinition;
  /** All values known (the completion the generator picked). */
  readonly known: Record<string, unknown>;
  /** The same props with one value unknown. */
  readonly withUnknown: Record<string, unknown>;
  readonly path: Path;
  /** The sentinel used (usually the engine's). */
  readonly sentinel: string;
}

/** A valid control of any graded kind with one value, anywhere in it, replaced by an unknown sentinel. */
export const unknownCaseArbitrary: fc.Arbitrary<UnknownCase> = fc
  .constantFrom(...gradedControls)
  .chain((definition) => controlPropsArbitrary(definition).map((known) => ({ definition, known })))
  .chain(({ definition, known }) =>
    fc
      .record({
        path: fc.constantFrom(...unknownPlaces(definition, known)),
        sentinel: fc.oneof({ weight: 4, arbitrary: fc.constant(UNKNOWN) }, { weight: 1, arbitrary: fc.constantFrom(...OTHER_SENTINELS) }),
      })
      .map(({ path, sentinel }): UnknownCase => {
        const withUnknown = setAt(known, path, sentinel);
        // Printed on failure: the definition itself would print as pages of zod internals.
        const show = () => `${definition.name} ${JSON.stringify(withUnknown)} (unknown at ${path.join(".")})`;
        return Object.assign({ definition, known, path, sentinel, withUnknown }, { [fc.toStringMethod]: show });
      }),
  );

export function policiesOf(definition: ControlDefinition): readonly ResourcePolicy[] {
  return resourcePolicies.filter((p) => p.control === definition);
}

// ---------------------------------------------------------------------------------------------
// The oracle

export interface ObservedReads {
  /** Whether the policy applies to the known settings. */
  readonly applies: boolean;
  /** Every path the policy read (appliesTo and check). */
  readonly reads: readonly Path[];
}

/** Runs the policy on the known settings through a recording proxy: which values does it read? */
export function readsOf(policy: ResourcePolicy, props: Record<string, unknown>, now: Date): ObservedReads {
  const parsed = policy.control.schema.safeParse(settingsProps(props));
  if (!parsed.success) throw new Error(`test generator made invalid ${policy.control.name} props`);
  const reads: Path[] = [];
  const record = (target: object, path: Path): object =>
    new Proxy(target, {
      get(object, key, receiver) {
        const value: unknown = Reflect.get(object, key, receiver);
        if (typeof key === "symbol") return value;
        const step = Array.isArray(object) && /^\d+$/.test(key) ? Number(key) : key;
        reads.push([...path, step]);
        return value !== null && typeof value === "object" ? record(value, [...path, step]) : value;
      },
    });
  const settings = record(parsed.data as object, []) as never;
  const applies = policy.appliesTo ? policy.appliesTo(settings) : true;
  if (applies) {
    const context = contextFor(policy, { now });
    if (!context.ok) throw new Error(context.reason);
    policy.check(settings, context.context as RuleContext<never>);
  }
  return { applies, reads };
}

/** Whether a recorded read reached the value at `path` (or something inside it). */
export function readsPath(observed: ObservedReads, path: Path): boolean {
  return observed.reads.some((read) => read.length >= path.length && path.every((step, i) => String(step) === String(read[i])));
}

/** The path as the pack names it (cut at a secret path). */
export function shownPath(definition: ControlDefinition, path: Path): string {
  return displayPath(definition, path as ValuePath);
}

// ---------------------------------------------------------------------------------------------
// Generated stacks

export const controlsByType = new Map(allControls.map((c) => [c.typeToken, c]));
export const definitionOf = (r: StackResource) => controlsByType.get(r.type) as ControlDefinition;

/** Workspace A is the fixtures' secure stack; workspace B the same controls under another id and names. */
export function twoWorkspaces(
  options: (typeof secureStackVariants)[number],
  optionsB: (typeof secureStackVariants)[number],
): StackResource[] {
  const a = secureStack(options);
  const b = secureStack(optionsB)
    .filter((r) => controlsByType.has(r.type))
    .map((r) => {
      const name = `${r.name}-b`;
      return { type: r.type, name, urn: urnOf(definitionOf(r), name), props: { ...r.props, workspaceId: otherWorkspaceId } };
    });
  return [...a, ...b];
}

export interface StackCase {
  readonly known: StackResource[];
  /** Index of the control holding the unknown. */
  readonly index: number;
  readonly path: Path;
  readonly withUnknown: StackResource[];
}

/** Control kinds some stack policy reads settings of (beyond workspaceId). */
export const readByStackPolicies = new Set(stackPolicies.flatMap((p) => p.reads));

/**
 * `workspace`: the unknown is a control's workspaceId; `settings`: anywhere else in it.
 * `acrossWorkspaces`: workspace A (everything declared) holds the unknown, in a control some stack
 * policy reads, while workspace B has controls left out and changed: a rule that cannot grade A
 * must still grade B.
 */
export const stackCaseArbitrary = (where: "workspace" | "settings", acrossWorkspaces = false): fc.Arbitrary<StackCase> =>
  fc
    .record({
      a: acrossWorkspaces
        ? fc.constantFrom(...secureStackVariants.filter((v) => v.handlesPhi && v.withMobile && v.withCustomAction))
        : fc.constantFrom(...secureStackVariants),
      b: fc.constantFrom(...secureStackVariants),
      mutations: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { maxLength: 4 }),
      removals: fc.array(fc.nat(), { maxLength: 2 }),
      duplicates: fc.array(fc.nat(), { minLength: acrossWorkspaces ? 1 : 0, maxLength: acrossWorkspaces ? 2 : 0 }),
    })
    .map(({ a, b, mutations, removals, duplicates }) => {
      let stack = twoWorkspaces(a, b);
      // Controls left out: the presence rules (declared-controls, HIPAA, mobile platforms) have something to say.
      const changeable = (r: StackResource) =>
        controlsByType.has(r.type) && (!acrossWorkspaces || r.props["workspaceId"] === otherWorkspaceId);
      for (const removal of removals) {
        const candidates = stack.filter(changeable);
        const removed = candidates[removal % candidates.length] as StackResource;
        stack = stack.filter((r) => r !== removed);
      }
      // A second declaration of a control: intercom-single-instance-controls has something to say.
      for (const duplicate of duplicates) {
        const candidates = stack.filter(changeable);
        const original = candidates[duplicate % candidates.length] as StackResource;
        const name = `${original.name}-again`;
        if (!stack.some((r) => r.name === name)) stack = [...stack, { ...original, name, urn: urnOf(definitionOf(original), name) }];
      }
      const controls = stack.map((r, i) => [r, i] as const).filter(([r]) => changeable(r));
      for (const [which, where, pick] of mutations) {
        const [resource, index] = controls[which % controls.length] as (typeof controls)[number];
        const current = stack[index] as StackResource;
        const paths = pathsIn(current.props).filter((p) => String(p[0]) !== "workspaceId");
        if (paths.length === 0) continue;
        const options = completions(definitionOf(resource), current.props, paths[where % paths.length] as Path).slice(1);
        if (options.length === 0) continue;
        stack = stack.map((r, i) => (i === index ? { ...r, props: options[pick % options.length] as Record<string, unknown> } : r));
      }
      return stack;
    })
    .chain((known) => {
      const holds = (r: StackResource) =>
        controlsByType.has(r.type) &&
        (!acrossWorkspaces || (r.props["workspaceId"] !== otherWorkspaceId && readByStackPolicies.has(definitionOf(r))));
      const controlIndexes = known.map((_, i) => i).filter((i) => holds(known[i] as StackResource));
      return fc.constantFrom(...controlIndexes).chain((index) => {
        const control = known[index] as StackResource;
        const identity = definitionOf(control).identityFields.map((f): Path => [f]);
        const places =
          acrossWorkspaces && identity.length > 0
            ? identity
            : unknownPlaces(definitionOf(control), control.props).filter(
                (p) => (String(p[0]) === "workspaceId") === (where === "workspace"),
              );
        return fc.constantFrom(...places).map((path): StackCase => {
          const withUnknown = known.map((r, i) => (i === index ? { ...r, props: setAt(r.props, path, UNKNOWN) } : r));
          const show = () => `${control.name}: unknown at ${path.join(".")}`;
          return Object.assign({ known, index, path, withUnknown }, { [fc.toStringMethod]: show });
        });
      });
    });
