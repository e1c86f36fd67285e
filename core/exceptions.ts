/**
 * Accepted risk, on the record. An exception waives one policy's findings on one resource until it
 * expires; a SHALL policy turned off or down to advisory carries the same accountability. Both live
 * in the policy's own entry of the policy-pack configuration, so that `pulumi preview
 * --policy-pack-config` carries them exactly as the tool does:
 *
 *   "intercom-pan-redaction": {
 *     "exceptions": [{ "workspace": "ab12cd34", "resource": "legacy-redaction", "justification": "…",
 *                      "owner": "alice@example.com", "approver": "bob@example.com", "ticket": "SEC-12",
 *                      "expires": "2027-01-15" }]
 *   },
 *   "intercom-ip-allowlist": { "enforcementLevel": "advisory", "justification": "…", "owner": "…",
 *                              "approver": "…", "expires": "2027-01-31" }
 *
 * Pure: usable inside the pack (Configure, each policy's evaluation) and outside Pulumi.
 */
import { z } from "zod";
import { isoDatePattern, isValidIsoDate } from "./fields";
import type { Criticality, EnforcementLevel } from "./policy";

/** The policy whose `maxExceptionDays` argument bounds how far ahead any expiry may be. */
export const exceptionsPolicyName = "intercom-policy-exceptions";
export const defaultMaxExceptionDays = 90;
/** However it is configured, no accepted risk runs for more than a year without being renewed. */
export const hardMaxExceptionDays = 365;
export const minJustificationLength = 10;

/** The keys of a policy's configuration entry that are governance, not the policy's own arguments. */
export const governanceKeys = ["exceptions", "justification", "owner", "approver", "ticket", "expires"] as const;
export type GovernanceKey = (typeof governanceKeys)[number];

/**
 * What a reader sees of a text: NFKC form without whitespace, control, format (zero-width, bidi) or
 * other invisible characters, so that neither padding nor invisible characters count.
 */
function visible(text: string): string {
  return text.normalize("NFKC").replace(/[\s\p{C}\p{Default_Ignorable_Code_Point}]/gu, "");
}

const nonBlank = z.string().refine((s) => visible(s).length > 0, { message: "a non-blank string" });

const accountabilityShape = {
  justification: z.string().refine((s) => visible(s).length >= minJustificationLength, {
    message: `a justification of at least ${minJustificationLength} characters`,
  }),
  owner: nonBlank,
  approver: nonBlank,
  ticket: nonBlank.optional(),
  expires: z.string().refine(isValidIsoDate, { message: "an ISO 8601 date, e.g. 2027-01-31" }),
};

/** Who accepted a risk, why, and until when. */
export interface Accountability {
  readonly justification: string;
  readonly owner: string;
  readonly approver: string;
  readonly ticket?: string;
  /** ISO date (through the end of that day, UTC) or date-time (until that instant). */
  readonly expires: string;
}

/**
 * Compared as people read them: Unicode-normalised, case-folded (ß as ss), ignoring whitespace and
 * invisible characters, so no spelling of one name passes for two people.
 */
function samePerson(a: string, b: string): boolean {
  const fold = (s: string) => visible(visible(s).toUpperCase().toLowerCase());
  return fold(a) === fold(b);
}

function fourEyes(value: { owner: string; approver: string }, ctx: z.RefinementCtx): void {
  if (samePerson(value.owner, value.approver)) {
    ctx.addIssue({ code: "custom", path: ["approver"], message: "the approver must be someone other than the owner" });
  }
}

export const accountabilitySchema = z.strictObject(accountabilityShape).superRefine(fourEyes);

/** One exception: the resource it covers by URN, or by workspace id and the resource's Pulumi name. */
export const policyExceptionSchema = z
  .strictObject({
    urn: nonBlank.optional(),
    workspace: nonBlank.optional(),
    resource: nonBlank.optional(),
    ...accountabilityShape,
  })
  .superRefine((value, ctx) => {
    const byName = value.workspace !== undefined || value.resource !== undefined;
    if (value.urn !== undefined && byName) {
      ctx.addIssue({ code: "custom", path: ["urn"], message: "name the resource either by urn, or by workspace and resource, not both" });
    } else if (value.urn === undefined && (value.workspace === undefined || value.resource === undefined)) {
      ctx.addIssue({ code: "custom", path: ["resource"], message: "name the resource it covers: urn, or both workspace and resource" });
    }
    fourEyes(value, ctx);
  });

export type PolicyExceptionInput = z.output<typeof policyExceptionSchema>;

export interface PolicyException extends Accountability {
  readonly urn?: string;
  readonly workspace?: string;
  readonly resource?: string;
  /** Its position in the policy's `exceptions` list, so a report can point at it. */
  readonly index: number;
}

let governanceFragments: Readonly<Record<GovernanceKey, object>> | undefined;

/**
 * The JSON Schema fragments the generated configuration schema and GetAnalyzerInfo carry. The same
 * for every policy: computed once (every policy's config schema carries them), deeply frozen so
 * that no caller can change what the others see.
 */
export function governanceJsonSchema(): Readonly<Record<GovernanceKey, object>> {
  governanceFragments ??= deepFreeze(computeGovernanceJsonSchema());
  return governanceFragments;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function computeGovernanceJsonSchema(): Record<GovernanceKey, object> {
  const { $schema: _a, ...exception } = z.toJSONSchema(policyExceptionSchema, { io: "input" }) as Record<string, unknown> & {
    properties: Record<string, object>;
  };
  // What zod's refinements check, stated for JSON Schema validators too (the Pulumi CLI's, editors').
  const shape: Record<string, object> = {
    ...exception.properties,
    justification: { type: "string", minLength: minJustificationLength },
    owner: { type: "string", minLength: 1 },
    approver: { type: "string", minLength: 1 },
    ticket: { type: "string", minLength: 1 },
    expires: { type: "string", pattern: isoDatePattern.source },
  };
  exception.properties = shape;
  return {
    exceptions: { type: "array", items: exception, description: "Exceptions: findings on one resource waived until they expire." },
    justification: { ...shape["justification"], description: "Why the policy runs below its default level (needed for a SHALL policy)." },
    owner: { ...shape["owner"], description: "Who owns the accepted risk." },
    approver: { ...shape["approver"], description: "Who approved it; not the owner." },
    ticket: { ...shape["ticket"], description: "Where it was decided (optional)." },
    expires: { ...shape["expires"], description: "Until when the lower level is accepted (ISO date, at most the maximum ahead)." },
  };
}

/** A policy's configuration entry, split into its own arguments and the governance beside them. */
export interface SplitEntry {
  readonly level: EnforcementLevel | "remediate" | undefined;
  /** The policy's own arguments (no enforcementLevel, no governance key). */
  readonly args: Record<string, unknown>;
  /** The governance keys present, as given. */
  readonly governance: Partial<Record<GovernanceKey, unknown>>;
}

export function splitEntry(entry: unknown): SplitEntry {
  if (typeof entry === "string") return { level: entry as SplitEntry["level"], args: {}, governance: {} };
  if (entry === null || typeof entry !== "object" || Array.isArray(entry)) return { level: undefined, args: {}, governance: {} };
  const args: Record<string, unknown> = {};
  const governance: Partial<Record<GovernanceKey, unknown>> = {};
  let level: SplitEntry["level"];
  for (const [key, value] of Object.entries(entry as Record<string, unknown>)) {
    if (key === "enforcementLevel") level = value as SplitEntry["level"];
    else if ((governanceKeys as readonly string[]).includes(key)) governance[key as GovernanceKey] = value;
    else Object.defineProperty(args, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return { level, args, governance };
}

const dayMs = 24 * 60 * 60 * 1000;
const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The first instant at which an expiry no longer applies: a date covers that whole day (UTC), as
 * ScubaGear's omissions do; a date-time ends at that instant.
 */
export function expiryInstant(expires: string): Date {
  return dateOnly.test(expires) ? new Date(Date.parse(`${expires}T00:00:00Z`) + dayMs) : new Date(expires);
}

export function isExpired(expires: string, now: Date): boolean {
  return now.getTime() >= expiryInstant(expires).getTime();
}

/** Whether an expiry lies further ahead than `maxDays` from now (a date counted in whole UTC days). */
export function isTooFarAhead(expires: string, now: Date, maxDays: number): boolean {
  if (dateOnly.test(expires)) {
    const today = Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
    return Date.parse(`${expires}T00:00:00Z`) > today + maxDays * dayMs;
  }
  return new Date(expires).getTime() > now.getTime() + maxDays * dayMs;
}

/** What a finding is about, for matching an exception. */
export interface WaiverTarget {
  readonly urn?: string;
  /** The resource's Pulumi name. */
  readonly name?: string;
  /** The workspace id, when it is a known plain string; a secret or unknown one matches no exception by name. */
  readonly workspaceId?: string;
}

/** Exact matches only: no patterns, no folding, so a look-alike name or URN waives nothing. */
export function exceptionCovers(exception: Pick<PolicyException, "urn" | "workspace" | "resource">, target: WaiverTarget): boolean {
  if (exception.urn !== undefined) return target.urn !== undefined && exception.urn === target.urn;
  return (
    target.name !== undefined &&
    target.workspaceId !== undefined &&
    exception.workspace === target.workspaceId &&
    exception.resource === target.name
  );
}

/**
 * The exception that waives a finding on this target now (the one running longest), or else the
 * most recently expired one that covered it, so the report can say since when it blocks again.
 */
export function exceptionFor(
  exceptions: readonly PolicyException[],
  target: WaiverTarget,
  now: Date,
): { readonly active?: PolicyException; readonly expired?: PolicyException } {
  const covering = exceptions.filter((e) => exceptionCovers(e, target));
  const byExpiry = (a: PolicyException, b: PolicyException) => expiryInstant(b.expires).getTime() - expiryInstant(a.expires).getTime();
  const active = covering.filter((e) => !isExpired(e.expires, now)).sort(byExpiry)[0];
  if (active) return { active };
  const expired = covering.sort(byExpiry)[0];
  return expired ? { expired } : {};
}

/** A policy's exceptions as configured, parsed; malformed ones are refusals (see {@link governanceRefusals}). */
export function exceptionsOf(entry: unknown): PolicyException[] {
  const listed = splitEntry(entry).governance.exceptions;
  if (!Array.isArray(listed)) return [];
  return listed.flatMap((raw, index) => {
    const parsed = policyExceptionSchema.safeParse(raw);
    return parsed.success ? [{ ...parsed.data, index }] : [];
  });
}

const levelRank: Record<string, number> = { disabled: 0, advisory: 1, mandatory: 2, remediate: 2 };

/** The policy facts governance needs. */
export interface GovernedPolicy {
  readonly name: string;
  readonly criticality: Criticality;
  /** The level the policy runs at when configuration does not set one. */
  readonly defaultLevel: EnforcementLevel;
  /** False for a policy whose findings no exception may waive (its exceptions are refused); default true. */
  readonly waivable?: boolean;
}

/**
 * The level configuration runs a policy at: its own entry's, else that of "all" (as the Pulumi CLI
 * reconciles it), else undefined (its default).
 */
export function configuredLevel(config: Readonly<Record<string, unknown>>, name: string): SplitEntry["level"] {
  return splitEntry(config[name]).level ?? splitEntry(config["all"]).level;
}

export interface GovernanceRefusal {
  readonly policy: string;
  readonly message: string;
}

/** The maximum ahead an expiry may be, as configured on {@link exceptionsPolicyName}. */
export function maxExceptionDaysOf(config: Readonly<Record<string, unknown>>): number | GovernanceRefusal {
  const value = splitEntry(config[exceptionsPolicyName]).args["maxExceptionDays"];
  if (value === undefined) return defaultMaxExceptionDays;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > hardMaxExceptionDays) {
    return {
      policy: exceptionsPolicyName,
      message: `maxExceptionDays must be a whole number of days from 1 to ${hardMaxExceptionDays}, given ${JSON.stringify(value)}.`,
    };
  }
  return value;
}

/** Whether a level runs the policy below its default (off, or advisory instead of blocking). */
export function isDowngrade(level: string | undefined, defaultLevel: EnforcementLevel): boolean {
  // Own keys only: "toString" is no level.
  if (level === undefined || !Object.hasOwn(levelRank, level)) return false;
  return (levelRank[level] as number) < (levelRank[defaultLevel] as number);
}

function issuesOf(error: z.ZodError, where: string): string[] {
  return error.issues.map((i) => {
    // zod says "Invalid input: expected string, received undefined" of a field left out.
    const message = i.code === "invalid_type" && /received undefined$/.test(i.message) ? "missing" : i.message;
    return `${where}${i.path.length > 0 ? `.${i.path.join(".")}` : ""}: ${message}`;
  });
}

/**
 * Everything about governance that makes a configuration unacceptable: a malformed exception, an
 * expiry beyond the maximum, a SHALL policy switched off or down to advisory without accountability
 * (or whose approval has expired). The pack's Configure and the tool both refuse on any.
 */
export function governanceRefusals(
  policies: readonly GovernedPolicy[],
  config: Readonly<Record<string, unknown>>,
  now: Date,
): GovernanceRefusal[] {
  const maxDays = maxExceptionDaysOf(config);
  if (typeof maxDays !== "number") return [maxDays];
  const refusals: GovernanceRefusal[] = [];
  // Every policy, not only those with an entry: "all" may set a level for them.
  for (const policy of policies) {
    const name = policy.name;
    const refuse = (message: string) => refusals.push({ policy: name, message: `${name}: ${message}` });
    const { governance } = splitEntry(config[name]);
    const level = configuredLevel(config, name);

    if (governance.exceptions !== undefined) {
      if (policy.waivable === false)
        refuse("its findings cannot be waived (a control that does not match its schema is not graded): fix the resource instead.");
      else if (!Array.isArray(governance.exceptions)) refuse("exceptions must be a list of exceptions.");
      else {
        governance.exceptions.forEach((raw, index) => {
          const parsed = policyExceptionSchema.safeParse(raw);
          if (!parsed.success) {
            for (const issue of issuesOf(parsed.error, `exceptions[${index}]`)) refuse(`malformed exception: ${issue}.`);
          } else if (isTooFarAhead(parsed.data.expires, now, maxDays)) {
            refuse(
              `exceptions[${index}] expires ${parsed.data.expires}, more than ${maxDays} days ahead (the maximum): accept the risk for a shorter time and renew it.`,
            );
          }
        });
      }
    }

    const levelFields = Object.fromEntries(Object.entries(governance).filter(([key]) => key !== "exceptions"));
    if (policy.criticality === "SHALL" && isDowngrade(level, policy.defaultLevel)) {
      const parsed = accountabilitySchema.safeParse(levelFields);
      const what = level === "disabled" ? "switched off" : `run as ${String(level)} instead of ${policy.defaultLevel}`;
      if (!parsed.success) {
        refuse(
          `a SHALL policy ${what} needs justification, owner, approver (not the owner) and expires (and optionally ticket) ` +
            `beside its enforcementLevel: ${issuesOf(parsed.error, name).join("; ")}.`,
        );
      } else if (isExpired(parsed.data.expires, now)) {
        refuse(
          `the approval to have this SHALL policy ${what} expired after ${parsed.data.expires}: renew it or restore the policy's level.`,
        );
      } else if (isTooFarAhead(parsed.data.expires, now, maxDays)) {
        refuse(
          `the approval to have this SHALL policy ${what} expires ${parsed.data.expires}, more than ${maxDays} days ahead (the maximum).`,
        );
      }
    }
  }
  return refusals;
}

/** A policy running below its default level, with the accountability given for it (if any). */
export interface LevelChange {
  readonly policy: string;
  readonly level: EnforcementLevel;
  readonly defaultLevel: EnforcementLevel;
  readonly accountability?: Accountability;
}

/** Every policy the configuration runs below its default level: the report shows each one. */
export function levelChangesOf(policies: readonly GovernedPolicy[], config: Readonly<Record<string, unknown>>): LevelChange[] {
  return policies.flatMap((policy) => {
    const { governance } = splitEntry(config[policy.name]);
    const level = configuredLevel(config, policy.name);
    if (!isDowngrade(level, policy.defaultLevel)) return [];
    const parsed = accountabilitySchema.safeParse(Object.fromEntries(Object.entries(governance).filter(([key]) => key !== "exceptions")));
    return [
      {
        policy: policy.name,
        level: level as EnforcementLevel,
        defaultLevel: policy.defaultLevel,
        ...(parsed.success ? { accountability: parsed.data } : {}),
      },
    ];
  });
}
