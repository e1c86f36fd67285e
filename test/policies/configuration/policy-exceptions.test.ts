import { evaluateStackPolicy, Finding } from "../../../core/evaluate";
import { exceptionsPolicyName } from "../../../core/exceptions";
import { StackModel, StackResource } from "../../../core/stack-model";
import { allPolicies } from "../../../policies";
import { policyExceptions } from "../../../policies/configuration/policy-exceptions";
import { allControls, panRedactionControl, ssoEnforcementControl } from "../../../resources";
import { UNKNOWN } from "../../support/unknowns";
import {
  expectNeedsReview,
  expectNotEvaluated,
  expectSecure,
  names,
  now,
  resource,
  secure,
  secureStack,
  urnOf,
  withProps,
  workspaceId,
} from "../../support/fixtures";
import { describeStackPolicyBasics } from "../../support/policy-basics";

/** The exceptions policy as the pack runs it: with the whole pack configuration and every policy. */
function review(
  stack: readonly StackResource[],
  packConfig: Record<string, unknown>,
  config: unknown = packConfig[exceptionsPolicyName],
): Finding[] {
  return evaluateStackPolicy(policyExceptions, StackModel.build(stack, allControls), { config, now, packConfig, policies: allPolicies });
}

const accountable = {
  justification: "Legacy channel, replaced next quarter",
  owner: "alice@example.com",
  approver: "bob@example.com",
  ticket: "SEC-12",
  expires: "2026-07-15",
};
const byName = (resourceName: string) => ({ workspace: workspaceId, resource: resourceName, ...accountable });
const insecureRedaction = () => withProps(secureStack(), names.redaction, { creditCards: false });

describe("intercom-policy-exceptions", () => {
  it("is its own name and a SHOULD, advisory policy (its argument takes no floor)", () => {
    expect(policyExceptions.name).toBe(exceptionsPolicyName);
    expect(policyExceptions.criticality).toBe("SHOULD");
    expect(policyExceptions.severity).toBe("low");
  });

  it("passes a stack with no exceptions and every policy at its default level", () => {
    expectSecure(review(secureStack(), {}));
  });

  it("passes an exception that waives a finding of its policy, by name or by urn", () => {
    expectSecure(review(insecureRedaction(), { "intercom-pan-redaction": { exceptions: [byName(names.redaction)] } }));
    const urn = urnOf(panRedactionControl, names.redaction);
    expectSecure(review(insecureRedaction(), { "intercom-pan-redaction": { exceptions: [{ urn, ...accountable }] } }));
  });

  it("passes an expired exception whose resource still has the finding (it blocks there, and says so)", () => {
    expectSecure(
      review(insecureRedaction(), { "intercom-pan-redaction": { exceptions: [{ ...byName(names.redaction), expires: "2026-01-01" }] } }),
    );
  });

  it("reports an exception that matches no resource: wrong name, look-alike name, wrong workspace, wrong urn", () => {
    const misses = [
      byName("redactoin"),
      byName("Redaction"),
      byName(`${names.redaction} `),
      byName(`${names.redaction}\u200b`),
      { ...byName(names.redaction), workspace: "abc123xyZ" },
      { urn: `${urnOf(panRedactionControl, names.redaction)}x`, ...accountable },
    ];
    for (const exception of misses) {
      const findings = expectNeedsReview(
        review(insecureRedaction(), { "intercom-pan-redaction": { exceptions: [exception] } }),
        "intercom-pan-redaction exceptions[0]",
        "matches no resource",
      );
      expect(findings.map((f) => f.urn)).toEqual([undefined]);
    }
  });

  it("reports an exception whose resource has no finding of its policy, under that resource", () => {
    const findings = expectNeedsReview(
      review(secureStack(), { "intercom-pan-redaction": { exceptions: [byName(names.redaction)] } }),
      'PanRedaction "redaction"',
      "no finding of intercom-pan-redaction",
    );
    expect(findings.map((f) => f.urn)).toEqual([urnOf(panRedactionControl, names.redaction)]);
  });

  it("reports an exception naming a resource its policy never grades (another control)", () => {
    expectNeedsReview(
      review(insecureRedaction(), { "intercom-pan-redaction": { exceptions: [byName(names.sso)] } }),
      'SsoEnforcement "sso"',
      "no finding",
    );
  });

  it("re-evaluates stack policies too: an exception on a duplicate control passes, one on the original is reported", () => {
    const stack = [...secureStack(), resource(ssoEnforcementControl, "sso-again", secure.ssoEnforcement)];
    const policy = "intercom-single-instance-controls";
    expectSecure(review(stack, { [policy]: { exceptions: [byName("sso-again")] } }));
    const findings = expectNeedsReview(review(stack, { [policy]: { exceptions: [byName(names.sso)] } }), `no finding of ${policy}`);
    expect(findings.map((f) => f.urn)).toEqual([urnOf(ssoEnforcementControl, names.sso)]);
  });

  it("claims nothing where its policy could not be evaluated (a value not known yet)", () => {
    const stack = withProps(secureStack(), names.redaction, { creditCards: UNKNOWN });
    expectSecure(review(stack, { "intercom-pan-redaction": { exceptions: [byName(names.redaction)] } }));
  });

  it("lists each policy running below its default level, with its accountability, or with none given", () => {
    const findings = expectNeedsReview(
      review(secureStack(), {
        "intercom-sso-required": { enforcementLevel: "disabled", ...accountable },
        "intercom-session-length": { enforcementLevel: "disabled" },
        "intercom-pan-redaction": { enforcementLevel: "mandatory" },
      }),
      'intercom-sso-required runs disabled instead of mandatory: justification "Legacy channel, replaced next quarter", owner "alice@example.com", approver "bob@example.com", ticket "SEC-12", until 2026-07-15',
      /intercom-session-length runs disabled instead of advisory: no justification, owner, approver or expiry given/,
    );
    expect(findings).toHaveLength(2);
  });

  it('counts a level set through "all" as the Pulumi CLI does', () => {
    const findings = review(secureStack(), { all: { enforcementLevel: "advisory" } });
    const lowered = allPolicies.filter((p) => p.enforcementLevel === "mandatory").map((p) => p.name);
    expect(expectNeedsReview(findings).length).toBe(lowered.length);
  });

  it("escapes control and bidirectional characters of the accountability it shows", () => {
    const findings = review(secureStack(), {
      "intercom-session-length": { enforcementLevel: "disabled", ...accountable, justification: "line\nbreak \u202e reversed text here" },
    });
    const message = expectNeedsReview(findings)[0]?.message ?? "";
    expect(message).not.toMatch(/[\n\u202e]/);
    expect(message).toContain("\\n");
  });

  it("refuses a maximum outside 1..365 days as invalid configuration (not evaluated, never secure)", () => {
    for (const maxExceptionDays of [0, 366, 1.5, "90"]) {
      expectNotEvaluated(review(secureStack(), {}, { maxExceptionDays }), "maxExceptionDays");
    }
    expectSecure(review(secureStack(), {}, { maxExceptionDays: 365 }));
  });

  describeStackPolicyBasics(policyExceptions, "configuration", () => secureStack());
});
