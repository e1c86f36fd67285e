import { secretRotation } from "../../../policies/messenger-security/messenger-secret-rotation";
import { expectNeedsReview, expectNotApplicable, expectNotEvaluated, expectSecure, grade, now, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

// The fixed clock is 2026-06-01T00:00:00Z.
describe("intercom-messenger-secret-rotation", () => {
  const base = secure.webMessengerSecurity;
  const rotated = (secretRotatedAt: string | undefined, config?: unknown) =>
    grade(secretRotation, { ...base, secretRotatedAt }, { config });

  it("passes the secure fixture (rotated 2026-03-01)", () => {
    expectSecure(grade(secretRotation, base));
  });

  it("passes a secret rotated exactly 365 days ago and flags 366 days", () => {
    expectSecure(rotated("2025-06-01"));
    expectNeedsReview(rotated("2025-05-31"), "366 days ago", "2025-05-31", "maximum is 365");
  });

  it("passes a secret rotated today", () => {
    expectSecure(rotated("2026-06-01"));
    expectSecure(rotated(now.toISOString()));
  });

  it("flags a rotation date in the future", () => {
    expectNeedsReview(rotated("2026-06-02"), "in the future", "2026-06-02");
    expectNeedsReview(rotated("2026-06-01T12:00:00Z"), "in the future");
  });

  it("flags an undeclared rotation date", () => {
    expectNeedsReview(rotated(undefined), "not declared", "secretRotatedAt");
  });

  it("grades HMAC secrets too", () => {
    expectNeedsReview(grade(secretRotation, { ...base, identityVerification: "hmac", secretRotatedAt: "2024-01-01" }), "web", "days ago");
  });

  it("does not apply when verification is off (no secret in use)", () => {
    expectNotApplicable(grade(secretRotation, { ...base, identityVerification: "off", enforced: false, secretRotatedAt: undefined }));
  });

  it("honours maxAgeDays: 90 passes 90 days and flags 91", () => {
    expectSecure(rotated("2026-03-03", { maxAgeDays: 90 }));
    expectNeedsReview(rotated("2026-03-02", { maxAgeDays: 90 }), "91 days ago", "maximum is 90");
  });

  it("judges age by the clock it is given", () => {
    expectSecure(grade(secretRotation, { ...base, secretRotatedAt: "2025-05-31" }, { now: new Date("2026-05-31T00:00:00Z") }));
  });

  it.each([[0], [-1], ["365"], [1.5]])("reports maxAgeDays %p as an invalid configuration", (maxAgeDays) => {
    expectNotEvaluated(rotated("2026-03-01", { maxAgeDays }), "maxAgeDays");
  });

  it.each(["yesterday", "2026-13-01", "01/03/2026", "2026-03-01T09:00"])("grades secretRotatedAt %p as not evaluated", (value) => {
    expectNotEvaluated(rotated(value));
  });

  describeResourcePolicyBasics(secretRotation, "messenger-security", base);
});
