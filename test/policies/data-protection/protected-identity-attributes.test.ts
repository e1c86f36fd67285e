import { protectedIdentityAttributes } from "../../../policies/data-protection/protected-identity-attributes";
import { expectNeedsReview, expectNotEvaluated, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

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

  it("honours identityAttributes: a custom list makes its attributes protected and only those", () => {
    const config = { identityAttributes: ["shopify_id"] };
    expectNeedsReview(writable("shopify_id", config), '"shopify_id"');
    expectSecure(writable("email", config));
  });

  it.each([[{ identityAttributes: "email" }], [{ identityAttributes: [7] }]])("reports %p as an invalid configuration", (config) => {
    expectNotEvaluated(writable("email", config), "identityAttributes");
  });

  it("grades an empty attribute name as not evaluated", () => {
    expectNotEvaluated(grade(protectedIdentityAttributes, { ...base, attribute: "" }));
  });

  describeResourcePolicyBasics(protectedIdentityAttributes, "data-protection", base);
});
