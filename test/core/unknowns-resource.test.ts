/**
 * Values not known until the update, graded field by field, generated over every control, every
 * place in it (top-level fields, nested fields, array elements, record values, absent optional
 * fields) and every resource policy. The oracle is observed, not declared: `readsOf` records what
 * the policy reads on the fully known settings (test/support/unknowns.ts).
 */
import fc from "fast-check";
import { evaluateResourcePolicy, schemaFindings } from "../../core/evaluate";
import { controlSchema } from "../../policies/configuration/control-schema";
import { customActionControl } from "../../resources";
import { now, secureSample, summarize } from "../support/fixtures";
import { propertyParameters } from "../support/property";
import {
  completions,
  gradedControls,
  OTHER_SENTINELS,
  pathsIn,
  policiesOf,
  readsOf,
  readsPath,
  setAt,
  shownPath,
  UNKNOWN,
  unknownCaseArbitrary,
} from "../support/unknowns";

const grade = (policy: Parameters<typeof evaluateResourcePolicy>[0], props: Record<string, unknown>, preview: boolean) =>
  evaluateResourcePolicy(policy, { name: "generated", urn: "urn:generated", props }, { now, preview });

/** Findings without the fields that differ by design between runs (none today): compared whole. */
const comparable = (findings: ReturnType<typeof grade>) => (findings === undefined ? "not applicable" : summarize(findings));

describe("a resource policy with one value not known yet", () => {
  it("is graded exactly as with the known value when it does not read that value, and not evaluated naming it when it does", () => {
    const seen = { graded: 0, gradedUnsafe: 0, notEvaluated: 0, knownEntriesReported: 0 };
    fc.assert(
      fc.property(unknownCaseArbitrary, ({ definition, known, withUnknown, path }) => {
        for (const policy of policiesOf(definition)) {
          const observed = readsOf(policy, known, now);
          const preview = grade(policy, withUnknown, true);
          if (!readsPath(observed, path)) {
            // Never read: the same verdict, unsafe ones included (they still block at preview).
            expect(comparable(preview)).toEqual(comparable(grade(policy, known, true)));
            seen.graded += 1;
            if (preview?.some((f) => f.status === "needs_review")) seen.gradedUnsafe += 1;
            continue;
          }
          seen.notEvaluated += 1;
          // An unknown entry of a list judged entry by entry: the known entries are graded alone,
          // their violations reported beside the not-evaluated finding (the oracle: the known
          // props with that entry removed; none when nothing would be left).
          const beside = knownEntriesViolations(policy, known, path);
          if (beside.length > 0) seen.knownEntriesReported += 1;
          expect(preview?.filter((f) => f.status === "needs_review").map((f) => f.message)).toEqual(beside);
          expect(preview?.filter((f) => f.status !== "needs_review")).toEqual([
            expect.objectContaining({
              policy: policy.name,
              status: "not_evaluated",
              pendingUntilUpdate: true,
              unknownFields: [shownPath(definition, path)],
              message: expect.stringMatching(/^Not evaluated during preview: .* it is checked at update\.$/),
            }),
          ]);
          // At update (or when the engine never said which): the same finding, not pending, so it
          // keeps the policy's own enforcement level.
          const update = grade(policy, withUnknown, false)?.filter((f) => f.status !== "needs_review");
          expect(update).toEqual([expect.objectContaining({ status: "not_evaluated", unknownFields: [shownPath(definition, path)] })]);
          expect(update?.[0]?.pendingUntilUpdate).toBeUndefined();
        }
      }),
      propertyParameters(400),
    );
    // The generator reaches both sides, unsafe graded verdicts included.
    expect(seen.graded).toBeGreaterThan(50);
    expect(seen.gradedUnsafe).toBeGreaterThan(10);
    expect(seen.notEvaluated).toBeGreaterThan(50);
    expect(seen.knownEntriesReported).toBeGreaterThan(0);
  });

  it("reports a violation of known entries only when every value the unknown entry may turn out to be has one", () => {
    let reported = 0;
    fc.assert(
      fc.property(unknownCaseArbitrary, ({ definition, known, withUnknown, path }) => {
        const outcomes = completions(definition, known, path);
        for (const policy of policiesOf(definition)) {
          const preview = grade(policy, withUnknown, true);
          if (!preview?.some((f) => f.unknownFields) || !preview.some((f) => f.status === "needs_review")) continue;
          reported += 1;
          for (const completion of outcomes) {
            expect({
              policy: policy.name,
              completion,
              unsafe: grade(policy, completion, true)?.some((f) => f.status === "needs_review"),
            }).toEqual({
              policy: policy.name,
              completion,
              unsafe: true,
            });
          }
        }
      }),
      propertyParameters(300),
    );
    expect(reported).toBeGreaterThan(0);
  });

  it("when graded, holds for every value the unknown may turn out to be (no verdict rests on a value not known)", () => {
    fc.assert(
      fc.property(unknownCaseArbitrary, ({ definition, known, withUnknown, path }) => {
        const outcomes = completions(definition, known, path);
        for (const policy of policiesOf(definition)) {
          const preview = grade(policy, withUnknown, true);
          if (preview?.some((f) => f.unknownFields)) continue;
          for (const completion of outcomes) expect(comparable(preview)).toEqual(comparable(grade(policy, completion, true)));
        }
      }),
      propertyParameters(200),
    );
  });

  it("never shows the unknown sentinel, nor a value, in a message", () => {
    fc.assert(
      fc.property(unknownCaseArbitrary, ({ definition, withUnknown, sentinel }) => {
        for (const policy of policiesOf(definition)) {
          for (const f of grade(policy, withUnknown, true) ?? []) expect(f.message).not.toContain(sentinel);
        }
      }),
      propertyParameters(150),
    );
  });

  it("grades every resource policy as usual when only workspaceId is unknown (the control is graded on its own settings)", () => {
    for (const definition of gradedControls) {
      const known = unknownFree(definition);
      const withUnknown = setAt(known, ["workspaceId"], UNKNOWN);
      for (const policy of policiesOf(definition)) {
        expect({ policy: policy.name, verdict: comparable(grade(policy, withUnknown, true)) }).toEqual({
          policy: policy.name,
          verdict: comparable(grade(policy, known, true)),
        });
      }
    }
  });
});

describe("an unknown value under a key named like an object internal", () => {
  it("stays unknown: a header named __proto__ whose value is unknown leaves the credentials policy not evaluated", () => {
    const props = JSON.parse(
      JSON.stringify({ ...unknownFree(customActionControl), headers: { Accept: "application/json", PROTO: UNKNOWN } }).replace(
        '"PROTO"',
        '"__proto__"',
      ),
    ) as Record<string, unknown>;
    expect(Object.keys(props["headers"] as object)).toContain("__proto__");
    const policy = policiesOf(customActionControl).find((p) => p.name === "intercom-custom-action-no-literal-credentials");
    // Never graded: the inherited-name key fails the schema (core/validation.ts), which outranks the unknown.
    expect(grade(policy!, props, true)).toEqual([expect.objectContaining({ status: "not_evaluated" })]);
  });
});

describe("the schema policy with values not known yet", () => {
  it("names every unknown path (advisory at preview), and still fails on a known value that does not match", () => {
    fc.assert(
      fc.property(unknownCaseArbitrary, fc.boolean(), ({ definition, withUnknown, path }, breakAnother) => {
        const resource = { name: "generated", urn: "urn:generated", props: withUnknown };
        if (!breakAnother) {
          expect(schemaFindings(controlSchema.name, resource, definition, [], { preview: true })).toEqual([
            expect.objectContaining({ status: "not_evaluated", pendingUntilUpdate: true, unknownFields: [shownPath(definition, path)] }),
          ]);
          const update = schemaFindings(controlSchema.name, resource, definition, [], { preview: false });
          expect(update).toEqual([expect.objectContaining({ status: "not_evaluated" })]);
          expect(update[0]?.pendingUntilUpdate).toBeUndefined();
          return;
        }
        // An unknown never excuses a problem elsewhere: an extra field, or a known field of the wrong type.
        const broken = { ...withUnknown, notAField: 1 };
        expect(schemaFindings(controlSchema.name, { ...resource, props: broken }, definition, [], { preview: true })).toEqual([
          expect.objectContaining({ status: "needs_review", message: expect.stringContaining("notAField") }),
        ]);
        for (const policy of policiesOf(definition)) {
          expect(grade(policy, broken, true)).toEqual([
            expect.objectContaining({ status: "not_evaluated", message: expect.stringContaining("does not match its schema") }),
          ]);
        }
      }),
      propertyParameters(150),
    );
  });

  it("treats an unknown in a field the schema does not have as an unknown field, not as a value to wait for", () => {
    for (const definition of gradedControls) {
      const props = { ...unknownFree(definition), notAField: UNKNOWN };
      expect(schemaFindings(controlSchema.name, { name: "x", props }, definition, [], { preview: true })).toEqual([
        expect.objectContaining({ status: "needs_review", message: expect.stringContaining('unknown field "notAField"') }),
      ]);
    }
  });

  it("recognises every one of Pulumi's unknown sentinels, at any depth", () => {
    for (const definition of gradedControls) {
      const known = unknownFree(definition);
      for (const path of pathsIn(known)) {
        for (const sentinel of [UNKNOWN, ...OTHER_SENTINELS]) {
          const findings = schemaFindings(controlSchema.name, { name: "x", props: setAt(known, path, sentinel) }, definition, [], {
            preview: true,
          });
          expect(findings.map((f) => f.status)).toEqual(["not_evaluated"]);
        }
      }
    }
  });
});

/**
 * The violations of the known entries alone, when `path` is an entry of a list the policy judges
 * entry by entry: the policy graded on the known props with that entry removed.
 */
function knownEntriesViolations(
  policy: Parameters<typeof evaluateResourcePolicy>[0],
  known: Record<string, unknown>,
  path: readonly (string | number)[],
): string[] {
  const [field, index] = path;
  if (typeof field !== "string" || typeof index !== "number" || !policy.independentEntries?.includes(field as never)) return [];
  const list = known[field] as unknown[];
  if (list.length < 2) return [];
  const rest = { ...known, [field]: list.filter((_, i) => i !== index) };
  return (grade(policy, rest, true) ?? []).filter((f) => f.status === "needs_review").map((f) => f.message);
}

/** The control's secure sample: every value known. */
function unknownFree(definition: (typeof gradedControls)[number]): Record<string, unknown> {
  return JSON.parse(JSON.stringify(secureSample(definition))) as Record<string, unknown>;
}
