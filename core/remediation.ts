/**
 * Pulumi's `remediate` enforcement level: a policy may fix what it finds before the resource is
 * created or updated (the engine calls Remediate, then Analyze on the fixed properties). Only a
 * policy's own `remediate` decides what to change (written beside its check); this module decides
 * when a fix is applied at all, and fails closed: no fix on values not known yet, on settings that
 * do not match their schema, on a secret value, on a field the policy did not declare, or when the
 * check would not report fewer problems afterwards.
 */
import { contextFor, EvaluationOptions } from "./evaluate";
import { ResourcePolicy, RuleContext } from "./policy";
import { arrivedSecretAt } from "./secret-envelope";
import { hiddenPathsOf, isAtOrUnder, trackSecretReads } from "./secret-reads";
import { findUnknownPaths } from "./unknowns";
import { checkSettings, settingsProps } from "./validation";

/** The policies that remediate, of those given. */
export function remediatingPolicies<P extends { kind: string; remediate?: unknown }>(policies: readonly P[]): P[] {
  return policies.filter((p) => p.kind === "resource" && typeof p.remediate === "function");
}

/**
 * The fields (and their new values) that fix what the policy finds on these properties, or
 * undefined. `props` are plain values (secrets unwrapped); `options` as for evaluation (the
 * policy's configuration, the clock, where values arrived secret).
 */
export function remediationOf(
  policy: ResourcePolicy,
  props: Record<string, unknown>,
  options: EvaluationOptions = {},
): Record<string, unknown> | undefined {
  const remediate = policy.remediate;
  if (!remediate) return undefined;
  // A fix decided on a value not known yet could be wrong once it is known: none is made.
  if (findUnknownPaths(props).length > 0) return undefined;
  const given = settingsProps(props);
  const parsed = checkSettings(policy.control, given);
  if (!parsed.result.success || parsed.issues.length > 0) return undefined;
  const settings = parsed.result.data;
  // A fix is shown (Pulumi's remediation event, the tool's before/after), so whether one is made must
  // not rest on a secret: a secret `creditCards: false` is exactly the one that would be fixed. The
  // rule sees settings that record each secret it reads, and any read means no fix.
  const hidden = hiddenPathsOf(policy.control);
  const isSecret = (path: readonly (string | number)[]) => arrivedSecretAt(options.sentAsSecret ?? [], path) || isAtOrUnder(hidden, path);
  const tracked = trackSecretReads(settings as object, isSecret);
  // Parsed by the policy's own control schema: what its rule takes (typed never once erased, core/policy.ts SettingsOf).
  const seen = tracked.settings as never;
  if (policy.appliesTo && !policy.appliesTo(seen)) return undefined;
  const context = contextFor(policy, options);
  if (!context.ok) return undefined;
  const ruleContext = context.context as RuleContext<never>;
  const before = policy.check(seen, ruleContext);
  if (tracked.reads().length > 0 || before.length === 0) return undefined;

  const fix = remediate(seen, ruleContext) as Record<string, unknown> | undefined;
  if (tracked.reads().length > 0 || !fix) return undefined;
  const allowed = new Set<string>(policy.remediates ?? []);
  const changes: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fix)) {
    // A fix beyond the fields the policy declared is a bug in the policy: nothing is applied.
    if (!allowed.has(field)) return undefined;
    // Comparing with a field that is or holds a secret would tell whether it equals the fix.
    if ((options.sentAsSecret ?? []).some((path) => String(path[0]) === field) || hidden.some((path) => path.split(".")[0] === field)) {
      return undefined;
    }
    if (!sameValue(value, (settings as Record<string, unknown>)[field])) changes[field] = value;
  }
  if (Object.keys(changes).length === 0) return undefined;

  const fixed = checkSettings(policy.control, { ...given, ...changes });
  if (!fixed.result.success || fixed.issues.length > 0) return undefined;
  const trackedAfter = trackSecretReads(fixed.result.data as object, isSecret);
  const fixedSeen = trackedAfter.settings as never;
  if (policy.appliesTo && !policy.appliesTo(fixedSeen)) return undefined;
  const after = policy.check(fixedSeen, ruleContext);
  if (trackedAfter.reads().length > 0) return undefined;
  // Applied only if it fixes something and brings no problem the settings did not have.
  const remaining = [...before];
  for (const message of after) {
    const index = remaining.indexOf(message);
    if (index < 0) return undefined;
    remaining.splice(index, 1);
  }
  return after.length < before.length ? changes : undefined;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
