import { securityContact } from "../../../policies/authentication-access/security-contact";
import { expectNeedsReview, expectNotEvaluated, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

describe("intercom-security-contact", () => {
  const base = secure.workspace;

  it("passes a workspace with a security contact", () => {
    expectSecure(grade(securityContact, base));
  });

  it("flags a workspace with no security contact", () => {
    expectNeedsReview(grade(securityContact, { ...base, securityContactEmail: undefined }), "No security contact");
  });

  it("applies to PHI and non-PHI workspaces alike", () => {
    expectSecure(grade(securityContact, { ...base, handlesPhi: true }));
    expectNeedsReview(grade(securityContact, { ...base, handlesPhi: true, securityContactEmail: undefined }), "security contact");
  });

  it("grades a malformed contact address as not evaluated, not as set", () => {
    expectNotEvaluated(grade(securityContact, { ...base, securityContactEmail: "security-at-example" }));
    expectNotEvaluated(grade(securityContact, { ...base, securityContactEmail: "" }));
  });

  describeResourcePolicyBasics(securityContact, "authentication-access", base);
});
