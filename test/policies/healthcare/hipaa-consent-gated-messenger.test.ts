import { hipaaConsentGatedMessenger } from "../../../policies/healthcare/hipaa-consent-gated-messenger";
import { messengerInstallationControl, workspaceControl } from "../../../resources";
import {
  expectNeedsReview,
  expectNotEvaluated,
  expectSecure,
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

describe("intercom-hipaa-consent-gated-messenger", () => {
  const phi = () => secureStack({ handlesPhi: true });
  const installationUrn = urnOf(messengerInstallationControl, names.installation);

  it("passes the secure PHI and non-PHI stacks", () => {
    expectSecure(gradeStack(hipaaConsentGatedMessenger, phi()));
    expectSecure(gradeStack(hipaaConsentGatedMessenger, secureStack()));
  });

  it("flags a Messenger that loads before consent, under the installation's urn", () => {
    const findings = expectNeedsReview(
      gradeStack(hipaaConsentGatedMessenger, withProps(phi(), names.installation, { loadAfterConsent: false })),
      "handles PHI",
      "loads before consent",
    );
    expect(findings.map((f) => f.urn)).toEqual([installationUrn]);
  });

  it("flags consent that is not verified server-side", () => {
    expectNeedsReview(
      gradeStack(hipaaConsentGatedMessenger, withProps(phi(), names.installation, { consentVerifiedServerSide: false })),
      "not verified server-side",
    );
  });

  it("reports both problems of one installation in one finding", () => {
    const stack = withProps(phi(), names.installation, { loadAfterConsent: false, consentVerifiedServerSide: false });
    expect(
      expectNeedsReview(gradeStack(hipaaConsentGatedMessenger, stack), "loads before consent and consent is not verified"),
    ).toHaveLength(1);
  });

  it("flags a PHI workspace that declares no MessengerInstallation, under the workspace's urn", () => {
    const findings = expectNeedsReview(
      gradeStack(hipaaConsentGatedMessenger, without(phi(), names.installation)),
      "no MessengerInstallation",
      "before consent",
    );
    expect(findings.map((f) => f.urn)).toEqual([urnOf(workspaceControl, names.workspace)]);
  });

  it("does not accept another workspace's installation", () => {
    const stack = [
      ...without(phi(), names.installation),
      resource(messengerInstallationControl, "other-installation", { ...secure.messengerInstallation, workspaceId: otherWorkspaceId }),
    ];
    expectNeedsReview(gradeStack(hipaaConsentGatedMessenger, stack), "no MessengerInstallation");
  });

  it("ignores consent in a workspace that does not handle PHI", () => {
    expectSecure(
      gradeStack(
        hipaaConsentGatedMessenger,
        withProps(secureStack(), names.installation, { loadAfterConsent: false, consentVerifiedServerSide: false }),
      ),
    );
  });

  it("reports a PHI workspace's invalid installation as not evaluated, not as missing", () => {
    const findings = gradeStack(hipaaConsentGatedMessenger, withProps(phi(), names.installation, { excludedPaths: ["conditions"] }));
    expect(expectNotEvaluated(findings, "MessengerInstallation").map((f) => f.urn)).toEqual([installationUrn]);
    expect(findings).toHaveLength(1);
  });

  describeStackPolicyBasics(hipaaConsentGatedMessenger, "healthcare", phi);
});
