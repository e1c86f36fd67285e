import { z } from "zod";
import { secretValuesOf } from "./control";
import { configurationRefusals } from "./floors";
import { AnyPolicy, ResourcePolicy, RuleContext, StackPolicy, StackViolation } from "./policy";
import { redactSecrets } from "./redaction";
import { arrivedSecretAt, PropertyPath } from "./secret-envelope";
import { StackModel } from "./stack-model";
import { displayPaths, parseWithUnknowns, trackUnknownReads, UnknownOwner, UnknownRead, ValuePath } from "./unknowns";
import { describeProblems } from "./validation";
import { fieldOfSecretRead, hiddenPathsOf, isAtOrUnder, trackSecretReads } from "./secret-reads";

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
  /**
   * On a not-evaluated finding: the paths of the values not known yet that the policy needed
   * (cut at a secret path; never values). At update such a finding keeps the policy's own level.
   */
  readonly unknownFields?: readonly string[];
}

export interface EvaluationOptions {
  /** The policy's configuration as given (validated here against its config schema). */
  readonly config?: unknown;
  readonly now?: Date;
  /** Values known to have been secret (e.g. sent in Pulumi's secret form): never shown in a message. */
  readonly secrets?: readonly string[];
  /** Where the evaluated resource's values arrived in Pulumi's secret form (see RuleContext.sentAsSecret). */
  readonly sentAsSecret?: readonly PropertyPath[];
  /**
   * True during a preview: a policy that needs a value not known yet is then advisory
   * (`pendingUntilUpdate`). Otherwise (an update, or the engine never said which) it is reported
   * at the policy's own enforcement level: what cannot be evaluated then is never passed.
   */
  readonly preview?: boolean;
}

/** The not-evaluated finding of a policy that needed values not known yet, one per control read. */
function unknownFindings(
  policyName: string,
  reads: readonly UnknownRead[],
  options: EvaluationOptions,
  redact: (message: string) => string,
): Finding[] {
  const byOwner = new Map<string, { owner: UnknownOwner; paths: ValuePath[] }>();
  for (const read of reads) {
    const key = read.owner.urn ?? `${read.owner.definition.name} ${read.owner.name}`;
    const entry = byOwner.get(key) ?? { owner: read.owner, paths: [] };
    entry.paths.push(read.path);
    byOwner.set(key, entry);
  }
  return [...byOwner.values()].map(({ owner, paths }): Finding => {
    const fields = displayPaths(owner.definition, paths);
    const what = `${owner.definition.name} "${owner.name}" needs ${fields.join(", ")}`;
    const message = options.preview
      ? `Not evaluated during preview: ${what}, not known until the update; it is checked at update.`
      : `Not evaluated: ${what}, which ${fields.length > 1 ? "are" : "is"} still not known, so it is not passed.`;
    return {
      policy: policyName,
      status: "not_evaluated",
      message: redact(message),
      ...(owner.urn ? { urn: owner.urn } : {}),
      unknownFields: fields,
      ...(options.preview ? { pendingUntilUpdate: true as const } : {}),
    };
  });
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
  const sentAsSecret = options.sentAsSecret ?? [];
  return {
    ok: true,
    context: { config: parsed.data, now: options.now ?? new Date(), sentAsSecret: (path) => arrivedSecretAt(sentAsSecret, path) },
  };
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
  const redact = (message: string) =>
    redactSecrets(message, [...secretValuesOf(definition, resource.props), ...(options.secrets ?? [])]);
  const finding = (status: FindingStatus, message: string): Finding => ({
    policy: policy.name,
    status,
    message: redact(message),
    ...(resource.urn ? { urn: resource.urn } : {}),
  });

  const owner = { definition, name: resource.name, ...(resource.urn ? { urn: resource.urn } : {}) };
  const parsed = parseWithUnknowns(definition, resource.props, owner);
  if (!parsed.ok) {
    return [
      finding(
        "not_evaluated",
        `Not evaluated: ${definition.name} "${resource.name}" does not match its schema ` +
          `(see intercom-control-schema), so it cannot be graded and is not passed.`,
      ),
    ];
  }
  // A policy grades the values it reads: only reading one not known yet leaves it not evaluated.
  const applies = trackUnknownReads(() => (policy.appliesTo ? policy.appliesTo(parsed.settings) : true));
  if (!applies.known) return unknownFindings(policy.name, applies.reads, options, redact);
  if (!applies.value) return undefined;
  const context = contextFor(policy, options);
  if (!context.ok) return [finding("not_evaluated", context.reason)];
  const secretReads = trackSecretReads(parsed.settings as object, secretLocation(definition, options));
  const checked = trackUnknownReads(() => policy.check(secretReads.settings as never, context.context as RuleContext<never>));
  if (!checked.known) return unknownFindings(policy.name, checked.reads, options, redact);
  const messages = checked.value;
  if (messages.length === 0) return [finding("secure", "")];
  const secretFields = displayPaths(
    definition,
    secretReads.reads().map((path) => fieldOfSecretRead(path, options.sentAsSecret ?? [], hiddenPathsOf(definition))),
  );
  if (secretFields.length > 0) return messages.map(() => finding("needs_review", restingOnSecrets(policy, resource.name, secretFields)));
  return messages.map((m) => finding("needs_review", m));
}

// ---------------------------------------------------------------------------------------------
// Messages resting on secret values (see core/secret-reads.ts)

/** Where a value is secret: it arrived in Pulumi's secret form, or sits at the control's secret (or sensitive) paths. */
function secretLocation(definition: ResourcePolicy["control"], options: EvaluationOptions): (path: PropertyPath) => boolean {
  const sent = options.sentAsSecret ?? [];
  const hidden = hiddenPathsOf(definition);
  return (path) => arrivedSecretAt(sent, path) || isAtOrUnder(hidden, path);
}

/**
 * The message of a finding derived from secret values: the control, the resource, the policy's
 * finding in general terms and the fields read; nothing computed from their values.
 */
function restingOnSecrets(policy: ResourcePolicy, resourceName: string, fields: readonly string[]): string {
  return (
    `${policy.control.name} "${resourceName}": the finding rests on secret values (${fields.join(", ")}), ` +
    `so it is not described further. ${policy.description}`
  );
}

/**
 * The schema check every control gets: the one place a mismatch is reported in full. Values not
 * known yet are checked at update; during a preview they are named in an advisory.
 */
export function schemaFindings(
  policyName: string,
  resource: ResourceUnderEvaluation,
  definition: ResourcePolicy["control"],
  secrets: readonly string[] = [],
  options: Pick<EvaluationOptions, "preview"> = {},
): Finding[] {
  const parsed = parseWithUnknowns(definition, resource.props, { definition, name: resource.name });
  const base = { policy: policyName, ...(resource.urn ? { urn: resource.urn } : {}) };
  const redact = (message: string) => redactSecrets(message, [...secretValuesOf(definition, resource.props), ...secrets]);
  if (!parsed.ok) {
    return [{ ...base, status: "needs_review", message: redact(describeProblems(definition, resource.name, parsed.problems)) }];
  }
  if (parsed.unknownPaths.length === 0) return [{ ...base, status: "secure", message: "" }];
  const fields = displayPaths(definition, parsed.unknownPaths);
  const what = `${definition.name} "${resource.name}" has values not known yet at ${fields.join(", ")}`;
  return [
    {
      ...base,
      status: "not_evaluated",
      message: redact(
        options.preview
          ? `Not evaluated during preview: ${what}; the rest matches its schema, and these are checked at update.`
          : `Not evaluated: ${what}, so they cannot be checked against its schema and are not passed.`,
      ),
      unknownFields: fields,
      ...(options.preview ? { pendingUntilUpdate: true as const } : {}),
    },
  ];
}

/**
 * Grades the stack. A rule that reads a value not known yet is not evaluated for that part of the
 * stack only: it is graded again workspace by workspace (and each control whose workspace is not
 * known yet on its own), and keeps the verdicts of every part where it read only known values.
 */
export function evaluateStackPolicy(policy: StackPolicy, model: StackModel, options: EvaluationOptions = {}): Finding[] {
  const secrets = [...model.secretValues(), ...(options.secrets ?? [])];
  const redact = (message: string) => redactSecrets(message, secrets);
  const finding = (status: FindingStatus, message: string, urn?: string): Finding => ({
    policy: policy.name,
    status,
    message: redact(message),
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
  const context = contextFor(policy, options);
  if (!context.ok) return [...unreadable, finding("not_evaluated", context.reason)];
  const check = (part: StackModel) => trackUnknownReads(() => policy.check(part, context.context as RuleContext<never>));

  const whole = check(model);
  const violations: StackViolation[] = [];
  const reads: UnknownRead[] = [];
  if (whole.known) {
    violations.push(...whole.value);
  } else {
    reads.push(...whole.reads);
    for (const part of model.partitionByWorkspace()) {
      const graded = check(part);
      if (graded.known) violations.push(...graded.value);
      else reads.push(...graded.reads);
    }
  }
  const findings = [
    ...unreadable,
    ...unknownFindings(policy.name, reads, options, redact),
    ...violations.map((v) => finding("needs_review", v.message, v.urn)),
  ];
  return findings.length > 0 ? findings : [finding("secure", "")];
}
