/**
 * The package's root export, `require("intercom-security-health-check")`: the library. Loading it
 * starts nothing (the policy pack Pulumi runs is package.json `main`, pack/index.ts, which Node
 * loads only when a directory path is required, as run-policy-pack does).
 *
 * - Resources: the typed Pulumi resources and their control definitions (also "./resources").
 * - Policies: every policy of the pack (`allPolicies`) and each by name (also "./policies").
 * - Building your own: define a policy, adapt it to CrossGuard, evaluate it, or start a pack with
 *   this pack's policies and yours (`startPolicyPack`; see examples/custom-pack).
 * - Exceptions and profiles: the accountability rules the pack enforces, and the profiles' configurations.
 * - Schemas: the JSON Schemas' names, files and contents (also "./schemas/<file>").
 */
export * from "../resources";
export { allControls } from "../resources";
export { allPolicies, findPolicy, resourcePolicies, stackPolicies } from "../policies";
export * from "./policies";

export { policyPackArgs, policyPackName, startPolicyPack } from "../pack/policy-pack";
export type { PolicyPackOptions } from "../pack/policy-pack";

export { defaultEnforcementFor, defineResourcePolicy, defineSchemaPolicy, defineStackPolicy, frameworkNames } from "../core/policy";
export type {
  AnyPolicy,
  Criticality,
  DefaultEnforcementLevel,
  EnforcementLevel,
  ErasedResourcePolicy,
  ErasedStackPolicy,
  FrameworkMappings,
  PolicyDefinition,
  PolicyMetadata,
  ResourcePolicy,
  RuleContext,
  SchemaPolicy,
  Severity,
  StackPolicy,
  StackViolation,
  TypedResourcePolicy,
  TypedStackPolicy,
} from "../core/policy";
export { toCrossGuardPolicy } from "../core/crossguard";
export type { PackEnvironment } from "../core/crossguard";
export { evaluateResourcePolicy, evaluateStackPolicy } from "../core/evaluate";
export type { EvaluationOptions, Finding, FindingStatus, ResourceUnderEvaluation } from "../core/evaluate";
export { StackModel } from "../core/stack-model";
export type { ControlInstance, InvalidControl, StackResource } from "../core/stack-model";
export { defineControl, typeTokenOf } from "../core/control";
export type { ControlDefinition, InputsOf, SettingsOf } from "../core/control";
export { controlResource } from "../core/resource";
export { mayOnlyFall, mayOnlyGrow, mayOnlyRise, mayOnlyShrink, mayOnlyTurnOn } from "../core/floors";
export {
  exceptionFor,
  exceptionsOf,
  governanceRefusals,
  levelChangesOf,
  policyExceptionSchema,
  accountabilitySchema,
} from "../core/exceptions";
export type { Accountability, LevelChange, PolicyException, WaiverTarget } from "../core/exceptions";
export { profileConfig, profileNames } from "../core/profiles";
export type { ProfileName } from "../core/profiles";
export { healthCheckSections } from "../core/health-check";
export type { HealthCheckItem, HealthCheckItemId, HealthCheckSection, SectionId } from "../core/health-check";
export { helpLinks } from "../core/help-links";
export { packClock } from "../core/clock";

export { readSchema, schemaNames, schemaPath, schemasDirectory } from "./schemas";
