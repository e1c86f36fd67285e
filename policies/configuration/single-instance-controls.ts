import { instanceKey } from "../../core/control";
import { independentPart } from "../../core/unknowns";
import { defineStackPolicy, StackViolation } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { ControlInstance } from "../../core/stack-model";
import { frameworks } from "../support/frameworks";

export const singleInstance = defineStackPolicy({
  name: "intercom-single-instance-controls",
  id: "IHC.CFG.03",
  title: "One control of each kind per workspace",
  description: "A workspace has at most one control of each kind (per platform, scope, attribute or action name where the kind has one).",
  items: ["config.single-instance"],
  severity: "critical",
  criticality: "SHALL",
  rationale: "Two declarations of one setting contradict each other; whichever an admin applies last wins, and the review shows the other.",
  remediation: ["Remove the duplicate, or merge the two into one resource."],
  helpUrl: helpLinks.healthCheck,
  frameworks: { ...frameworks.configurationManagement, nist80053: ["CM-6"] },
  reads: [],
  scope: "every-workspace",
  check: (stack) => {
    const byKey = new Map<string, ControlInstance[]>();
    for (const control of stack.valid) {
      // A control whose identity or workspace is not known yet is left out (not evaluated): the
      // known ones can still duplicate each other, whatever its values turn out to be.
      const key = independentPart<string | undefined>(() => instanceKey(control.definition, control.settings), undefined);
      if (key === undefined) continue;
      byKey.set(key, [...(byKey.get(key) ?? []), control]);
    }
    return [...byKey.values()]
      .filter((group) => group.length > 1)
      .flatMap(([first, ...duplicates]) =>
        duplicates.map((duplicate): StackViolation => ({
          urn: duplicate.urn,
          message: `${duplicate.definition.name} "${duplicate.name}" duplicates "${first?.name}" for workspace ${duplicate.workspaceId}${describeIdentity(duplicate)}.`,
        })),
      );
  },
});

function describeIdentity(control: ControlInstance): string {
  const fields = control.definition.identityFields;
  return fields.length === 0 ? "" : ` (${fields.map((f) => `${f}: ${String(control.settings[f])}`).join(", ")})`;
}
