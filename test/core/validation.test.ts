/**
 * The schema check (core/validation.ts) on what a program can send: keys every JavaScript object
 * inherits, absurd nesting, and secrets at secret paths, for every control.
 */
import fc from "fast-check";
import { ControlDefinition } from "../../core/control";
import { describeProblems, maxNestingDepth, parseControl, validateKnownInputs } from "../../core/validation";
import { allControls } from "../../resources";
import { canary, leaksOf, secretPathsOf, withValueAt } from "../support/canary";
import { secureSample } from "../support/fixtures";
import { propertyParameters } from "../support/property";

/** Keys a plain object inherits, and `prototype`: each must be reported, never dropped or obeyed. */
const inheritedNames = [...Object.getOwnPropertyNames(Object.prototype), "prototype"];

/** Object-valued places in a control's props where a key can be added: the top level, nested objects, records, list entries. */
function objectPaths(value: unknown, path: readonly (string | number)[] = []): Array<readonly (string | number)[]> {
  if (Array.isArray(value)) return value.flatMap((element, i) => objectPaths(element, [...path, i]));
  if (value && typeof value === "object") {
    return [path, ...Object.entries(value).flatMap(([key, element]) => objectPaths(element, [...path, key]))];
  }
  return [];
}

/** `props` with `key` added at `path`, built through JSON.parse so `__proto__` is an own key, as the SDK delivers it. */
function withKeyAt(
  props: Record<string, unknown>,
  path: readonly (string | number)[],
  key: string,
  value: unknown,
): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(props)) as Record<string, unknown>;
  let target: Record<string, unknown> = copy;
  for (const segment of path) target = target[segment as string] as Record<string, unknown>;
  const extra = JSON.parse(`{${JSON.stringify(key)}: ${JSON.stringify(value)}}`) as Record<string, unknown>;
  Object.defineProperty(target, key, { value: extra[key], enumerable: true, configurable: true, writable: true });
  return copy;
}

const controlWithPlace = fc.constantFrom(...allControls).chain((control) => {
  // Every sample has a record to add to where the control has one (CustomAction's headers).
  const sample =
    control.name === "CustomAction" ? { ...secureSample(control), headers: { Accept: "application/json" } } : secureSample(control);
  return fc.tuple(fc.constant(control), fc.constant(sample), fc.constantFrom(...objectPaths(sample)));
});

describe("keys every object inherits", () => {
  it("are reported as unknown fields wherever they appear, in records too, and pollute nothing", () => {
    fc.assert(
      fc.property(
        controlWithPlace,
        fc.constantFrom(...inheritedNames),
        fc.oneof(fc.string(), fc.constant({ polluted: true })),
        ([control, sample, path], key, value) => {
          const parsed = parseControl(control, withKeyAt(sample, path, key, value));
          expect(parsed.ok).toBe(false);
          if (parsed.ok) return;
          const message = describeProblems(control, "with-inherited-key", parsed.problems);
          expect(message).toContain(`unknown field`);
          expect(message).toContain(`"${key}"`);
          expect(parsed.problems.some((p) => p.path === path.join("."))).toBe(true);
          expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
        },
      ),
      propertyParameters(300),
    );
  });

  it("are refused at construction too, where `in` once let them through", () => {
    for (const key of inheritedNames) {
      const control = allControls[0] as ControlDefinition;
      const known = withKeyAt(secureSample(control), [], key, "x");
      const problems = validateKnownInputs(control, known, Object.keys(known));
      expect(problems.map((p) => p.message).join("; ")).toContain(`"${key}"`);
    }
  });
});

describe("absurdly deep nesting", () => {
  function nested(depth: number, leaf: unknown): unknown {
    let value = leaf;
    for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { inner: value } : [value];
    return value;
  }

  it("is a schema problem naming where it starts, never a stack overflow or a pass", () => {
    fc.assert(
      fc.property(controlWithPlace, fc.constantFrom(maxNestingDepth + 1, 1_000, 10_000), ([control, sample, path], depth) => {
        const props = withKeyAt(sample, path, "deep", null);
        let target: Record<string, unknown> = props;
        for (const segment of path) target = target[segment as string] as Record<string, unknown>;
        target["deep"] = nested(depth, "bottom");
        const parsed = parseControl(control, props);
        expect(parsed.ok).toBe(false);
        if (parsed.ok) return;
        expect(describeProblems(control, "deep", parsed.problems)).toContain(`nested more than ${maxNestingDepth} levels deep`);
      }),
      propertyParameters(40),
    );
  });
});

describe("schema problems at secret paths", () => {
  const secretPaths = secretPathsOf(allControls);
  const badShapes = (secret: string): unknown[] => [
    [secret],
    { [secret]: secret },
    { nested: { [secret]: [secret, 42] } },
    secret.length,
    true,
  ];

  it("name the field, never the value, a key under it, or values it was compared with", () => {
    expect(secretPaths.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(canary, fc.stringMatching(/^X-[A-Z][a-z]{2,8}$/), (secret, header) => {
        for (const { control, path } of secretPaths) {
          for (const value of badShapes(secret)) {
            const parsed = parseControl(control, withValueAt(secureSample(control), path, value, header));
            expect(parsed.ok).toBe(false);
            if (parsed.ok) continue;
            const message = describeProblems(control, "resource", parsed.problems);
            // No redaction has run yet: the schema check itself must not echo the secret.
            expect(leaksOf(message, secret)).toEqual([]);
            expect(message).toContain(`field ${path.replace("*", header)}`);
          }
        }
      }),
      propertyParameters(40),
    );
  });

  it("list the nested object's own fields for an unknown nested field", () => {
    const control = allControls.find((c) => c.secretPaths.some((p) => p.includes("."))) as ControlDefinition;
    const [parent] = (control.secretPaths.find((p) => p.includes(".")) as string).split(".") as [string];
    const props = secureSample(control);
    const parsed = parseControl(control, { ...props, [parent]: { ...(props[parent] as object), surplus: 1 } });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const message = describeProblems(control, "r", parsed.problems);
    expect(message).toContain(
      `field ${parent}: unknown field "surplus"; allowed fields: ${Object.keys(props[parent] as object).join(", ")}`,
    );
  });
});
