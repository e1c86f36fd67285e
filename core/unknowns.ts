/**
 * Values not known until the update: during a preview, an input computed from another
 * resource's output (a secret not created yet, a workspace id from another stack) arrives as one
 * of Pulumi's unknown sentinels. A policy grades the fields it reads; only a policy that reads an
 * unknown value is "not evaluated", and what it is not evaluated on is named (a path, never a value).
 *
 * How:
 * - Every sentinel, wherever it sits (nested objects, array elements, inside a secret), is an
 *   unknown leaf. Before the schema parse each is replaced by a private marker (a symbol no schema
 *   accepts), so a sentinel string can never pass for a real value, and schema issues at or under
 *   an unknown path are excused: the rest of the control is validated as usual.
 * - The settings a rule sees are a read-tracking proxy. Reading a marker records the read with
 *   every active tracker and throws {@link UnknownValueRead}.
 * - A rule's result is kept only when it read no unknown. Rules are pure, so a result computed
 *   without reading a value holds whatever that value turns out to be; a rule that catches the
 *   error itself is still caught, by the record.
 */
import { z } from "zod";
import { ControlDefinition } from "./control";
import { isSecretEnvelope } from "./secret-envelope";
import {
  checkSettings,
  describeIssue,
  displayPath as displayPathInMessages,
  ParseResult,
  SchemaProblem,
  settingsProps,
} from "./validation";
import { sdkUnknownSentinels } from "./sdk/policy-proxy";
import { unknownSentinel } from "./wire-form";

/**
 * Pulumi's unknown sentinels (`@pulumi/policy/proxy`, the engine's wire form): the engine sends the
 * string one for every unknown; the others are the SDK's per-type variants. Listed here so that
 * recognising them never depends on loading an SDK internal; the SDK's own list is added when present.
 */
const pulumiUnknownSentinels: readonly string[] = [
  unknownSentinel, // string (and, on the wire, every unknown)
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
];

let sentinels: ReadonlySet<string> | undefined;

function knownSentinels(): ReadonlySet<string> {
  if (sentinels) return sentinels;
  const all = new Set(pulumiUnknownSentinels);
  for (const sentinel of sdkUnknownSentinels()) all.add(sentinel);
  sentinels = all;
  return all;
}

/** Whether a raw value is one of Pulumi's unknown sentinels. */
export function isUnknownValue(value: unknown): boolean {
  return typeof value === "string" && knownSentinels().has(value);
}

export type ValuePath = readonly (string | number)[];

/**
 * Deeper than any control's schema: a sentinel below this depth sits inside a value the schema
 * rejects anyway (and walking absurd nesting must not overflow the stack).
 */
const maxUnknownDepth = 32;

/** Where unknown sentinels sit in raw properties (secrets unwrapped in place: a secret adds no path step). */
export function findUnknownPaths(value: unknown): ValuePath[] {
  const found: ValuePath[] = [];
  // One path, extended and cut back as the walk goes: copied only where a sentinel is found.
  const path: (string | number)[] = [];
  const walk = (current: unknown): void => {
    if (isSecretEnvelope(current)) return walk(current.value);
    if (isUnknownValue(current)) {
      found.push([...path]);
      return;
    }
    if (path.length >= maxUnknownDepth || current === null || typeof current !== "object") return;
    if (Array.isArray(current)) {
      current.forEach((element, index) => {
        path.push(index);
        walk(element);
        path.pop();
      });
      return;
    }
    for (const key of Object.keys(current)) {
      path.push(key);
      walk((current as Record<string, unknown>)[key]);
      path.pop();
    }
  };
  walk(value);
  return found;
}

export function formatPath(path: ValuePath): string {
  return path.map(String).join(".");
}

/** A path as a message may show it: the schema check's rule (cut at a secret path; `*` keys are names). */
export function displayPath(definition: ControlDefinition | undefined, path: ValuePath): string {
  return definition ? displayPathInMessages(definition, path) : formatPath(path);
}

/** Distinct display paths, in order. */
export function displayPaths(definition: ControlDefinition | undefined, paths: readonly ValuePath[]): string[] {
  return [...new Set(paths.map((p) => displayPath(definition, p)))];
}

// ---------------------------------------------------------------------------------------------
// Read tracking

/** The control whose settings hold an unknown value. */
export interface UnknownOwner {
  readonly definition: ControlDefinition;
  readonly name: string;
  readonly urn?: string;
}

export interface UnknownRead {
  readonly owner: UnknownOwner;
  readonly path: ValuePath;
}

/** Thrown when a rule reads a value not known until the update. Names the path, never a value. */
export class UnknownValueRead extends Error {
  constructor(readonly read: UnknownRead) {
    const where = displayPath(read.owner.definition, read.path);
    super(`${read.owner.definition.name} "${read.owner.name}": ${where} is not known until the update`);
    this.name = "UnknownValueRead";
  }
}

/** Stands for an unknown value inside parsed settings. A symbol: no schema accepts one, no rule can mistake one for data. */
const unknownMark: unique symbol = Symbol("value not known until the update");

interface Tracker {
  /** Reads that make the tracked run's result unknown. */
  readonly reads: UnknownRead[];
  /** Reads inside independent parts: those parts were left out, the rest of the result stands. */
  readonly deferred: UnknownRead[];
  /** An independent part's tracker: its reads stop here. */
  readonly independent: boolean;
}

const activeTrackers: Tracker[] = [];

function readUnknown(owner: UnknownOwner, path: ValuePath): never {
  const read = { owner, path };
  // Every enclosing evaluation up to the nearest independent part hears of it, even if an inner
  // one swallowed the error; beyond that part, it is deferred (see independentPart).
  let deferring = false;
  for (let i = activeTrackers.length - 1; i >= 0; i--) {
    const tracker = activeTrackers[i] as Tracker;
    (deferring ? tracker.deferred : tracker.reads).push(read);
    if (tracker.independent) deferring = true;
  }
  throw new UnknownValueRead(read);
}

export type Tracked<T> =
  | {
      readonly known: true;
      readonly value: T;
      /** Reads of independent parts left out of `value` (see {@link independentPart}); each is not evaluated. */
      readonly deferred: readonly UnknownRead[];
    }
  | { readonly known: false; readonly reads: readonly UnknownRead[] };

/**
 * Runs a rule and tells whether it read a value not known yet. If it did, its result (or its
 * error) is discarded: it was computed from a value that does not exist yet.
 */
export function trackUnknownReads<T>(run: () => T): Tracked<T> {
  const tracker: Tracker = { reads: [], deferred: [], independent: false };
  activeTrackers.push(tracker);
  try {
    const value = run();
    return tracker.reads.length === 0 ? { known: true, value, deferred: tracker.deferred } : { known: false, reads: tracker.reads };
  } catch (error) {
    if (tracker.reads.length > 0) return { known: false, reads: tracker.reads };
    throw error;
  } finally {
    activeTrackers.splice(activeTrackers.lastIndexOf(tracker), 1);
  }
}

/**
 * Runs a nested evaluation that reports its own values not known yet (a whole policy evaluated
 * inside another rule): its reads are its own, and reach no enclosing evaluation.
 */
export function sealedEvaluation<T>(run: () => T): T {
  const enclosing = activeTrackers.splice(0);
  try {
    return run();
  } finally {
    activeTrackers.splice(0, activeTrackers.length, ...enclosing);
  }
}

/**
 * One independent sub-check of a rule (one requirement of one workspace, one control's share):
 * if it reads a value not known yet, it alone is left out (`ifUnknown`) and its reads are reported
 * as not evaluated, while the rest of the rule's result stands. Sound only when `ifUnknown` can
 * make the rule report fewer violations, never more: `[]` for a part whose violations are only
 * collected, never counted or compared; a control left out of a comparison that can only find
 * violations among the known ones. Outside a tracked run, runs `run` as is.
 */
export function independentPart<T>(run: () => T, ifUnknown: T): T {
  if (activeTrackers.length === 0) return run();
  const tracker: Tracker = { reads: [], deferred: [], independent: true };
  activeTrackers.push(tracker);
  try {
    const value = run();
    return tracker.reads.length === 0 ? value : ifUnknown;
  } catch (error) {
    if (tracker.reads.length > 0) return ifUnknown;
    throw error;
  } finally {
    activeTrackers.splice(activeTrackers.lastIndexOf(tracker), 1);
  }
}

/** The property key as a path step: array indexes as numbers. */
function pathStep(target: object, key: string): string | number {
  return Array.isArray(target) && /^(0|[1-9]\d*)$/.test(key) ? Number(key) : key;
}

/** Settings whose unknown values throw (and are recorded) when read; everything else reads as usual. */
function trackingProxy<T extends object>(settings: T, owner: UnknownOwner): T {
  const proxies = new WeakMap<object, object>();
  const wrap = (target: object, path: ValuePath): object => {
    const existing = proxies.get(target);
    if (existing) return existing;
    const child = (value: unknown, key: string): unknown => {
      if (value === unknownMark) readUnknown(owner, [...path, pathStep(target, key)]);
      return value !== null && typeof value === "object" ? wrap(value, [...path, pathStep(target, key)]) : value;
    };
    const proxy = new Proxy(target, {
      get(object, key, receiver) {
        const value: unknown = Reflect.get(object, key, receiver);
        if (typeof key === "symbol") return value;
        const descriptor = Reflect.getOwnPropertyDescriptor(object, key);
        // A frozen property must read as itself (a Proxy invariant); parsed settings are never frozen.
        if (descriptor && "value" in descriptor && !descriptor.configurable && !descriptor.writable) return value;
        return child(value, key);
      },
      getOwnPropertyDescriptor(object, key) {
        const descriptor = Reflect.getOwnPropertyDescriptor(object, key);
        if (!descriptor || typeof key === "symbol" || !("value" in descriptor) || !descriptor.configurable) return descriptor;
        // Object.keys asks for descriptors too: only reading the value counts as reading it.
        if (descriptor.value === unknownMark) {
          const { enumerable, configurable } = descriptor;
          return { enumerable, configurable, get: () => readUnknown(owner, [...path, pathStep(object, key)]) };
        }
        return { ...descriptor, value: child(descriptor.value, key) };
      },
    });
    proxies.set(target, proxy);
    return proxy;
  };
  return wrap(settings, []) as T;
}

// ---------------------------------------------------------------------------------------------
// Parsing a control with unknown values

export type UnknownAwareParse<T> = ParseResult<T> & {
  /** Where the props hold unknown values (empty: every value is known, and settings are plain). */
  readonly unknownPaths: readonly ValuePath[];
};

function isPrefix(prefix: ValuePath, path: readonly PropertyKey[]): boolean {
  return prefix.length <= path.length && prefix.every((step, i) => String(step) === String(path[i]));
}

/** A copy of `value` with the marker at each path; copies only along the paths, keeps every own key. */
function withMarks(value: unknown, paths: readonly ValuePath[]): unknown {
  if (paths.some((p) => p.length === 0)) return unknownMark;
  if (isSecretEnvelope(value)) return withMarks(value.value, paths);
  if (value === null || typeof value !== "object") return value;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : {};
  const source = value as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    const below = paths.filter((p) => String(p[0]) === key).map((p) => p.slice(1));
    const entry = below.length > 0 ? withMarks(source[key], below) : source[key];
    // defineProperty, not assignment: an own "__proto__" key stays a key the schema sees.
    defineOwn(copy, key, entry);
  }
  return copy;
}

interface ZodInternals {
  _zod?: { run?: (payload: { value: unknown; issues: unknown[] }, context: { async: false }) => unknown };
}

/**
 * The parsed output of props whose only issues are at unknown paths. zod's public parse returns no
 * data on any issue, so this runs the same internal step `safeParse` runs and keeps its value: the
 * known fields parsed (defaults applied), each unknown leaf left as given (the marker).
 */
function outputDespiteIssues(schema: z.ZodType, input: unknown): Record<string, unknown> {
  const run = (schema as unknown as ZodInternals)._zod?.run;
  const cannot = "values not known yet cannot be graded field by field";
  if (typeof run !== "function") throw new Error(`zod no longer exposes _zod.run: ${cannot}`);
  const internals = (schema as unknown as ZodInternals)._zod;
  const result = run.call(internals, { value: input, issues: [] }, { async: false }) as { value?: unknown };
  if (result instanceof Promise || !result || typeof result !== "object" || !result.value || typeof result.value !== "object") {
    throw new Error(`zod's _zod.run did not return parsed settings: ${cannot}`);
  }
  return result.value as Record<string, unknown>;
}

/** Sets an own property, whatever its name ("__proto__" included). */
function defineOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Puts the marker at `path` in the output, or over the whole top-level field if the output has another shape there. */
function placeMark(output: Record<string, unknown>, path: ValuePath): void {
  let parent: unknown = output;
  for (const step of path.slice(0, -1)) {
    const key = String(step);
    const next =
      parent !== null && typeof parent === "object" && Object.hasOwn(parent, key) ? (parent as Record<string, unknown>)[key] : undefined;
    if (next === null || typeof next !== "object") {
      defineOwn(output, String(path[0]), unknownMark);
      return;
    }
    parent = next;
  }
  defineOwn(parent as object, String(path[path.length - 1]), unknownMark);
}

/**
 * Validates props that may hold unknown values. Known values are validated as usual (their
 * problems fail the schema as they always do); unknown ones are left for the update. The settings
 * of a control with unknowns are a read-tracking proxy: see {@link trackUnknownReads}.
 */
export function parseWithUnknowns<S extends z.ZodObject>(
  definition: ControlDefinition<S>,
  props: Record<string, unknown>,
  owner: UnknownOwner,
): UnknownAwareParse<z.output<S>> {
  const given = settingsProps(props);
  const unknownPaths = findUnknownPaths(given);
  const marked = unknownPaths.length > 0 ? withMarks(given, unknownPaths) : given;
  const { result, issues } = checkSettings(definition, marked as Record<string, unknown>);
  if (result.success && issues.length === 0 && unknownPaths.length === 0) return { ok: true, settings: result.data, unknownPaths };
  const problems: SchemaProblem[] = issues
    .filter((issue) => !unknownPaths.some((u) => isPrefix(u, issue.path)))
    .map((issue) => describeIssue(definition, issue));
  if (problems.length > 0) return { ok: false, problems, unknownPaths };
  const output = result.success ? (result.data as Record<string, unknown>) : outputDespiteIssues(definition.schema, marked);
  // Whatever the schema made of a marker (a default, a catch), the value is not known.
  for (const path of unknownPaths) placeMark(output, path);
  return { ok: true, settings: trackingProxy(output, owner) as z.output<S>, unknownPaths };
}

/**
 * Field-by-field grading rests on how zod builds its output; checked once at load, so a zod that
 * changed it stops the pack from starting rather than grading wrongly.
 */
export function checkFieldByFieldGradingWorks(): void {
  const probe = z.strictObject({
    a: z.boolean(),
    b: z.strictObject({ c: z.string(), d: z.boolean().default(true) }),
    e: z.array(z.string()),
  });
  const output = outputDespiteIssues(probe, { a: unknownMark, b: { c: unknownMark }, e: ["x", unknownMark] });
  const b = output["b"] as Record<string, unknown> | undefined;
  const e = output["e"] as unknown[] | undefined;
  if (output["a"] !== unknownMark || b?.["c"] !== unknownMark || b?.["d"] !== true || e?.[0] !== "x" || e?.[1] !== unknownMark) {
    throw new Error("zod's parse no longer keeps known fields beside failed ones: values not known yet cannot be graded");
  }
}

checkFieldByFieldGradingWorks();
