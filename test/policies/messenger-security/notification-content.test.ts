import { notificationContent } from "../../../policies/messenger-security/notification-content";
import { expectNeedsReview, expectNotEvaluated, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";
import { remediate } from "../../support/remediation";
import { UNKNOWN } from "../../support/unknowns";

describe("intercom-notification-content", () => {
  const base = secure.notificationPrivacy;

  it("passes no email content and generic push", () => {
    expectSecure(grade(notificationContent, base));
  });

  it("passes summary email content (outside PHI workspaces, a summary is enough)", () => {
    expectSecure(grade(notificationContent, { ...base, emailNotificationContent: "summary" }));
  });

  it("flags full email content", () => {
    expectNeedsReview(
      grade(notificationContent, { ...base, emailNotificationContent: "full" }),
      "Email notifications",
      "full message content",
    );
  });

  it("flags full push content", () => {
    expectNeedsReview(
      grade(notificationContent, { ...base, pushNotificationContent: "full" }),
      "Push notifications",
      "full message content",
    );
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

describe("intercom-notification-content: remediation", () => {
  const base = secure.notificationPrivacy;
  const cases = (["full", "summary", "none"] as const).flatMap((emailNotificationContent) =>
    (["full", "generic"] as const).map((pushNotificationContent) => ({ emailNotificationContent, pushNotificationContent })),
  );

  it.each(cases)("turns full content into a summary or generic text, every notification still sent: %j", (patch) => {
    const props = { ...base, ...patch };
    const fix = remediate(notificationContent, props);
    const expected = {
      ...(patch.emailNotificationContent === "full" ? { emailNotificationContent: "summary" } : {}),
      ...(patch.pushNotificationContent === "full" ? { pushNotificationContent: "generic" } : {}),
    };
    if (Object.keys(expected).length === 0) {
      expect(fix).toBeUndefined();
    } else {
      expect(fix).toEqual(expected);
      expectSecure(grade(notificationContent, { ...props, ...fix }));
    }
  });

  it("makes no fix on a value not known yet", () => {
    expect(remediate(notificationContent, { ...base, emailNotificationContent: "full", pushNotificationContent: UNKNOWN })).toBeUndefined();
  });
});
