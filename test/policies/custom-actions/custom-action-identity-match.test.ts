import { customActionIdentityMatch } from "../../../policies/custom-actions/custom-action-identity-match";
import { expectNeedsReview, expectNotApplicable, expectNotEvaluated, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

describe("intercom-custom-action-identity-match", () => {
  const base = secure.customAction;
  const match = (identityMatch: string) => grade(customActionIdentityMatch, { ...base, identityMatch });

  it("passes matching on user_id or email", () => {
    expectSecure(match("user_id"));
    expectSecure(match("email"));
  });

  it.each(["user_shopify_id", "phone", "external_id", "name", "Email", "user_id "])("flags matching on %p", (attribute) => {
    expectNeedsReview(match(attribute), '"Order lookup"', "matches users on", "does not vouch");
  });

  it("names the attribute", () => {
    expectNeedsReview(match("user_shopify_id"), '"user_shopify_id"');
  });

  it("does not apply to a draft action", () => {
    expectNotApplicable(grade(customActionIdentityMatch, { ...base, state: "draft", identityMatch: "user_shopify_id" }));
  });

  it("grades an empty match attribute as not evaluated", () => {
    expectNotEvaluated(match(""));
  });

  describeResourcePolicyBasics(customActionIdentityMatch, "custom-actions", base);
});
