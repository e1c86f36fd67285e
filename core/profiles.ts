/**
 * Profiles: ready-made policy-pack configurations, shipped as profiles/<name>.json (written by
 * scripts/generate.ts from this module, the one source of truth) so that they work unchanged with
 * `pulumi preview --policy-pack-config` and with the tool's `--profile`.
 *
 *   baseline  the pack's defaults, spelled out: every policy at its default level and arguments.
 *   strict    every policy mandatory, with tighter arguments (see {@link strictArguments}).
 *   hipaa     strict, and the healthcare safeguards graded on every workspace, not only those
 *             declaring handlesPhi.
 *
 * A profile only tightens: it never runs a policy below its default level and never moves a SHALL
 * argument below its floor (test/core/profiles.test.ts holds it to that).
 */
import { z } from "zod";
import { AnyPolicy, EnforcementLevel } from "./policy";

export const profileNames = ["baseline", "strict", "hipaa"] as const;
export type ProfileName = (typeof profileNames)[number];
export const defaultProfile: ProfileName = "baseline";

export function isProfileName(name: string): name is ProfileName {
  return (profileNames as readonly string[]).includes(name);
}

/** One policy's entry in a profile: its level and every argument, as `--policy-pack-config` takes them. */
export type ProfileEntry = { readonly enforcementLevel: EnforcementLevel } & Readonly<Record<string, unknown>>;
export type ProfileConfig = Readonly<Record<string, ProfileEntry>>;

export const profileDescriptions: Record<ProfileName, string> = {
  baseline:
    "The pack's defaults: SHALL policies mandatory, SHOULD advisory (unless a policy states its own level), every argument at its default.",
  strict:
    "Every policy mandatory, with tighter arguments: shorter sessions and JWTs, faster secret rotation, a smaller IP allowlist, a required security contact, redaction on every channel.",
  hipaa:
    "strict, and the four healthcare safeguards (BAA, consent-gated Messenger, behavioural profiling, PHI safeguards) graded on every workspace, not only those declaring handlesPhi.",
};

/**
 * The arguments strict tightens, and why each value: figures a security team can defend. SHOULD
 * policies' arguments are free; a SHALL argument only moves the way its floor allows.
 */
export const strictArguments: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  // NIST SP 800-63B (AAL2): re-authenticate at least every 12 hours.
  "intercom-session-length": { maxHours: 12 },
  // OWASP Session Management: an absolute timeout of a working day at most.
  "intercom-messenger-session-duration": { maxMinutes: 8 * 60 },
  // A signed identity token outliving an hour is a replayable credential.
  "intercom-messenger-jwt-expiry": { maxSeconds: 60 * 60 },
  // Quarterly rotation, as PCI DSS and most secret-management policies ask of shared secrets.
  "intercom-messenger-secret-rotation": { maxAgeDays: 90 },
  // Two months' notice: renewing an APNs or FCM credential takes a release cycle.
  "intercom-mobile-push-credentials": { expiryWarningDays: 60 },
  // Together the allowlist admits at most one /16 (65,536 addresses): offices and VPN egress fit well within it.
  "intercom-ip-allowlist-entries": { minPrefixLength: 16 },
  // Someone must be reachable when Intercom reports an incident.
  "intercom-security-contact": { requireSecurityContact: true },
  // Card numbers are read out on calls too.
  "intercom-redaction-channels": { requiredChannels: ["web", "ios", "android", "email", "phone"] },
};

/** The healthcare policies whose scope the hipaa profile widens to every workspace. */
export function everyWorkspacePolicies(policies: readonly AnyPolicy[]): AnyPolicy[] {
  return policies.filter(
    (p) => p.kind === "stack" && p.scope === "phi-workspaces" && Object.hasOwn((p.configSchema as z.ZodObject).shape, "everyWorkspace"),
  );
}

/** A policy's arguments at their defaults. */
function defaultArguments(policy: AnyPolicy): Record<string, unknown> {
  return (policy.configSchema as z.ZodObject).parse({}) as Record<string, unknown>;
}

/** The configuration a profile sets, one entry per policy of `policies`. */
export function profileConfig(name: ProfileName, policies: readonly AnyPolicy[]): ProfileConfig {
  const widened = new Set(name === "hipaa" ? everyWorkspacePolicies(policies).map((p) => p.name) : []);
  const entries = policies.map((policy): [string, ProfileEntry] => {
    const defaults = defaultArguments(policy);
    if (name === "baseline") return [policy.name, { enforcementLevel: policy.enforcementLevel, ...defaults }];
    return [
      policy.name,
      {
        enforcementLevel: "mandatory",
        ...defaults,
        ...(strictArguments[policy.name] ?? {}),
        ...(widened.has(policy.name) ? { everyWorkspace: true } : {}),
      },
    ];
  });
  return Object.fromEntries(entries);
}
