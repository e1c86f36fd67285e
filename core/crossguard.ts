import type {
  PolicyConfigSchema,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { z } from "zod";
import { ControlDefinition } from "./control";
import { evaluateResourcePolicy, evaluateStackPolicy, Finding, ResourceParses, schemaFindings } from "./evaluate";
import { governanceJsonSchema } from "./exceptions";
import { findingPayloadOf, withFindingPayload } from "./finding-payload";
import { AnyPolicy, frameworkNames, FrameworkMappings, PolicyMetadata } from "./policy";
import { remediateWithSdk } from "./sdk/policy-remediate";
import { secretPathsSentWith, secretsSentWith, secretTrackingInstalled } from "./sdk/policy-deserialize";
import { analyzerServiceWrapped, currentRunMode } from "./sdk/policy-server";
import { rawProperties } from "./sdk/policy-proxy";
import { StackModel, StackResource } from "./stack-model";

/** Pack-wide facts the adapter needs: the controls it knows and the clock. */
export interface PackEnvironment {
  readonly controls: readonly ControlDefinition[];
  readonly now: () => Date;
  /** The whole policy-pack configuration Configure last accepted (the SDK gives a policy only its own entry). */
  readonly packConfig?: () => Readonly<Record<string, unknown>>;
  /** Every policy of the pack, for rules about the pack's own configuration. */
  readonly policies?: readonly AnyPolicy[];
}

/**
 * JSON Schema of a policy's typed arguments and the governance beside them (exceptions, the
 * accountability for running below its default level; core/exceptions.ts), in the shape
 * CrossGuard's GetAnalyzerInfo carries. The Pulumi CLI validates each policy's configuration
 * against it, so every policy carries the governance properties.
 */
export function configSchemaOf(schema: z.ZodObject): PolicyConfigSchema {
  // Policies share argument schemas (most take none): each distinct one is converted once.
  let json = jsonSchemas.get(schema);
  if (!json) {
    json = z.toJSONSchema(schema, { io: "input" }) as ArgumentsJsonSchema;
    jsonSchemas.set(schema, json);
  }
  return {
    properties: { ...(json.properties ?? {}), ...governanceJsonSchema() } as PolicyConfigSchema["properties"],
    required: [...(json.required ?? [])],
  };
}

type ArgumentsJsonSchema = { readonly properties?: Record<string, object>; readonly required?: readonly string[] };
const jsonSchemas = new WeakMap<z.ZodObject, ArgumentsJsonSchema>();

/** Tags carry what CrossGuard has no field for: section, Health Check rows, id, framework refs. */
export function tagsOf(policy: PolicyMetadata): string[] {
  const frameworkTags = (Object.keys(policy.frameworks) as (keyof FrameworkMappings)[]).flatMap((key) =>
    (policy.frameworks[key] ?? []).map((ref) => `${key}:${ref}`),
  );
  return [
    `id:${policy.id}`,
    `section:${policy.section}`,
    ...policy.items.map((item) => `item:${item}`),
    `criticality:${policy.criticality}`,
    ...frameworkTags,
  ];
}

/**
 * What a report needs to tell Secure from not in use, which CrossGuard's policy type does not say:
 * the policy's kind (a schema policy is a resource policy to CrossGuard) and, for a stack policy,
 * the workspaces it grades (every one, those handling PHI, or the type token of the control whose
 * declaration brings it in scope); the fields a resource policy that remediates may change; and a
 * resource policy's example of a declaration that satisfies it (JSON: control name and props).
 */
export function kindTagsOf(policy: AnyPolicy): string[] {
  // A policy that remediates names the fields it may change: the tool sets it to `remediate` for --remediate.
  if (policy.kind === "resource") {
    return [
      "kind:resource",
      ...(policy.remediate ? (policy.remediates ?? []).map((field) => `remediates:${field}`) : []),
      // A declaration that satisfies the policy, as data: `explain` renders it as code.
      ...(policy.example !== undefined ? [`example:${JSON.stringify({ control: policy.control.name, props: policy.example })}`] : []),
    ];
  }
  if (policy.kind !== "stack") return [`kind:${policy.kind}`];
  return ["kind:stack", `scope:${typeof policy.scope === "string" ? policy.scope : policy.scope.typeToken}`];
}

function commonFields(policy: AnyPolicy) {
  const [primaryFramework] = (Object.keys(policy.frameworks) as (keyof FrameworkMappings)[]).filter(
    (key) => (policy.frameworks[key] ?? []).length > 0,
  );
  return {
    name: policy.name,
    displayName: policy.title,
    description: policy.description,
    enforcementLevel: policy.enforcementLevel,
    severity: policy.severity,
    configSchema: configSchemaOf(policy.configSchema as z.ZodObject),
    remediationSteps: policy.remediation.map((step, i) => `${i + 1}. ${step}`).join("\n"),
    url: policy.helpUrl,
    tags: [...tagsOf(policy), ...kindTagsOf(policy)],
    ...(primaryFramework
      ? {
          framework: {
            name: frameworkNames[primaryFramework],
            version: "",
            reference: (policy.frameworks[primaryFramework] ?? []).join(", "),
            specification: policy.rationale,
          },
        }
      : {}),
  };
}

/**
 * Whether this run is a preview, as ConfigureStack said. Only an explicit `dryRun: true` is one:
 * if the engine never said (no ConfigureStack, or a CLI too old to send dryRun, which reads as
 * false), a policy that needs a value not known yet is enforced at its own level, never passed.
 */
function isPreview(): boolean {
  return currentRunMode().dryRun === true;
}

/**
 * An adapted policy runs only in a pack started by startPolicyPack (pack/policy-pack.ts): in one
 * built as `new PolicyPack(name, policyPackArgs())`, no secret would be redacted from a message and
 * Configure would accept a SHALL policy switched off unaccounted for. Throwing fails the gRPC call,
 * so the engine fails the preview instead of running without those protections.
 */
function requirePackSeams(): void {
  if (!secretTrackingInstalled() || !analyzerServiceWrapped()) {
    throw new Error(
      "This policy runs only in a pack started by startPolicyPack; a PolicyPack constructed directly has no secret redaction and no Configure checks",
    );
  }
}

function report(findings: readonly Finding[] | undefined, reportViolation: ReportViolation, policy: AnyPolicy): void {
  for (const f of findings ?? []) {
    const payload = findingPayloadOf(f);
    if (payload === undefined) continue;
    // The status as data, always the last line (core/finding-payload.ts): composed here from the
    // finding's fields, after the (already redacted) program-derived text.
    const message = withFindingPayload(f.message, payload);
    // Pending: like the SDK's own "can't run policy during preview", advisory now, enforced at
    // update. Waived: an accepted risk is shown, never blocks. The SDK's reporter also takes a
    // violation object with its own enforcement level (its typings only declare the string form);
    // it fills in the policy's severity.
    if (f.pendingUntilUpdate || f.status === "waived") {
      (reportViolation as unknown as (violation: Record<string, string>) => void)({
        name: policy.name,
        description: policy.description,
        message: `${policy.description}\n${message}`,
        enforcementLevel: "advisory",
        ...(f.urn ? { urn: f.urn } : {}),
      });
    } else {
      reportViolation(message, f.urn);
    }
  }
}

/** What a rule may know of the whole pack: its configuration and its policies. */
function packWide(environment: PackEnvironment): { packConfig: Readonly<Record<string, unknown>>; policies: readonly AnyPolicy[] } {
  return { packConfig: environment.packConfig?.() ?? {}, policies: environment.policies ?? [] };
}

/**
 * The model the last stack policy built, with the resources it was built from and the secrets they
 * arrived with. The pack's AnalyzeStack handler (core/sdk/policy-analyzer.ts) hands every stack
 * policy of a call its own array of the same resource objects, whose props are deserialized once
 * (core/sdk/policy-deserialize.ts). A list whose
 * every resource has the same type, urn, name and raw props object, in the same order, is the same
 * stack: its model and secrets are reused whole. Any other list builds a model on the last one,
 * which still parses only resources that differ. Dropped once the call's policies have run (they
 * run one after another without yielding to I/O), so no stack outlives its call; if they ever did
 * yield, the next policy would only parse again.
 */
interface SharedStack {
  readonly controls: readonly ControlDefinition[];
  readonly resources: readonly { readonly type: string; readonly urn: string; readonly name: string; readonly props: object }[];
  readonly model: StackModel;
  readonly secrets: readonly string[];
}
let lastStack: SharedStack | undefined;
let forgetScheduled = false;

function sameStack(shared: SharedStack, resources: readonly StackResource[], controls: readonly ControlDefinition[]): boolean {
  if (shared.controls !== controls || shared.resources.length !== resources.length) return false;
  return resources.every((resource, i) => {
    const seen = shared.resources[i];
    return (
      seen !== undefined &&
      seen.type === resource.type &&
      seen.urn === resource.urn &&
      seen.name === resource.name &&
      seen.props === rawProperties(resource.props)
    );
  });
}

function sharedStack(
  resources: readonly StackResource[],
  controls: readonly ControlDefinition[],
  controlsByType: ReadonlyMap<string, ControlDefinition>,
): SharedStack {
  if (lastStack && sameStack(lastStack, resources, controls)) return lastStack;
  const model = StackModel.build(resources, controls, lastStack?.model);
  const shared: SharedStack = {
    controls,
    resources: resources.map((r) => ({ type: r.type, urn: r.urn, name: r.name, props: rawProperties(r.props) })),
    model,
    secrets: resources.flatMap((r) => secretsSentWith(r.props, controlsByType.get(r.type))),
  };
  lastStack = shared;
  if (!forgetScheduled) {
    forgetScheduled = true;
    setImmediate(() => {
      lastStack = undefined;
      forgetScheduled = false;
    });
  }
  return shared;
}

/**
 * Each Analyze request's parses: the SDK hands every policy of the call the same props object
 * behind its proxy (core/sdk/policy-deserialize.ts), so the control is parsed once per call. Held as long as
 * those props are, never beyond the request.
 */
const parsesByProps = new WeakMap<object, ResourceParses>();

function parsesFor(props: object): ResourceParses {
  let parses = parsesByProps.get(props);
  if (!parses) parsesByProps.set(props, (parses = new ResourceParses()));
  return parses;
}

export function toCrossGuardPolicy(policy: AnyPolicy, environment: PackEnvironment): ResourceValidationPolicy | StackValidationPolicy {
  if (policy.kind === "schema") {
    return { ...commonFields(policy), validateResource: schemaPolicyValidator(policy, environment) };
  }
  if (policy.kind === "stack") {
    const controlsByType = new Map(environment.controls.map((c) => [c.typeToken, c]));
    return {
      ...commonFields(policy),
      validateStack: (args, reportViolation) => {
        requirePackSeams();
        const { model, secrets } = sharedStack(args.resources, environment.controls, controlsByType);
        report(
          evaluateStackPolicy(policy, model, {
            config: args.getConfig(),
            now: environment.now(),
            secrets,
            preview: isPreview(),
            ...packWide(environment),
          }),
          reportViolation,
          policy,
        );
      },
    };
  }
  const token = policy.control.typeToken;
  const validateResource = Object.assign(
    (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      requirePackSeams();
      if (args.type !== token) return args.notApplicable(`Policy only applies to ${policy.control.name}`);
      // The values behind the SDK's proxy: unknowns are graded field by field, never read through it.
      const resource = { name: args.name, urn: args.urn, props: rawProperties(args.props as Record<string, unknown>) };
      const findings = evaluateResourcePolicy(policy, resource, {
        parses: parsesFor(resource.props),
        config: args.getConfig(),
        now: environment.now(),
        secrets: secretsSentWith(args.props, policy.control),
        sentAsSecret: secretPathsSentWith(args.props),
        preview: isPreview(),
        ...packWide(environment),
      });
      if (findings === undefined) return args.notApplicable(`Policy does not apply to this ${policy.control.name}`);
      report(findings, reportViolation, policy);
    },
    // Lets the SDK skip other types without calling in, as validateResourceOfType does.
    { __pulumiType: token },
  );
  if (!policy.remediate) return { ...commonFields(policy), validateResource };
  // Run only at the `remediate` enforcement level (configured; never a policy's default).
  const remediateResource = Object.assign(
    (args: ResourceValidationArgs) => {
      requirePackSeams();
      return args.type === token ? remediateWithSdk(policy, args, { now: environment.now(), preview: isPreview() }) : undefined;
    },
    { __pulumiType: token },
  );
  return { ...commonFields(policy), validateResource, remediateResource };
}

/** The schema policy's check: every Intercom control, whatever its kind, must match its schema. */
function schemaPolicyValidator(policy: AnyPolicy, environment: PackEnvironment): NonNullable<ResourceValidationPolicy["validateResource"]> {
  const byType = new Map(environment.controls.map((c) => [c.typeToken, c]));
  return (args, reportViolation) => {
    requirePackSeams();
    const definition = byType.get(args.type);
    if (!definition) return args.notApplicable("Not an Intercom control");
    const props = rawProperties(args.props as Record<string, unknown>);
    report(
      schemaFindings(policy.name, { name: args.name, urn: args.urn, props }, definition, secretsSentWith(args.props, definition), {
        preview: isPreview(),
        parses: parsesFor(props),
      }),
      reportViolation,
      policy,
    );
  };
}
