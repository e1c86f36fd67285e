import { hipaaBusinessAssociateAgreement } from "../../../policies/healthcare/hipaa-baa";
import { businessAssociateAgreementControl, workspaceControl } from "../../../resources";
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
  urnOf,
  without,
  withProps,
} from "../../support/fixtures";
import { describeStackPolicyBasics } from "../../support/policy-basics";

describe("intercom-hipaa-baa", () => {
  const phi = () => secureStack({ handlesPhi: true });
  const workspaceUrn = urnOf(workspaceControl, names.workspace);
  const baaUrn = urnOf(businessAssociateAgreementControl, names.baa);

  it("passes the secure PHI stack (signed, full-scope BAA) and a non-PHI stack without one", () => {
    expectSecure(gradeStack(hipaaBusinessAssociateAgreement, phi()));
    expectSecure(gradeStack(hipaaBusinessAssociateAgreement, secureStack()));
  });

  it("flags a PHI workspace that declares no BAA, under the workspace's urn", () => {
    const findings = expectNeedsReview(
      gradeStack(hipaaBusinessAssociateAgreement, without(phi(), names.baa)),
      '"Acme Support"',
      "handles PHI",
      "no Business Associate Agreement",
    );
    expect(findings.map((f) => f.urn)).toEqual([workspaceUrn]);
  });

  it("flags setting handlesPhi on the secure (non-PHI) stack", () => {
    expectNeedsReview(
      gradeStack(hipaaBusinessAssociateAgreement, withProps(secureStack(), names.workspace, { handlesPhi: true })),
      "no Business Associate Agreement",
    );
  });

  it("flags a BAA dated after the clock: it is not in force yet", () => {
    expectNeedsReview(
      gradeStack(hipaaBusinessAssociateAgreement, withProps(phi(), names.baa, { signedOn: "2099-01-01" })),
      "dated in the future",
    );
  });

  it("flags an unsigned BAA, under the BAA's urn", () => {
    const findings = expectNeedsReview(
      gradeStack(hipaaBusinessAssociateAgreement, withProps(phi(), names.baa, { signed: false })),
      "not signed",
    );
    expect(findings.map((f) => f.urn)).toEqual([baaUrn]);
  });

  it("flags a BAA that does not cover every data category", () => {
    expectNeedsReview(
      gradeStack(hipaaBusinessAssociateAgreement, withProps(phi(), names.baa, { coversAllDataCategories: false })),
      "does not cover every data category",
    );
  });

  it("does not accept another workspace's BAA", () => {
    const stack = [
      ...without(phi(), names.baa),
      resource(businessAssociateAgreementControl, "other-baa", { ...secure.businessAssociateAgreement, workspaceId: otherWorkspaceId }),
    ];
    expect(expectNeedsReview(gradeStack(hipaaBusinessAssociateAgreement, stack)).map((f) => f.urn)).toEqual([workspaceUrn]);
  });

  it("ignores an unsigned BAA of a workspace that does not handle PHI", () => {
    expectSecure(
      gradeStack(
        hipaaBusinessAssociateAgreement,
        withProps(withProps(phi(), names.workspace, { handlesPhi: false }), names.baa, { signed: false }),
      ),
    );
  });

  it("reports a PHI workspace's invalid BAA as not evaluated, not as missing and not as passed", () => {
    const findings = gradeStack(hipaaBusinessAssociateAgreement, withProps(phi(), names.baa, { signed: "yes" }));
    const notEvaluated = expectNotEvaluated(findings, "BusinessAssociateAgreement");
    expect(notEvaluated.map((f) => f.urn)).toEqual([baaUrn]);
    expect(findings).toHaveLength(1);
  });

  it("reports an invalid Workspace as not evaluated: whether it handles PHI is unknown", () => {
    expectNotEvaluated(
      gradeStack(hipaaBusinessAssociateAgreement, withProps(without(phi(), names.baa), names.workspace, { handlesPhi: "yes" })),
      "Workspace",
    );
  });

  describeStackPolicyBasics(hipaaBusinessAssociateAgreement, "healthcare", phi);
});
