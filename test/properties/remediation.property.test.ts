/**
 * Remediation over generated settings, for EVERY resource policy: a fix only ever changes the
 * fields its policy declares, never a field that decides who can sign in or reach the workspace
 * (IP allowlists, SSO requirements, 2FA, identity verification, session length, trusted
 * domains), always leaves settings that match the schema, and always leaves the policy with
 * fewer problems and no new one. A value not known yet anywhere means no fix.
 */
import fc from "fast-check";
import { contextFor } from "../../core/evaluate";
import { remediatingPolicies } from "../../core/remediation";
import { checkSettings } from "../../core/validation";
import { resourcePolicies } from "../../policies";
import { allControls } from "../../resources";
import { remediationOf } from "../../core/remediation";
import { now } from "../support/fixtures";
import { propertyParameters } from "../support/property";
import { generatedSettings, lockoutFields, remediate } from "../support/remediation";
import { UNKNOWN } from "../support/unknowns";

const policies = resourcePolicies;
const remediating = remediatingPolicies(policies);

describe("remediation: what may be fixed", () => {
  it("is declared by the four policies whose fixes are safe and unambiguous, and by no other", () => {
    expect(remediating.map((p) => p.name).sort()).toEqual([
      "intercom-email-password-sign-in-disabled",
      "intercom-link-safety-warnings",
      "intercom-notification-content",
      "intercom-pan-redaction",
    ]);
  });

  it("never declares a field that decides who can sign in or reach the workspace", () => {
    for (const policy of policies) {
      const lockout = lockoutFields[policy.control.name] ?? [];
      expect((policy.remediates ?? []).filter((field) => lockout.includes(field))).toEqual([]);
    }
  });

  it("covers every control's lockout fields with real field names (the list cannot go stale)", () => {
    for (const [controlName, fields] of Object.entries(lockoutFields)) {
      const control = allControls.find((c) => c.name === controlName);
      expect(control).toBeDefined();
      for (const field of fields) expect(Object.keys(control?.schema.shape ?? {})).toContain(field);
    }
  });
});

describe.each(policies.map((p) => [p.name, p] as const))("remediation of %s over generated settings", (_name, policy) => {
  const settings = generatedSettings(policy.control);
  const lockout = lockoutFields[policy.control.name] ?? [];

  it("changes only declared fields, never a lockout field, and leaves fewer problems and no new one", () => {
    let fixes = 0;
    fc.assert(
      fc.property(settings, (props) => {
        const fix = remediate(policy, props);
        if (!policy.remediate) {
          expect(fix).toBeUndefined();
          return;
        }
        if (!fix) return;
        fixes++;
        const fields = Object.keys(fix);
        expect(fields.length).toBeGreaterThan(0);
        expect(fields.filter((f) => !(policy.remediates ?? []).includes(f as never))).toEqual([]);
        expect(fields.filter((f) => lockout.includes(f))).toEqual([]);
        const fixed = checkSettings(policy.control, { ...props, ...fix });
        expect(fixed.result.success).toBe(true);
        const context = contextFor(policy, { now });
        if (!context.ok) throw new Error(context.reason);
        const before = policy.check(checkSettings(policy.control, props).result.data as never, context.context as never);
        const after = policy.check(fixed.result.data as never, context.context as never);
        expect(after.length).toBeLessThan(before.length);
        for (const message of after) expect(before).toContain(message);
      }),
      propertyParameters(policy.remediate ? 300 : 40),
    );
    // The class reaches the fixable settings: a property that never saw a fix would test nothing.
    if (policy.remediate) expect(fixes).toBeGreaterThan(0);
  });

  if (policy.remediate) {
    // A fix is shown (Pulumi's remediation event, the tool's before/after): whether one is made, and
    // what it is, must tell nothing of a secret. Else a secret `creditCards: false` is exactly the
    // one that gets fixed, and a secret `googleSignIn` is "required" exactly where password sign-in
    // is turned off.
    it("makes the same fix, or none, whatever the values of the fields sent as secrets", () => {
      let compared = 0;
      fc.assert(
        fc.property(settings, settings, fc.subarray(Object.keys(policy.control.schema.shape)), (props, other, secretFields) => {
          // A secret field's presence shows (its key is sent, its value hidden): only values are swapped.
          const swapped: Record<string, unknown> = { ...props };
          for (const field of secretFields) if (field in props && field in other) swapped[field] = other[field];
          // Both must be valid settings: whether a value matches its schema is not the policy's decision.
          if (!checkSettings(policy.control, swapped).result.success) return;
          compared++;
          const sentAsSecret = secretFields.map((field) => [field]);
          const fixOf = (p: Record<string, unknown>) => remediationOf(policy, p, { now, sentAsSecret });
          expect(fixOf(swapped)).toEqual(fixOf(props));
        }),
        propertyParameters(300),
      );
      expect(compared).toBeGreaterThan(0);
    });

    it("makes no fix when any field is not known yet", () => {
      fc.assert(
        fc.property(settings, fc.nat(), (props, pick) => {
          const fields = Object.keys(props);
          const field = fields[pick % fields.length] as string;
          expect(remediate(policy, { ...props, [field]: UNKNOWN })).toBeUndefined();
        }),
        propertyParameters(100),
      );
    });
  }
});
