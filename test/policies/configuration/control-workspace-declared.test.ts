import { workspaceDeclared } from "../../../policies/configuration/control-workspace-declared";
import { ssoEnforcementControl, twoFactorAuthenticationControl, workspaceControl } from "../../../resources";
import {
  expectNeedsReview,
  expectNotEvaluated,
  expectSecure,
  gradeStack,
  names,
  otherWorkspaceId,
  resource,
  secure,
  secureStack,
  secureStackVariants,
  urnOf,
  without,
  withProps,
} from "../../support/fixtures";
import { describeStackPolicyBasics } from "../../support/policy-basics";

describe("intercom-control-workspace-declared", () => {
  it("passes every secure stack variant", () => {
    for (const options of secureStackVariants) expectSecure(gradeStack(workspaceDeclared, secureStack(options)));
  });

  it("flags a control for an undeclared workspace, naming it and the APP_ID, under its urn", () => {
    const stray = resource(twoFactorAuthenticationControl, "typo-2fa", {
      ...secure.twoFactorAuthentication,
      workspaceId: otherWorkspaceId,
    });
    const findings = expectNeedsReview(
      gradeStack(workspaceDeclared, [...secureStack(), stray]),
      'TwoFactorAuthentication "typo-2fa"',
      otherWorkspaceId,
      "not declared as a Workspace",
    );
    expect(findings.map((f) => f.urn)).toEqual([stray.urn]);
  });

  it("flags every control when the Workspace itself is removed", () => {
    const stack = without(secureStack(), names.workspace);
    const controls = stack.filter((r) => r.type.includes("/intercom:"));
    expect(expectNeedsReview(gradeStack(workspaceDeclared, stack))).toHaveLength(controls.length);
  });

  it("passes controls of a second workspace once it is declared", () => {
    const stack = [
      ...secureStack(),
      resource(workspaceControl, "other-workspace", { ...secure.workspace, workspaceId: otherWorkspaceId }),
      resource(ssoEnforcementControl, "other-sso", { ...secure.ssoEnforcement, workspaceId: otherWorkspaceId }),
    ];
    expectSecure(gradeStack(workspaceDeclared, stack));
  });

  it("reports an invalid Workspace as not evaluated, without calling its controls undeclared", () => {
    const findings = gradeStack(workspaceDeclared, withProps(secureStack(), names.workspace, { region: "mars" }));
    expect(expectNotEvaluated(findings, "Workspace").map((f) => f.urn)).toEqual([urnOf(workspaceControl, names.workspace)]);
    expect(findings).toHaveLength(1);
  });

  it("passes a stack with no Intercom controls", () => {
    expectSecure(gradeStack(workspaceDeclared, []));
  });

  describeStackPolicyBasics(workspaceDeclared, "configuration", secureStack);
});
