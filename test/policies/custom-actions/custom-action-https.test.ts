import { customActionHttps } from "../../../policies/custom-actions/custom-action-https";
import { expectNeedsReview, expectNotApplicable, expectNotEvaluated, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

describe("intercom-custom-action-https", () => {
  const base = secure.customAction;
  const url = (value: string) => grade(customActionHttps, { ...base, url: value });

  it("passes the secure fixture (https)", () => {
    expectSecure(grade(customActionHttps, base));
  });

  it("passes an upper-case HTTPS scheme", () => {
    expectSecure(url("HTTPS://api.example.com/orders"));
  });

  it("flags plain http, naming the action", () => {
    expectNeedsReview(url("http://api.example.com/orders"), '"Order lookup"', "over http", "not https");
  });

  it.each(["ftp://files.example.com/orders", "ws://api.example.com/socket", "file:///etc/passwd"])(
    "flags the non-https scheme of %p",
    (value) => {
      expectNeedsReview(url(value), "not https");
    },
  );

  it("does not apply to a draft action", () => {
    expectNotApplicable(grade(customActionHttps, { ...base, state: "draft", url: "http://api.example.com/orders" }));
  });

  it("grades a URL that is not a URL as not evaluated", () => {
    expectNotEvaluated(url("api.example.com/orders"));
  });

  describeResourcePolicyBasics(customActionHttps, "custom-actions", base);
});
