import { messengerSessionDuration } from "../../../policies/messenger-security/messenger-session-duration";
import { expectNeedsReview, expectNotEvaluated, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

describe("intercom-messenger-session-duration", () => {
  const base = secure.messengerSession;
  const minutes = (sessionDurationMinutes: number, config?: unknown) =>
    grade(messengerSessionDuration, { ...base, sessionDurationMinutes }, { config });

  it("passes the secure fixture (60 minutes)", () => {
    expectSecure(grade(messengerSessionDuration, base));
  });

  it("passes exactly one day and flags one minute more", () => {
    expectSecure(minutes(1440));
    expectNeedsReview(minutes(1441), "1441 minutes", "maximum is 1440");
  });

  it("flags Intercom's one-week default", () => {
    expectNeedsReview(minutes(7 * 24 * 60), "10080 minutes");
  });

  it("honours maxMinutes: 30 passes 30 and flags 31", () => {
    expectSecure(minutes(30, { maxMinutes: 30 }));
    expectNeedsReview(minutes(31, { maxMinutes: 30 }), "maximum is 30");
  });

  it("honours a looser maxMinutes: a week passes a week", () => {
    expectSecure(minutes(10080, { maxMinutes: 10080 }));
  });

  it.each([[0], ["60"], [1.5]])("reports maxMinutes %p as an invalid configuration", (maxMinutes) => {
    expectNotEvaluated(minutes(60, { maxMinutes }), "maxMinutes");
  });

  it.each([[0], [-5], [2.5]])("grades %p minutes (outside the schema) as not evaluated", (value) => {
    expectNotEvaluated(minutes(value));
  });

  describeResourcePolicyBasics(messengerSessionDuration, "messenger-security", base);
});
