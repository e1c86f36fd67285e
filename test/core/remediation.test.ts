/**
 * The remediation adapter (core/remediation.ts) fails closed whatever a policy's `remediate`
 * returns: a field it did not declare, a fix that breaks the schema, one that fixes nothing or
 * brings a new problem, settings that do not match the schema, configuration it refuses.
 */
import { z } from "zod";
import { defineResourcePolicy, ResourcePolicy } from "../../core/policy";
import { remediationOf } from "../../core/remediation";
import { panRedactionControl } from "../../resources/pan-redaction";
import { now, secure } from "../support/fixtures";

type PanFix = NonNullable<ResourcePolicy<typeof panRedactionControl.schema>["remediate"]>;

function panPolicy(remediate: PanFix, remediates: readonly string[] = ["creditCards"], configSchema?: z.ZodObject) {
  return defineResourcePolicy({
    name: "intercom-test-remediation",
    id: "TEST.DATA.01",
    title: "Test",
    description: "Test policy.",
    items: ["data.pan-redaction"],
    severity: "low",
    criticality: "SHOULD",
    rationale: "A policy for testing how remediations are applied.",
    remediation: ["Fix it."],
    helpUrl: "https://www.intercom.com/help/en/",
    frameworks: { soc2: ["CC6.1"] },
    control: panRedactionControl,
    ...(configSchema ? { configSchema } : {}),
    check: (r) => [...(r.creditCards ? [] : ["card rule off"]), ...(r.socialSecurityNumbers ? [] : ["ssn rule off"])],
    remediates: remediates as never,
    remediate,
  });
}

const unsafe = { ...secure.panRedaction, creditCards: false };

describe("remediationOf", () => {
  it("applies a declared fix that removes a problem", () => {
    expect(
      remediationOf(
        panPolicy(() => ({ creditCards: true })),
        unsafe,
        { now },
      ),
    ).toEqual({ creditCards: true });
  });

  it("refuses a fix of a field the policy did not declare", () => {
    expect(
      remediationOf(
        panPolicy(() => ({ creditCards: true, enabled: true })),
        unsafe,
        { now },
      ),
    ).toBeUndefined();
  });

  it("refuses a fix that leaves settings the schema rejects", () => {
    expect(
      remediationOf(
        panPolicy(() => ({ creditCards: "yes" as never })),
        unsafe,
        { now },
      ),
    ).toBeUndefined();
  });

  it("refuses a fix that changes nothing, or fixes nothing", () => {
    expect(
      remediationOf(
        panPolicy(() => ({ creditCards: false })),
        unsafe,
        { now },
      ),
    ).toBeUndefined();
    expect(
      remediationOf(
        panPolicy(() => ({ socialSecurityNumbers: true }), ["socialSecurityNumbers"]),
        unsafe,
        { now },
      ),
    ).toBeUndefined();
  });

  it("refuses a fix that brings a new problem, even while removing another", () => {
    const swap = panPolicy(() => ({ creditCards: true, socialSecurityNumbers: false }), ["creditCards", "socialSecurityNumbers"]);
    expect(remediationOf(swap, unsafe, { now })).toBeUndefined();
  });

  it("makes no fix when the check finds nothing, the settings do not match the schema, or a value is not known", () => {
    const policy = panPolicy(() => ({ creditCards: true }));
    expect(remediationOf(policy, secure.panRedaction, { now })).toBeUndefined();
    expect(remediationOf(policy, { ...unsafe, notAField: 1 }, { now })).toBeUndefined();
    expect(remediationOf(policy, { ...unsafe, channels: ["04da6b54-80e4-46f7-96ec-b56ff0331ba9"] }, { now })).toBeUndefined();
  });

  it("makes no fix under configuration the policy refuses", () => {
    const policy = panPolicy(() => ({ creditCards: true }), ["creditCards"], z.strictObject({ level: z.number().default(1) }));
    expect(remediationOf(policy, unsafe, { now, config: { noSuchOption: true } })).toBeUndefined();
    expect(remediationOf(policy, unsafe, { now, config: {} })).toEqual({ creditCards: true });
  });

  it("refuses to define a remediating policy without the fields it remediates, or naming a field the control lacks", () => {
    expect(() => panPolicy(() => ({ creditCards: true }), [])).toThrow(/declared together/);
    expect(() => panPolicy(() => ({ creditCards: true }), ["noSuchField"])).toThrow(/does not have/);
  });
});
