import { controlSchema } from "../../../policies/configuration/control-schema";
import {
  allControls,
  customActionControl,
  messengerSecurityControl,
  sessionPolicyControl,
  ssoEnforcementControl,
  workspaceControl,
} from "../../../resources";
import {
  expectNeedsReview,
  expectSecure,
  gradeSchema,
  rawResource,
  secure,
  secureSample,
  secureStack,
  secureStackVariants,
  urnOf,
} from "../../support/fixtures";
import { itHasSaneMetadata } from "../../support/policy-basics";

describe("intercom-control-schema", () => {
  it("passes the secure fixture of every control", () => {
    for (const control of allControls) expectSecure(gradeSchema(rawResource(control, "fixture", secureSample(control))));
  });

  it("passes every Intercom control in every secure stack variant", () => {
    for (const options of secureStackVariants) {
      for (const r of secureStack(options)) {
        const findings = gradeSchema(r);
        if (findings) expectSecure(findings);
      }
    }
  });

  it("does not apply to resources that are not Intercom controls", () => {
    expect(
      gradeSchema({ type: "aws:s3/bucket:Bucket", urn: "urn:pulumi:dev::test::aws:s3/bucket:Bucket::b", name: "b", props: { bogus: 1 } }),
    ).toBeUndefined();
  });

  it("ignores the serialized provider Pulumi adds to every dynamic resource", () => {
    expectSecure(gradeSchema(rawResource(ssoEnforcementControl, "sso", { ...secure.ssoEnforcement, __provider: "exports.handler = ..." })));
  });

  it("flags an unknown field, naming the resource, the field and the allowed fields, under its urn", () => {
    const findings = expectNeedsReview(
      gradeSchema(rawResource(sessionPolicyControl, "session", { ...secure.sessionPolicy, reauthAfterHours: 12 })),
      'SessionPolicy "session"',
      '"reauthAfterHours"',
      "allowed fields: workspaceId, reauthenticateAfterHours",
    );
    expect(findings.map((f) => f.urn)).toEqual([urnOf(sessionPolicyControl, "session")]);
  });

  it("flags a value outside an enum, naming the field, what was given and what is allowed", () => {
    expectNeedsReview(
      gradeSchema(rawResource(ssoEnforcementControl, "sso", { ...secure.ssoEnforcement, samlSso: "enforced" })),
      "field samlSso",
      '"enforced"',
      '"off", "allowed", "required"',
    );
  });

  it("flags a wrong type and a missing field", () => {
    expectNeedsReview(
      gradeSchema(rawResource(ssoEnforcementControl, "sso", { ...secure.ssoEnforcement, emailPasswordSignIn: "false" })),
      "emailPasswordSignIn",
      "expected boolean",
    );
    const { region: _region, ...noRegion } = secure.workspace;
    expectNeedsReview(gradeSchema(rawResource(workspaceControl, "ws", noRegion)), "field region", "got nothing");
  });

  it("flags a malformed workspace id", () => {
    expectNeedsReview(
      gradeSchema(rawResource(workspaceControl, "ws", { ...secure.workspace, workspaceId: "ABC" })),
      "workspaceId",
      "APP_ID",
    );
  });

  it("lists every problem of a resource in one finding", () => {
    const findings = expectNeedsReview(
      gradeSchema(rawResource(sessionPolicyControl, "session", { ...secure.sessionPolicy, reauthenticateAfterHours: 0, extra: true })),
      "reauthenticateAfterHours",
      '"extra"',
    );
    expect(findings).toHaveLength(1);
  });

  it("hides the value of an invalid secret field, and of a secret's parent", () => {
    const [apiSecret] = expectNeedsReview(
      gradeSchema(rawResource(messengerSecurityControl, "web", { ...secure.webMessengerSecurity, apiSecret: ["s3cr3t-value"] })),
      "apiSecret",
      "hidden",
    );
    expect(apiSecret?.message).not.toContain("s3cr3t-value");
    const [saml] = expectNeedsReview(
      gradeSchema(rawResource(ssoEnforcementControl, "sso", { ...secure.ssoEnforcement, saml: "s3cr3t-cert" })),
      "saml",
      "hidden",
    );
    expect(saml?.message).not.toContain("s3cr3t-cert");
    const [headers] = expectNeedsReview(
      gradeSchema(rawResource(customActionControl, "a", { ...secure.customAction, headers: { Authorization: 42 } })),
      "headers",
      "hidden",
    );
    expect(headers?.message).not.toContain("42");
  });

  itHasSaneMetadata(controlSchema, "configuration");
});
