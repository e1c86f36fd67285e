import { hipaaBehaviouralProfiling } from "../../../policies/healthcare/behavioural-profiling";
import { messengerInstallationControl } from "../../../resources";
import { expectNeedsReview, expectSecure, gradeStack, names, secureStack, urnOf, without, withProps } from "../../support/fixtures";
import { describeStackPolicyBasics } from "../../support/policy-basics";

describe("intercom-hipaa-behavioural-profiling", () => {
  const phi = () => secureStack({ handlesPhi: true });
  const installationUrn = urnOf(messengerInstallationControl, names.installation);

  it("passes the secure PHI stack (page views tracked with clinical paths excluded, no tours)", () => {
    expectSecure(gradeStack(hipaaBehaviouralProfiling, phi()));
  });

  it("passes page-view tracking off with no exclusions", () => {
    expectSecure(gradeStack(hipaaBehaviouralProfiling, withProps(phi(), names.installation, { trackPageViews: false, excludedPaths: undefined })));
  });

  it("flags product tours, under the installation's urn", () => {
    const findings = expectNeedsReview(gradeStack(hipaaBehaviouralProfiling, withProps(phi(), names.installation, { productTours: true })), "handles PHI", "product tours are on");
    expect(findings.map((f) => f.urn)).toEqual([installationUrn]);
  });

  it("flags page views tracked with no excluded paths, missing or empty", () => {
    expectNeedsReview(gradeStack(hipaaBehaviouralProfiling, withProps(phi(), names.installation, { excludedPaths: undefined })), "page views are tracked on every page");
    expectNeedsReview(gradeStack(hipaaBehaviouralProfiling, withProps(phi(), names.installation, { excludedPaths: [] })), "clinical ones included");
  });

  it("reports tours and tracking together in one finding", () => {
    const stack = withProps(phi(), names.installation, { productTours: true, excludedPaths: [] });
    expect(expectNeedsReview(gradeStack(hipaaBehaviouralProfiling, stack), "product tours are on and page views")).toHaveLength(1);
  });

  it("ignores profiling in a workspace that does not handle PHI", () => {
    expectSecure(gradeStack(hipaaBehaviouralProfiling, withProps(secureStack(), names.installation, { productTours: true, excludedPaths: [] })));
  });

  it("leaves a missing installation to intercom-hipaa-consent-gated-messenger", () => {
    expectSecure(gradeStack(hipaaBehaviouralProfiling, without(phi(), names.installation)));
  });

  describeStackPolicyBasics(hipaaBehaviouralProfiling, "healthcare", phi);
});
