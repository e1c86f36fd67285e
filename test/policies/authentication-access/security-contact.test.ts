import { securityContact } from "../../../policies/authentication-access/security-contact";
import { expectNeedsReview, expectNotEvaluated, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

describe("intercom-security-contact", () => {
  const base = secure.workspace;
  const required = { config: { requireSecurityContact: true } };

  it("passes a workspace with a security contact, by default and when required", () => {
    expectSecure(grade(securityContact, base));
    expectSecure(grade(securityContact, base, required));
  });

  it("does not flag a missing contact by default: Intercom shows the contact only if configured", () => {
    expectSecure(grade(securityContact, { ...base, securityContactEmail: undefined }));
    expectSecure(grade(securityContact, { ...base, securityContactEmail: undefined }, { config: { requireSecurityContact: false } }));
  });

  it("flags a missing contact when requireSecurityContact is on, naming the argument", () => {
    expectNeedsReview(
      grade(securityContact, { ...base, securityContactEmail: undefined }, required),
      "No security contact",
      "requireSecurityContact",
    );
  });

  it("applies to PHI and non-PHI workspaces alike", () => {
    expectSecure(grade(securityContact, { ...base, handlesPhi: true }, required));
    expectNeedsReview(grade(securityContact, { ...base, handlesPhi: true, securityContactEmail: undefined }, required), "security contact");
    expectSecure(grade(securityContact, { ...base, handlesPhi: true, securityContactEmail: undefined }));
  });

  it("grades a malformed contact address as not evaluated, not as set, whatever the argument", () => {
    for (const options of [{}, required]) {
      expectNotEvaluated(grade(securityContact, { ...base, securityContactEmail: "security-at-example" }, options));
      expectNotEvaluated(grade(securityContact, { ...base, securityContactEmail: "" }, options));
    }
  });

  it.each([["yes"], [1], [null]])("reports requireSecurityContact %p as an invalid configuration, never a pass", (value) => {
    expectNotEvaluated(
      grade(securityContact, { ...base, securityContactEmail: undefined }, { config: { requireSecurityContact: value } }),
      "configuration",
      "requireSecurityContact",
    );
  });

  describeResourcePolicyBasics(securityContact, "authentication-access", base);
});
