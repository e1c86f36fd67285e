import { customActionProtectedMatch } from "../../../policies/custom-actions/custom-action-protected-match";
import { customActionControl, protectedAttributeControl } from "../../../resources";
import {
  expectNeedsReview,
  expectSecure,
  gradeStack,
  names,
  otherWorkspaceId,
  resource,
  secure,
  secureStack,
  urnOf,
  without,
  withProps,
} from "../../support/fixtures";
import { describeStackPolicyBasics } from "../../support/policy-basics";

describe("intercom-custom-action-protected-match", () => {
  const withAction = () => secureStack({ withCustomAction: true });
  const actionUrn = urnOf(customActionControl, names.customAction);
  const matchingOn = (identityMatch: string) => withProps(withAction(), names.customAction, { identityMatch });
  const protect = (
    attribute: string,
    messengerWritable: boolean,
    workspaceId = secure.workspace.workspaceId,
    model: "contact" | "company" = "contact",
  ) =>
    resource(protectedAttributeControl, `protect-${attribute}-${workspaceId}-${model}`, {
      workspaceId,
      model,
      attribute,
      messengerWritable,
    });

  it("passes the secure stack with and without a custom action", () => {
    expectSecure(gradeStack(customActionProtectedMatch, secureStack()));
    expectSecure(gradeStack(customActionProtectedMatch, withAction()));
  });

  it("passes matching on email or user_id with web verification enforced, even with no ProtectedAttribute", () => {
    expectSecure(gradeStack(customActionProtectedMatch, without(matchingOn("email"), names.protectEmail, names.protectUserId)));
    expectSecure(gradeStack(customActionProtectedMatch, without(withAction(), names.protectEmail, names.protectUserId)));
  });

  it("flags a live action matching on an unprotected custom attribute, under the action's urn", () => {
    const findings = expectNeedsReview(
      gradeStack(customActionProtectedMatch, matchingOn("user_shopify_id")),
      '"user_shopify_id"',
      "not declared protected",
    );
    expect(findings.map((f) => f.urn)).toEqual([actionUrn]);
  });

  it("passes a custom attribute declared protected from Messenger writes", () => {
    expectSecure(gradeStack(customActionProtectedMatch, [...matchingOn("user_shopify_id"), protect("user_shopify_id", false)]));
  });

  it("flags a custom attribute declared Messenger-writable", () => {
    expectNeedsReview(
      gradeStack(customActionProtectedMatch, [...matchingOn("user_shopify_id"), protect("user_shopify_id", true)]),
      "Messenger may update",
    );
  });

  it("flags email declared Messenger-writable, even with web verification enforced", () => {
    const stack = withProps(matchingOn("email"), names.protectEmail, { messengerWritable: true });
    expectNeedsReview(gradeStack(customActionProtectedMatch, stack), '"email"', "Messenger may update");
  });

  it("flags user_id when web verification is off, not enforced, or undeclared", () => {
    expectNeedsReview(
      gradeStack(customActionProtectedMatch, withProps(withAction(), names.webMessenger, { identityVerification: "off", enforced: false })),
      "web identity verification is not enforced",
    );
    expectNeedsReview(
      gradeStack(customActionProtectedMatch, withProps(withAction(), names.webMessenger, { enforced: false })),
      "not enforced",
    );
    expectNeedsReview(gradeStack(customActionProtectedMatch, without(withAction(), names.webMessenger)), "unverified");
  });

  it("does not count a protection declared for another workspace or on the company model", () => {
    const stack = [
      ...matchingOn("user_shopify_id"),
      protect("user_shopify_id", false, otherWorkspaceId),
      protect("user_shopify_id", false, undefined, "company"),
    ];
    expectNeedsReview(gradeStack(customActionProtectedMatch, stack), "not declared protected");
  });

  it("ignores draft actions", () => {
    expectSecure(gradeStack(customActionProtectedMatch, withProps(matchingOn("user_shopify_id"), names.customAction, { state: "draft" })));
  });

  describeStackPolicyBasics(customActionProtectedMatch, "custom-actions", withAction);
});
