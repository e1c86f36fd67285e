/** The spec helpers must reject what they are meant to reject, or every spec built on them is vacuous. */
import { Finding } from "../../core/evaluate";
import {
  expectNeedsReview,
  expectNotApplicable,
  expectNotEvaluated,
  expectSecure,
  find,
  secureStack,
  without,
  withProps,
} from "../support/fixtures";

const secureFinding: Finding = { policy: "intercom-x", status: "secure", message: "" };
const review: Finding = { policy: "intercom-x", status: "needs_review", message: "Email and password sign-in is on." };
const notEvaluated: Finding = { policy: "intercom-x", status: "not_evaluated", message: "Not evaluated: bad config." };

describe("spec helpers", () => {
  it("expectSecure rejects a problem, nothing, and not-applicable", () => {
    expect(() => expectSecure([review])).toThrow();
    expect(() => expectSecure([secureFinding, review])).toThrow();
    expect(() => expectSecure([])).toThrow();
    expect(() => expectSecure(undefined)).toThrow();
    expect(() => expectSecure([secureFinding])).not.toThrow();
  });

  it("expectNeedsReview rejects secure, not-evaluated, nothing, and a message without the words", () => {
    expect(() => expectNeedsReview([secureFinding])).toThrow();
    expect(() => expectNeedsReview([notEvaluated])).toThrow();
    expect(() => expectNeedsReview([review, notEvaluated])).toThrow();
    expect(() => expectNeedsReview([])).toThrow();
    expect(() => expectNeedsReview(undefined)).toThrow();
    expect(() => expectNeedsReview([review], "SSO")).toThrow();
    expect(() => expectNeedsReview([review], "email AND PASSWORD", /sign-in is on/)).not.toThrow();
  });

  it("expectNotEvaluated rejects any secure finding and a needs-review-only result", () => {
    expect(() => expectNotEvaluated([notEvaluated, secureFinding])).toThrow();
    expect(() => expectNotEvaluated([review])).toThrow();
    expect(() => expectNotEvaluated([notEvaluated], "schema")).toThrow();
    expect(() => expectNotEvaluated([notEvaluated, review], "bad config")).not.toThrow();
  });

  it("expectNotApplicable rejects any finding", () => {
    expect(() => expectNotApplicable([secureFinding])).toThrow();
    expect(() => expectNotApplicable(undefined)).not.toThrow();
  });

  it("stack mutations refuse unknown resource names, so a typo cannot pass a spec", () => {
    expect(() => without(secureStack(), "no-such-resource")).toThrow();
    expect(() => withProps(secureStack(), "no-such-resource", {})).toThrow();
    expect(() => find(secureStack(), "no-such-resource")).toThrow();
  });

  it("withProps copies: the secure stack is never changed in place", () => {
    const stack = secureStack();
    const changed = withProps(stack, "sso", { emailPasswordSignIn: true, saml: undefined });
    expect(find(stack, "sso").props["emailPasswordSignIn"]).toBe(false);
    expect(find(changed, "sso").props["emailPasswordSignIn"]).toBe(true);
    expect("saml" in find(changed, "sso").props).toBe(false);
  });
});
