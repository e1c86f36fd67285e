/**
 * StackModel.build(resources, controls, previous): a stack policy reuses the parse the policy
 * before it made of the same resources (core/crossguard.ts). Reuse must never grade a resource by
 * settings it no longer has: for any change of one resource (a value, a key, its name, a second
 * resource with its urn), the model built on the previous one equals a model built afresh, and its
 * per-workspace and per-urn lookups agree with a scan of every control.
 */
import fc from "fast-check";
import { ControlDefinition } from "../../core/control";
import { StackModel, StackResource } from "../../core/stack-model";
import { allControls } from "../../resources";
import { otherWorkspaceId, secureStack, secureStackVariants } from "../support/fixtures";
import { propertyParameters } from "../support/property";

/**
 * A deep copy made in this realm (structuredClone's objects have another realm's prototypes under
 * Jest, which the model rightly does not take for the same values). The fixtures are plain JSON.
 */
function copyOf<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Two workspaces: the secure stack, and a copy of it for another workspace. */
function twoWorkspaces(variant: number): StackResource[] {
  const first = secureStack(secureStackVariants[variant]);
  const second = first
    .filter((r) => r.type !== "pulumi:pulumi:Stack")
    .map((r) => ({ ...r, name: `${r.name}-2`, urn: `${r.urn}-2`, props: { ...r.props, workspaceId: otherWorkspaceId } }));
  return [...first, ...second];
}

/** Everything a rule can read of the model, in order. */
function observed(model: StackModel) {
  const workspaceIds = model.workspaceIds();
  return {
    valid: model.valid.map((c) => ({
      urn: c.urn,
      name: c.name,
      control: c.definition.name,
      settings: c.settings,
      unknownFields: c.unknownFields,
    })),
    invalid: model.invalid.map((c) => ({
      urn: c.urn,
      name: c.name,
      control: c.definition.name,
      workspaceId: c.workspaceId,
      props: c.props,
      problems: c.problems,
    })),
    workspaceIds,
    lookups: allControls.map((definition: ControlDefinition) => ({
      all: model.instances(definition).map((c) => c.urn),
      byWorkspace: workspaceIds.map((id) => [
        model.instances(definition, id).map((c) => c.urn),
        model.invalidInstances(definition, id).map((c) => c.urn),
      ]),
    })),
    workspaceOf: [...model.valid, ...model.invalid].map((c) => model.workspaceOf(c.urn)),
    controlAt: [...model.valid, ...model.invalid].map((c) => model.controlAt(c.urn)?.props),
    secrets: model.secretValues(),
  };
}

const oddValue = fc.oneof(
  fc.constantFrom<unknown>(Number.NaN, -0, 0, null, "", true, false, [], {}, otherWorkspaceId),
  fc.string(),
  fc.integer(),
  fc.jsonValue(),
);

type Change =
  | { kind: "value"; key: string | undefined; value: unknown }
  | { kind: "rename"; name: string }
  | { kind: "remove-key"; key: string | undefined }
  | { kind: "same-urn-twice"; value: unknown }
  | { kind: "loosely-equal"; key: undefined };

const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({
    kind: fc.constant("value" as const),
    key: fc.option(fc.string({ minLength: 1, maxLength: 12 }), { nil: undefined }),
    value: oddValue,
  }),
  fc.record({ kind: fc.constant("rename" as const), name: fc.string({ minLength: 1, maxLength: 12 }) }),
  fc.record({ kind: fc.constant("remove-key" as const), key: fc.option(fc.string({ minLength: 1, maxLength: 12 }), { nil: undefined }) }),
  fc.record({ kind: fc.constant("same-urn-twice" as const), value: oddValue }),
  fc.constant({ kind: "loosely-equal" as const, key: undefined }),
);

/** A different value that `==` would call equal (12 and "12", true and 1, null and undefined, an array and its text). */
function looselyEqual(value: unknown): unknown {
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return Number(value);
  if (value === null) return undefined;
  if (typeof value === "string") return /^\d+$/.test(value) ? Number(value) : [value];
  return String(value);
}

function applied(stack: readonly StackResource[], index: number, what: Change): StackResource[] {
  const copy = stack.map((r) => ({ ...r, props: copyOf(r.props) }));
  const target = copy[index] as StackResource & { props: Record<string, unknown>; name: string };
  const keys = Object.keys(target.props);
  // An existing key when none is drawn: changing a field the schema knows is the likelier mistake to get past reuse.
  const keyOf = (key: string | undefined, salt: number) => key ?? (keys[salt % Math.max(1, keys.length)] as string);
  switch (what.kind) {
    case "value":
      target.props[keyOf(what.key, index)] = what.value;
      return copy;
    case "rename":
      return copy.map((r, i) => (i === index ? { ...r, name: what.name } : r));
    case "remove-key":
      delete target.props[keyOf(what.key, index)];
      return copy;
    case "loosely-equal": {
      const key = keyOf(undefined, index);
      target.props[key] = looselyEqual(target.props[key]);
      return copy;
    }
    case "same-urn-twice":
      return [...copy, { ...target, props: { ...target.props, [keyOf(undefined, index + 1)]: what.value } }];
  }
}

describe("StackModel.build on a previous model", () => {
  it("reuses every parse of an unchanged stack, with the same lookups", () => {
    for (let variant = 0; variant < secureStackVariants.length; variant++) {
      const stack = twoWorkspaces(variant);
      const previous = StackModel.build(stack, allControls);
      const again = StackModel.build(copyOf(stack), allControls, previous);
      expect(again.valid.length).toBe(previous.valid.length);
      again.valid.forEach((c, i) => expect(c).toBe(previous.valid[i]));
      expect(observed(again)).toStrictEqual(observed(previous));
    }
  });

  it("equals a fresh build after any change of one resource", () => {
    fc.assert(
      fc.property(fc.nat(secureStackVariants.length - 1), fc.nat(), change, (variant, at, what) => {
        const stack = twoWorkspaces(variant);
        const index = 1 + (at % (stack.length - 1)); // never the root stack
        const previous = StackModel.build(stack, allControls);
        const changed = applied(stack, index, what);
        const reused = StackModel.build(changed, allControls, previous);
        expect(observed(reused)).toStrictEqual(observed(StackModel.build(changed, allControls)));
        // And a third build on the changed one still matches (what is remembered is what was built).
        expect(observed(StackModel.build(stack, allControls, reused))).toStrictEqual(observed(previous));
      }),
      propertyParameters(150),
    );
  });

  it("answers per-workspace and per-urn lookups as a scan of every control does", () => {
    const stack = twoWorkspaces(secureStackVariants.length - 1);
    const model = StackModel.build(stack, allControls);
    for (const definition of allControls) {
      for (const workspaceId of model.workspaceIds()) {
        expect(model.instances(definition, workspaceId).map((c) => c.urn)).toEqual(
          model.valid.filter((c) => c.definition === definition && c.workspaceId === workspaceId).map((c) => c.urn),
        );
      }
      expect(model.instances(definition).map((c) => c.urn)).toEqual(
        model.valid.filter((c) => c.definition === definition).map((c) => c.urn),
      );
    }
    for (const control of model.valid) expect(model.workspaceOf(control.urn)).toBe(control.workspaceId);
    // A caller may change the list it gets without changing the model.
    const [definition] = allControls;
    model.instances(definition as ControlDefinition).length = 0;
    expect(model.instances(definition as ControlDefinition).length).toBeGreaterThan(0);
  });
});
