import { attributeCreationViaMessenger } from "../../../policies/data-protection/attribute-creation-via-messenger";
import { expectNeedsReview, expectNotEvaluated, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

describe("intercom-attribute-creation-via-messenger", () => {
  const base = secure.dataAttributeSettings;

  it("passes attribute creation via the Messenger turned off", () => {
    expectSecure(grade(attributeCreationViaMessenger, base));
  });

  it("flags the Messenger creating custom attributes (Intercom's default)", () => {
    expectNeedsReview(
      grade(attributeCreationViaMessenger, { ...base, allowAttributeCreationViaMessenger: true }),
      "Messenger",
      "create new custom attributes",
    );
  });

  it("grades a missing setting as not evaluated", () => {
    expectNotEvaluated(grade(attributeCreationViaMessenger, { workspaceId: base.workspaceId } as never));
  });

  describeResourcePolicyBasics(attributeCreationViaMessenger, "data-protection", base);
});
