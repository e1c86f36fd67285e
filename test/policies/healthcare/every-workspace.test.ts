/**
 * everyWorkspace (the hipaa profile): each healthcare safeguard grades a workspace that does not
 * declare PHI exactly as one that does, and says which it is. Generated stacks: any combination of
 * the unsafe changes the four safeguards look for, on the secure stack.
 */
import fc from "fast-check";
import { everyWorkspacePolicies } from "../../../core/profiles";
import { StackPolicy } from "../../../core/policy";
import { StackResource } from "../../../core/stack-model";
import { allPolicies } from "../../../policies";
import { gradeStack, names, secureStack, without, withProps } from "../../support/fixtures";
import { propertyParameters } from "../../support/property";

type Change = (stack: StackResource[]) => StackResource[];
const changes: Change[] = [
  (s) => without(s, names.baa),
  (s) => withProps(s, names.baa, { signed: false }),
  (s) => withProps(s, names.baa, { coversAllDataCategories: false }),
  (s) => without(s, names.installation),
  (s) => withProps(s, names.installation, { loadAfterConsent: false }),
  (s) => withProps(s, names.installation, { consentVerifiedServerSide: false }),
  (s) => withProps(s, names.installation, { productTours: true }),
  (s) => withProps(s, names.installation, { trackPageViews: true, excludedPaths: ["/records"] }),
  (s) => withProps(s, names.notifications, { emailNotificationContent: "full" }),
  (s) => withProps(s, names.notifications, { pushNotificationContent: "full" }),
  (s) => without(s, names.notifications),
  (s) => withProps(s, names.redaction, { socialSecurityNumbers: false }),
  (s) => without(s, names.redaction),
];

const widenedLabel = "is held to the healthcare safeguards (everyWorkspace)";

describe.each(everyWorkspacePolicies(allPolicies).map((p) => [p.name, p as StackPolicy] as const))(
  "%s with everyWorkspace",
  (_name, policy) => {
    it("generated: grades a workspace not declaring PHI as one declaring it, never saying it handles PHI", () => {
      fc.assert(
        fc.property(fc.subarray(changes.map((_, i) => i)), (chosen) => {
          // A change to a resource an earlier change removed is skipped.
          const apply = (stack: StackResource[], i: number) => {
            try {
              return changes[i]!(stack);
            } catch {
              return stack;
            }
          };
          // The same stack (a BAA and all), only the workspace's handlesPhi differs.
          const changed = (handlesPhi: boolean) =>
            chosen.reduce(apply, withProps(secureStack({ handlesPhi: true }), names.workspace, { handlesPhi }));
          const declared = gradeStack(policy, changed(true));
          const widened = gradeStack(policy, changed(false), { config: { everyWorkspace: true } });
          expect(widened.map((f) => ({ ...f, message: f.message.replace(widenedLabel, "handles PHI") }))).toEqual(declared);
          expect(widened.filter((f) => f.message.includes("handles PHI"))).toEqual([]);
          // Off (the default), the workspace not declaring PHI is not graded; on, a PHI workspace is graded as before.
          expect(gradeStack(policy, changed(false)).filter((f) => f.status !== "secure")).toEqual([]);
          expect(gradeStack(policy, changed(true), { config: { everyWorkspace: true } })).toEqual(declared);
        }),
        propertyParameters(40),
      );
    });
  },
);
