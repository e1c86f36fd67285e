import { customActionTested } from "../../../policies/custom-actions/custom-action-tested";
import { expectNeedsReview, expectNotApplicable, expectNotEvaluated, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

// The fixed clock is 2026-06-01T00:00:00Z.
describe("intercom-custom-action-tested", () => {
  const base = secure.customAction;
  const tested = (testedAt: string | undefined) => grade(customActionTested, { ...base, testedAt });

  it("passes the secure fixture (tested 2026-05-20)", () => {
    expectSecure(grade(customActionTested, base));
  });

  it("passes a test recorded exactly now and flags one a second later", () => {
    expectSecure(tested("2026-06-01T00:00:00Z"));
    expectNeedsReview(tested("2026-06-01T00:00:01Z"), "in the future");
  });

  it("flags a test date in the future, naming the day", () => {
    expectNeedsReview(tested("2027-01-01"), '"Order lookup"', "2027-01-01", "in the future");
  });

  it("flags a live action with no record of a test", () => {
    expectNeedsReview(tested(undefined), "no record of being tested", "testedAt");
  });

  it("does not apply to a draft action", () => {
    expectNotApplicable(grade(customActionTested, { ...base, state: "draft", testedAt: undefined }));
  });

  it("grades a malformed testedAt as not evaluated", () => {
    expectNotEvaluated(tested("last week"));
  });

  describeResourcePolicyBasics(customActionTested, "custom-actions", base);
});
