import { z } from "zod";
import { secretValuesOf } from "./control";
import {
  exceptionFor,
  exceptionsOf,
  exceptionsPolicyName,
  expiryInstant,
  isTooFarAhead,
  maxExceptionDaysOf,
  PolicyException,
  splitEntry,
  WaiverTarget,
} from "./exceptions";
import { configurationRefusals } from "./floors";
import { AnyPolicy, ResourcePolicy, RuleContext, StackPolicy, StackViolation } from "./policy";
import { redactSecrets } from "./redaction";
import { arrivedSecretAt, PropertyPath } from "./secret-envelope";
import { StackModel } from "./stack-model";
import { unwrapSecret } from "./secret-envelope";
import {
  displayPaths,
  findUnknownPaths,
  isUnknownValue,
  parseWithUnknowns,
  trackUnknownReads,
  UnknownAwareParse,
  UnknownOwner,
  UnknownRead,
  ValuePath,
} from "./unknowns";
import { describeProblems } from "./validation";
import { fieldOfSecretRead, hiddenPathsOf, isAtOrUnder, trackSecretReads } from "./secret-reads";

/**
 * A finding's status, as the Health Check and the audit reports show it. `waived`: a needs-review
 * finding on a resource an active exception covers (core/exceptions.ts); never Secure, never blocking.
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
  /** On a waived finding: the exception that waives it, as configured. */
  readonly waiver?: PolicyException;
  /** On a needs-review finding whose only covering exception has expired: that exception (it blocks again). */
  readonly expiredWaiver?: PolicyException;
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
  /**
   * The whole policy-pack configuration (policy name to its entry), for what reads beyond the
   * policy's own entry: the maximum exception length, the exceptions policy. Absent: none given.
   */
  readonly packConfig?: Readonly<Record<string, unknown>>;
  /** Every policy of the pack, for rules about the pack itself (intercom-policy-exceptions). */
  readonly policies?: readonly AnyPolicy[];
  /**
   * The parses of the resource under evaluation, shared by every policy that grades it in one
   * request (core/crossguard.ts gives one per Analyze): the control is parsed once, not once per policy.
   */
  readonly parses?: ResourceParses;
}

/**
 * One resource's parse per control, for the policies that grade it in one request. A parse is
 * reused only for the very same props object, resource name and urn: the pack hands every policy
 * of an Analyze call the same props, which nothing changes, and another resource or request
 * always has other props. Rules read settings and never change them, as they already share one
 * stack model's settings across stack policies.
 */
export class ResourceParses {
  private readonly byDefinition = new Map<
    ResourcePolicy["control"],
    {
      readonly props: object;
      readonly name: string;
      readonly urn: string | undefined;
      readonly parse: UnknownAwareParse<Record<string, unknown>>;
    }
  >();

  parse(
    definition: ResourcePolicy["control"],
    props: Record<string, unknown>,
    owner: UnknownOwner,
  ): UnknownAwareParse<Record<string, unknown>> {
    const found = this.byDefinition.get(definition);
    if (found && found.props === props && found.name === owner.name && found.urn === owner.urn) return found.parse;
    const parse = parseWithUnknowns(definition, props, owner);
    this.byDefinition.set(definition, { props, name: owner.name, urn: owner.urn, parse });
    return parse;
  }
}

function parseOnce(
  definition: ResourcePolicy["control"],
  props: Record<string, unknown>,
  owner: UnknownOwner,
  parses: ResourceParses | undefined,
): UnknownAwareParse<Record<string, unknown>> {
  return parses ? parses.parse(definition, props, owner) : parseWithUnknowns(definition, props, owner);
}

/**
 * The fixed wording a not-evaluated message opens with, for people reading `pulumi preview`: the
 * status itself travels as data (core/finding-payload.ts). It is composed outside redaction (only
 * the program-derived rest is redacted), and a needs-review message never opens with it (see
 * {@link needsReviewMessage}), so neither a secret nor program text changes how a message reads.
 */
export const notEvaluatedOpenings = ["Not evaluated during preview: ", "Not evaluated for ", "Not evaluated: "] as const;

/** The SDK's own advisory when a policy read an unknown value through its proxy: a reader's eye could take a violation for it. */
const sdkCannotRunOpening = /^can't run policy '[^'\n]*' from policy pack '[^'\n]*' during preview: /;

/** A not-evaluated message: the fixed opening as is, the rest redacted. */
function notEvaluatedMessage(message: string, redact: (message: string) => string): string {
  const opening = notEvaluatedOpenings.find((o) => message.startsWith(o));
  return opening ? opening + redact(message.slice(opening.length)) : notEvaluatedOpenings[2] + redact(message);
}

/**
 * How a waived finding's message opens: `Waived until 2027-01-15 (intercom-pan-redaction
 * exceptions[0]): ` and then the finding. Composed outside redaction from the policy's name and
 * the exception as configured (a validated date and a position), never from program text; and a
 * needs-review message never opens like it (see {@link needsReviewMessage}). Wording only: the
 * waived status and its exception travel in the finding's payload.
 */
export const waivedOpeningPrefix = "Waived until ";

/** The fixed opening of a waived finding's message. */
export function waivedOpening(policyName: string, exception: Pick<PolicyException, "expires" | "index">): string {
  return `${waivedOpeningPrefix}${exception.expires} (${policyName} exceptions[${exception.index}]): `;
}

/** How a finding whose exception has expired opens: it blocks again, and says since when. */
export const expiredExceptionOpeningPrefix = "Exception expired: ";

export function expiredExceptionOpening(policyName: string, exception: Pick<PolicyException, "expires" | "index">): string {
  return (
    `${expiredExceptionOpeningPrefix}${policyName} exceptions[${exception.index}] expired ${exception.expires}, ` +
    `so this blocks again since ${expiryInstant(exception.expires).toISOString()}: `
  );
}

/**
 * Whether text opens like a message of another status would. Only for the wording people read in
 * `pulumi preview`: no status is decided from it (it travels as data, core/finding-payload.ts).
 */
function readsAsAnotherStatus(text: string): boolean {
  return (
    notEvaluatedOpenings.some((opening) => text.startsWith(opening)) ||
    sdkCannotRunOpening.test(text) ||
    text.startsWith(waivedOpeningPrefix) ||
    text.startsWith(expiredExceptionOpeningPrefix)
  );
}

/**
 * A violation's message, redacted; one that would read as not evaluated or as waived (program
 * text can open it) is marked as what it is, for people reading it.
 */
function needsReviewMessage(message: string, redact: (message: string) => string): string {
  const redacted = redact(message);
  return readsAsAnotherStatus(redacted) || readsAsAnotherStatus(message) ? `Needs review: ${redacted}` : redacted;
}

/** A finding's message, redacted so that its status never depends on what redaction hides. */
function messageFor(status: FindingStatus, message: string, redact: (message: string) => string): string {
  if (status === "not_evaluated") return notEvaluatedMessage(message, redact);
  if (status === "needs_review") return needsReviewMessage(message, redact);
  return redact(message);
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
      message: notEvaluatedMessage(message, redact),
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
  const facts = configurationFacts(policy, options.config ?? {});
  if (facts.refusal !== undefined) return { ok: false, reason: facts.refusal };
  // Parsed for every evaluation: each rule gets its own arguments (and fresh defaults) to read.
  const parsed = (policy.configSchema as z.ZodObject).safeParse(facts.args);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "config"}: ${i.message}`).join("; ");
    return { ok: false, reason: `Not evaluated: the configuration of ${policy.name} is invalid: ${problems}` };
  }
  const sentAsSecret = options.sentAsSecret ?? [];
  return {
    ok: true,
    context: {
      config: parsed.data,
      now: options.now ?? new Date(),
      sentAsSecret: (path) => arrivedSecretAt(sentAsSecret, path),
      packConfig: options.packConfig ?? {},
      policies: options.policies ?? [],
    },
  };
}

/**
 * The policy's own arguments in its configuration entry: its level and the governance beside them
 * (exceptions, accountability; core/exceptions.ts) are not arguments. Anything but an object is
 * left as given, for the schema to refuse.
 */
function ownArguments(config: unknown): unknown {
  if (config === null || typeof config !== "object" || Array.isArray(config)) return config;
  return splitEntry(config).args;
}

// ---------------------------------------------------------------------------------------------
// What a configuration decides, derived once per configuration

/** What a policy's configuration entry decides whatever the resource or the clock. */
interface ConfigurationFacts {
  /** Why the configuration is refused (an argument below its floor, an unknown one...), as a not-evaluated reason. */
  readonly refusal: string | undefined;
  /** The policy's own arguments, for its config schema. */
  readonly args: unknown;
  /** Its well-formed exceptions, before the clock and the maximum length are applied. */
  readonly exceptions: readonly PolicyException[];
}

/**
 * The facts last derived for each policy, with a private frozen copy of the configuration they were
 * derived from. The pack's configuration changes only with Configure, yet every Analyze and
 * AnalyzeStack call derived them again for every policy. They are reused only for a configuration
 * equal to that copy value for value (compared in full on every call, {@link sameConfiguration}),
 * so they never answer for another configuration, and nothing done to the configuration a caller
 * holds can change them. The resource and the clock are no part of them.
 */
const factsByPolicy = new WeakMap<object, Kept<ConfigurationFacts>>();

function configurationFacts(policy: AnyPolicy, config: unknown): ConfigurationFacts {
  return derivedOnce(
    factsByPolicy.get(policy),
    config,
    (kept) => factsByPolicy.set(policy, kept),
    (from) => {
      const refusals = configurationRefusals(policy, from);
      return {
        refusal: refusals.length > 0 ? `Not evaluated: ${refusals.map((r) => r.message).join(" ")}` : undefined,
        args: ownArguments(from),
        exceptions: Object.freeze(exceptionsOf(from).map((e) => Object.freeze(e))),
      };
    },
  );
}

/** The maximum exception length, kept with a frozen copy of the exceptions policy's entry it was read from (see above). */
let lastMaxExceptionDays: Kept<ReturnType<typeof maxExceptionDaysOf>> | undefined;

function maxExceptionDays(packConfig: Readonly<Record<string, unknown>>): ReturnType<typeof maxExceptionDaysOf> {
  // The one entry maxExceptionDaysOf reads.
  return derivedOnce(
    lastMaxExceptionDays,
    packConfig[exceptionsPolicyName],
    (kept) => (lastMaxExceptionDays = kept),
    (entry) => {
      const maxDays = maxExceptionDaysOf({ [exceptionsPolicyName]: entry });
      return typeof maxDays === "number" ? maxDays : Object.freeze(maxDays);
    },
  );
}

/** A value derived from a configuration, with a private frozen copy of the configuration it was derived from. */
interface Kept<T> {
  readonly config: unknown;
  readonly value: T;
}

/**
 * What `derive` gives for `config`: the `kept` value when `config` equals its copy value for value
 * ({@link sameConfiguration}), else derived now from a frozen copy of `config` and handed to `keep`.
 * A configuration that cannot be copied (not JSON-like) is derived from as given, and never kept.
 */
function derivedOnce<T>(kept: Kept<T> | undefined, config: unknown, keep: (kept: Kept<T>) => void, derive: (config: unknown) => T): T {
  if (kept && sameConfiguration(kept.config, config)) return kept.value;
  const copy = frozenCopy(config);
  if (copy === uncopyable) return derive(config);
  const value = derive(copy);
  keep({ config: copy, value });
  return value;
}

const uncopyable: unique symbol = Symbol("not a JSON-like configuration");
/** No configuration nests deeper: anything deeper is derived each time, never kept. */
const maxCopiedDepth = 32;

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * A deep, frozen copy of a JSON-like value (what Configure delivers: null, booleans, numbers,
 * strings, dense arrays, plain objects); {@link uncopyable} for anything else, which is then never kept.
 */
function frozenCopy(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== "object") return typeof value === "function" || typeof value === "symbol" ? uncopyable : value;
  if (depth >= maxCopiedDepth) return uncopyable;
  if (Array.isArray(value)) {
    // Another realm's arrays (and objects) read differently to zod's messages: never kept.
    if (Object.getPrototypeOf(value) !== Array.prototype) return uncopyable;
    const copy: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      if (!Object.hasOwn(value, i)) return uncopyable;
      const entry = frozenCopy(value[i], depth + 1);
      if (entry === uncopyable) return uncopyable;
      copy.push(entry);
    }
    return Object.freeze(copy);
  }
  if (!isPlainObject(value)) return uncopyable;
  const copy: Record<string, unknown> = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    const entry = frozenCopy((value as Record<string, unknown>)[key], depth + 1);
    if (entry === uncopyable) return uncopyable;
    // defineProperty: an own "__proto__" key stays a key.
    defineOwnProperty(copy, key, entry);
  }
  return Object.freeze(copy);
}

/**
 * Whether `given` equals the kept copy value for value: the same type, the same own keys in the
 * same order, the same array entries, and primitives equal by Object.is (NaN is NaN, -0 is not 0).
 */
function sameConfiguration(kept: unknown, given: unknown): boolean {
  if (kept === null || typeof kept !== "object" || given === null || typeof given !== "object") return Object.is(kept, given);
  if (Array.isArray(kept)) {
    if (!Array.isArray(given) || Object.getPrototypeOf(given) !== Array.prototype || given.length !== kept.length) return false;
    for (let i = 0; i < kept.length; i++) {
      if (!Object.hasOwn(given, i) || !sameConfiguration(kept[i], given[i])) return false;
    }
    return true;
  }
  if (Array.isArray(given) || !isPlainObject(given) || Object.getPrototypeOf(given) !== Object.getPrototypeOf(kept)) return false;
  const keys = Object.keys(kept);
  const givenKeys = Object.keys(given);
  if (givenKeys.length !== keys.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (givenKeys[i] !== key) return false;
    if (!sameConfiguration((kept as Record<string, unknown>)[key], (given as Record<string, unknown>)[key])) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Exceptions (core/exceptions.ts)

/**
 * The policy's exceptions that may waive anything: well-formed, and expiring no further ahead than
 * the maximum. The pack's Configure refuses any other; outside the pack they are ignored here, so
 * a finding they would cover keeps blocking (fail closed).
 */
function usableExceptions(policy: AnyPolicy, options: EvaluationOptions, now: Date): PolicyException[] {
  const maxDays = maxExceptionDays(options.packConfig ?? {});
  if (typeof maxDays !== "number") return [];
  return configurationFacts(policy, options.config ?? {}).exceptions.filter((e) => !isTooFarAhead(e.expires, now, maxDays));
}

/**
 * Applies the policy's exceptions to its findings: a needs-review finding on a resource an active
 * exception covers is waived (advisory, never Secure), carrying the exception; one covered only by
 * an expired exception keeps blocking and says since when. A not-evaluated finding is never
 * waived: an exception accepts a known risk, and what was not evaluated (a value not known yet, a
 * control that does not match its schema, a refused configuration) is an unknown one.
 */
function withExceptions(
  findings: Finding[],
  policy: AnyPolicy,
  targetOf: (urn: string | undefined) => WaiverTarget,
  options: EvaluationOptions,
): Finding[] {
  const now = options.now ?? new Date();
  const exceptions = usableExceptions(policy, options, now);
  const policyName = policy.name;
  if (exceptions.length === 0) return findings;
  return findings.map((f): Finding => {
    if (f.status !== "needs_review") return f;
    const { active, expired } = exceptionFor(exceptions, targetOf(f.urn), now);
    // The finding's message is already redacted and never opens like either opening.
    if (active) return { ...f, status: "waived", message: waivedOpening(policyName, active) + f.message, waiver: active };
    if (expired) return { ...f, message: expiredExceptionOpening(policyName, expired) + f.message, expiredWaiver: expired };
    return f;
  });
}

/**
 * A workspace id exceptions may name: a plain string known now. One that arrived secret or is not
 * known yet matches no exception by name (only by urn).
 */
function nameableWorkspaceId(value: unknown, secrets: readonly string[]): string | undefined {
  return typeof value === "string" && !isUnknownValue(value) && !secrets.includes(value) ? value : undefined;
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
  const findings = gradeResource(policy, resource, options);
  if (findings === undefined) return undefined;
  // Built when first asked for: only a policy with usable exceptions matches its findings to one.
  let target: WaiverTarget | undefined;
  const targetOf = (): WaiverTarget => {
    if (target) return target;
    // A secret envelope is no string; a value the SDK unwrapped was recorded where it arrived secret.
    const workspaceId = arrivedSecretAt(options.sentAsSecret ?? [], ["workspaceId"])
      ? undefined
      : nameableWorkspaceId(resource.props["workspaceId"], [...secretValuesOf(policy.control, resource.props), ...(options.secrets ?? [])]);
    return (target = {
      ...(resource.urn ? { urn: resource.urn } : {}),
      name: resource.name,
      ...(workspaceId !== undefined ? { workspaceId } : {}),
    });
  };
  return withExceptions(findings, policy, targetOf, options);
}

function gradeResource(policy: ResourcePolicy, resource: ResourceUnderEvaluation, options: EvaluationOptions): Finding[] | undefined {
  const definition = policy.control;
  // The resource's secrets, listed once for all its messages (its props do not change while it is graded).
  let secrets: readonly string[] | undefined;
  const redact = (message: string) =>
    redactSecrets(message, (secrets ??= [...secretValuesOf(definition, resource.props), ...(options.secrets ?? [])]));
  const finding = (status: FindingStatus, message: string): Finding => ({
    policy: policy.name,
    status,
    message: messageFor(status, message, redact),
    ...(resource.urn ? { urn: resource.urn } : {}),
  });

  const owner = { definition, name: resource.name, ...(resource.urn ? { urn: resource.urn } : {}) };
  const parsed = parseOnce(definition, resource.props, owner, options.parses);
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
  const applies = trackUnknownReads(() => (policy.appliesTo ? policy.appliesTo(parsed.settings as never) : true));
  if (!applies.known) return unknownFindings(policy.name, applies.reads, options, redact);
  if (!applies.value) return undefined;
  const context = contextFor(policy, options);
  if (!context.ok) return [finding("not_evaluated", context.reason)];
  const location = secretLocation(definition, options);
  const secretReads = trackSecretReads(parsed.settings as object, location);
  const checked = trackUnknownReads(() => policy.check(secretReads.settings as never, context.context as RuleContext<never>));
  // A message that rests on secret values says which fields, nothing derived from them.
  const described = (messages: readonly string[], reads: readonly PropertyPath[]): Finding[] => {
    const secretFields = displayPaths(
      definition,
      reads.map((path) => fieldOfSecretRead(path, options.sentAsSecret ?? [], hiddenPathsOf(definition))),
    );
    if (secretFields.length > 0) return messages.map(() => finding("needs_review", restingOnSecrets(policy, resource.name, secretFields)));
    return messages.map((m) => finding("needs_review", m));
  };
  if (!checked.known) {
    // An unknown entry of a list judged entry by entry hides no known entry: those are graded alone.
    const known = violationsOfKnownEntries(policy, resource, owner, checked.reads, context.context, location, options.sentAsSecret ?? []);
    return [...described(known.messages, known.secretReads), ...unknownFindings(policy.name, checked.reads, options, redact)];
  }
  const messages = checked.value;
  if (messages.length === 0) return [finding("secure", "")];
  return described(messages, secretReads.reads());
}

// ---------------------------------------------------------------------------------------------
// Messages resting on secret values (see core/secret-reads.ts)

/**
 * Where a value is secret: it arrived in Pulumi's secret form, or sits at the control's secret
 * paths. Sensitive paths (a Custom Action's header values, which may be literals the policy
 * exists to find) are redacted from every message but do not make a finding's text generic:
 * the policies that read them name only where and what kind of value, never the value.
 */
function secretLocation(definition: ResourcePolicy["control"], options: EvaluationOptions): (path: PropertyPath) => boolean {
  const sent = options.sentAsSecret ?? [];
  return (path) => arrivedSecretAt(sent, path) || isAtOrUnder(definition.secretPaths, path);
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
 * The violations of a policy's known list entries, when the check read an entry not known yet of
 * a field the policy judges entry by entry (`independentEntries`): the check runs again with each
 * such list cut to its fully known entries. Each entry can only add violations, so a violation of
 * the known entries is one of the whole list, whatever the unknown entries turn out to be. Not
 * tried when a list would be left empty ("no entries" is no violation of the whole list), and
 * nothing is kept if the check still reads an unknown value (another field, say).
 */
function violationsOfKnownEntries(
  policy: ResourcePolicy,
  resource: ResourceUnderEvaluation,
  owner: UnknownOwner,
  reads: readonly UnknownRead[],
  context: RuleContext<unknown>,
  location: (path: PropertyPath) => boolean,
  sentAsSecret: readonly PropertyPath[],
): { messages: string[]; secretReads: readonly PropertyPath[] } {
  const none = { messages: [], secretReads: [] };
  const fields = policy.independentEntries ?? [];
  const readsEntry = reads.some((r) => r.path.length >= 2 && typeof r.path[1] === "number" && fields.includes(String(r.path[0])));
  if (!readsEntry) return none;
  const props: Record<string, unknown> = { ...resource.props };
  const cut = new Set<string>();
  for (const field of fields) {
    const list = unwrapSecret(props[field]).value;
    if (!Array.isArray(list)) continue;
    const known = list.filter((entry) => findUnknownPaths(entry).length === 0);
    if (known.length === list.length) continue;
    if (known.length === 0) return none;
    // Secret or not, redaction still hides what the original props hold (their secrets are used).
    defineOwnProperty(props, field, known);
    cut.add(field);
  }
  // Cutting shifts the indexes the secret envelopes were recorded at: any read of a cut list that
  // held a secret entry counts as a secret read (fail closed).
  const heldSecret = (field: string) => sentAsSecret.some((p) => String(p[0]) === field);
  const cutLocation = (path: PropertyPath) => location(path) || (cut.has(String(path[0])) && heldSecret(String(path[0])));
  const parsed = parseWithUnknowns(policy.control, props, owner);
  if (!parsed.ok) return none;
  const secretReads = trackSecretReads(parsed.settings as object, cutLocation);
  const checked = trackUnknownReads(() => policy.check(secretReads.settings as never, context as RuleContext<never>));
  return checked.known ? { messages: checked.value, secretReads: secretReads.reads() } : none;
}

/** Sets an own property, whatever its name. */
function defineOwnProperty(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
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
  options: Pick<EvaluationOptions, "preview" | "parses"> = {},
): Finding[] {
  // The owner names where unknown values are read; this check reads none, so it is the resource
  // policies' owner, and they share its parse.
  const owner = { definition, name: resource.name, ...(resource.urn ? { urn: resource.urn } : {}) };
  const parsed = parseOnce(definition, resource.props, owner, options.parses);
  const base = { policy: policyName, ...(resource.urn ? { urn: resource.urn } : {}) };
  const redact = (message: string) => redactSecrets(message, [...secretValuesOf(definition, resource.props), ...secrets]);
  if (!parsed.ok) {
    return [
      {
        ...base,
        status: "needs_review",
        message: needsReviewMessage(describeProblems(definition, resource.name, parsed.problems), redact),
      },
    ];
  }
  if (parsed.unknownPaths.length === 0) return [{ ...base, status: "secure", message: "" }];
  const fields = displayPaths(definition, parsed.unknownPaths);
  const what = `${definition.name} "${resource.name}" has values not known yet at ${fields.join(", ")}`;
  return [
    {
      ...base,
      status: "not_evaluated",
      message: notEvaluatedMessage(
        options.preview
          ? `Not evaluated during preview: ${what}; the rest matches its schema, and these are checked at update.`
          : `Not evaluated: ${what}, so they cannot be checked against its schema and are not passed.`,
        redact,
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
    message: messageFor(status, message, redact),
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
    // Independent parts that read an unknown were left out of the result; they are not evaluated.
    violations.push(...whole.value);
    reads.push(...whole.deferred);
  } else {
    reads.push(...whole.reads);
    for (const part of model.partitionByWorkspace()) {
      const graded = check(part);
      if (graded.known) {
        violations.push(...graded.value);
        reads.push(...graded.deferred);
      } else reads.push(...graded.reads);
    }
  }
  const findings = [
    ...unreadable,
    ...unknownFindings(policy.name, reads, options, redact),
    ...violations.map((v) => finding("needs_review", v.message, v.urn)),
  ];
  if (findings.length === 0) return [finding("secure", "")];
  const targetOf = (urn: string | undefined): WaiverTarget => {
    if (urn === undefined) return {};
    // By urn through the model's index (the first valid control with it, else the first invalid one), not a scan per finding.
    const control = model.controlAt(urn);
    const workspaceId = nameableWorkspaceId(model.workspaceOf(urn), secrets);
    return { urn, ...(control ? { name: control.name } : {}), ...(workspaceId !== undefined ? { workspaceId } : {}) };
  };
  return withExceptions(findings, policy, targetOf, options);
}
