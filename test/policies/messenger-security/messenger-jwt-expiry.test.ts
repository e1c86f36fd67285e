import { jwtExpiry } from "../../../policies/messenger-security/messenger-jwt-expiry";
import { expectNeedsReview, expectNotApplicable, expectNotEvaluated, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

describe("intercom-messenger-jwt-expiry", () => {
  const base = secure.webMessengerSecurity;
  const expiry = (jwtExpirySeconds: number | undefined, config?: unknown) => grade(jwtExpiry, { ...base, jwtExpirySeconds }, { config });

  it("passes the secure fixture (1 hour)", () => {
    expectSecure(grade(jwtExpiry, base));
  });

  it("passes exactly 24 hours and flags one second more", () => {
    expectSecure(expiry(86400));
    expectNeedsReview(expiry(86401), "86401 seconds", "maximum is 86400");
  });

  it("flags an undeclared expiry", () => {
    expectNeedsReview(expiry(undefined), "not declared", "jwtExpirySeconds");
  });

  it("names the platform", () => {
    expectNeedsReview(grade(jwtExpiry, { ...secure.iosMessengerSecurity, jwtExpirySeconds: 604800 }), "ios");
  });

  it("does not apply to HMAC or to verification off (no JWTs to expire)", () => {
    expectNotApplicable(grade(jwtExpiry, { ...base, identityVerification: "hmac", jwtExpirySeconds: undefined }));
    expectNotApplicable(grade(jwtExpiry, { ...base, identityVerification: "off", enforced: false, jwtExpirySeconds: undefined }));
  });

  it("honours maxSeconds: 3600 passes 3600 and flags 3601", () => {
    expectSecure(expiry(3600, { maxSeconds: 3600 }));
    expectNeedsReview(expiry(3601, { maxSeconds: 3600 }), "maximum is 3600");
  });

  it("honours a looser maxSeconds: a week passes 2 days", () => {
    expectSecure(expiry(172800, { maxSeconds: 604800 }));
  });

  it.each([[59], [0], ["3600"], [3600.5]])("reports maxSeconds %p as an invalid configuration", (maxSeconds) => {
    expectNotEvaluated(expiry(3600, { maxSeconds }), "maxSeconds");
  });

  it.each([[0], [-60], [1.5]])("grades jwtExpirySeconds %p as not evaluated", (value) => {
    expectNotEvaluated(expiry(value));
  });

  describeResourcePolicyBasics(jwtExpiry, "messenger-security", base);
});
