/**
 * A value not known yet in one part of a stack rule hides no known violation of another part of
 * the same workspace (core/unknowns.ts `independentPart`): generated PHI workspaces with one known
 * unsafe safeguard and an unknown value in another safeguard's control, and duplicate controls
 * beside a control whose identity is not known yet.
 */
import fc from "fast-check";
import { evaluateStackPolicy } from "../../core/evaluate";
import { StackModel, StackResource } from "../../core/stack-model";
import { singleInstance } from "../../policies/configuration/single-instance-controls";
import { hipaaPhiSafeguards } from "../../policies/healthcare/hipaa-phi-safeguards";
import { allControls } from "../../resources";
import { names, now, secureStack, withProps } from "../support/fixtures";
import { propertyParameters } from "../support/property";
import { UNKNOWN } from "../support/unknowns";

const grade = (policy: Parameters<typeof evaluateStackPolicy>[0], stack: readonly StackResource[]) =>
  evaluateStackPolicy(policy, StackModel.build(stack, allControls), { now, preview: true });

/** Known unsafe safeguards of a PHI workspace: [resource, field, value]. */
const unsafeSafeguards: readonly [string, string, unknown][] = [
  [names.notifications, "emailNotificationContent", "full"],
  [names.notifications, "emailNotificationContent", "summary"],
  [names.notifications, "pushNotificationContent", "full"],
  [names.redaction, "enabled", false],
  [names.redaction, "socialSecurityNumbers", false],
];
/** Values a safeguard reads that may be unknown: [resource, field]. */
const unknownSafeguards: readonly [string, string][] = [
  [names.notifications, "emailNotificationContent"],
  [names.notifications, "pushNotificationContent"],
  [names.redaction, "enabled"],
  [names.redaction, "socialSecurityNumbers"],
];

describe("a PHI workspace with one safeguard unknown and another known unsafe", () => {
  it("reports the known violation beside the not-evaluated safeguard", () => {
    let cases = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...unsafeSafeguards),
        fc.constantFrom(...unknownSafeguards),
        ([unsafeIn, unsafeField, value], [unknownIn, unknownField]) => {
          // The unknown must not be the unsafe value itself, nor one it is read together with.
          fc.pre(!(unsafeIn === unknownIn && (unsafeField === unknownField || unsafeIn === names.redaction)));
          cases += 1;
          const stack = withProps(withProps(secureStack({ handlesPhi: true }), unsafeIn, { [unsafeField]: value }), unknownIn, {
            [unknownField]: UNKNOWN,
          });
          const findings = grade(hipaaPhiSafeguards, stack);
          expect(findings.filter((f) => f.status === "needs_review").map((f) => f.urn)).toContainEqual(expect.stringContaining(unsafeIn));
          expect(findings.filter((f) => f.status === "not_evaluated")).toEqual([
            expect.objectContaining({ unknownFields: [unknownField] }),
          ]);
        },
      ),
      propertyParameters(40),
    );
    expect(cases).toBeGreaterThan(10);
  });
});

describe("duplicate controls beside a control whose identity is not known yet", () => {
  it("still reports the duplicate", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(names.session, names.notifications, names.redaction, names.linkSafety),
        fc.constantFrom("attribute", "model", "workspaceId"),
        (duplicated, unknownField) => {
          const base = secureStack();
          const original = base.find((r) => r.name === duplicated) as StackResource;
          const copy = { ...original, name: `${duplicated}-copy`, urn: `${original.urn}-copy` };
          const stack = withProps([...base, copy], names.protectEmail, { [unknownField]: UNKNOWN });
          const findings = grade(singleInstance, stack);
          expect(findings.filter((f) => f.status === "needs_review").map((f) => f.urn)).toEqual([copy.urn]);
          expect(findings.filter((f) => f.status === "not_evaluated").length).toBeGreaterThan(0);
        },
      ),
      propertyParameters(30),
    );
  });
});
