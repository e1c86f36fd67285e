import { z } from "zod";
import { ControlDefinition } from "./control";
import type { GovernedPolicy } from "./exceptions";
import { floorOf } from "./floors";
import { findItem, HealthCheckItemId, SectionId } from "./health-check";
import { assertAllowedHelpUrl } from "./links";
import type { StackModel } from "./stack-model";

export type Severity = "low" | "medium" | "high" | "critical";
/** ScubaGear's criticality: SHALL is a requirement, SHOULD a recommendation. */
export type Criticality = "SHALL" | "SHOULD";
export type EnforcementLevel = "advisory" | "mandatory" | "disabled";
/** The level a policy runs at when configuration says nothing: it blocks, or it reports. */
export type DefaultEnforcementLevel = "advisory" | "mandatory";

/** Control references in the frameworks auditors map this project to. */
export interface FrameworkMappings {
  readonly soc2?: readonly string[];
  readonly hipaa?: readonly string[];
  readonly iso27001?: readonly string[];
  readonly pciDss?: readonly string[];
  /** NIST SP 800-53 Rev. 5 controls and enhancements, e.g. "IA-2(1)"; only where the mapping is sound. */
  readonly nist80053?: readonly string[];
}

export const frameworkNames: Record<keyof FrameworkMappings, string> = {
  soc2: "SOC 2",
  hipaa: "HIPAA Security Rule",
  iso27001: "ISO/IEC 27001:2022",
  pciDss: "PCI DSS v4.0",
  nist80053: "NIST SP 800-53 Rev. 5",
};

export interface PolicyMetadata {
  /** Stable kebab-case name beginning `intercom-`: what users configure and waive. */
  readonly name: string;
  /** Stable catalog id, e.g. "IHC.AUTH.01". */
  readonly id: string;
  readonly title: string;
  /** One sentence: what the policy requires. */
  readonly description: string;
  /** The section of its first Health Check row: derived by the define functions, never stated. */
  readonly section: SectionId;
  /** The Health Check rows this policy grades; the first is the row the policy belongs to. */
  readonly items: readonly HealthCheckItemId[];
  /** How bad a failure is: reported (SARIF, catalog), independent of whether it blocks. */
  readonly severity: Severity;
  readonly criticality: Criticality;
  /**
   * Whether the policy blocks when configuration says nothing. The define functions derive it from
   * the criticality ({@link defaultEnforcementFor}: SHALL blocks, SHOULD reports) unless the policy
   * states its own, e.g. a high-severity SHOULD policy that blocks, or a new SHALL policy that
   * reports while teams adopt it.
   */
  readonly enforcementLevel: DefaultEnforcementLevel;
  readonly rationale: string;
  readonly remediation: readonly string[];
  /** https, on an allowlisted Intercom host. */
  readonly helpUrl: string;
  readonly frameworks: FrameworkMappings;
}

/** What a rule is evaluated with: its configuration, the clock, and what it may know of the pack. */
export interface RuleContext<C> {
  readonly config: C;
  readonly now: Date;
  /**
   * Whether the value at this property path (or a parent of it) arrived as a Pulumi secret, as the
   * engine sent it. A value the program gave as a secret is not a literal written in code. Outside
   * Pulumi, or when the wire form is not known, nothing did: rules fail closed.
   */
  readonly sentAsSecret: (path: readonly (string | number)[]) => boolean;
  /**
   * The whole policy-pack configuration (policy name to its entry), as Configure received it; the
   * SDK gives a policy only its own entry. Empty when none was given (outside the pack, say).
   */
  readonly packConfig: Readonly<Record<string, unknown>>;
  /** Every policy of the pack, for rules about the pack's own configuration; empty when not given. */
  readonly policies: readonly AnyPolicy[];
}

type AnyConfigSchema = z.ZodObject;
type EmptyConfig = z.ZodObject<Record<string, never>>;

/** A resource policy as its file defines it, typed by its control's schema S and its arguments' schema C. */
export interface TypedResourcePolicy<S extends z.ZodObject, C extends AnyConfigSchema = AnyConfigSchema> extends PolicyMetadata {
  readonly kind: "resource";
  readonly control: ControlDefinition<S>;
  /**
   * Typed per-policy arguments; every field has a default. A SHALL policy declares each with a
   * floor (core/floors.ts: mayOnlyRise, mayOnlyFall, mayOnlyGrow, mayOnlyShrink), so that
   * configuration can only tighten it; a SHOULD policy's arguments take none.
   */
  readonly configSchema: C;
  /** Instances this policy does not grade (e.g. a web-only rule and an iOS control). */
  readonly appliesTo?: (settings: z.output<S>) => boolean;
  /**
   * List fields whose entries the check judges independently: an entry can only add violations,
   * never remove one (a wildcard domain is unsafe whatever else is listed; a union only grows).
   * When the check reads an entry not known yet, the known entries are graded alone too, so an
   * unknown entry cannot hide a known unsafe one (core/evaluate.ts). Declare a field only if
   * every violation on a subset of its entries is a violation on the whole list.
   */
  readonly independentEntries?: readonly (keyof z.output<S> & string)[];
  /** Pure: one message per problem; none means Secure. Messages never include secret values. */
  readonly check: (settings: z.output<S>, context: RuleContext<z.output<C>>) => string[];
  /**
   * Pure: for Pulumi's `remediate` enforcement level, only the fields to change so that a problem
   * the check reports is fixed; undefined when there is nothing to fix or the fix is not safe and
   * unambiguous. Never anything that could lock people out or change who can sign in (IP
   * allowlists, SSO or 2FA requirements, identity verification, session length, trusted domains).
   * The adapter (core/remediation.ts) applies it only to fully known, schema-valid settings, only
   * to the fields declared in `remediates`, and only if the check then reports fewer problems and
   * no new one.
   */
  readonly remediate?: (settings: z.output<S>, context: RuleContext<z.output<C>>) => Partial<z.output<S>> | undefined;
  /** The only fields `remediate` may change. */
  readonly remediates?: readonly (keyof z.output<S> & string)[];
  /**
   * A declaration of the control that satisfies this policy (its props, as a program gives them):
   * `explain` shows it as code. No secret, nothing date-dependent; test/engine/policy-examples.test.ts
   * proves it passes through the pack.
   */
  readonly example?: z.input<S>;
}

export interface StackViolation {
  readonly message: string;
  /** The resource the violation is about; the report files it under that resource's workspace. */
  readonly urn: string;
}

/** A stack policy as its file defines it, typed by its arguments' schema C. */
export interface TypedStackPolicy<C extends AnyConfigSchema> extends PolicyMetadata {
  readonly kind: "stack";
  /** Controls the policy reads; an instance of one of them that fails its schema is reported, not skipped. */
  readonly reads: readonly ControlDefinition[];
  /**
   * Which workspaces the policy grades, so a report can tell Secure from not in use: every
   * workspace, those handling PHI, or those declaring a given control.
   */
  readonly scope: "every-workspace" | "phi-workspaces" | ControlDefinition;
  /** As for a resource policy: a SHALL policy's arguments each have a floor. */
  readonly configSchema: C;
  readonly check: (stack: StackModel, context: RuleContext<z.output<C>>) => StackViolation[];
}

/** Applies to every Intercom control: its props must match the control's schema. */
export interface SchemaPolicy extends PolicyMetadata {
  readonly kind: "schema";
  readonly configSchema: EmptyConfig;
}

/*
 * The pack's lists hold policies of many controls and arguments, their types erased. The erased
 * types are variance-safe: a rule's settings and arguments are `never` there, so every typed policy
 * is one without a cast (a function taking specific settings is a function taking `never`), and an
 * erased rule can only be called by code that parsed what it passes with the policy's own schemas
 * and says so with `as never` (core/evaluate.ts, core/remediation.ts). Everything else reads as
 * typed (metadata, control, schemas), or wider (field names as strings, an example as a record).
 */

/** Any resource policy, its control's and arguments' types erased. */
export interface ErasedResourcePolicy extends PolicyMetadata {
  readonly kind: "resource";
  readonly control: ControlDefinition;
  readonly configSchema: AnyConfigSchema;
  readonly appliesTo?: (settings: never) => boolean;
  readonly independentEntries?: readonly string[];
  readonly check: (settings: never, context: RuleContext<never>) => string[];
  readonly remediate?: (settings: never, context: RuleContext<never>) => Readonly<Record<string, unknown>> | undefined;
  readonly remediates?: readonly string[];
  readonly example?: Readonly<Record<string, unknown>>;
}

/** Any stack policy, its arguments' type erased. */
export interface ErasedStackPolicy extends PolicyMetadata {
  readonly kind: "stack";
  readonly reads: readonly ControlDefinition[];
  readonly scope: "every-workspace" | "phi-workspaces" | ControlDefinition;
  readonly configSchema: AnyConfigSchema;
  readonly check: (stack: StackModel, context: RuleContext<never>) => StackViolation[];
}

/** `ResourcePolicy<typeof control.schema, C>` is a typed policy; `ResourcePolicy` alone, any. */
export type ResourcePolicy<S extends z.ZodObject = never, C extends AnyConfigSchema = AnyConfigSchema> = [S] extends [never]
  ? ErasedResourcePolicy
  : TypedResourcePolicy<S, C>;

/** `StackPolicy<C>` is a typed policy; `StackPolicy` alone, any. */
export type StackPolicy<C extends AnyConfigSchema = never> = [C] extends [never] ? ErasedStackPolicy : TypedStackPolicy<C>;

export type AnyPolicy = ErasedResourcePolicy | ErasedStackPolicy | SchemaPolicy;

/** The default enforcement of a policy that states none: a requirement blocks, a recommendation reports. */
export function defaultEnforcementFor(criticality: Criticality): DefaultEnforcementLevel {
  return criticality === "SHALL" ? "mandatory" : "advisory";
}

/** What governance (core/exceptions.ts) needs of a policy: its criticality and default level. */
export function governedPolicy(policy: AnyPolicy): GovernedPolicy {
  // A control that does not match its schema is not graded: there is no known risk to accept.
  return {
    name: policy.name,
    criticality: policy.criticality,
    defaultLevel: policy.enforcementLevel,
    waivable: policy.kind !== "schema",
  };
}

const noConfig: EmptyConfig = z.strictObject({});

const severityOrder: readonly Severity[] = ["low", "medium", "high", "critical"];
export function maxSeverity(severities: readonly Severity[]): Severity {
  return severities.reduce<Severity>((a, b) => (severityOrder.indexOf(b) > severityOrder.indexOf(a) ? b : a), "low");
}

/** What a policy file states: its metadata without what follows from it (section, default level). */
export type PolicyDefinition<P extends PolicyMetadata> = Omit<P, "kind" | "section" | "enforcementLevel"> & {
  /** Only when it differs from what the criticality gives ({@link defaultEnforcementFor}). */
  readonly enforcementLevel?: DefaultEnforcementLevel;
};

/** How a policy's id is formed, when it is not `<owner>.<its section's prefix>.<two digits>` (IHC.AUTH.01). */
export interface PolicyIdRule {
  /** The policy grades a workspace that does not declare this control: its id is `IHC.DEF.<control>`. */
  readonly gradesDefaultOf?: ControlDefinition;
}

/**
 * Checks a policy's metadata and completes it with what follows from it: the section of its first
 * Health Check row (a policy graded on Intercom's defaults may also grade rows of other sections)
 * and its default enforcement. Throws, naming the policy, on anything inconsistent, so a wrong
 * policy file fails the pack at load, not a review.
 */
function completeMetadata<P extends PolicyMetadata>(
  metadata: PolicyDefinition<P>,
  idRule: PolicyIdRule,
): { section: SectionId; enforcementLevel: DefaultEnforcementLevel } {
  if (!/^intercom-[a-z0-9]+(-[a-z0-9]+)*$/.test(metadata.name)) {
    throw new Error(`Policy name "${metadata.name}" must be kebab-case and begin with "intercom-"`);
  }
  const [first] = metadata.items;
  if (first === undefined) throw new Error(`Policy ${metadata.name} grades no Health Check item`);
  metadata.items.forEach(findItem);
  const section = findItem(first).section;
  // Types keep a policy file from stating one; a copy of a defined policy ({ ...policy, name }) carries it.
  const stated: unknown = (metadata as { section?: unknown }).section;
  if (stated !== undefined && stated !== section.id) {
    throw new Error(
      `Policy ${metadata.name} states section ${String(stated)}, but its first Health Check item ${first} is in ${section.id}: leave the section out, it follows from the item`,
    );
  }
  const expectedId = idRule.gradesDefaultOf ? `IHC.DEF.${idRule.gradesDefaultOf.name}` : undefined;
  // The owner's prefix is free (IHC for this pack's, ACME for a pack of one's own); the section's is not.
  const idPattern = new RegExp(`^[A-Z][A-Z0-9]*\\.${section.idPrefix}\\.\\d{2}$`);
  if (expectedId !== undefined ? metadata.id !== expectedId : !idPattern.test(metadata.id)) {
    throw new Error(
      `Policy ${metadata.name}: id ${metadata.id} does not fit its section ${section.id} (its first item is ${first}): ` +
        `expected ${expectedId ?? `<owner>.${section.idPrefix}.<two digits>, e.g. IHC.${section.idPrefix}.01`}`,
    );
  }
  if (metadata.remediation.length === 0) throw new Error(`Policy ${metadata.name} has no remediation steps`);
  assertAllowedHelpUrl(metadata.helpUrl, metadata.name);
  const level = metadata.enforcementLevel;
  if (level !== undefined && level !== "advisory" && level !== "mandatory") {
    throw new Error(`Policy ${metadata.name}: default enforcement level ${String(level)} is neither advisory nor mandatory`);
  }
  return { section: section.id, enforcementLevel: level ?? defaultEnforcementFor(metadata.criticality) };
}

/**
 * A SHALL policy's every argument has a floor, so configuration can never switch the rule off; a
 * SHOULD policy is a recommendation whose arguments may be loosened, so none has one.
 */
function checkArgumentFloors(name: string, criticality: Criticality, configSchema: z.ZodObject): void {
  for (const [argument, schema] of Object.entries(configSchema.shape as Record<string, z.ZodType>)) {
    const floor = floorOf(schema);
    if (criticality === "SHALL" && !floor) {
      throw new Error(
        `Policy ${name} is SHALL: its argument ${argument} needs a floor (declare it with mayOnlyRise, mayOnlyFall, ` +
          `mayOnlyGrow or mayOnlyShrink from core/floors.ts, not wrapped in optional() or default()), so configuration can only tighten it`,
      );
    }
    if (criticality === "SHOULD" && floor) {
      throw new Error(`Policy ${name} is SHOULD: its arguments may be loosened, so ${argument} takes no floor`);
    }
  }
}

type Optional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

export function defineResourcePolicy<S extends z.ZodObject, C extends AnyConfigSchema = EmptyConfig>(
  policy: Optional<PolicyDefinition<TypedResourcePolicy<S, C>>, "configSchema">,
): TypedResourcePolicy<S, C> {
  const derived = completeMetadata(policy, {});
  const configSchema = (policy.configSchema ?? noConfig) as C;
  checkArgumentFloors(policy.name, policy.criticality, configSchema);
  for (const field of policy.independentEntries ?? []) {
    if (!Object.hasOwn(policy.control.schema.shape, field)) {
      throw new Error(`Policy ${policy.name}: independentEntries names ${field}, which ${policy.control.name} does not have`);
    }
  }
  if ((policy.remediate === undefined) !== ((policy.remediates ?? []).length === 0)) {
    throw new Error(`Policy ${policy.name}: a remediate function and the fields it remediates are declared together`);
  }
  for (const field of policy.remediates ?? []) {
    if (!Object.hasOwn(policy.control.schema.shape, field)) {
      throw new Error(`Policy ${policy.name}: remediates names ${field}, which ${policy.control.name} does not have`);
    }
  }
  return { ...policy, ...derived, kind: "resource", configSchema };
}

export function defineStackPolicy<C extends AnyConfigSchema = EmptyConfig>(
  policy: Optional<PolicyDefinition<TypedStackPolicy<C>>, "configSchema">,
  idRule: PolicyIdRule = {},
): TypedStackPolicy<C> {
  const derived = completeMetadata(policy, idRule);
  const configSchema = (policy.configSchema ?? noConfig) as C;
  checkArgumentFloors(policy.name, policy.criticality, configSchema);
  return { ...policy, ...derived, kind: "stack", configSchema };
}

export function defineSchemaPolicy(policy: Omit<PolicyDefinition<SchemaPolicy>, "configSchema">): SchemaPolicy {
  const derived = completeMetadata(policy, {});
  return { ...policy, ...derived, kind: "schema", configSchema: noConfig };
}
