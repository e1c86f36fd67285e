import { z } from "zod";
import { secretValuesOf } from "./control";
import { configurationRefusals } from "./floors";
import { AnyPolicy, ResourcePolicy, RuleContext, StackPolicy } from "./policy";
import { redactSecrets } from "./redaction";
import { StackModel } from "./stack-model";
import { describeProblems, parseControl } from "./validation";

/**
 * A finding's status, as the Health Check and the audit reports show it. `waived` is reserved
 * for waivers (a later issue); nothing produces it yet.
 */
export type FindingStatus = "secure" | "needs_review" | "waived" | "not_evaluated";

export interface Finding {
  readonly policy: string;
  readonly status: FindingStatus;
  /** Empty for a Secure finding. Never contains a secret value. */
  readonly message: string;
  /** The resource the finding is about, when there is one. */
  readonly urn?: string;
  /**
   * Set on a finding that is not final because values are unknown during a preview: it is advisory
   * then, and the policy is enforced at the update, when the values are known.
   */
  readonly pendingUntilUpdate?: true;
}

export interface EvaluationOptions {
  /** The policy's configuration as given (validated here against its config schema). */
  readonly config?: unknown;
  readonly now?: Date;
  /** Values known to have been secret (e.g. sent in Pulumi's secret form): never shown in a message. */
  readonly secrets?: readonly string[];
}

/**
 * The rule's context, or a reason it cannot be built (bad configuration is never ignored). A SHALL
 * policy configured below an argument's floor is not evaluated: the pack's Configure refuses such
 * configuration first; this holds for a rule used outside the pack too.
 */
export function contextFor(
  policy: AnyPolicy,
  options: EvaluationOptions,
): { ok: true; context: RuleContext<unknown> } | { ok: false; reason: string } {
  const refusals = configurationRefusals(policy, options.config ?? {});
  if (refusals.length > 0) return { ok: false, reason: `Not evaluated: ${refusals.map((r) => r.message).join(" ")}` };
  const parsed = (policy.configSchema as z.ZodObject).safeParse(options.config ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "config"}: ${i.message}`).join("; ");
    return { ok: false, reason: `Not evaluated: the configuration of ${policy.name} is invalid: ${problems}` };
  }
  return { ok: true, context: { config: parsed.data, now: options.now ?? new Date() } };
}

export interface ResourceUnderEvaluation {
  readonly name: string;
  readonly urn?: string;
  readonly props: Record<string, unknown>;
}

/** `undefined` when the policy does not apply to this resource (another control, another platform). */
export function evaluateResourcePolicy(
  policy: ResourcePolicy,
  resource: ResourceUnderEvaluation,
  options: EvaluationOptions = {},
): Finding[] | undefined {
  const definition = policy.control;
  const finding = (status: FindingStatus, message: string): Finding => ({
    policy: policy.name,
    status,
    message: redactSecrets(message, [...secretValuesOf(definition, resource.props), ...(options.secrets ?? [])]),
    ...(resource.urn ? { urn: resource.urn } : {}),
  });

  const parsed = parseControl(definition, resource.props);
  if (!parsed.ok) {
    return [
      finding(
        "not_evaluated",
        `Not evaluated: ${definition.name} "${resource.name}" does not match its schema ` +
          `(see intercom-control-schema), so it cannot be graded and is not passed.`,
      ),
    ];
  }
  if (policy.appliesTo && !policy.appliesTo(parsed.settings)) return undefined;
  const context = contextFor(policy, options);
  if (!context.ok) return [finding("not_evaluated", context.reason)];
  const messages = policy.check(parsed.settings, context.context as RuleContext<never>);
  if (messages.length === 0) return [finding("secure", "")];
  return messages.map((m) => finding("needs_review", m));
}

/** The schema check every control gets: the one place a mismatch is reported in full. */
export function schemaFindings(
  policyName: string,
  resource: ResourceUnderEvaluation,
  definition: ResourcePolicy["control"],
  secrets: readonly string[] = [],
): Finding[] {
  const parsed = parseControl(definition, resource.props);
  const base = { policy: policyName, ...(resource.urn ? { urn: resource.urn } : {}) };
  if (parsed.ok) return [{ ...base, status: "secure", message: "" }];
  const message = describeProblems(definition, resource.name, parsed.problems);
  return [{ ...base, status: "needs_review", message: redactSecrets(message, [...secretValuesOf(definition, resource.props), ...secrets]) }];
}

export function evaluateStackPolicy(policy: StackPolicy, model: StackModel, options: EvaluationOptions = {}): Finding[] {
  const secrets = [
    ...[...model.valid, ...model.invalid].flatMap((c) => secretValuesOf(c.definition, "settings" in c ? c.settings : c.props)),
    ...(options.secrets ?? []),
  ];
  const finding = (status: FindingStatus, message: string, urn?: string): Finding => ({
    policy: policy.name,
    status,
    message: redactSecrets(message, secrets),
    ...(urn ? { urn } : {}),
  });

  const unreadable = model.invalid
    .filter((c) => policy.reads.includes(c.definition))
    .map((c) =>
      finding(
        "not_evaluated",
        `Not evaluated for ${c.definition.name} "${c.name}": it does not match its schema ` +
          `(see intercom-control-schema), so it is not passed.`,
        c.urn,
      ),
    );
  const readPending = model.pending.filter((c) => policy.reads.includes(c.definition));
  const pending = readPending.map(
      (c): Finding => ({
        ...finding(
          "not_evaluated",
          `Not evaluated during preview for ${c.definition.name} "${c.name}": ${c.detail}; it is checked at update.`,
          c.urn,
        ),
        pendingUntilUpdate: true,
      }),
    );
  const context = contextFor(policy, options);
  if (!context.ok) return [...unreadable, ...pending, finding("not_evaluated", context.reason)];
  // A verdict about a workspace with a control the policy reads still unknown is not final: the
  // unknown control may settle it. It is advisory during the preview and enforced at update.
  const pendingWorkspaces = new Set(readPending.map((c) => c.workspaceId));
  const isProvisional = (urn: string) => pendingWorkspaces.has(undefined) || pendingWorkspaces.has(model.workspaceOf(urn));
  const violations = policy.check(model, context.context as RuleContext<never>).map((v): Finding => {
    if (!isProvisional(v.urn)) return finding("needs_review", v.message, v.urn);
    return {
      ...finding("needs_review", `${v.message} (Provisional during preview: a control this policy reads is not known until the update.)`, v.urn),
      pendingUntilUpdate: true,
    };
  });
  const findings = [...unreadable, ...pending, ...violations];
  return findings.length > 0 ? findings : [finding("secure", "")];
}
