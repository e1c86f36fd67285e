/**
 * Helpers for the remediation specs: settings generated from a control's schema, the fields a
 * remediation must never touch, and the pure remediation decision with the specs' fixed clock.
 */
import fc from "fast-check";
import { z } from "zod";
import { ControlDefinition } from "../../core/control";
import { ResourcePolicy } from "../../core/policy";
import { remediationOf } from "../../core/remediation";
import { checkSettings } from "../../core/validation";
import { allControls } from "../../resources";
import { now, secure } from "./fixtures";

/**
 * Per control, the fields that decide who can sign in or reach the workspace or the Messenger:
 * IP allowlists, SSO requirements (and the identity provider), 2FA, identity verification,
 * session lengths and trusted domains. No remediation may ever change one.
 */
export const lockoutFields: Readonly<Record<string, readonly string[]>> = {
  IpAllowlist: ["scope", "enabled", "entries"],
  SsoEnforcement: ["googleSignIn", "samlSso", "saml", "scimProvisioning"],
  TwoFactorAuthentication: ["enforcement"],
  SessionPolicy: ["reauthenticateAfterHours"],
  MessengerSecurity: ["identityVerification", "enforced", "jwtExpirySeconds", "apiSecret", "secretRotatedAt"],
  MessengerSession: ["sessionDurationMinutes"],
  MessengerDomainRestriction: ["trustedDomains"],
  LinkSafety: ["trustedDomains"],
  MobileSdk: ["apiEndpoint"],
};

/** Every secure fixture value and Intercom default of a field, as examples beside the schema's own values. */
function examples(control: ControlDefinition): Record<string, unknown>[] {
  const fixtures = Object.values(secure).filter((value) => checkSettings(control, value as Record<string, unknown>).result.success);
  const base = fixtures[0] as Record<string, unknown> | undefined;
  const defaults = (control.intercomDefaults ?? []).map((d) => ({ ...base, ...d }));
  return [...fixtures, ...defaults] as Record<string, unknown>[];
}

const numberExamples = [1, 12, 60, 1440, 3600, 10080, 100000];

/** Values the field's schema names (booleans, enum members, null, absent, subsets of an enum list), and examples. */
function fieldValues(schema: z.ZodType, given: readonly unknown[]): fc.Arbitrary<unknown> {
  const def = (schema as unknown as { def: { type: string; innerType?: z.ZodType; element?: z.ZodType } }).def;
  const fromExamples = given.filter((v) => v !== undefined);
  const choices: fc.Arbitrary<unknown>[] = fromExamples.length > 0 ? [fc.constantFrom(...fromExamples)] : [];
  switch (def.type) {
    case "boolean":
      return fc.boolean();
    case "enum":
      return fc.constantFrom(...(schema as unknown as { options: unknown[] }).options);
    case "optional":
    case "default":
      return fc.oneof(fc.constant(undefined), fieldValues(def.innerType as z.ZodType, given));
    case "nullable":
      return fc.oneof(fc.constant(null), fieldValues(def.innerType as z.ZodType, given));
    case "number":
      return fc.oneof(...choices, fc.constantFrom(...numberExamples));
    case "array": {
      const element = def.element as unknown as { def: { type: string }; options?: unknown[] };
      if (element.def.type === "enum") return fc.oneof(...choices, fc.subarray(element.options as unknown[]));
      return fc.oneof(...choices, fc.constant([]));
    }
    default:
      return choices.length > 0 ? fc.oneof(...choices) : fc.constant(undefined);
  }
}

/** Settings of the control that match its schema, each field drawn from {@link fieldValues}. */
export function generatedSettings(control: ControlDefinition): fc.Arbitrary<Record<string, unknown>> {
  const known = examples(control);
  const shape = control.schema.shape as Record<string, z.ZodType>;
  const fields = Object.fromEntries(
    Object.entries(shape).map(([key, schema]) => [
      key,
      fieldValues(
        schema,
        known.map((e) => e[key]),
      ),
    ]),
  );
  return fc
    .record(fields)
    .map((settings) => Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)))
    .filter((settings) => {
      const parsed = checkSettings(control, settings);
      return parsed.result.success && parsed.issues.length === 0;
    });
}

export function controlNamed(name: string): ControlDefinition {
  const control = allControls.find((c) => c.name === name);
  if (!control) throw new Error(`No control ${name}`);
  return control;
}

/** The pure remediation decision (core/remediation.ts) with the specs' fixed clock. */
export function remediate(policy: ResourcePolicy, props: Record<string, unknown>, config?: unknown): Record<string, unknown> | undefined {
  return remediationOf(policy, props, { now, config });
}

/**
 * The spec of each remediating policy, stated independently of its code: which settings it fixes,
 * and when its fix leaves the policy nothing to report.
 */
export const remediationSpecs: ReadonlyArray<{
  readonly policy: string;
  readonly control: string;
  readonly fixable: (props: Record<string, unknown>) => boolean;
  readonly fullyFixed: (props: Record<string, unknown>) => boolean;
}> = [
  {
    policy: "intercom-pan-redaction",
    control: "PanRedaction",
    fixable: (p) => p["enabled"] === true && p["creditCards"] === false,
    fullyFixed: (p) => (p["channels"] as unknown[]).length > 0,
  },
  {
    policy: "intercom-email-password-sign-in-disabled",
    control: "SsoEnforcement",
    fixable: (p) =>
      p["emailPasswordSignIn"] === true && (p["googleSignIn"] === "required" || (p["samlSso"] === "required" && p["saml"] !== undefined)),
    fullyFixed: () => true,
  },
  {
    policy: "intercom-link-safety-warnings",
    control: "LinkSafety",
    fixable: (p) => p["warnOnMaliciousLinks"] === false || p["warnOnUntrustedLinks"] === false,
    fullyFixed: () => true,
  },
  {
    policy: "intercom-notification-content",
    control: "NotificationPrivacy",
    fixable: (p) => p["emailNotificationContent"] === "full" || p["pushNotificationContent"] === "full",
    fullyFixed: () => true,
  },
];

/** JSON with object keys sorted: a Struct comes back from gRPC with its keys in another order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "undefined";
}

/** Top-level fields whose wire values differ. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((key) => canonicalJson(before[key]) !== canonicalJson(after[key]))
    .sort();
}
