import { attachmentAudience } from "../../../policies/data-protection/attachment-audience";
import { expectNeedsReview, expectNotEvaluated, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

describe("intercom-attachment-audience", () => {
  const base = secure.attachmentPolicy;

  it("passes uploads limited to identified users", () => {
    expectSecure(grade(attachmentAudience, base));
  });

  it("passes uploads disabled", () => {
    expectSecure(grade(attachmentAudience, { ...base, customerUploads: "disabled" }));
  });

  it("flags uploads open to everyone, visitors included", () => {
    expectNeedsReview(grade(attachmentAudience, { ...base, customerUploads: "everyone" }), "Anonymous visitors", "everyone");
  });

  it("grades an unknown audience as not evaluated", () => {
    expectNotEvaluated(grade(attachmentAudience, { ...base, customerUploads: "leads" as never }));
  });

  describeResourcePolicyBasics(attachmentAudience, "data-protection", base);
});
