/**
 * The SDK side of a remediation (core/sdk/policy-remediate.ts), in process: the whole properties come
 * back with only the fix applied, a secret the fix does not read stays a `Secret` (the SDK sends it
 * back as a secret), no fix rests on a secret value, the policy's own arguments are read beside governance keys, and a resource whose finding
 * an unexpired exception waives is left as it is.
 */
import type { ResourceValidationArgs } from "@pulumi/policy";
import { remediateWithSdk } from "../../core/sdk/policy-remediate";
import { panRedaction } from "../../policies/data-protection/pan-redaction";
import { now, secure } from "../support/fixtures";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Secret } = require("@pulumi/policy/policy") as { Secret: new (value: unknown) => { value: unknown } };

const urn = "urn:pulumi:dev::p::pulumi-nodejs:dynamic/intercom:PanRedaction::cards";

function argsWith(props: Record<string, unknown>, config: Record<string, unknown> = {}): ResourceValidationArgs {
  return { type: panRedaction.control.typeToken, urn, name: "cards", props, getConfig: () => config } as unknown as ResourceValidationArgs;
}

const policy = panRedaction;
const unsafe = { ...secure.panRedaction, creditCards: false, __provider: "serialized-provider" };

const exception = {
  urn,
  justification: "Card numbers never reach this legacy inbox.",
  owner: "alice@example.com",
  approver: "bob@example.com",
  expires: "2026-06-30",
};

describe("remediateWithSdk", () => {
  it("returns the properties as they arrived with only the fix applied", () => {
    expect(remediateWithSdk(policy, argsWith(unsafe), { now })).toEqual({ ...unsafe, creditCards: true });
  });

  it("keeps every secret it does not read as it arrived, and makes no fix resting on a secret value", () => {
    const workspaceSecret = new Secret(secure.panRedaction.workspaceId);
    const result = remediateWithSdk(policy, argsWith({ ...unsafe, workspaceId: workspaceSecret }), { now });
    expect(result).toEqual({ ...unsafe, workspaceId: workspaceSecret, creditCards: true });
    expect(result?.["workspaceId"]).toBe(workspaceSecret);
    // A fix of a secret `creditCards: false` would show that it was false; of a secret `enabled`, that it was true.
    expect(remediateWithSdk(policy, argsWith({ ...unsafe, creditCards: new Secret(false) }), { now })).toBeUndefined();
    expect(remediateWithSdk(policy, argsWith({ ...unsafe, enabled: new Secret(true) }), { now })).toBeUndefined();
  });

  it("reads the policy's arguments beside governance keys, and leaves a resource an unexpired exception waives", () => {
    expect(remediateWithSdk(policy, argsWith(unsafe, { exceptions: [exception] }), { now })).toBeUndefined();
    const expired = { ...exception, expires: "2026-05-01" };
    expect(remediateWithSdk(policy, argsWith(unsafe, { exceptions: [expired] }), { now })).toEqual({ ...unsafe, creditCards: true });
    const elsewhere = { ...exception, urn: `${urn}-other` };
    expect(remediateWithSdk(policy, argsWith(unsafe, { exceptions: [elsewhere] }), { now })).toEqual({ ...unsafe, creditCards: true });
  });

  it("makes no fix on a value not known yet", () => {
    expect(remediateWithSdk(policy, argsWith({ ...unsafe, channels: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }), { now })).toBeUndefined();
  });
});
