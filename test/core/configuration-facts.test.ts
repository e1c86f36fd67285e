/**
 * What a policy's configuration decides (refusal, own arguments, exceptions, the maximum exception
 * length) is derived once per configuration and reused for an equal one (core/evaluate.ts). It
 * must never answer for another configuration: the same configuration object changed in place
 * between evaluations, or another one that differs anywhere, gets its own verdict, the same as
 * a policy evaluated for the first time.
 */
import fc from "fast-check";
import { contextFor, evaluateResourcePolicy, Finding } from "../../core/evaluate";
import { exceptionsPolicyName } from "../../core/exceptions";
import { panRedaction } from "../../policies/data-protection/pan-redaction";
import { panRedactionControl } from "../../resources";
import { acceptedValue, flooredArguments, refusedValue } from "../support/floors";
import { names, now, secure, urnOf } from "../support/fixtures";
import { propertyParameters } from "../support/property";

/** The verdict of a policy never evaluated before: a copy of it is a policy the derivation has never seen. */
function freshContext(policy: object, config: unknown) {
  return contextFor({ ...(policy as Parameters<typeof contextFor>[0]) }, { config });
}

function verdict(result: ReturnType<typeof contextFor>) {
  return result.ok ? { ok: true, config: result.context.config } : { ok: false, reason: result.reason };
}

describe("a configuration's facts are reused only for an equal configuration", () => {
  it("generated: one configuration object changed in place between evaluations (below the floor, at it, other arguments) is judged as it is now", () => {
    for (const argument of flooredArguments) {
      const { policy } = argument;
      fc.assert(
        fc.property(
          fc.array(fc.oneof(refusedValue(argument), acceptedValue(argument), fc.constant(undefined)), { minLength: 2, maxLength: 6 }),
          fc.boolean(),
          (values, nested) => {
            // One object, changed in place: its top level, or a list nested in it.
            const config: Record<string, unknown> = {};
            for (const value of values) {
              if (nested && Array.isArray(config[argument.argument]) && Array.isArray(value)) {
                const list = config[argument.argument] as unknown[];
                list.splice(0, list.length, ...(value as unknown[]));
              } else if (value === undefined) delete config[argument.argument];
              else config[argument.argument] = Array.isArray(value) ? [...(value as unknown[])] : value;
              expect(verdict(contextFor(policy, { config }))).toEqual(verdict(freshContext(policy, config)));
            }
          },
        ),
        propertyParameters(40),
      );
    }
  });

  it("values that only look alike are different configurations: NaN and null, -0 and 0, a missing key and an undefined one, key order", () => {
    const { policy, argument } = flooredArguments[0] as (typeof flooredArguments)[number];
    const alike: unknown[] = [
      { [argument]: null },
      { [argument]: NaN },
      { [argument]: 0 },
      { [argument]: -0 },
      {},
      { [argument]: undefined },
      { [argument]: [] },
      { [argument]: {} },
      { [argument]: "" },
      { unknownArgument: 1, [argument]: 1 },
      { [argument]: 1, unknownArgument: 1 },
      [],
      "mandatory",
    ];
    for (const first of alike) {
      for (const second of alike) {
        contextFor(policy, { config: first });
        expect(verdict(contextFor(policy, { config: second }))).toEqual(verdict(freshContext(policy, second)));
      }
    }
  });

  it("each evaluation gets its own parsed arguments: a rule that changes them changes no later evaluation", () => {
    const { policy, argument } = flooredArguments.find((a) => Array.isArray(a.floor.value)) ?? (flooredArguments[0] as never);
    const first = contextFor(policy, { config: {} });
    const second = contextFor(policy, { config: {} });
    expect(first.ok && second.ok).toBe(true);
    if (first.ok && second.ok) {
      expect(first.context.config).not.toBe(second.context.config);
      (first.context.config as Record<string, unknown>)[argument] = "changed";
      expect((second.context.config as Record<string, unknown>)[argument]).not.toBe("changed");
      expect(verdict(contextFor(policy, { config: {} }))).toEqual(verdict(freshContext(policy, {})));
    }
  });

  describe("exceptions", () => {
    const urn = urnOf(panRedactionControl, names.redaction);
    const insecure = { ...secure.panRedaction, creditCards: false } as Record<string, unknown>;
    const exception = {
      urn,
      justification: "Card rule replaced by the new filter",
      owner: "alice@example.com",
      approver: "bob@example.com",
      expires: new Date(now.getTime() + 10 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10),
    };
    const grade = (config: unknown, packConfig: Record<string, unknown> = {}): Finding[] =>
      evaluateResourcePolicy(panRedaction, { name: names.redaction, urn, props: insecure }, { config, now, packConfig }) ?? [];
    const statuses = (findings: Finding[]) => findings.map((f) => f.status);

    it("an exception changed in place to cover another resource no longer waives", () => {
      const config = { exceptions: [{ ...exception }] };
      expect(statuses(grade(config))).toEqual(["waived"]);
      (config.exceptions[0] as Record<string, unknown>)["urn"] = `${urn}-other`;
      expect(statuses(grade(config))).toEqual(["needs_review"]);
      (config.exceptions[0] as Record<string, unknown>)["urn"] = urn;
      expect(statuses(grade(config))).toEqual(["waived"]);
      config.exceptions.splice(0, 1);
      expect(statuses(grade(config))).toEqual(["needs_review"]);
    });

    it("the maximum exception length changed in place applies at once", () => {
      const config = { exceptions: [{ ...exception }] };
      const packConfig: Record<string, Record<string, unknown>> = { [exceptionsPolicyName]: { maxExceptionDays: 30 } };
      expect(statuses(grade(config, packConfig))).toEqual(["waived"]);
      (packConfig[exceptionsPolicyName] as Record<string, unknown>)["maxExceptionDays"] = 5;
      expect(statuses(grade(config, packConfig))).toEqual(["needs_review"]);
      (packConfig[exceptionsPolicyName] as Record<string, unknown>)["maxExceptionDays"] = "30";
      expect(statuses(grade(config, packConfig))).toEqual(["needs_review"]);
      (packConfig[exceptionsPolicyName] as Record<string, unknown>)["maxExceptionDays"] = 30;
      expect(statuses(grade(config, packConfig))).toEqual(["waived"]);
    });
  });
});
