/**
 * Exceptions applied to findings (core/evaluate.ts): a waived finding is never Secure and never
 * needs review (so never blocks); an expired one blocks again and says since when; what was not
 * evaluated is never waived; program text can never make a violation read as waived.
 */
import fc from "fast-check";
import {
  evaluateResourcePolicy,
  evaluateStackPolicy,
  expiredExceptionOpeningPrefix,
  Finding,
  waivedOpening,
  waivedOpeningPrefix,
} from "../../core/evaluate";
import { exceptionsPolicyName, expiryInstant } from "../../core/exceptions";
import { defineResourcePolicy, ResourcePolicy } from "../../core/policy";
import { StackModel } from "../../core/stack-model";
import { panRedaction } from "../../policies/data-protection/pan-redaction";
import { singleInstance } from "../../policies/configuration/single-instance-controls";
import { allControls, panRedactionControl, ssoEnforcementControl } from "../../resources";
import { frameworks } from "../../policies/support/frameworks";
import { helpLinks } from "../../core/help-links";
import { names, now, resource, secure, secureStack, urnOf, workspaceId } from "../support/fixtures";
import { readsNotEvaluated, readsWaived } from "../support/finding-wording";
import { propertyParameters } from "../support/property";
import { UNKNOWN } from "../support/unknowns";

const dayMs = 24 * 60 * 60 * 1000;
const accountable = {
  justification: "Card rule replaced by the new filter",
  owner: "alice@example.com",
  approver: "bob@example.com",
  ticket: "SEC-7",
};
const urn = urnOf(panRedactionControl, names.redaction);
const insecure = { ...secure.panRedaction, creditCards: false } as Record<string, unknown>;

function dayOffset(days: number): string {
  return new Date(now.getTime() + days * dayMs).toISOString().slice(0, 10);
}

function gradeRedaction(
  props: Record<string, unknown>,
  exceptions: unknown[],
  options: {
    at?: Date;
    secrets?: string[];
    sentAsSecret?: (string | number)[][];
    packConfig?: Record<string, unknown>;
    policy?: ResourcePolicy;
  } = {},
): Finding[] {
  return (
    evaluateResourcePolicy(
      options.policy ?? panRedaction,
      { name: names.redaction, urn, props },
      {
        config: { exceptions },
        now: options.at ?? now,
        ...(options.secrets ? { secrets: options.secrets } : {}),
        ...(options.sentAsSecret ? { sentAsSecret: options.sentAsSecret } : {}),
        ...(options.packConfig ? { packConfig: options.packConfig } : {}),
      },
    ) ?? []
  );
}

/** Exceptions covering the redaction resource, by name or by urn, expiring `days` from the clock. */
const covering = fc.record({
  byUrn: fc.boolean(),
  days: fc.integer({ min: -60, max: 90 }),
  withTime: fc.boolean(),
});
function exceptionOf(c: { byUrn: boolean; days: number; withTime: boolean }): Record<string, unknown> {
  const expires = c.withTime ? new Date(now.getTime() + c.days * dayMs).toISOString() : dayOffset(c.days);
  return { ...(c.byUrn ? { urn } : { workspace: workspaceId, resource: names.redaction }), ...accountable, expires };
}

describe("exceptions applied to a resource policy's findings", () => {
  it("an active exception waives the finding: status waived, the exception as data, the fixed opening then the finding; never Secure", () => {
    fc.assert(
      fc.property(covering, (c) => {
        const exception = exceptionOf(c);
        const active = now.getTime() < expiryInstant(exception["expires"] as string).getTime();
        const findings = gradeRedaction(insecure, [exception]);
        expect(findings).toHaveLength(1);
        const [finding] = findings as [Finding];
        expect(finding.status).not.toBe("secure");
        if (active) {
          expect(finding.status).toBe("waived");
          expect(finding.waiver).toEqual({ ...exception, index: 0 });
          expect(finding.message).toBe(
            `${waivedOpening("intercom-pan-redaction", { expires: exception["expires"] as string, index: 0 })}Content redaction is on but its credit-card (PAN) rule is off.`,
          );
          expect(readsWaived(finding.message)).toBe(true);
        } else {
          // Expired: it blocks again and says since when.
          expect(finding.status).toBe("needs_review");
          expect(finding.waiver).toBeUndefined();
          expect(finding.expiredWaiver).toEqual({ ...exception, index: 0 });
          expect(finding.message).toContain(`expired ${exception["expires"] as string}`);
          expect(finding.message).toContain(`since ${expiryInstant(exception["expires"] as string).toISOString()}`);
          expect(readsWaived(finding.message)).toBe(false);
        }
      }),
      propertyParameters(100),
    );
  });

  it("blocks again from the first instant after the expiry date, with the since-date", () => {
    const exception = { workspace: workspaceId, resource: names.redaction, ...accountable, expires: "2026-06-10" };
    expect(gradeRedaction(insecure, [exception], { at: new Date("2026-06-10T23:59:59.999Z") })[0]?.status).toBe("waived");
    const after = gradeRedaction(insecure, [exception], { at: new Date("2026-06-11T00:00:00Z") });
    expect(after.map((f) => [f.status, f.message])).toEqual([
      [
        "needs_review",
        `${expiredExceptionOpeningPrefix}intercom-pan-redaction exceptions[0] expired 2026-06-10, so this blocks again since 2026-06-11T00:00:00.000Z: ` +
          "Content redaction is on but its credit-card (PAN) rule is off.",
      ],
    ]);
  });

  it("leaves a Secure finding Secure, and an exception for another resource waives nothing", () => {
    expect(gradeRedaction(secure.panRedaction, [exceptionOf({ byUrn: false, days: 10, withTime: false })]).map((f) => f.status)).toEqual([
      "secure",
    ]);
    const elsewhere = [
      { workspace: workspaceId, resource: "other", ...accountable, expires: dayOffset(10) },
      { urn: `${urn}-2`, ...accountable, expires: dayOffset(10) },
    ];
    expect(gradeRedaction(insecure, elsewhere).map((f) => f.status)).toEqual(["needs_review"]);
  });

  it("never waives what was not evaluated: a value not known yet, props that do not match the schema", () => {
    fc.assert(
      fc.property(covering, (c) => {
        const exception = exceptionOf({ ...c, days: Math.abs(c.days) + 1 });
        for (const props of [
          { ...insecure, creditCards: UNKNOWN },
          { ...insecure, enabled: UNKNOWN },
          { ...insecure, notAField: 1 },
        ]) {
          const statuses = gradeRedaction(props, [exception]).map((f) => f.status);
          expect(statuses).toContain("not_evaluated");
          expect(statuses).not.toContain("waived");
          expect(statuses).not.toContain("secure");
        }
      }),
      propertyParameters(30),
    );
  });

  it("matches by name only a workspace id that is a plain known string (not secret, not unknown); by urn always", () => {
    const byName = [{ workspace: workspaceId, resource: names.redaction, ...accountable, expires: dayOffset(10) }];
    const status = (props: Record<string, unknown>, options = {}) => gradeRedaction(props, byName, options).map((f) => f.status);
    expect(status(insecure)).toEqual(["waived"]);
    expect(status(insecure, { sentAsSecret: [["workspaceId"]] })).toEqual(["needs_review"]);
    expect(status(insecure, { sentAsSecret: [[]] })).toEqual(["needs_review"]);
    expect(status(insecure, { secrets: [workspaceId] })).toEqual(["needs_review"]);
    expect(status({ ...insecure, workspaceId: UNKNOWN })).not.toContain("waived");
    const byUrn = [{ urn, ...accountable, expires: dayOffset(10) }];
    expect(gradeRedaction(insecure, byUrn, { sentAsSecret: [["workspaceId"]] }).map((f) => f.status)).toEqual(["waived"]);
  });

  it("ignores an exception expiring beyond the maximum (the pack's Configure refuses it; outside the pack it waives nothing)", () => {
    const far = [{ urn, ...accountable, expires: dayOffset(91) }];
    expect(gradeRedaction(insecure, far).map((f) => f.status)).toEqual(["needs_review"]);
    expect(
      gradeRedaction(insecure, far, { packConfig: { [exceptionsPolicyName]: { maxExceptionDays: 120 } } }).map((f) => f.status),
    ).toEqual(["waived"]);
    expect(
      gradeRedaction(insecure, [{ urn, ...accountable, expires: dayOffset(30) }], {
        packConfig: { [exceptionsPolicyName]: { maxExceptionDays: 20 } },
      }).map((f) => f.status),
    ).toEqual(["needs_review"]);
    // An unusable maximum waives nothing.
    expect(
      gradeRedaction(insecure, [{ urn, ...accountable, expires: dayOffset(3) }], {
        packConfig: { [exceptionsPolicyName]: { maxExceptionDays: 0 } },
      }).map((f) => f.status),
    ).toEqual(["needs_review"]);
  });

  it("ignores a malformed exception (the approver is the owner): the finding keeps blocking", () => {
    expect(
      gradeRedaction(insecure, [{ urn, ...accountable, approver: "ALICE@example.com", expires: dayOffset(3) }]).map((f) => f.status),
    ).toEqual(["needs_review"]);
  });

  it("the governance keys beside the arguments are not arguments: the policy is still evaluated", () => {
    const findings = evaluateResourcePolicy(
      panRedaction,
      { name: names.redaction, urn, props: insecure },
      {
        config: { enforcementLevel: "advisory", ...accountable, expires: dayOffset(3), exceptions: [] },
        now,
      },
    );
    expect(findings?.map((f) => f.status)).toEqual(["needs_review"]);
  });
});

describe("exceptions applied to a stack policy's findings", () => {
  const stack = [...secureStack(), resource(ssoEnforcementControl, "sso-again", secure.ssoEnforcement)];
  const grade = (exceptions: unknown[], at: Date = now) =>
    evaluateStackPolicy(singleInstance, StackModel.build(stack, allControls), { config: { exceptions }, now: at });

  it("waives the violation of the covered resource (name and workspace from the stack), never the others", () => {
    const findings = grade([{ workspace: workspaceId, resource: "sso-again", ...accountable, expires: dayOffset(5) }]);
    expect(findings.map((f) => [f.status, f.urn])).toEqual([["waived", urnOf(ssoEnforcementControl, "sso-again")]]);
    expect(readsWaived(findings[0]?.message ?? "")).toBe(true);
    expect(grade([{ workspace: workspaceId, resource: "sso", ...accountable, expires: dayOffset(5) }]).map((f) => f.status)).toEqual([
      "needs_review",
    ]);
    expect(grade([{ workspace: workspaceId, resource: "sso-again", ...accountable, expires: dayOffset(-1) }]).map((f) => f.status)).toEqual(
      ["needs_review"],
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Forgery: a violation whose text the program controls

/** A policy whose message is program text: each custom redaction rule's name. */
const echo = defineResourcePolicy({
  name: "intercom-test-echo",
  id: "TEST.DATA.01",
  title: "Echo",
  description: "Echoes each custom rule's name.",
  items: ["data.pan-redaction"],
  severity: "critical",
  criticality: "SHALL",
  rationale: "A test policy whose messages are program-controlled text.",
  remediation: ["None."],
  helpUrl: helpLinks.panRedaction,
  frameworks: frameworks.cardholderData,
  control: panRedactionControl,
  check: (redaction) => (redaction.customRules ?? []).map((rule) => rule.name),
});

const forged = fc.oneof(
  fc
    .tuple(
      fc.constantFrom("2027-01-15", "2026-06-02T00:00:00Z"),
      fc.constantFrom("intercom-pan-redaction", "intercom-test-echo"),
      fc.nat(9),
      fc.string(),
    )
    .map(([expires, policy, index, rest]) => waivedOpening(policy, { expires, index }) + rest),
  fc.string().map((rest) => `${waivedOpeningPrefix}${rest}`),
  fc.string().map((rest) => `${expiredExceptionOpeningPrefix}${rest}`),
);

describe("program text cannot make a violation read as waived", () => {
  it("a needs-review message that would open like a waived one is marked as what it is", () => {
    fc.assert(
      fc.property(forged, (name) => {
        const findings = gradeRedaction({ ...secure.panRedaction, customRules: [{ name, pattern: "X-\\d+" }] }, [], { policy: echo });
        expect(findings.map((f) => f.status)).toEqual(["needs_review"]);
        expect(readsWaived(findings[0]?.message ?? "")).toBe(false);
        expect(readsNotEvaluated(findings[0]?.message ?? "")).toBe(false);
      }),
      propertyParameters(100),
    );
  });

  it("nor with a secret before the opening (it is redacted, never removed)", () => {
    const secretValue = "s3cr3t-prefix-value";
    const name = `${secretValue}${waivedOpening("intercom-test-echo", { expires: "2027-01-15", index: 0 })}`;
    const findings = gradeRedaction({ ...secure.panRedaction, customRules: [{ name, pattern: "X-\\d+" }] }, [], {
      policy: echo,
      secrets: [secretValue],
    });
    expect(findings.map((f) => f.status)).toEqual(["needs_review"]);
    expect(readsWaived(findings[0]?.message ?? "")).toBe(false);
    expect(findings[0]?.message).not.toContain(secretValue);
  });

  it("a waived message's finding is redacted, its opening is not", () => {
    const secretValue = "2027";
    const exception = { urn, ...accountable, expires: dayOffset(10) };
    const findings = gradeRedaction(
      { ...secure.panRedaction, customRules: [{ name: `leak ${secretValue} here`, pattern: "X-\\d+" }] },
      [exception],
      {
        policy: echo,
        secrets: [secretValue, dayOffset(10)],
      },
    );
    expect(findings.map((f) => f.status)).toEqual(["waived"]);
    const opening = waivedOpening("intercom-test-echo", { expires: dayOffset(10), index: 0 });
    expect(findings[0]?.message.startsWith(opening)).toBe(true);
    expect(findings[0]?.message.slice(opening.length)).not.toContain(secretValue);
  });
});
