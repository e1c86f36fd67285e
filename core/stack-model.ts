import { z } from "zod";
import { ControlDefinition } from "./control";
import { isUnknownSentinel, isUnknownValueError, rawProperties } from "./sdk-unknowns";
import { parseControl, SchemaProblem } from "./validation";

/** One resource of the stack, as the policy SDK (or a captured program) gives it. */
export interface StackResource {
  readonly type: string;
  readonly urn: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
}

export interface ControlInstance<T = Record<string, unknown>> {
  readonly definition: ControlDefinition;
  readonly urn: string;
  readonly name: string;
  readonly workspaceId: string;
  readonly settings: T;
}

/** A control whose props fail its schema: it is reported wherever it is read, never skipped. */
export interface InvalidControl {
  readonly definition: ControlDefinition;
  readonly urn: string;
  readonly name: string;
  readonly workspaceId: string | undefined;
  readonly props: Record<string, unknown>;
  readonly problems: readonly SchemaProblem[];
}

/**
 * A control with values not known until the update (during a preview): it cannot be graded
 * yet, and must neither block the preview nor stop the stack policies grading everything else.
 */
export interface PendingControl {
  readonly definition: ControlDefinition;
  readonly urn: string;
  readonly name: string;
  /** Undefined when the workspace id itself is not known yet. */
  readonly workspaceId: string | undefined;
  /** Raw properties: unknown values are the SDK's sentinels. */
  readonly props: Record<string, unknown>;
  /** Which value is unknown (a path, never a value). */
  readonly detail: string;
}

/** The stack's Intercom controls, parsed and grouped so stack policies read typed settings. */
export class StackModel {
  private constructor(
    readonly valid: readonly ControlInstance[],
    readonly invalid: readonly InvalidControl[],
    readonly pending: readonly PendingControl[] = [],
  ) {}

  static build(resources: readonly StackResource[], controls: readonly ControlDefinition[]): StackModel {
    const byType = new Map(controls.map((c) => [c.typeToken, c]));
    const valid: ControlInstance[] = [];
    const invalid: InvalidControl[] = [];
    const pending: PendingControl[] = [];
    for (const resource of resources) {
      const definition = byType.get(resource.type);
      if (!definition) continue;
      let parsed: ReturnType<typeof parseControl>;
      try {
        parsed = parseControl(definition, resource.props);
      } catch (error) {
        if (!isUnknownValueError(error)) throw error;
        const raw = rawProperties(resource.props);
        const workspaceId = raw["workspaceId"];
        pending.push({
          definition,
          urn: resource.urn,
          name: resource.name,
          workspaceId: typeof workspaceId === "string" && !isUnknownSentinel(workspaceId) ? workspaceId : undefined,
          props: raw,
          detail: error.message,
        });
        continue;
      }
      if (parsed.ok) {
        const settings = parsed.settings as Record<string, unknown>;
        valid.push({ definition, urn: resource.urn, name: resource.name, workspaceId: String(settings["workspaceId"]), settings });
      } else {
        const workspaceId = resource.props["workspaceId"];
        invalid.push({
          definition,
          urn: resource.urn,
          name: resource.name,
          workspaceId: typeof workspaceId === "string" ? workspaceId : undefined,
          props: resource.props,
          problems: parsed.problems,
        });
      }
    }
    return new StackModel(valid, invalid, pending);
  }

  instances<S extends z.ZodObject>(
    definition: ControlDefinition<S>,
    workspaceId?: string,
  ): ControlInstance<z.output<S>>[] {
    return this.valid.filter(
      (c) => c.definition === definition && (workspaceId === undefined || c.workspaceId === workspaceId),
    ) as ControlInstance<z.output<S>>[];
  }

  invalidInstances(definition: ControlDefinition, workspaceId?: string): InvalidControl[] {
    return this.invalid.filter(
      (c) => c.definition === definition && (workspaceId === undefined || c.workspaceId === workspaceId),
    );
  }

  /**
   * Whether an instance with these identity values exists, valid, invalid or pending. A pending
   * control whose workspace or identity is not known yet may be the one: it counts as declared.
   */
  declares(definition: ControlDefinition, workspaceId: string, identity: Record<string, unknown>): boolean {
    const matches = (values: Record<string, unknown>) =>
      definition.identityFields.every((field) => values[field] === identity[field] || isUnknownSentinel(values[field]));
    return (
      this.instances(definition, workspaceId).some((c) => matches(c.settings)) ||
      this.invalidInstances(definition, workspaceId).some((c) => matches(c.props)) ||
      this.pending.some(
        (c) => c.definition === definition && (c.workspaceId === undefined || c.workspaceId === workspaceId) && matches(c.props),
      )
    );
  }

  /** The workspace of the control with this urn, when known. */
  workspaceOf(urn: string): string | undefined {
    return [...this.valid, ...this.invalid, ...this.pending].find((c) => c.urn === urn)?.workspaceId;
  }

  /** Every workspace id any control names, declared as a Workspace or not, in first-seen order. */
  workspaceIds(): string[] {
    const ids = [
      ...this.valid.map((c) => c.workspaceId),
      ...this.invalid.map((c) => c.workspaceId),
      ...this.pending.map((c) => c.workspaceId),
    ];
    return [...new Set(ids.filter((id): id is string => id !== undefined))];
  }
}
