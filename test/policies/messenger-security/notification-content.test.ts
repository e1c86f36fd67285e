import { notificationContent } from "../../../policies/messenger-security/notification-content";
import { expectNeedsReview, expectNotEvaluated, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

describe("intercom-notification-content", () => {
  const base = secure.notificationPrivacy;

  it("passes no email content and generic push", () => {
    expectSecure(grade(notificationContent, base));
  });

  it("passes summary email content (outside PHI workspaces, a summary is enough)", () => {
    expectSecure(grade(notificationContent, { ...base, emailNotificationContent: "summary" }));
  });

  it("flags full email content", () => {
    expectNeedsReview(grade(notificationContent, { ...base, emailNotificationContent: "full" }), "Email notifications", "full message content");
  });

  it("flags full push content", () => {
    expectNeedsReview(grade(notificationContent, { ...base, pushNotificationContent: "full" }), "Push notifications", "full message content");
  });

  it("reports both on Intercom's default", () => {
    const findings = grade(notificationContent, { ...base, emailNotificationContent: "full", pushNotificationContent: "full" });
    expect(expectNeedsReview(findings, "Email", "Push")).toHaveLength(2);
  });

  it("grades an unknown content level as not evaluated", () => {
    expectNotEvaluated(grade(notificationContent, { ...base, pushNotificationContent: "none" as never }));
  });

  describeResourcePolicyBasics(notificationContent, "messenger-security", base);
});
