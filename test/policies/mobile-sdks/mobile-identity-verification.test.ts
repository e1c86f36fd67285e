import { mobileIdentityVerification } from "../../../policies/mobile-sdks/mobile-identity-verification";
import { expectNeedsReview, expectNotApplicable, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

describe("intercom-mobile-identity-verification", () => {
  const ios = secure.iosMessengerSecurity;
  const android = secure.androidMessengerSecurity;

  it("passes enforced verification on iOS and Android", () => {
    expectSecure(grade(mobileIdentityVerification, ios));
    expectSecure(grade(mobileIdentityVerification, android));
  });

  it("passes enforced HMAC (intercom-messenger-jwt owns the HMAC finding)", () => {
    expectSecure(grade(mobileIdentityVerification, { ...ios, identityVerification: "hmac" }));
  });

  it("flags verification off on iOS", () => {
    expectNeedsReview(grade(mobileIdentityVerification, { ...ios, identityVerification: "off", enforced: false }), "off", "ios");
  });

  it("flags verification not enforced on Android", () => {
    expectNeedsReview(grade(mobileIdentityVerification, { ...android, enforced: false }), "not enforced", "android");
  });

  it("does not apply to the web Messenger", () => {
    expectNotApplicable(
      grade(mobileIdentityVerification, { ...secure.webMessengerSecurity, identityVerification: "off", enforced: false }),
    );
  });

  describeResourcePolicyBasics(mobileIdentityVerification, "mobile-sdks", ios);
});
