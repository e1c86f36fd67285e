import { samlSignedAssertions } from "../../../policies/authentication-access/saml-signed-assertions";
import { expectNeedsReview, expectNotApplicable, expectNotEvaluated, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

describe("intercom-saml-signed-assertions", () => {
  const base = secure.ssoEnforcement;
  const saml = base.saml as NonNullable<typeof base.saml>;

  it("passes the secure fixture (SAML required, signed assertions, https IdP)", () => {
    expectSecure(grade(samlSignedAssertions, base));
  });

  it("passes SAML that is only allowed, when it is configured securely", () => {
    expectSecure(grade(samlSignedAssertions, { ...base, samlSso: "allowed", googleSignIn: "required" }));
  });

  it("flags unsigned assertions", () => {
    expectNeedsReview(
      grade(samlSignedAssertions, { ...base, saml: { ...saml, signedAssertions: false } }),
      "not required to be signed",
      "signedAssertions",
    );
  });

  it("flags an http sign-on URL", () => {
    expectNeedsReview(
      grade(samlSignedAssertions, { ...base, saml: { ...saml, idpSsoUrl: "http://idp.example.com/sso" } }),
      "idpSsoUrl",
      "not https",
    );
  });

  it("flags SAML required without identity provider settings", () => {
    expectNeedsReview(grade(samlSignedAssertions, { ...base, saml: undefined }), '"required"', "no saml identity provider settings");
  });

  it("flags SAML allowed without identity provider settings", () => {
    expectNeedsReview(grade(samlSignedAssertions, { ...base, samlSso: "allowed", saml: undefined }), '"allowed"');
  });

  it("reports unsigned assertions and an http URL as two problems", () => {
    const findings = expectNeedsReview(
      grade(samlSignedAssertions, { ...base, saml: { ...saml, signedAssertions: false, idpSsoUrl: "http://idp.example.com/sso" } }),
    );
    expect(findings).toHaveLength(2);
  });

  it("does not apply when SAML is off, even with leftover unsigned settings", () => {
    expectNotApplicable(
      grade(samlSignedAssertions, { ...base, samlSso: "off", googleSignIn: "required", saml: { ...saml, signedAssertions: false } }),
    );
  });

  it("grades a non-http(s) sign-on URL as not evaluated (the schema allows http and https only)", () => {
    expectNotEvaluated(grade(samlSignedAssertions, { ...base, saml: { ...saml, idpSsoUrl: "ftp://idp.example.com/sso" } }));
  });

  describeResourcePolicyBasics(samlSignedAssertions, "authentication-access", base);
});
