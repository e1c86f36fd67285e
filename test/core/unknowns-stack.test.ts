/**
 * Stack policies with one value not known yet, generated over two workspaces (with and without
 * PHI, mobile SDKs and custom actions, some settings changed to unsafe ones), an unknown in any
 * place of any control, workspaceId included, and every stack policy.
 *
 * - Another workspace's verdicts never change.
 * - In the control's own workspace, a policy is either graded, and then holds for every value the
 *   unknown may turn out to be, or not evaluated for that control, naming the unknown path.
 * - A control whose workspaceId is unknown counts for no known workspace: every known workspace is
 *   graded exactly as if the control were absent (a PHI workspace's BAA cannot be "satisfied" by a
 *   BAA whose workspace is unknown).
 */
import fc from "fast-check";
import { evaluateStackPolicy, Finding } from "../../core/evaluate";
import { StackModel, StackResource } from "../../core/stack-model";
import { stackPolicies } from "../../policies";
import { allControls, businessAssociateAgreementControl, workspaceControl } from "../../resources";
import { now, secureStack, summarize } from "../support/fixtures";
import { propertyParameters } from "../support/property";
import {
  completions,
  controlsByType as byType,
  definitionOf,
  shownPath,
  StackCase,
  stackCaseArbitrary,
  UNKNOWN,
} from "../support/unknowns";

const grade = (stack: readonly StackResource[], preview = true) => {
  const model = StackModel.build(stack, allControls);
  return stackPolicies.map((policy) => ({ policy, findings: evaluateStackPolicy(policy, model, { now, preview }) }));
};

/** The findings about these urns, one line each; a Secure finding (no urn) when there are none. */
function about(findings: readonly Finding[], urns: ReadonlySet<string>): string[] {
  return summarize(findings.filter((f) => f.urn !== undefined && urns.has(f.urn)));
}

const isUnknownFinding = (f: Finding) => f.unknownFields !== undefined;

describe("stack policies with one value not known yet", () => {
  const seen = { graded: 0, notEvaluated: 0, otherWorkspaceViolations: 0, notEvaluatedBesideViolations: 0 };
  const keepsOtherWorkspaces = (cases: fc.Arbitrary<StackCase>, runs: number) =>
    fc.assert(
      fc.property(cases, ({ known, index, path, withUnknown }) => {
        const control = known[index] as StackResource;
        const definition = definitionOf(control);
        const workspace = control.props["workspaceId"];
        const urnsOf = (inside: boolean) =>
          new Set(known.filter((r) => byType.has(r.type) && (r.props["workspaceId"] === workspace) === inside).map((r) => r.urn));
        const own = urnsOf(true);
        const others = urnsOf(false);
        const knownGrades = grade(known);
        const outcomes = completions(definition, control.props, path).map((props) =>
          grade(known.map((r, i) => (i === index ? { ...r, props } : r))),
        );
        grade(withUnknown).forEach(({ policy, findings }, p) => {
          const label = policy.name;
          const expected = (knownGrades[p] as { findings: Finding[] }).findings;
          expect({ label, others: about(findings, others) }).toEqual({ label, others: about(expected, others) });
          const othersViolate = about(expected, others).some((line) => line.includes("needs_review"));
          if (othersViolate) seen.otherWorkspaceViolations += 1;
          const unknowns = findings.filter(isUnknownFinding);
          if (unknowns.length > 0 && othersViolate) seen.notEvaluatedBesideViolations += 1;
          if (unknowns.length === 0) {
            seen.graded += 1;
            for (const outcome of outcomes) {
              const completed = (outcome[p] as { findings: Finding[] }).findings;
              expect({ label, own: about(findings, own) }).toEqual({ label, own: about(completed, own) });
            }
            return;
          }
          seen.notEvaluated += 1;
          // Not evaluated for the control holding the unknown, naming its path; nothing else in its workspace is claimed.
          expect(unknowns).toEqual([
            expect.objectContaining({
              urn: control.urn,
              status: "not_evaluated",
              pendingUntilUpdate: true,
              unknownFields: [shownPath(definition, path)],
            }),
          ]);
        });
      }),
      propertyParameters(runs),
    );

  it("keep every other workspace's verdicts, and in the control's own workspace are graded soundly or not evaluated naming the path", () => {
    keepsOtherWorkspaces(stackCaseArbitrary("settings"), 50);
    expect(seen.graded).toBeGreaterThan(100);
    // The generator must reach the case the property is about, not just pass vacuously.
    expect(seen.otherWorkspaceViolations).toBeGreaterThan(10);
  });

  it("still grade a workspace with violations when another workspace holds a value they need that is not known yet", () => {
    keepsOtherWorkspaces(stackCaseArbitrary("settings", true), 50);
    expect(seen.notEvaluated).toBeGreaterThan(10);
    expect(seen.notEvaluatedBesideViolations).toBeGreaterThan(5);
  });

  it("count a control whose workspaceId is unknown for no known workspace: each is graded as if it were absent", () => {
    const seen = { presence: 0 };
    fc.assert(
      fc.property(stackCaseArbitrary("workspace"), ({ known, index, withUnknown }) => {
        const control = known[index] as StackResource;
        const absent = known.filter((_, i) => i !== index);
        const placed = new Set(absent.filter((r) => byType.has(r.type)).map((r) => r.urn));
        const withoutIt = grade(absent);
        grade(withUnknown).forEach(({ policy, findings }, p) => {
          const label = policy.name;
          const expected = (withoutIt[p] as { findings: Finding[] }).findings;
          expect({ label, placed: about(findings, placed) }).toEqual({ label, placed: about(expected, placed) });
          // About the control itself: only that its workspace is not known yet.
          for (const f of findings.filter((f) => f.urn === control.urn)) {
            expect(f).toEqual(expect.objectContaining({ status: "not_evaluated", unknownFields: ["workspaceId"] }));
          }
        });
        // Presence rules met only by this control now fail for its former workspace.
        const violations = (findings: readonly Finding[]) => findings.filter((f) => f.status === "needs_review").length;
        const before = grade(known);
        if (withoutIt.some(({ findings }, p) => violations(findings) > violations((before[p] as { findings: Finding[] }).findings)))
          seen.presence += 1;
      }),
      propertyParameters(60),
    );
    expect(seen.presence).toBeGreaterThan(10);
  });

  it("at update keep a not-evaluated finding at the policy's own level (not pending), so a SHALL one blocks", () => {
    fc.assert(
      fc.property(fc.oneof(stackCaseArbitrary("settings"), stackCaseArbitrary("workspace")), ({ withUnknown }) => {
        for (const { findings } of grade(withUnknown, false)) {
          for (const f of findings.filter(isUnknownFinding)) {
            expect(f.pendingUntilUpdate).toBeUndefined();
            expect(f.message).toMatch(/^Not evaluated: .* still not known, so it is not passed\.$/);
          }
        }
      }),
      propertyParameters(40),
    );
  });

  it("a PHI workspace whose only BAA has an unknown workspaceId declares no BAA (the hole StackModel.declares had)", () => {
    const stack = secureStack({ handlesPhi: true }).map((r) =>
      r.type === businessAssociateAgreementControl.typeToken ? { ...r, props: { ...r.props, workspaceId: UNKNOWN } } : r,
    );
    const baa = stackPolicies.find((p) => p.name === "intercom-hipaa-baa");
    const workspaceUrn = stack.find((r) => r.type === workspaceControl.typeToken)?.urn;
    const findings = evaluateStackPolicy(baa!, StackModel.build(stack, allControls), { now, preview: true });
    expect(summarize(findings)).toEqual([expect.stringMatching(/needs_review .*declares no Business Associate Agreement/)]);
    expect(findings[0]?.urn).toBe(workspaceUrn);
  });
});
