import { encryptedMode } from "../../../policies/mobile-sdks/mobile-encrypted-mode";
import { expectNeedsReview, expectNotEvaluated, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

describe("intercom-mobile-encrypted-mode", () => {
  it("passes both SDKs in encrypted mode", () => {
    expectSecure(grade(encryptedMode, secure.iosSdk));
    expectSecure(grade(encryptedMode, secure.androidSdk));
  });

  it("flags an SDK without encrypted mode, naming the platform", () => {
    expectNeedsReview(grade(encryptedMode, { ...secure.iosSdk, encryptedMode: false }), "ios", "encrypted mode");
    expectNeedsReview(grade(encryptedMode, { ...secure.androidSdk, encryptedMode: false }), "android");
  });

  it("grades a missing encryptedMode as not evaluated", () => {
    expectNotEvaluated(grade(encryptedMode, { ...secure.iosSdk, encryptedMode: undefined as never }));
  });

  describeResourcePolicyBasics(encryptedMode, "mobile-sdks", secure.iosSdk);
});
