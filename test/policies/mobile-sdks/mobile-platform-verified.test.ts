import { platformVerified } from "../../../policies/mobile-sdks/mobile-platform-verified";
import { messengerSecurityControl, mobileSdkControl } from "../../../resources";
import {
  expectNeedsReview,
  expectNotEvaluated,
  expectSecure,
  find,
  gradeStack,
  names,
  otherWorkspaceId,
  resource,
  secure,
  secureStack,
  urnOf,
  without,
  withProps,
} from "../../support/fixtures";
import { describeStackPolicyBasics } from "../../support/policy-basics";

describe("intercom-mobile-platform-verified", () => {
  const mobile = () => secureStack({ withMobile: true });
  const iosSdkUrn = urnOf(mobileSdkControl, names.iosSdk);
  const androidSdkUrn = urnOf(mobileSdkControl, names.androidSdk);

  it("passes the secure stack with and without mobile SDKs", () => {
    expectSecure(gradeStack(platformVerified, secureStack()));
    expectSecure(gradeStack(platformVerified, mobile()));
  });

  it("flags an iOS SDK with no iOS MessengerSecurity, under the SDK's urn", () => {
    const findings = expectNeedsReview(
      gradeStack(platformVerified, without(mobile(), names.iosMessenger)),
      "ios",
      "no ios MessengerSecurity",
      "off by default",
    );
    expect(findings.map((f) => f.urn)).toEqual([iosSdkUrn]);
  });

  it("flags a MobileSdk added to a web-only stack", () => {
    const findings = expectNeedsReview(
      gradeStack(platformVerified, [...secureStack(), resource(mobileSdkControl, names.androidSdk, secure.androidSdk)]),
      "android",
    );
    expect(findings.map((f) => f.urn)).toEqual([androidSdkUrn]);
  });

  it("flags a declared platform whose verification is off or not enforced", () => {
    expectNeedsReview(
      gradeStack(platformVerified, withProps(mobile(), names.iosMessenger, { identityVerification: "off", enforced: false })),
      "ios identity verification is not enforced",
    );
    expectNeedsReview(
      gradeStack(platformVerified, withProps(mobile(), names.androidMessenger, { enforced: false })),
      "android",
      "not enforced",
    );
  });

  it("does not accept the web Messenger's verification for an app", () => {
    const stack = without(mobile(), names.iosMessenger, names.androidMessenger);
    expect(expectNeedsReview(gradeStack(platformVerified, stack))).toHaveLength(2);
  });

  it("does not accept another workspace's MessengerSecurity for the platform", () => {
    const stack = [
      ...without(mobile(), names.iosMessenger),
      resource(messengerSecurityControl, "other-ios-messenger", { ...secure.iosMessengerSecurity, workspaceId: otherWorkspaceId }),
    ];
    expect(expectNeedsReview(gradeStack(platformVerified, stack)).map((f) => f.urn)).toEqual([iosSdkUrn]);
  });

  it("passes MessengerSecurity declared without an SDK (nothing ships to check)", () => {
    const stack = without(mobile(), names.iosSdk, names.androidSdk);
    expectSecure(gradeStack(platformVerified, stack));
    expect(find(stack, names.iosMessenger)).toBeDefined();
  });

  it("does not pass an SDK whose platform's MessengerSecurity fails its schema", () => {
    const stack = withProps(mobile(), names.iosMessenger, { enforced: "yes" });
    const notEvaluated = expectNotEvaluated(gradeStack(platformVerified, stack), "MessengerSecurity");
    expect(notEvaluated.map((f) => f.urn)).toEqual([urnOf(messengerSecurityControl, names.iosMessenger)]);
  });

  describeStackPolicyBasics(platformVerified, "mobile-sdks", mobile);
});
