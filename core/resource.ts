import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { controlModule, ControlDefinition } from "./control";
import { declaredStateProvider } from "./provider";
import { describeProblems, validateKnownInputs } from "./validation";

/** A control's inputs: each field may be a plain value or an Output of one. */
export type ControlArgs<S extends z.ZodObject> = { [K in keyof z.input<S>]: pulumi.Input<z.input<S>[K]> };

/** A control's outputs, one per field, as Pulumi resources expose them. */
export type ControlOutputs<S extends z.ZodObject> = { readonly [K in keyof z.output<S>]-?: pulumi.Output<z.output<S>[K]> };

/** Thrown at construction for a bad input; the message names resource, field, given and allowed values. */
export class ControlInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ControlInputError";
  }
}

export interface ControlResourceClass<S extends z.ZodObject> {
  new (
    name: string,
    args: ControlArgs<S>,
    opts?: pulumi.CustomResourceOptions,
  ): pulumi.dynamic.Resource &
    ControlOutputs<S> & {
      /** "api": applied through Intercom's REST API; "declared": recorded only, an admin applies it. */
      readonly appliedThrough: pulumi.Output<"api" | "declared">;
    };
  /** The type token, read by `validateResourceOfType`. */
  readonly __pulumiType: string;
  readonly definition: ControlDefinition<S>;
}

function isDeferred(value: unknown): boolean {
  return pulumi.Output.isInstance(value) || value instanceof Promise;
}

/**
 * Whether a value is, or holds in a plain object or array, a value known only later: e.g.
 * CustomAction headers whose values are Outputs each, kept apart so that each keeps its own
 * secretness on the wire. Bounded in depth like the schema check.
 */
function holdsDeferred(value: unknown, depth = 0): boolean {
  if (isDeferred(value)) return true;
  if (depth >= 32 || typeof value !== "object" || value === null) return false;
  return Object.values(value).some((inner) => holdsDeferred(inner, depth + 1));
}

/**
 * Builds the Pulumi resource class for a control: validates inputs against the control's zod
 * schema (plain values at once, Output values once they resolve), stores the secret paths as
 * Pulumi secrets (sensitive paths keep the secretness the caller gave each value), and registers
 * `pulumi-nodejs:dynamic/intercom:<Name>`.
 */
export function controlResource<S extends z.ZodObject>(
  definition: ControlDefinition<S>,
  options: { provider?: pulumi.dynamic.ResourceProvider } = {},
): ControlResourceClass<S> {
  // An API-backed control brings its own provider (intercom/); the others record declared state.
  const provider = options.provider ?? declaredStateProvider(definition.name, definition.identityFields);
  const secretTopLevelFields = [...new Set(definition.secretPaths.map((p) => p.split(".")[0] as string))];

  class ControlResource extends pulumi.dynamic.Resource {
    static readonly __pulumiType = `pulumi-nodejs:dynamic/${controlModule}:${definition.name}`;
    static readonly definition = definition;

    constructor(name: string, args: ControlArgs<S>, opts?: pulumi.CustomResourceOptions) {
      const inputs = (args ?? {}) as Record<string, unknown>;
      const known = Object.fromEntries(Object.entries(inputs).filter(([, v]) => !holdsDeferred(v)));
      const problems = validateKnownInputs(definition, known, Object.keys(inputs));
      if (problems.length > 0) throw new ControlInputError(describeProblems(definition, name, problems));

      if (Object.values(inputs).some((v) => holdsDeferred(v))) {
        // Values only known later are checked when they resolve; a failure fails the program.
        pulumi.all(inputs).apply((resolved) => {
          // Whether an Output was secret is lost once resolved, so its value is never shown.
          const late = validateKnownInputs(definition, resolved as Record<string, unknown>, Object.keys(inputs), {
            hideGivenValues: true,
          });
          if (late.length > 0) throw new ControlInputError(describeProblems(definition, name, late));
        });
      }

      super(
        provider,
        name,
        // appliedThrough is an output only (the provider sets it); undefined inputs are not sent.
        { ...withSecrets(definition, inputs), appliedThrough: undefined },
        {
          ...opts,
          additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...secretTopLevelFields],
        },
        controlModule,
        definition.name,
      );
    }
  }
  return ControlResource as unknown as ControlResourceClass<S>;
}

/**
 * Wraps every secret path's field in `pulumi.secret`, whatever the caller passed. Sensitive paths
 * are not wrapped: wrapping would make every value under them look as if it had been given as a
 * secret (see ControlDefinition.sensitivePaths).
 */
function withSecrets(definition: ControlDefinition, inputs: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...inputs };
  for (const path of definition.secretPaths) {
    const [top, ...rest] = path.split(".") as [string, ...string[]];
    const value = result[top];
    if (value === undefined || value === null) continue;
    if (rest.length === 1 && rest[0] !== "*" && typeof value === "object" && !isDeferred(value) && !Array.isArray(value)) {
      // Keep the rest of the object readable in diffs; only the secret leaf is hidden.
      const leaf = rest[0];
      const record = value as Record<string, unknown>;
      if (record[leaf] !== undefined) result[top] = { ...record, [leaf]: pulumi.secret(record[leaf]) };
    } else {
      result[top] = pulumi.secret(value);
    }
  }
  return result;
}
