import { pushCredentials } from "../../../policies/mobile-sdks/mobile-push-credentials";
import { expectNeedsReview, expectNotApplicable, expectNotEvaluated, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

type Credential = "apns_p8_key" | "apns_p12_certificate" | "fcm_service_account" | "fcm_server_key";

// The fixed clock is 2026-06-01T00:00:00Z.
describe("intercom-mobile-push-credentials", () => {
  const ios = secure.iosSdk;
  const android = secure.androidSdk;
  const push = (credential: Credential, expiresAt?: string, config?: unknown, sdk = ios) =>
    grade(pushCredentials, { ...sdk, push: { credential, ...(expiresAt ? { expiresAt } : {}) } }, { config });

  it("passes an APNs .p8 key on iOS and an FCM service account on Android", () => {
    expectSecure(grade(pushCredentials, ios));
    expectSecure(grade(pushCredentials, android));
  });

  it("does not apply when push is not configured", () => {
    expectNotApplicable(grade(pushCredentials, { ...ios, push: undefined }));
  });

  it("flags a legacy APNs .p12 certificate", () => {
    expectNeedsReview(push("apns_p12_certificate"), "legacy APNs .p12 certificate");
  });

  it("flags a legacy FCM server key", () => {
    expectNeedsReview(push("fcm_server_key", undefined, undefined, android), "legacy FCM server key");
  });

  it("flags a credential for the other platform", () => {
    expectNeedsReview(push("fcm_service_account"), "other platform", "ios");
    expectNeedsReview(push("apns_p8_key", undefined, undefined, android), "other platform", "android");
  });

  it("passes a credential expiring in 31 days and flags one expiring in 30 (the default warning window)", () => {
    expectSecure(push("apns_p8_key", "2026-07-02"));
    expectNeedsReview(push("apns_p8_key", "2026-07-01"), "expires in 30 days", "2026-07-01");
  });

  it("flags a credential expiring today as expiring, not expired", () => {
    expectNeedsReview(push("apns_p8_key", "2026-06-01"), "expires in 0 days");
  });

  it("flags an expired credential", () => {
    expectNeedsReview(push("apns_p8_key", "2026-05-31"), "expired on 2026-05-31");
  });

  it("honours expiryWarningDays: 0 passes tomorrow's expiry, 90 flags one in 60 days", () => {
    expectSecure(push("apns_p8_key", "2026-06-02", { expiryWarningDays: 0 }));
    expectNeedsReview(push("apns_p8_key", "2026-07-31", { expiryWarningDays: 90 }), "expires in 60 days");
  });

  it("reports an expired legacy credential for the wrong platform as three problems", () => {
    expect(expectNeedsReview(push("fcm_server_key", "2020-01-01"))).toHaveLength(3);
  });

  it.each([[-1], ["30"], [1.5]])("reports expiryWarningDays %p as an invalid configuration", (expiryWarningDays) => {
    expectNotEvaluated(push("apns_p8_key", undefined, { expiryWarningDays }), "expiryWarningDays");
  });

  it.each(["soon", "2026/07/01", "2026-07-01T10:00"])("grades expiresAt %p as not evaluated", (expiresAt) => {
    expectNotEvaluated(grade(pushCredentials, { ...ios, push: { credential: "apns_p8_key", expiresAt } }));
  });

  it("grades an unknown credential kind as not evaluated", () => {
    expectNotEvaluated(grade(pushCredentials, { ...ios, push: { credential: "apns_pem" as never } }));
  });

  describeResourcePolicyBasics(pushCredentials, "mobile-sdks", ios);
});
