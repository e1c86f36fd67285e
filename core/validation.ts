import { z } from "zod";
import { ControlDefinition, declaredFieldsAt, hiddenPathsOf, isSecretPath } from "./control";
import { show } from "./redaction";
import { rawProperties } from "./sdk/policy-proxy";

/** What Pulumi and the providers add to every control: the serialized provider, and the `appliedThrough` output. Not settings. */
const engineOwnedInputs = new Set(["__provider", "appliedThrough"]);

export interface SchemaProblem {
  /** Dot path of the offending field, or "" for the object itself. */
  readonly path: string;
  /** Names the field, what was given (never a secret) and what is allowed. */
  readonly message: string;
}

export type ParseResult<T> = { ok: true; settings: T } | { ok: false; problems: SchemaProblem[] };

/**
 * Keys every JavaScript object inherits (`__proto__`, `constructor`, `toString`, ...) and
 * `prototype`. No control has such a field, and code reading one from a plain object gets the
 * inherited value, or (`__proto__`) sets the prototype: zod's records drop `__proto__` silently.
 * They are refused as unknown fields wherever they appear, in records too.
 */
const reservedKeys: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), "prototype"]);

/** No control nests more than a few levels; anything deeper than this is refused, not walked. */
export const maxNestingDepth = 32;

type Path = readonly (string | number)[];

/**
 * Problems zod does not report: inherited-name keys at any depth (records included), and nesting
 * deeper than {@link maxNestingDepth}. Iterative, so absurd nesting cannot overflow the stack.
 */
function structuralIssues(value: unknown): z.core.$ZodIssue[] {
  const issues: z.core.$ZodIssue[] = [];
  // Each pending value links to its parent: a path is spelled out only for an issue, not for every value walked.
  const pending: PendingValue[] = [{ value, parent: undefined, key: "", depth: 0 }];
  const seen = new Set<object>();
  for (let item = pending.pop(); item; item = pending.pop()) {
    const current = item.value;
    if (typeof current !== "object" || current === null || seen.has(current)) continue;
    seen.add(current);
    if (item.depth >= maxNestingDepth) {
      issues.push({
        code: "custom",
        path: pathOf(item),
        message: `nested more than ${maxNestingDepth} levels deep; no control nests so deep, so it is not read`,
        input: undefined,
      } as z.core.$ZodIssue);
      continue;
    }
    if (Array.isArray(current)) {
      current.forEach((element, i) => pending.push({ value: element, parent: item, key: i, depth: item.depth + 1 }));
      continue;
    }
    const keys = Object.keys(current);
    const reserved = keys.filter((key) => reservedKeys.has(key));
    if (reserved.length > 0) {
      issues.push({ code: "unrecognized_keys", keys: reserved, path: pathOf(item), message: "", input: current } as z.core.$ZodIssue);
    }
    for (const key of keys) pending.push({ value: (current as Record<string, unknown>)[key], parent: item, key, depth: item.depth + 1 });
  }
  return issues;
}

interface PendingValue {
  readonly value: unknown;
  /** Where it sits: its parent's value and its key there (none for the root). */
  readonly parent: PendingValue | undefined;
  readonly key: string | number;
  readonly depth: number;
}

function pathOf(item: PendingValue): (string | number)[] {
  const path: (string | number)[] = [];
  for (let at: PendingValue | undefined = item; at?.parent; at = at.parent) path.push(at.key);
  return path.reverse();
}

/** zod's issues without the reserved keys {@link structuralIssues} already reports. */
function withoutReservedKeys(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.flatMap((issue): z.core.$ZodIssue[] => {
    if (issue.code !== "unrecognized_keys") return [issue];
    const keys = issue.keys.filter((key) => !reservedKeys.has(key));
    return keys.length > 0 ? [{ ...issue, keys } as z.core.$ZodIssue] : [];
  });
}

/** The settings a control's props carry, without what the engine adds. */
export function settingsProps(props: Record<string, unknown>): Record<string, unknown> {
  // fromEntries defines own keys: assigning a `__proto__` key would set the prototype instead.
  return Object.fromEntries(
    Object.keys(props)
      .filter((key) => !engineOwnedInputs.has(key))
      .map((key) => [key, props[key]]),
  );
}

/**
 * Validates props against the control's schema. Reads every field, so during a preview an
 * unknown value anywhere throws the policy SDK's UnknownValueError, which must be left to
 * propagate: the SDK turns it into its "can't run policy during preview" advisory.
 */
export function parseControl<S extends z.ZodObject>(
  definition: ControlDefinition<S>,
  props: Record<string, unknown>,
): ParseResult<z.output<S>> {
  const { result, issues } = checkSettings(definition, settingsProps(props), settingsProps(rawProperties(props)));
  if (result.success && issues.length === 0) return { ok: true, settings: result.data };
  return { ok: false, problems: issues.map((issue) => describeIssue(definition, issue)) };
}

/**
 * The one schema check every path uses (known settings, or settings with unknowns marked): zod's
 * issues and the structural ones zod cannot see. `raw` is what the structural walk reads when
 * `settings` is the SDK's proxy.
 */
export function checkSettings<S extends z.ZodObject>(
  definition: ControlDefinition<S>,
  settings: Record<string, unknown>,
  raw: Record<string, unknown> = settings,
): { result: z.ZodSafeParseResult<z.output<S>>; issues: z.core.$ZodIssue[] } {
  const result = definition.schema.safeParse(settings, { reportInput: true }) as z.ZodSafeParseResult<z.output<S>>;
  const issues = [...structuralIssues(raw), ...withoutReservedKeys(result.success ? [] : result.error.issues)];
  return { result, issues };
}

/**
 * Validates the fields whose values are known now, field by field, and reports required fields
 * that are absent. Fields in `allKeys` but not in `known` (Outputs not yet resolved) are skipped.
 */
export function validateKnownInputs(
  definition: ControlDefinition,
  known: Record<string, unknown>,
  allKeys: readonly string[],
  options: { hideGivenValues?: boolean } = {},
): SchemaProblem[] {
  const shape = definition.schema.shape as Record<string, z.ZodType>;
  const problems: SchemaProblem[] = [];
  const unknownFields = allKeys.filter((key) => !Object.hasOwn(shape, key) && !reservedKeys.has(key) && known[key] !== undefined);
  for (const issue of structuralIssues(known)) problems.push(describeIssue(definition, issue, options.hideGivenValues));
  if (unknownFields.length > 0) {
    problems.push(
      describeIssue(definition, {
        code: "unrecognized_keys",
        keys: unknownFields,
        path: [],
        message: "",
        input: known,
      } as z.core.$ZodIssue),
    );
  }
  for (const [key, fieldSchema] of Object.entries(shape)) {
    if (allKeys.includes(key) && !Object.hasOwn(known, key)) continue;
    const result = fieldSchema.safeParse(Object.hasOwn(known, key) ? known[key] : undefined, { reportInput: true });
    if (!result.success) {
      for (const issue of withoutReservedKeys(result.error.issues)) {
        problems.push(describeIssue(definition, { ...issue, path: [key, ...issue.path] } as z.core.$ZodIssue, options.hideGivenValues));
      }
    }
  }
  return problems;
}

/**
 * The path as a message shows it: cut at a secret path, since keys under a secret value are
 * secret too (a `*` segment's key is a name and stays).
 */
export function displayPath(definition: ControlDefinition, path: Path): string {
  const cut = secretPathLength(definition, path);
  const shown = path
    .slice(0, cut ?? path.length)
    .map(String)
    .join(".");
  return cut !== undefined && cut < path.length ? `${shown}.(hidden)` : shown;
}

/** How many segments of `path` a secret (or sensitive) path covers, when the path is at or under one. */
function secretPathLength(definition: ControlDefinition, path: Path): number | undefined {
  const lengths = hiddenPathsOf(definition)
    .map((secretPath) => secretPath.split("."))
    .filter((parts) => parts.length <= path.length && parts.every((part, i) => part === "*" || part === String(path[i])))
    .map((parts) => parts.length);
  return lengths.length > 0 ? Math.min(...lengths) : undefined;
}

export function describeIssue(definition: ControlDefinition, issue: z.core.$ZodIssue, hideGiven = false): SchemaProblem {
  const path = displayPath(definition, issue.path as Path);
  const field = path === "" ? "" : `field ${path}: `;
  // At or under a secret path (or a parent holding one), a message names the field and the
  // expected type only: no given value, no key under it, no list of values it was compared with.
  // Unknown keys are hidden only inside a secret value: a parent's (saml's) field names are names.
  const secret =
    issue.code === "unrecognized_keys"
      ? secretPathLength(definition, issue.path as Path) !== undefined
      : isSecretPath(definition, issue.path as Path);
  if (secret) return { path, message: `${field}${describeSecretIssue(issue)}` };
  const given = hideGiven ? "a value from an Output (not shown: it may be secret)" : describeGiven(issue.input);
  switch (issue.code) {
    case "invalid_value":
      return {
        path,
        message: `${field}got ${given}; allowed: ${issue.values.map((v) => show(v)).join(", ")}`,
      };
    case "invalid_type":
      return {
        path,
        message:
          issue.input === undefined ? `${field}missing; expected ${issue.expected}` : `${field}got ${given}; expected ${issue.expected}`,
      };
    case "unrecognized_keys": {
      const allowed = [...declaredFieldsAt(definition.schema, issue.path as Path)].join(", ");
      const plural = issue.keys.length > 1 ? "s" : "";
      // Keys of a value from an Output (a secret object, say) are part of that value: counted, not named.
      const keys = hideGiven
        ? `${issue.keys.length} unknown field${plural} (names not shown: the value came from an Output and may be secret)`
        : `unknown field${plural} ${issue.keys.map((k) => show(k)).join(", ")}`;
      return { path, message: `${field}${keys}${allowed ? `; allowed fields: ${allowed}` : ""}` };
    }
    case "invalid_union":
      return { path, message: `${field}got ${given}; ${issue.message}` };
    case "custom":
      return { path, message: `${field}${issue.message}` };
    default:
      return { path, message: `${field}got ${given}; expected ${lowerFirst(issue.message)}` };
  }
}

function describeSecretIssue(issue: z.core.$ZodIssue): string {
  const given = "got a secret value (hidden)";
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined ? `missing; expected ${issue.expected}` : `${given}; expected ${issue.expected}`;
    case "invalid_value":
      return `${given}; it is not one of the allowed values`;
    case "unrecognized_keys":
      return `${given} with ${issue.keys.length} unknown field${issue.keys.length > 1 ? "s" : ""} (names hidden)`;
    case "custom":
      return issue.message;
    default:
      return `${given}; expected ${lowerFirst(issue.message)}`;
  }
}

function describeGiven(input: unknown): string {
  if (input === undefined) return "nothing";
  if (input === null) return "null";
  if (Array.isArray(input)) return `a list of ${input.length}`;
  if (typeof input === "object") return "an object";
  return `${typeof input} ${show(input)}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** One line naming the resource and every problem with it. */
export function describeProblems(definition: ControlDefinition, resourceName: string, problems: readonly SchemaProblem[]): string {
  return `${definition.name} "${resourceName}" does not match its schema: ${problems.map((p) => p.message).join("; ")}`;
}
