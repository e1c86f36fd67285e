import { customActionResponseMapping } from "../../../policies/custom-actions/custom-action-response-mapping";
import { expectNeedsReview, expectNotApplicable, expectNotEvaluated, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";
import { identityAttributes } from "../../../policies/support/identity-attributes";

describe("intercom-custom-action-response-mapping", () => {
  const base = secure.customAction;
  const mapsOnto = (toAttribute: string, config?: unknown) =>
    grade(customActionResponseMapping, { ...base, responseMappings: [{ from: "customer.value", toAttribute }] }, { config });

  it("passes the secure fixture (a non-identifying attribute)", () => {
    expectSecure(grade(customActionResponseMapping, base));
  });

  it("passes no response mappings", () => {
    expectSecure(grade(customActionResponseMapping, { ...base, responseMappings: undefined }));
    expectSecure(grade(customActionResponseMapping, { ...base, responseMappings: [] }));
  });

  it.each(["email", "user_id", "phone", "external_id"])("flags a response mapped onto %p", (attribute) => {
    expectNeedsReview(mapsOnto(attribute), '"Order lookup"', "identity attribute", `"${attribute}"`);
  });

  it("reports each identity mapping and ignores the harmless one", () => {
    const findings = grade(customActionResponseMapping, {
      ...base,
      responseMappings: [
        { from: "a", toAttribute: "email" },
        { from: "b", toAttribute: "plan" },
        { from: "c", toAttribute: "phone" },
      ],
    });
    expect(expectNeedsReview(findings)).toHaveLength(2);
  });

  it("does not apply to a draft action", () => {
    expectNotApplicable(
      grade(customActionResponseMapping, { ...base, state: "draft", responseMappings: [{ from: "a", toAttribute: "email" }] }),
    );
  });

  it("honours identityAttributes: added attributes count as identity as well as the defaults", () => {
    const config = { identityAttributes: [...identityAttributes, "loyalty_id"] };
    expectNeedsReview(mapsOnto("loyalty_id", config), '"loyalty_id"');
    expectNeedsReview(mapsOnto("email", config), '"email"');
    expectSecure(mapsOnto("plan", config));
  });

  it("compares attribute names normalised: a case variant of an identity attribute is still identity", () => {
    expectNeedsReview(mapsOnto("Phone"), '"Phone"', "identity attribute");
  });

  it("refuses a list that leaves out a default (the floor): not evaluated, never a pass", () => {
    expectNotEvaluated(mapsOnto("email", { identityAttributes: ["loyalty_id"] }), "identityAttributes", "leaves out", '"email"', "floor");
  });

  it.each([[{ identityAttributes: "email" }], [{ identityAttributes: [null] }]])("reports %p as an invalid configuration", (config) => {
    expectNotEvaluated(mapsOnto("plan", config), "identityAttributes");
  });

  it("grades a mapping with an empty target as not evaluated", () => {
    expectNotEvaluated(mapsOnto(""));
  });

  describeResourcePolicyBasics(customActionResponseMapping, "custom-actions", base);
});
