import fc from "fast-check";
import { hipaaBehaviouralProfiling } from "../../../policies/healthcare/hipaa-behavioural-profiling";
import { messengerInstallationControl } from "../../../resources";
import { expectNeedsReview, expectSecure, gradeStack, names, secureStack, urnOf, without, withProps } from "../../support/fixtures";
import { describeStackPolicyBasics } from "../../support/policy-basics";
import { propertyParameters } from "../../support/property";

describe("intercom-hipaa-behavioural-profiling", () => {
  const phi = () => secureStack({ handlesPhi: true });
  const installationUrn = urnOf(messengerInstallationControl, names.installation);

  it("passes the secure PHI stack (no page-view tracking, no tours)", () => {
    expectSecure(gradeStack(hipaaBehaviouralProfiling, phi()));
  });

  it("passes page-view tracking off, with or without excluded paths", () => {
    expectSecure(
      gradeStack(hipaaBehaviouralProfiling, withProps(phi(), names.installation, { trackPageViews: false, excludedPaths: undefined })),
    );
    expectSecure(
      gradeStack(hipaaBehaviouralProfiling, withProps(phi(), names.installation, { trackPageViews: false, excludedPaths: ["/records"] })),
    );
  });

  it("flags product tours, under the installation's urn", () => {
    const findings = expectNeedsReview(
      gradeStack(hipaaBehaviouralProfiling, withProps(phi(), names.installation, { productTours: true })),
      "handles PHI",
      "product tours are on",
    );
    expect(findings.map((f) => f.urn)).toEqual([installationUrn]);
  });

  it("flags page views tracked with no excluded paths, missing or empty", () => {
    expectNeedsReview(
      gradeStack(hipaaBehaviouralProfiling, withProps(phi(), names.installation, { trackPageViews: true, excludedPaths: undefined })),
      "page views are tracked on every page",
    );
    expectNeedsReview(
      gradeStack(hipaaBehaviouralProfiling, withProps(phi(), names.installation, { trackPageViews: true, excludedPaths: [] })),
      "clinical ones included",
    );
  });

  it("flags page views tracked whatever paths are excluded (the HIPAA checklist: no page-view tracking)", () => {
    const paths = fc.array(fc.stringMatching(/^\/[a-z0-9/_-]{0,20}$/), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(paths, (excludedPaths) => {
        const findings = gradeStack(
          hipaaBehaviouralProfiling,
          withProps(phi(), names.installation, { trackPageViews: true, excludedPaths }),
        );
        expect(findings.map((f) => [f.status, f.urn])).toEqual([["needs_review", installationUrn]]);
        expect(findings[0]?.message).toMatch(/page views are tracked \(excluded paths do not make page-view tracking acceptable/);
      }),
      propertyParameters(40),
    );
  });

  it("reports tours and tracking together in one finding", () => {
    const stack = withProps(phi(), names.installation, { productTours: true, trackPageViews: true, excludedPaths: [] });
    expect(expectNeedsReview(gradeStack(hipaaBehaviouralProfiling, stack), "product tours are on and page views")).toHaveLength(1);
  });

  it("ignores profiling in a workspace that does not handle PHI", () => {
    expectSecure(
      gradeStack(
        hipaaBehaviouralProfiling,
        withProps(secureStack(), names.installation, { productTours: true, trackPageViews: true, excludedPaths: [] }),
      ),
    );
  });

  it("leaves a missing installation to intercom-hipaa-consent-gated-messenger", () => {
    expectSecure(gradeStack(hipaaBehaviouralProfiling, without(phi(), names.installation)));
  });

  describeStackPolicyBasics(hipaaBehaviouralProfiling, "healthcare", phi);
});
