import { z } from "zod";
import { ControlDefinition, isSecretPath } from "./control";
import { show } from "./redaction";

/** Inputs Pulumi adds to every dynamic resource: the serialized provider. Not a setting. */
const engineOwnedInputs = new Set(["__provider"]);

export interface SchemaProblem {
  /** Dot path of the offending field, or "" for the object itself. */
  readonly path: string;
  /** Names the field, what was given (never a secret) and what is allowed. */
  readonly message: string;
}

export type ParseResult<T> = { ok: true; settings: T } | { ok: false; problems: SchemaProblem[] };

/** The settings a control's props carry, without what the engine adds. */
export function settingsProps(props: Record<string, unknown>): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const key of Object.keys(props)) {
    if (!engineOwnedInputs.has(key)) settings[key] = props[key];
  }
  return settings;
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
  const result = definition.schema.safeParse(settingsProps(props), { reportInput: true });
  if (result.success) return { ok: true, settings: result.data };
  return { ok: false, problems: result.error.issues.map((issue) => describeIssue(definition, issue)) };
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
  const unknownFields = allKeys.filter((key) => !(key in shape) && known[key] !== undefined);
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
    if (allKeys.includes(key) && !(key in known)) continue;
    const result = fieldSchema.safeParse(known[key], { reportInput: true });
    if (!result.success) {
      for (const issue of result.error.issues) {
        problems.push(
          describeIssue(definition, { ...issue, path: [key, ...issue.path] } as z.core.$ZodIssue, options.hideGivenValues),
        );
      }
    }
  }
  return problems;
}

export function describeIssue(definition: ControlDefinition, issue: z.core.$ZodIssue, hideGiven = false): SchemaProblem {
  const path = issue.path.map(String).join(".");
  const field = path === "" ? "" : `field ${path}: `;
  const secret = isSecretPath(definition, issue.path as (string | number)[]);
  const given = secret
    ? "a secret value (hidden)"
    : hideGiven
      ? "a value from an Output (not shown: it may be secret)"
      : describeGiven(issue.input);
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
          issue.input === undefined
            ? `${field}missing; expected ${issue.expected}`
            : `${field}got ${given}; expected ${issue.expected}`,
      };
    case "unrecognized_keys": {
      const allowed = Object.keys(definition.schema.shape).join(", ");
      return {
        path,
        message: `${field}unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys
          .map((k) => show(k))
          .join(", ")}; allowed fields: ${allowed}`,
      };
    }
    case "invalid_union":
      return { path, message: `${field}got ${given}; ${issue.message}` };
    default:
      return { path, message: `${field}got ${given}; expected ${lowerFirst(issue.message)}` };
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
export function describeProblems(
  definition: ControlDefinition,
  resourceName: string,
  problems: readonly SchemaProblem[],
): string {
  return `${definition.name} "${resourceName}" does not match its schema: ${problems.map((p) => p.message).join("; ")}`;
}
