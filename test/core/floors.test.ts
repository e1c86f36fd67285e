/**
 * Argument floors (core/floors.ts) in process: every SHALL policy's every argument has one, and
 * generated configurations below it are refused, by `configurationRefusals` and by `contextFor`
 * (not evaluated), while configurations at or above it are accepted. The pack's Configure and the
 * tool are tested over the protocol and through `preview` (test/engine/pack-floors.test.ts,
 * test/cli/floors.test.ts).
 */
import fc from "fast-check";
import { z } from "zod";
import { contextFor } from "../../core/evaluate";
import {
  configurationRefusals,
  displayValue,
  floorOf,
  mayOnlyFall,
  mayOnlyGrow,
  mayOnlyRise,
  mayOnlyShrink,
  mayOnlyTurnOn,
  normaliseEntry,
  packConfigurationRefusals,
} from "../../core/floors";
import { defineResourcePolicy, defineStackPolicy } from "../../core/policy";
import { allPolicies } from "../../policies";
import { sessionPolicyControl } from "../../resources";
import {
  acceptedValue,
  belowFloorValue,
  flooredArguments,
  hasValuesBelowFloor,
  jsonWithNotations,
  refusedValue,
  shallPolicies,
  shownFloor,
} from "../support/floors";
import { propertyParameters } from "../support/property";

const defaultsOf = (policy: { configSchema: unknown }) => (policy.configSchema as z.ZodObject).parse({}) as Record<string, unknown>;

describe("argument floors", () => {
  it("every argument of every SHALL policy has a floor, and it is the argument's default", () => {
    const declared = new Set(flooredArguments.map((a) => `${a.policy.name}.${a.argument}`));
    const shallArguments = shallPolicies.flatMap((p) => Object.keys((p.configSchema as z.ZodObject).shape).map((a) => `${p.name}.${a}`));
    expect([...declared].sort()).toEqual(shallArguments.sort());
    // The suites below are only as good as this list: it must not be empty.
    expect(flooredArguments.length).toBeGreaterThanOrEqual(4);
    for (const { policy, argument, floor } of flooredArguments) expect(defaultsOf(policy)[argument]).toEqual(floor.value);
  });

  it("no SHOULD policy's argument has a floor: a recommendation may be loosened", () => {
    for (const policy of allPolicies.filter((p) => p.criticality === "SHOULD")) {
      for (const schema of Object.values((policy.configSchema as z.ZodObject).shape)) expect(floorOf(schema as z.ZodType)).toBeUndefined();
      expect(configurationRefusals(policy, { noSuchArgument: 1 })).toEqual([]);
    }
  });

  it("the defaults are accepted: no configuration, an empty object, and the defaults written out", () => {
    for (const policy of shallPolicies) {
      expect(configurationRefusals(policy, undefined)).toEqual([]);
      expect(configurationRefusals(policy, {})).toEqual([]);
      expect(configurationRefusals(policy, defaultsOf(policy))).toEqual([]);
    }
  });

  describe.each(flooredArguments.map((a) => [`${a.policy.name} ${a.argument} (${a.floor.direction})`, a] as const))(
    "%s",
    (_label, argument) => {
      const { policy } = argument;

      // A switch whose floor is off has nothing below it: either value only widens the policy.
      if (!hasValuesBelowFloor(argument)) {
        it("a switch whose floor is off: on and off are both accepted", () => {
          for (const value of [true, false]) expect(configurationRefusals(policy, { [argument.argument]: value })).toEqual([]);
        });
      } else
        it("generated: a value below the floor is refused, naming the policy, the argument, the value and the floor", () => {
          fc.assert(
            fc.property(belowFloorValue(argument), (value) => {
              const refusals = configurationRefusals(policy, { [argument.argument]: value });
              expect(refusals).toEqual([expect.objectContaining({ policy: policy.name, argument: argument.argument })]);
              const [refusal] = refusals;
              expect(refusal?.reason).toBe("below-floor");
              expect(refusal?.given).toEqual(value);
              expect(refusal?.message).toContain(policy.name);
              expect(refusal?.message).toContain(`${argument.argument} is ${displayValue(value)}`);
              expect(refusal?.message).toContain(`floor ${shownFloor(argument)}`);
              expect(refusal?.message).toMatch(/a SHALL policy's arguments may only tighten it/);
            }),
            propertyParameters(150),
          );
        });

      it("generated: a refused value (below the floor, or of a type that cannot be at or above it) makes the policy not evaluated", () => {
        fc.assert(
          fc.property(refusedValue(argument), fc.constantFrom(undefined, "mandatory", "advisory", "disabled"), (value, level) => {
            const config = { ...(level ? { enforcementLevel: level } : {}), [argument.argument]: value };
            expect(configurationRefusals(policy, config).map((r) => r.argument)).toEqual([argument.argument]);
            const context = contextFor(policy, { config });
            expect(context.ok).toBe(false);
            if (!context.ok) expect(context.reason).toMatch(new RegExp(`^Not evaluated: the configuration of ${policy.name} is refused: `));
          }),
          propertyParameters(150),
        );
      });

      it("generated: a value at or above the floor is accepted, and the rule runs with it", () => {
        fc.assert(
          fc.property(acceptedValue(argument), (value) => {
            expect(configurationRefusals(policy, { [argument.argument]: value })).toEqual([]);
            expect(contextFor(policy, { config: { [argument.argument]: value } }).ok).toBe(true);
          }),
          propertyParameters(150),
        );
      });
    },
  );

  it("generated: one refused argument in a whole pack configuration is enough, whatever else it holds", () => {
    const packConfig = fc
      .tuple(
        fc.constantFrom(...flooredArguments),
        fc.dictionary(fc.constantFrom(...allPolicies.map((p) => p.name), "all"), fc.constantFrom("advisory", "mandatory", "disabled")),
      )
      .chain(([refused, levels]) =>
        refusedValue(refused).map((value) => ({ refused, config: { ...levels, [refused.policy.name]: { [refused.argument]: value } } })),
      );
    fc.assert(
      fc.property(packConfig, ({ refused, config }) => {
        const refusals = packConfigurationRefusals(allPolicies, config);
        expect(refusals.map((r) => [r.policy, r.argument])).toEqual([[refused.policy.name, refused.argument]]);
      }),
      propertyParameters(150),
    );
  });

  it("a key given twice counts as JSON reads it (the last): a tightening value first cannot hide a loosening one", () => {
    const text = '{"intercom-ip-allowlist-entries": {"minPrefixLength": 16, "minPrefixLength": 4}}';
    expect(packConfigurationRefusals(allPolicies, JSON.parse(text)).map((r) => r.given)).toEqual([4]);
  });

  it("levels alone, unknown policy names and 'all' are not arguments: left to the schema, never refused here", () => {
    expect(
      packConfigurationRefusals(allPolicies, {
        all: "disabled",
        "intercom-ip-allowlist-entries": "disabled",
        "intercom-no-such-policy": { x: 1 },
      }),
    ).toEqual([]);
    expect(
      packConfigurationRefusals(allPolicies, { "intercom-ip-allowlist-entries": { enforcementLevel: "advisory", minPrefixLength: 16 } }),
    ).toEqual([]);
  });

  it("refuses unknown arguments of a SHALL policy and a configuration that is not an object, naming them", () => {
    const policy = shallPolicies.find((p) => p.name === "intercom-ip-allowlist-entries");
    if (!policy) throw new Error("intercom-ip-allowlist-entries is not SHALL any more: pick another policy for this test");
    expect(configurationRefusals(policy, { minPrefixLenght: 4 })).toEqual([
      expect.objectContaining({
        reason: "unknown-argument",
        argument: "minPrefixLenght",
        message: expect.stringContaining("its arguments are minPrefixLength"),
      }),
    ]);
    expect(configurationRefusals(policy, JSON.parse('{"__proto__": {"minPrefixLength": 4}}'))).toEqual([
      expect.objectContaining({ reason: "unknown-argument", argument: "__proto__" }),
    ]);
    expect(configurationRefusals(policy, [16])).toEqual([expect.objectContaining({ reason: "not-an-object", argument: "" })]);
    expect(configurationRefusals(policy, "loud")).toEqual([expect.objectContaining({ reason: "not-an-object" })]);
  });

  it("shows a given value escaped and cut: control, bidi and line-separator characters cannot reach a terminal raw", () => {
    const shown = displayValue(["\u001b[2J", "\u009b31m", "\u202eevil", "a\u2028b", "x".repeat(500)]);
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(shown).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2028\u2029]/);
    expect(shown).toContain("\\u001b[2J");
    expect(shown.length).toBeLessThanOrEqual(201);
  });

  it("generated: configuration files written with varied number notations read back as the values generated", () => {
    fc.assert(
      fc.property(fc.tuple(...flooredArguments.map(refusedValue)), fc.nat(), (values, notation) => {
        expect(JSON.stringify(JSON.parse(jsonWithNotations(values, notation)))).toBe(JSON.stringify(values));
      }),
      propertyParameters(200),
    );
  });

  it("normaliseEntry folds case, compatibility forms and surrounding spaces, and is idempotent", () => {
    expect(normaliseEntry(" ＥMail\t")).toBe("email");
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 12 }), (text) => {
        expect(normaliseEntry(normaliseEntry(text))).toBe(normaliseEntry(text));
      }),
      propertyParameters(300),
    );
  });

  describe("declaring floors", () => {
    const metadata = {
      id: "TEST.AUTH.01",
      title: "A test policy",
      description: "For the floor checks.",
      items: ["auth.session-length"] as const,
      severity: "critical" as const,
      rationale: "A rationale long enough for the metadata checks.",
      remediation: ["Fix it."],
      helpUrl: "https://www.intercom.com/help/en/",
      frameworks: {},
      control: sessionPolicyControl,
      check: () => [],
    };

    it("a SHALL policy with an argument without a floor does not load", () => {
      expect(() =>
        defineResourcePolicy({
          ...metadata,
          name: "intercom-test-no-floor",
          criticality: "SHALL",
          configSchema: z.strictObject({ limit: z.number().default(1) }),
        }),
      ).toThrow(/intercom-test-no-floor is SHALL: its argument limit needs a floor/);
      // A floor hidden by a wrapper counts as none; a copy (describe()) keeps it, as zod registries inherit.
      expect(() =>
        defineResourcePolicy({
          ...metadata,
          name: "intercom-test-lost-floor",
          criticality: "SHALL",
          configSchema: z.strictObject({ limit: mayOnlyRise(3, z.number().int(), "A limit.").optional() }),
        }),
      ).toThrow(/limit needs a floor/);
      const described = mayOnlyRise(3, z.number().int(), "A limit.").describe("Another description.");
      expect(floorOf(described)).toEqual({ direction: "rise", value: 3 });
      expect(() =>
        defineStackPolicy({
          ...metadata,
          name: "intercom-test-stack-no-floor",
          criticality: "SHALL",
          reads: [],
          scope: "every-workspace",
          configSchema: z.strictObject({ names: z.array(z.string()).default([]) }),
        }),
      ).toThrow(/names needs a floor/);
    });

    it("a SHOULD policy's argument takes no floor", () => {
      expect(() =>
        defineResourcePolicy({
          ...metadata,
          name: "intercom-test-should",
          criticality: "SHOULD",
          configSchema: z.strictObject({ limit: mayOnlyFall(3, z.number(), "A limit.") }),
        }),
      ).toThrow(/SHOULD: its arguments may be loosened/);
    });

    it("each direction: rise, fall, grow and shrink refuse the wrong way and accept the right one", () => {
      const policy = defineResourcePolicy({
        ...metadata,
        name: "intercom-test-floors",
        criticality: "SHALL",
        configSchema: z.strictObject({
          atLeast: mayOnlyRise(10, z.number().int().max(100), "Rises."),
          atMost: mayOnlyFall(10, z.number().int().min(0), "Falls."),
          keeps: mayOnlyGrow(["a", "b"], "Grows."),
          within: mayOnlyShrink(["x", "y"], "Shrinks."),
        }),
      });
      const refused = (config: Record<string, unknown>) => configurationRefusals(policy, config).map((r) => `${r.argument}:${r.reason}`);
      expect(refused({ atLeast: 9, atMost: 11, keeps: ["A"], within: ["x", "z"] })).toEqual([
        "atLeast:below-floor",
        "atMost:below-floor",
        "keeps:below-floor",
        "within:below-floor",
      ]);
      expect(refused({ atLeast: 11, atMost: 9, keeps: [" A ", "ｂ", "c"], within: ["Y"] })).toEqual([]);
      expect(configurationRefusals(policy, { keeps: ["a"] })[0]?.offending).toEqual(["b"]);
      expect(configurationRefusals(policy, { within: ["x", "zz", "zz"] })[0]?.offending).toEqual(["zz"]);
      // The rule sees normalised entries.
      const context = contextFor(policy, { config: { keeps: [" A ", "B", "C"] } });
      expect(context.ok && (context.context.config as { keeps: string[] }).keeps).toEqual(["a", "b", "c"]);
    });

    it("a switch: one whose floor is on refuses off, one whose floor is off accepts both; neither takes a non-boolean", () => {
      const policy = defineResourcePolicy({
        ...metadata,
        name: "intercom-test-switches",
        criticality: "SHALL",
        configSchema: z.strictObject({ alwaysOn: mayOnlyTurnOn(true, "On."), mayWiden: mayOnlyTurnOn(false, "Off.") }),
      });
      const refused = (config: Record<string, unknown>) => configurationRefusals(policy, config).map((r) => `${r.argument}:${r.reason}`);
      expect(refused({ alwaysOn: false, mayWiden: false })).toEqual(["alwaysOn:below-floor"]);
      expect(refused({ alwaysOn: true, mayWiden: true })).toEqual([]);
      expect(refused({ alwaysOn: "true", mayWiden: 1 })).toEqual(["alwaysOn:invalid", "mayWiden:invalid"]);
      expect(configurationRefusals(policy, { alwaysOn: false })[0]?.message).toMatch(
        /alwaysOn is false, below its floor true: .*may be turned on, never off/,
      );
    });

    it("a list floor must be written in normal form", () => {
      expect(() => mayOnlyGrow(["Email"], "Not normal.")).toThrow(/normal form/);
    });
  });
});
