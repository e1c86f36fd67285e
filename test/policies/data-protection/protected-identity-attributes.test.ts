import { protectedIdentityAttributes } from "../../../policies/data-protection/protected-identity-attributes";
import { expectNeedsReview, expectNotEvaluated, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";
import { identityAttributes } from "../../../policies/support/identity-attributes";

describe("intercom-protected-identity-attributes", () => {
  const base = secure.emailProtected;
  const writable = (attribute: string, config?: unknown, model: "contact" | "company" = "contact") =>
    grade(protectedIdentityAttributes, { ...base, model, attribute, messengerWritable: true }, { config });

  it("passes protected email and user_id", () => {
    expectSecure(grade(protectedIdentityAttributes, base));
    expectSecure(grade(protectedIdentityAttributes, secure.userIdProtected));
  });

  it.each(["email", "user_id", "phone", "external_id"])("flags the identity attribute %p left Messenger-writable", (attribute) => {
    expectNeedsReview(writable(attribute), `"${attribute}"`, "identifies a user", "Messenger may update it");
  });

  it("flags a company identity attribute, naming the model", () => {
    expectNeedsReview(writable("company_id", undefined, "company"), "company attribute", '"company_id"');
  });

  it("passes a Messenger-writable attribute that identifies nobody", () => {
    expectSecure(writable("favourite_colour"));
  });

  it("honours identityAttributes: added attributes are protected as well as the defaults", () => {
    const config = { identityAttributes: [...identityAttributes, "shopify_id"] };
    expectNeedsReview(writable("shopify_id", config), '"shopify_id"');
    expectNeedsReview(writable("email", config), '"email"');
    expectSecure(writable("favourite_colour", config));
  });

  it("compares attribute names normalised: case and width variants of an identity attribute are protected", () => {
    expectNeedsReview(writable("EMAIL"), '"EMAIL"', "identifies a user");
    expectNeedsReview(writable("Ｕser_ID"), "identifies a user");
    const config = { identityAttributes: [...identityAttributes.map((a) => a.toUpperCase()), " Shopify_ID "] };
    expectNeedsReview(writable("shopify_id", config), '"shopify_id"');
    expectNeedsReview(writable("email", config), '"email"');
  });

  it("refuses a list that leaves out a default (the floor): not evaluated, naming the argument, what is missing and the floor", () => {
    expectNotEvaluated(
      writable("favourite_colour", { identityAttributes: ["shopify_id"] }),
      "identityAttributes",
      "leaves out",
      '"email"',
      "floor",
    );
    expectNotEvaluated(writable("email", { identityAttributes: [] }), "identityAttributes", '"user_id"');
  });

  it.each([[{ identityAttributes: "email" }], [{ identityAttributes: [7] }]])("reports %p as an invalid configuration", (config) => {
    expectNotEvaluated(writable("email", config), "identityAttributes");
  });

  it("grades an empty attribute name as not evaluated", () => {
    expectNotEvaluated(grade(protectedIdentityAttributes, { ...base, attribute: "" }));
  });

  describeResourcePolicyBasics(protectedIdentityAttributes, "data-protection", base);
});
