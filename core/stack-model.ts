import { z } from "zod";
import { ControlDefinition, secretValuesOf } from "./control";
import { rawProperties } from "./sdk/policy-proxy";
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
  /**
   * Controls by definition, by definition and workspace, and by urn, each list in stack order:
   * rules ask per workspace, so a scan of every control per question would grow quadratically
   * with the stack.
   */
  private readonly validIndex = new ControlIndex<ControlInstance>();
  private readonly invalidIndex = new ControlIndex<InvalidControl>();

  private constructor(
    readonly valid: readonly ControlInstance[],
    readonly invalid: readonly InvalidControl[],
    /** Each valid control's workspace, when known. */
    private readonly workspaces: ReadonlyMap<ControlInstance, string | undefined>,
    /** Raw props by urn, for secret values (settings with unknowns cannot be walked). */
    private readonly rawProps: ReadonlyMap<string, { definition: ControlDefinition; props: Record<string, unknown> }>,
    /** What each resource parsed to, by urn (urns that occur once only), for a later build to reuse. */
    private readonly parses: ReadonlyMap<string, Parse> = new Map(),
  ) {
    for (const control of valid) this.validIndex.add(control, workspaces.get(control));
    for (const control of invalid) this.invalidIndex.add(control, control.workspaceId);
  }

  /**
   * `previous`: a model of (very likely) the same resources, such as the one the stack policy
   * before this one built in the same AnalyzeStack call. A resource whose type, name, urn and
   * props are exactly those it had there (compared value by value, never by a digest) keeps its
   * parse, so a stack is parsed once per call rather than once per stack policy.
   */
  static build(resources: readonly StackResource[], controls: readonly ControlDefinition[], previous?: StackModel): StackModel {
    const byType = new Map(controls.map((c) => [c.typeToken, c]));
    const valid: ControlInstance[] = [];
    const invalid: InvalidControl[] = [];
    const workspaces = new Map<ControlInstance, string | undefined>();
    const rawProps = new Map<string, { definition: ControlDefinition; props: Record<string, unknown> }>();
    const parses = new Map<string, Parse>();
    const repeatedUrns = new Set<string>();
    for (const resource of resources) {
      const definition = byType.get(resource.type);
      if (!definition) continue;
      // The values behind the SDK's proxy: unknowns are read here as sentinels, never through it.
      const props = rawProperties(resource.props);
      rawProps.set(resource.urn, { definition, props });
      const earlier = previous?.parses.get(resource.urn);
      const reused =
        earlier && earlier.definition === definition && earlier.name === resource.name && sameValue(earlier.props, props)
          ? earlier
          : undefined;
      if (parses.has(resource.urn) || repeatedUrns.has(resource.urn)) {
        parses.delete(resource.urn);
        repeatedUrns.add(resource.urn);
      }
      if (reused) {
        if (!repeatedUrns.has(resource.urn)) parses.set(resource.urn, reused);
        if (reused.instance) {
          valid.push(reused.instance);
          workspaces.set(reused.instance, reused.workspaceId);
        } else if (reused.invalid) invalid.push(reused.invalid);
        continue;
      }
      const owner = { definition, name: resource.name, urn: resource.urn };
      const parsed = parseWithUnknowns(definition, props, owner);
      const workspaceId = knownWorkspaceIdOf(props);
      const remember = (parse: Omit<Parse, "definition" | "name" | "props" | "workspaceId">): void => {
        if (!repeatedUrns.has(resource.urn)) parses.set(resource.urn, { definition, name: resource.name, props, workspaceId, ...parse });
      };
      if (!parsed.ok) {
        const control: InvalidControl = {
          definition,
          urn: resource.urn,
          name: resource.name,
          workspaceId,
          props,
          problems: parsed.problems,
        };
        invalid.push(control);
        remember({ invalid: control });
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
      remember({ instance });
    }
    return new StackModel(valid, invalid, workspaces, rawProps, parses);
  }

  instances<S extends z.ZodObject>(definition: ControlDefinition<S>, workspaceId?: string): ControlInstance<z.output<S>>[] {
    return this.validIndex.of(definition, workspaceId) as ControlInstance<z.output<S>>[];
  }

  invalidInstances(definition: ControlDefinition, workspaceId?: string): InvalidControl[] {
    return this.invalidIndex.of(definition, workspaceId);
  }

  /**
   * Whether the workspace declares an instance with these identity values, valid or invalid (an
   * invalid one is reported as not evaluated wherever it is read). A control whose workspace is
   * not known yet never counts; one of this workspace whose identity is not known yet makes the
   * question unanswerable: reading its identity throws UnknownValueRead (core/unknowns.ts), and the rule
   * asking is not evaluated for this workspace.
   */
  declares(definition: ControlDefinition, workspaceId: string, identity: Record<string, unknown>): boolean {
    const matches = (values: Record<string, unknown>) => definition.identityFields.every((field) => values[field] === identity[field]);
    return (
      this.instances(definition, workspaceId).some((c) => matches(c.settings)) ||
      this.invalidInstances(definition, workspaceId).some((c) => matches(c.props))
    );
  }

  /** The workspace of the control with this urn, when known. */
  workspaceOf(urn: string): string | undefined {
    const control = this.validIndex.at(urn);
    return control ? this.workspaces.get(control) : this.invalidIndex.at(urn)?.workspaceId;
  }

  /** The control with this urn (valid or invalid) and its props as received, for a rule that re-grades it. */
  controlAt(urn: string): { definition: ControlDefinition; name: string; props: Record<string, unknown> } | undefined {
    const control = this.validIndex.at(urn) ?? this.invalidIndex.at(urn);
    const raw = this.rawProps.get(urn);
    return control && raw ? { definition: raw.definition, name: control.name, props: raw.props } : undefined;
  }

  /** Every known workspace id any control names, declared as a Workspace or not, in first-seen order. */
  workspaceIds(): string[] {
    const ids = [...this.valid.map((c) => this.workspaces.get(c)), ...this.invalid.map((c) => c.workspaceId)];
    return [...new Set(ids.filter((id): id is string => id !== undefined))];
  }

  /**
   * Every string found at a secret path of any control, for redaction (unknown values included,
   * harmlessly). Found once per model: every stack policy of a call asks, and the props do not change.
   */
  secretValues(): readonly string[] {
    this.foundSecrets ??= [...this.rawProps.values()].flatMap(({ definition, props }) => secretValuesOf(definition, props));
    return this.foundSecrets;
  }
  private foundSecrets: readonly string[] | undefined;

  /**
   * The stack cut into parts that rules grade independently: one per known workspace (its
   * controls, valid and invalid), and one per control whose workspace is not known yet. Every
   * stack rule so far grades workspace by workspace, so a value not known in one part leaves the
   * verdicts of the others intact.
   */
  partitionByWorkspace(): StackModel[] {
    const keyOf = (urn: string, workspaceId: string | undefined) => (workspaceId === undefined ? `urn:${urn}` : `workspace:${workspaceId}`);
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

/** One resource's parse: what it was parsed from, and what it became. */
interface Parse {
  readonly definition: ControlDefinition;
  readonly name: string;
  readonly props: Record<string, unknown>;
  readonly workspaceId: string | undefined;
  readonly instance?: ControlInstance;
  readonly invalid?: InvalidControl;
}

/**
 * Exactly the same value: the same primitives (Object.is: NaN is NaN, -0 is not 0), and objects of
 * the same prototype with the same own keys holding the same values. Never a digest: a collision
 * would grade a resource by another's settings.
 */
function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const keysA = Reflect.ownKeys(a);
  const keysB = Reflect.ownKeys(b);
  if (keysA.length !== keysB.length) return false;
  for (const key of keysA) {
    const descriptorA = Object.getOwnPropertyDescriptor(a, key);
    const descriptorB = Object.getOwnPropertyDescriptor(b, key);
    // Only data properties are compared: an accessor's value could change between reads.
    if (!descriptorA || !descriptorB || !("value" in descriptorA) || !("value" in descriptorB)) return false;
    if (!sameValue(descriptorA.value, descriptorB.value)) return false;
  }
  return true;
}

/** Controls of one kind (valid or invalid) by definition, by definition and workspace, and by urn (the first with it). */
class ControlIndex<C extends { readonly definition: ControlDefinition; readonly urn: string }> {
  private readonly byDefinition = new Map<ControlDefinition, C[]>();
  private readonly byWorkspace = new Map<ControlDefinition, Map<string, C[]>>();
  private readonly byUrn = new Map<string, C>();

  add(control: C, workspaceId: string | undefined): void {
    listIn(this.byDefinition, control.definition).push(control);
    if (workspaceId !== undefined) {
      let workspaces = this.byWorkspace.get(control.definition);
      if (!workspaces) this.byWorkspace.set(control.definition, (workspaces = new Map()));
      listIn(workspaces, workspaceId).push(control);
    }
    if (!this.byUrn.has(control.urn)) this.byUrn.set(control.urn, control);
  }

  /** A copy, in stack order: callers may change the list they get. */
  of(definition: ControlDefinition, workspaceId?: string): C[] {
    const list = workspaceId === undefined ? this.byDefinition.get(definition) : this.byWorkspace.get(definition)?.get(workspaceId);
    return list ? [...list] : [];
  }

  at(urn: string): C | undefined {
    return this.byUrn.get(urn);
  }
}

function listIn<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}
