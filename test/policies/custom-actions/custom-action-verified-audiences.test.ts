import { customActionVerifiedAudiences } from "../../../policies/custom-actions/custom-action-verified-audiences";
import { expectNeedsReview, expectNotApplicable, expectNotEvaluated, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

describe("intercom-custom-action-verified-audiences", () => {
  const base = secure.customAction;

  it("passes users only, without bypassing authentication", () => {
    expectSecure(grade(customActionVerifiedAudiences, base));
    expectSecure(grade(customActionVerifiedAudiences, { ...base, bypassAuthentication: undefined }));
  });

  it("flags leads and visitors, naming them", () => {
    expectNeedsReview(grade(customActionVerifiedAudiences, { ...base, audiences: ["users", "leads"] }), "unverified audiences: leads");
    expectNeedsReview(grade(customActionVerifiedAudiences, { ...base, audiences: ["visitors"] }), "visitors");
  });

  it("flags bypassed authentication", () => {
    expectNeedsReview(
      grade(customActionVerifiedAudiences, { ...base, bypassAuthentication: true }),
      '"Order lookup"',
      "bypasses authentication",
    );
  });

  it("reports unverified audiences and a bypass as two problems", () => {
    expect(
      expectNeedsReview(grade(customActionVerifiedAudiences, { ...base, audiences: ["leads"], bypassAuthentication: true })),
    ).toHaveLength(2);
  });

  it("does not apply to a draft action", () => {
    expectNotApplicable(grade(customActionVerifiedAudiences, { ...base, state: "draft", audiences: ["visitors"] }));
  });

  it("grades an empty audience list as not evaluated", () => {
    expectNotEvaluated(grade(customActionVerifiedAudiences, { ...base, audiences: [] }));
  });

  describeResourcePolicyBasics(customActionVerifiedAudiences, "custom-actions", base);
});
