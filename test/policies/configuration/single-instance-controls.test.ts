import { singleInstance } from "../../../policies/configuration/single-instance-controls";
import {
  customActionControl,
  ipAllowlistControl,
  messengerSecurityControl,
  protectedAttributeControl,
  ssoEnforcementControl,
  workspaceControl,
} from "../../../resources";
import {
  expectNeedsReview,
  expectSecure,
  gradeStack,
  otherWorkspaceId,
  rawResource,
  resource,
  secure,
  secureStack,
  secureStackVariants,
  urnOf,
} from "../../support/fixtures";
import { describeStackPolicyBasics } from "../../support/policy-basics";

describe("intercom-single-instance-controls", () => {
  const full = () => secureStack({ handlesPhi: true, withMobile: true, withCustomAction: true });

  it("passes every secure stack variant (one of each kind; identity fields tell instances apart)", () => {
    for (const options of secureStackVariants) expectSecure(gradeStack(singleInstance, secureStack(options)));
  });

  it("flags a second SsoEnforcement for the workspace, under the duplicate's urn", () => {
    const stack = [...full(), resource(ssoEnforcementControl, "sso-again", { ...secure.ssoEnforcement, emailPasswordSignIn: true })];
    const findings = expectNeedsReview(
      gradeStack(singleInstance, stack),
      'SsoEnforcement "sso-again"',
      'duplicates "sso"',
      secure.workspace.workspaceId,
    );
    expect(findings.map((f) => f.urn)).toEqual([urnOf(ssoEnforcementControl, "sso-again")]);
  });

  it("flags a second web MessengerSecurity, naming the platform", () => {
    const stack = [...full(), resource(messengerSecurityControl, "web-again", secure.webMessengerSecurity)];
    expectNeedsReview(gradeStack(singleInstance, stack), "MessengerSecurity", "platform: web");
  });

  it("flags a second dashboard IpAllowlist, naming the scope", () => {
    const stack = [...full(), resource(ipAllowlistControl, "allowlist-again", secure.dashboardIpAllowlist)];
    expectNeedsReview(gradeStack(singleInstance, stack), "scope: dashboard");
  });

  it("flags two ProtectedAttributes for the same model and attribute", () => {
    const stack = [...full(), resource(protectedAttributeControl, "email-again", { ...secure.emailProtected, messengerWritable: true })];
    expectNeedsReview(gradeStack(singleInstance, stack), "model: contact", "attribute: email");
  });

  it("passes the same attribute on the other model", () => {
    expectSecure(
      gradeStack(singleInstance, [
        ...full(),
        resource(protectedAttributeControl, "company-email", { ...secure.emailProtected, model: "company" }),
      ]),
    );
  });

  it("flags two CustomActions with the same name, and passes two with different names", () => {
    expectNeedsReview(
      gradeStack(singleInstance, [...full(), resource(customActionControl, "lookup-again", secure.customAction)]),
      "name: Order lookup",
    );
    expectSecure(
      gradeStack(singleInstance, [...full(), resource(customActionControl, "refunds", { ...secure.customAction, name: "Refunds" })]),
    );
  });

  it("flags a Workspace declared twice", () => {
    expectNeedsReview(
      gradeStack(singleInstance, [...full(), resource(workspaceControl, "workspace-again", secure.workspace)]),
      'Workspace "workspace-again"',
    );
  });

  it("reports every extra copy", () => {
    const stack = [
      ...full(),
      resource(ssoEnforcementControl, "sso-2", secure.ssoEnforcement),
      resource(ssoEnforcementControl, "sso-3", secure.ssoEnforcement),
    ];
    expect(expectNeedsReview(gradeStack(singleInstance, stack)).map((f) => f.urn)).toEqual([
      urnOf(ssoEnforcementControl, "sso-2"),
      urnOf(ssoEnforcementControl, "sso-3"),
    ]);
  });

  it("passes the same control declared for two workspaces", () => {
    const stack = [
      ...full(),
      resource(workspaceControl, "other-workspace", { ...secure.workspace, workspaceId: otherWorkspaceId }),
      resource(ssoEnforcementControl, "other-sso", { ...secure.ssoEnforcement, workspaceId: otherWorkspaceId }),
    ];
    expectSecure(gradeStack(singleInstance, stack));
  });

  it("leaves an invalid copy to intercom-control-schema (it reads no control's settings)", () => {
    expect(singleInstance.reads).toEqual([]);
    expectSecure(
      gradeStack(singleInstance, [
        ...full(),
        rawResource(ssoEnforcementControl, "sso-broken", { ...secure.ssoEnforcement, samlSso: "enforced" }),
      ]),
    );
  });

  describeStackPolicyBasics(singleInstance, "configuration", full);
});
