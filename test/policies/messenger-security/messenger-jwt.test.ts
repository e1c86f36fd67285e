import { jwtVerification } from "../../../policies/messenger-security/messenger-jwt";
import { expectNeedsReview, expectNotApplicable, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

describe("intercom-messenger-jwt", () => {
  const base = secure.webMessengerSecurity;

  it("passes JWT verification on every platform", () => {
    expectSecure(grade(jwtVerification, base));
    expectSecure(grade(jwtVerification, secure.iosMessengerSecurity));
    expectSecure(grade(jwtVerification, secure.androidMessengerSecurity));
  });

  it("passes JWT verification even when not enforced (intercom-web-identity-verification owns that)", () => {
    expectSecure(grade(jwtVerification, { ...base, enforced: false }));
  });

  it("flags legacy HMAC, enforced or not, naming the platform", () => {
    expectNeedsReview(grade(jwtVerification, { ...base, identityVerification: "hmac" }), "legacy HMAC", "web", "no expiry");
    expectNeedsReview(
      grade(jwtVerification, { ...secure.androidMessengerSecurity, identityVerification: "hmac", enforced: false }),
      "android",
    );
  });

  it("does not apply when verification is off", () => {
    expectNotApplicable(grade(jwtVerification, { ...base, identityVerification: "off", enforced: false }));
  });

  describeResourcePolicyBasics(jwtVerification, "messenger-security", base);
});
