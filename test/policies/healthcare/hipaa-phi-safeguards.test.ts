import { hipaaPhiSafeguards } from "../../../policies/healthcare/hipaa-phi-safeguards";
import { notificationPrivacyControl, panRedactionControl, workspaceControl } from "../../../resources";
import {
  expectNeedsReview,
  expectNotEvaluated,
  expectSecure,
  gradeStack,
  names,
  secureStack,
  urnOf,
  without,
  withProps,
} from "../../support/fixtures";
import { describeStackPolicyBasics } from "../../support/policy-basics";

describe("intercom-hipaa-phi-safeguards", () => {
  const phi = () => secureStack({ handlesPhi: true });
  const notificationsUrn = urnOf(notificationPrivacyControl, names.notifications);
  const redactionUrn = urnOf(panRedactionControl, names.redaction);
  const workspaceUrn = urnOf(workspaceControl, names.workspace);

  it("passes the secure PHI and non-PHI stacks", () => {
    expectSecure(gradeStack(hipaaPhiSafeguards, phi()));
    expectSecure(gradeStack(hipaaPhiSafeguards, secureStack()));
  });

  it.each(["summary", "full"])("flags email notifications carrying %p content, under the NotificationPrivacy urn", (content) => {
    const findings = expectNeedsReview(
      gradeStack(hipaaPhiSafeguards, withProps(phi(), names.notifications, { emailNotificationContent: content })),
      "email notifications",
      content,
    );
    expect(findings.map((f) => f.urn)).toEqual([notificationsUrn]);
  });

  it("flags push notifications carrying content", () => {
    expectNeedsReview(
      gradeStack(hipaaPhiSafeguards, withProps(phi(), names.notifications, { pushNotificationContent: "full" })),
      "push notifications carry message content",
    );
  });

  it("flags SSN redaction off, or redaction off altogether, under the PanRedaction urn", () => {
    const ssnOff = expectNeedsReview(
      gradeStack(hipaaPhiSafeguards, withProps(phi(), names.redaction, { socialSecurityNumbers: false })),
      "Social Security numbers are not redacted",
    );
    expect(ssnOff.map((f) => f.urn)).toEqual([redactionUrn]);
    expectNeedsReview(gradeStack(hipaaPhiSafeguards, withProps(phi(), names.redaction, { enabled: false })), "Social Security numbers");
  });

  it("flags missing NotificationPrivacy and PanRedaction, under the workspace's urn", () => {
    const findings = expectNeedsReview(
      gradeStack(hipaaPhiSafeguards, without(phi(), names.notifications, names.redaction)),
      "no NotificationPrivacy",
      "no PanRedaction",
    );
    expect(findings.map((f) => f.urn)).toEqual([workspaceUrn, workspaceUrn]);
  });

  it("ignores a workspace that does not handle PHI", () => {
    const stack = withProps(withProps(secureStack(), names.notifications, { emailNotificationContent: "full" }), names.redaction, {
      socialSecurityNumbers: false,
    });
    expectSecure(gradeStack(hipaaPhiSafeguards, stack));
  });

  it("reports an invalid NotificationPrivacy as not evaluated, not as missing", () => {
    const findings = gradeStack(hipaaPhiSafeguards, withProps(phi(), names.notifications, { emailNotificationContent: "redacted" }));
    expect(expectNotEvaluated(findings).map((f) => f.urn)).toEqual([notificationsUrn]);
    expect(findings).toHaveLength(1);
  });

  describeStackPolicyBasics(hipaaPhiSafeguards, "healthcare", phi);
});
