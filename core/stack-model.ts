import { z } from "zod";
import { ControlDefinition, secretValuesOf } from "./control";
import { rawProperties } from "./sdk-unknowns";
import { displayPaths, isUnknownValue, parseWithUnknowns } from "./unknowns";
import { SchemaProblem } from "./validation";

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
  /**
   * The workspace the control belongs to. When it is not known yet (a preview), reading it
   * throws UnknownValueRead (core/unknowns.ts): such a control belongs to no known workspace, and a rule
   * that needs its workspace is not evaluated for it.
   */
  readonly workspaceId: string;
  /**
   * Typed settings. Values not known until the update throw UnknownValueRead (core/unknowns.ts) when read,
   * so a rule that reads only known values grades the control as usual.
   */
  readonly settings: T;
  /** Paths of the values not known until the update (empty when all are known); never values. */
  readonly unknownFields: readonly string[];
}

/** A control whose props fail its schema: it is reported wherever it is read, never skipped. */
export interface InvalidControl {
  readonly definition: ControlDefinition;
  readonly urn: string;
  readonly name: string;
  /** Undefined when absent, not a string, or not known yet. */
  readonly workspaceId: string | undefined;
  readonly props: Record<string, unknown>;
  readonly problems: readonly SchemaProblem[];
}

/** The workspace id the raw props name, when it is a known string. */
function knownWorkspaceIdOf(props: Record<string, unknown>): string | undefined {
  const workspaceId = props["workspaceId"];
  return typeof workspaceId === "string" && !isUnknownValue(workspaceId) ? workspaceId : undefined;
}

/**
 * The stack's Intercom controls, parsed and grouped so stack policies read typed settings.
 *
 * A control whose workspace id is not known yet is listed among the valid ones (it is graded on
 * its own settings, and a rule iterating every control meets it), but it belongs to no known
 * workspace: workspace-scoped queries (`instances(d, id)`, `declares`) never return it, so it can
 * never satisfy a requirement of a known workspace.
 */
export class StackModel {
  private constructor(
    readonly valid: readonly ControlInstance[],
    readonly invalid: readonly InvalidControl[],
    /** Each valid control's workspace, when known. */
    private readonly workspaces: ReadonlyMap<ControlInstance, string | undefined>,
    /** Raw props by urn, for secret values (settings with unknowns cannot be walked). */
    private readonly rawProps: ReadonlyMap<string, { definition: ControlDefinition; props: Record<string, unknown> }>,
  ) {}

  static build(resources: readonly StackResource[], controls: readonly ControlDefinition[]): StackModel {
    const byType = new Map(controls.map((c) => [c.typeToken, c]));
    const valid: ControlInstance[] = [];
    const invalid: InvalidControl[] = [];
    const workspaces = new Map<ControlInstance, string | undefined>();
    const rawProps = new Map<string, { definition: ControlDefinition; props: Record<string, unknown> }>();
    for (const resource of resources) {
      const definition = byType.get(resource.type);
      if (!definition) continue;
      // The values behind the SDK's proxy: unknowns are read here as sentinels, never through it.
      const props = rawProperties(resource.props);
      rawProps.set(resource.urn, { definition, props });
      const owner = { definition, name: resource.name, urn: resource.urn };
      const parsed = parseWithUnknowns(definition, props, owner);
      const workspaceId = knownWorkspaceIdOf(props);
      if (!parsed.ok) {
        invalid.push({ definition, urn: resource.urn, name: resource.name, workspaceId, props, problems: parsed.problems });
        continue;
      }
      const base = {
        definition,
        urn: resource.urn,
        name: resource.name,
        settings: parsed.settings as Record<string, unknown>,
        unknownFields: displayPaths(definition, parsed.unknownPaths),
      };
      const instance: ControlInstance =
        workspaceId !== undefined
          ? { ...base, workspaceId }
          : {
              ...base,
              // The settings' own workspaceId is the unknown marker: reading it records and throws.
              get workspaceId(): string {
                return (base.settings as { workspaceId: string }).workspaceId;
              },
            };
      valid.push(instance);
      workspaces.set(instance, workspaceId);
    }
    return new StackModel(valid, invalid, workspaces, rawProps);
  }

  instances<S extends z.ZodObject>(
    definition: ControlDefinition<S>,
    workspaceId?: string,
  ): ControlInstance<z.output<S>>[] {
    return this.valid.filter(
      (c) => c.definition === definition && (workspaceId === undefined || this.workspaces.get(c) === workspaceId),
    ) as ControlInstance<z.output<S>>[];
  }

  invalidInstances(definition: ControlDefinition, workspaceId?: string): InvalidControl[] {
    return this.invalid.filter(
      (c) => c.definition === definition && (workspaceId === undefined || c.workspaceId === workspaceId),
    );
  }

  /**
   * Whether the workspace declares an instance with these identity values, valid or invalid (an
   * invalid one is reported as not evaluated wherever it is read). A control whose workspace is
   * not known yet never counts; one of this workspace whose identity is not known yet makes the
   * question unanswerable: reading its identity throws UnknownValueRead (core/unknowns.ts), and the rule
   * asking is not evaluated for this workspace.
   */
  declares(definition: ControlDefinition, workspaceId: string, identity: Record<string, unknown>): boolean {
    const matches = (values: Record<string, unknown>) =>
      definition.identityFields.every((field) => values[field] === identity[field]);
    return (
      this.instances(definition, workspaceId).some((c) => matches(c.settings)) ||
      this.invalidInstances(definition, workspaceId).some((c) => matches(c.props))
    );
  }

  /** The workspace of the control with this urn, when known. */
  workspaceOf(urn: string): string | undefined {
    const control = this.valid.find((c) => c.urn === urn);
    return control ? this.workspaces.get(control) : this.invalid.find((c) => c.urn === urn)?.workspaceId;
  }

  /** The control with this urn (valid or invalid) and its props as received, for a rule that re-grades it. */
  controlAt(urn: string): { definition: ControlDefinition; name: string; props: Record<string, unknown> } | undefined {
    const control = this.valid.find((c) => c.urn === urn) ?? this.invalid.find((c) => c.urn === urn);
    const raw = this.rawProps.get(urn);
    return control && raw ? { definition: raw.definition, name: control.name, props: raw.props } : undefined;
  }

  /** Every known workspace id any control names, declared as a Workspace or not, in first-seen order. */
  workspaceIds(): string[] {
    const ids = [...this.valid.map((c) => this.workspaces.get(c)), ...this.invalid.map((c) => c.workspaceId)];
    return [...new Set(ids.filter((id): id is string => id !== undefined))];
  }

  /** Every string found at a secret path of any control, for redaction (unknown values included, harmlessly). */
  secretValues(): string[] {
    return [...this.rawProps.values()].flatMap(({ definition, props }) => secretValuesOf(definition, props));
  }

  /**
   * The stack cut into parts that rules grade independently: one per known workspace (its
   * controls, valid and invalid), and one per control whose workspace is not known yet. Every
   * stack rule so far grades workspace by workspace, so a value not known in one part leaves the
   * verdicts of the others intact.
   */
  partitionByWorkspace(): StackModel[] {
    const keyOf = (urn: string, workspaceId: string | undefined) =>
      workspaceId === undefined ? `urn:${urn}` : `workspace:${workspaceId}`;
    const groups = new Map<string, { valid: ControlInstance[]; invalid: InvalidControl[] }>();
    const group = (key: string) => {
      let found = groups.get(key);
      if (!found) groups.set(key, (found = { valid: [], invalid: [] }));
      return found;
    };
    for (const control of this.valid) group(keyOf(control.urn, this.workspaces.get(control))).valid.push(control);
    for (const control of this.invalid) group(keyOf(control.urn, control.workspaceId)).invalid.push(control);
    return [...groups.values()].map((part) => new StackModel(part.valid, part.invalid, this.workspaces, this.rawProps));
  }
}
