import { sessionLength } from "../../../policies/authentication-access/session-length";
import { expectNeedsReview, expectNotEvaluated, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

describe("intercom-session-length", () => {
  const base = secure.sessionPolicy;
  const hours = (reauthenticateAfterHours: number | null, config?: unknown) =>
    grade(sessionLength, { ...base, reauthenticateAfterHours }, { config });

  it("passes the secure fixture (12 hours)", () => {
    expectSecure(grade(sessionLength, base));
  });

  it("passes exactly the default maximum (24 hours) and flags one hour more", () => {
    expectSecure(hours(24));
    expectNeedsReview(hours(25), "25 hours", "maximum is 24");
  });

  it("passes the shortest session (1 hour)", () => {
    expectSecure(hours(1));
  });

  it("flags Intercom's default 4-day activity window (null)", () => {
    expectNeedsReview(hours(null), "No session length", "4-day");
  });

  it("flags a 4-day session set explicitly", () => {
    expectNeedsReview(hours(96), "96 hours");
  });

  it("honours maxHours: 48 passes 25 and 48, flags 49", () => {
    const config = { maxHours: 48 };
    expectSecure(hours(25, config));
    expectSecure(hours(48, config));
    expectNeedsReview(hours(49, config), "maximum is 48");
  });

  it("still flags null under a generous maxHours, naming the configured maximum", () => {
    expectNeedsReview(hours(null, { maxHours: 2000 }), "maximum 2000 hours");
  });

  it.each([[0], [-1], [1.5], ["24"]])("reports maxHours %p as an invalid configuration", (maxHours) => {
    expectNotEvaluated(hours(12, { maxHours }), "maxHours");
  });

  it.each([[0], [2161], [1.5]])("grades %p hours (outside the schema) as not evaluated", (value) => {
    expectNotEvaluated(hours(value));
  });

  describeResourcePolicyBasics(sessionLength, "authentication-access", base);
});
