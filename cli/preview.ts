import { redactSecrets, secretRedactor } from "../core/redaction";
import { everyWorkspaceCapable, governedPoliciesOfPack, remediatingPolicyNames, reportCatalogOf } from "../report/catalog";
import { allControls, workspaceControl } from "../resources";
import { buildReport, DeclaredResource, FindingException, HealthCheckReport, UnknownValues, Verdict } from "../report/model";
import { AnalyzeResult, AnalyzerDiagnostic, AnalyzerInfo, CapturedResource, PolicyConfig, PolicyPackSession } from "./analyzer-client";
import { analyzeInOrder } from "./analyze-in-order";
import { runPreview } from "./program-runner";
import { readProjectIdentity } from "./stack-config";
import { launchPreviewPack } from "./preview-pack";
import { declarationLocation } from "./user-code-location";
import { unwrapSecret } from "../core/secret-envelope";
import { secretTextsOf } from "../core/control";
import { displayPaths, findUnknownPaths, isUnknownValue } from "../core/unknowns";
import { decodeFindingPayload, isSdkCannotRunAdvisory } from "../core/finding-payload";
import { exceptionFor, exceptionsOf, expiryInstant, levelChangesOf, PolicyException, splitEntry, WaiverTarget } from "../core/exceptions";
import { settingsProps } from "../core/validation";
import { AppliedRemediation, remediateResource, remediateResources, withRemediateLevels } from "./remediate";
import type { GradedEvidence } from "./evidence";

export interface PreviewOptions {
  /** The compiled policy pack to run (default: this package). */
  readonly packDir: string;
  readonly stack: string;
  /** Per-policy configuration, as `pulumi preview --policy-pack-config` takes it. */
  readonly policyConfig?: Record<string, unknown>;
  /** Evaluate as of this moment instead of now (ISO date), for reproducible results. */
  readonly asOf?: string;
  /** Run every policy that remediates at `remediate` and grade the fixed resources (cli/remediate.ts). */
  readonly remediate?: boolean;
  /** The program's stack configuration (cli/stack-config.ts): fully qualified keys to values. */
  readonly config?: Record<string, string>;
  /** Which keys of `config` are secrets. */
  readonly secretConfigKeys?: string[];
  /** Which keys of `config` hold objects (cli/stack-config.ts), for `pulumi:tags`. */
  readonly objectConfigKeys?: string[];
  /** `--tag key=value` entries: the stack's tags the service would hold (cli/stack-config.ts stackTagsOf). */
  readonly tags?: readonly string[];
  /** The stack's organization, for the program and the pack (default "organization", as the CLI's DIY backend). */
  readonly organization?: string;
}

export interface PreviewResult {
  readonly report: HealthCheckReport;
  readonly packName: string;
  readonly packVersion: string;
  /** Every secret text the program's resources carry (see `secretTextsOf`): no output may show one. */
  readonly secrets: readonly string[];
  /** With `remediate`: each fix Remediate made, before Analyze graded the fixed resources. */
  readonly remediations?: readonly AppliedRemediation[];
  /** What the pack graded and ran with, for the run's evidence (cli/evidence.ts). */
  readonly graded?: GradedEvidence;
  /** The resources graded, as the report knows them (where each was declared included); not redacted. */
  readonly resources?: readonly DeclaredResource[];
  /** The pack's diagnostics as it reported them (not redacted), for a CLI-like display of another pack's findings. */
  readonly diagnostics?: readonly AnalyzerDiagnostic[];
}

/**
 * What `pulumi preview --policy-pack` does, without the Pulumi CLI: run the program against the
 * tool's own resource monitor (cli/program-runner.ts), then grade what it registered with the
 * pack (see {@link gradeResources}).
 */
export async function preview(
  programDir: string,
  options: PreviewOptions,
  /** The pack, when the caller started it already (launchPreviewPack with the same options); closed here. */
  launched?: Promise<PolicyPackSession>,
): Promise<PreviewResult> {
  const identity = readProjectIdentity(programDir);
  const organization = options.organization ?? "organization";
  // The pack is loaded before the program runs, so a program rewriting the pack's files on disk
  // cannot change the policies that grade it.
  const session = await (launched ?? launchPreviewPack(programDir, options));
  try {
    // The project the program's URNs are built with (Pulumi.yaml's name), as the CLI reports it.
    const project = identity.name;
    const gradeOptions: GradeOptions = { ...options, project, programDir };
    // As the engine: the pack is configured for the stack before the program runs, and each resource goes to
    // Remediate as it is registered, so that the program, Analyze and AnalyzeStack all see the remediated inputs.
    const prepared = await preparePack(session, gradeOptions);
    const remediations: AppliedRemediation[] = [];
    const asDeclared: CapturedResource[] = [];
    const declared = await runPreview(programDir, {
      stack: options.stack,
      organization,
      ...(options.config ? { config: options.config } : {}),
      ...(options.secretConfigKeys ? { secretConfigKeys: options.secretConfigKeys } : {}),
      beforeCreate: async (resource) => {
        asDeclared.push(resource);
        const result = await remediateResource(session, resource);
        remediations.push(...result.remediations);
        return result.properties;
      },
    });
    return await gradeResources(session, declared, gradeOptions, { prepared, remediations, asDeclared });
  } finally {
    await session.close();
  }
}

export interface GradeOptions extends Omit<PreviewOptions, "packDir" | "config" | "secretConfigKeys" | "objectConfigKeys"> {
  /** The Pulumi project the resources' URNs name. */
  readonly project: string;
  /** The program's directory, when a program registered the resources: where each was declared is named relative to it. */
  readonly programDir?: string;
  /**
   * Grade as a preview (the default): a value not known yet is advisory now, checked at update. False
   * (`audit --live`): nothing will be checked later, so what cannot be read is enforced at its own level.
   */
  readonly dryRun?: boolean;
}

/** The pack as configured for a run: what it reported, and the configuration it runs with. */
export interface PreparedPack {
  readonly info: AnalyzerInfo;
  readonly effective: Record<string, PolicyConfig>;
}

/** What the engine does with a launched pack before the program runs: ConfigureStack, then Configure. */
export async function preparePack(session: PolicyPackSession, options: GradeOptions): Promise<PreparedPack> {
  const info = await session.getAnalyzerInfo();
  // A session launched for its stack (preview) already has it; one launched without (check, audit --live) gets it now.
  if (!session.stack) await session.configureStack({ project: options.project, stack: options.stack, dryRun: options.dryRun ?? true });
  const policyConfig = options.remediate
    ? withRemediateLevels(options.policyConfig, remediatingPolicyNames(reportCatalogOf(info.policies), info.policies))
    : options.policyConfig;
  const effective = policyConfig ? await session.configure(policyConfig as never) : info.initialConfig;
  return { info, effective };
}

/** Resources already remediated while the program ran (see {@link preview}). */
export interface RemediatedRun {
  readonly prepared: PreparedPack;
  /** The fixes made, in the order the resources were registered. */
  readonly remediations: readonly AppliedRemediation[];
  /** Each resource as the program registered it, before Remediate. */
  readonly asDeclared: readonly CapturedResource[];
}

/**
 * Grades resources with a launched pack as the engine does during a preview: each resource
 * (Remediate, then Analyze of the remediated inputs), then the whole stack (AnalyzeStack of the
 * outputs), and turns the pack's diagnostics into the Health Check. Shared by `preview` (resources
 * a program registered, remediated as they were registered: `run`) and `check` (resources read
 * from workspace documents), so both give the same verdicts on the same resources.
 */
export async function gradeResources(
  session: PolicyPackSession,
  registered: CapturedResource[],
  options: GradeOptions,
  run?: RemediatedRun,
): Promise<PreviewResult> {
  const { info, effective } = run?.prepared ?? (await preparePack(session, options));
  // Every policy fact comes from the pack that grades the program, never from the tool's own policies/.
  const catalog = reportCatalogOf(info.policies);
  // As the engine does for every resource, whatever the levels: Remediate first (only policies at `remediate`
  // run), then every policy grades the fixed resources (step_generator.go).
  const remediated = run ? { resources: registered, remediations: [...run.remediations] } : await remediateResources(session, registered);
  const declared = run ? [...run.asDeclared] : registered;
  const resources = remediated.resources;
  const disabled = new Set(
    Object.entries(effective)
      .filter(([, config]) => config.enforcementLevel === "disabled")
      .map(([name]) => name),
  );
  const resourcePolicyNames = info.policies.filter((p) => p.policyType === "resource").map((p) => p.name);
  // What would block at update: a SHALL policy not evaluated now for an unknown value blocks then.
  const blockingPolicies = new Set(
    info.policies
      .filter((p) => {
        const level = effective[p.name]?.enforcementLevel ?? p.enforcementLevel;
        return level === "mandatory" || level === "remediate";
      })
      .map((p) => p.name),
  );

  // A remediation that could not run is an advisory violation of its policy (step_generator.go).
  const diagnostics: AnalyzerDiagnostic[] = remediated.remediations.flatMap((r) =>
    r.diagnostic === undefined
      ? []
      : [
          {
            policyName: r.policyName,
            policyPackName: info.name,
            policyPackVersion: info.version,
            description: r.description,
            message: r.diagnostic,
            enforcementLevel: "advisory" as const,
            urn: r.urn,
          },
        ],
  );
  const applied = new Set<string>();
  const analyzed = await analyzeInOrder(session, resources);
  for (const [index, resource] of resources.entries()) {
    const result = analyzed[index] as AnalyzeResult;
    diagnostics.push(...result.diagnostics.map(remediateAsMandatory));
    const skipped = new Set(result.notApplicable.map((n) => n.policyName));
    for (const name of resourcePolicyNames) if (!skipped.has(name)) applied.add(`${resource.urn} ${name}`);
  }
  diagnostics.push(...(await session.analyzeStack(resources)).map(remediateAsMandatory));

  const secrets = [...declared, ...resources].flatMap((r) => secretTextsOf(controlsByType.get(r.type), r.properties));
  // The configuration the pack runs with, in --policy-pack-config form: levels as the pack
  // reconciled them ("all" included), arguments and governance as sent.
  const configured: Record<string, unknown> = Object.fromEntries(
    Object.entries(effective).map(([name, config]) => [name, { ...config.properties, enforcementLevel: config.enforcementLevel }]),
  );
  const now = options.asOf ? new Date(options.asOf) : new Date();
  // Where the program declared each resource, as its registration (the program's own text) shows it.
  const redactPath = secretRedactor(secrets);
  const locations = new Map(
    declared.flatMap((r) => {
      const at =
        options.programDir !== undefined
          ? declarationLocation([...(r.sourcePosition ? [r.sourcePosition] : []), ...(r.stackTrace ?? [])], options.programDir)
          : undefined;
      // A file name that carries a secret text is not shown at all.
      return at && redactPath(at.path) === at.path ? [[r.urn, at] as const] : [];
    }),
  );
  const declaredResources = resources.map((resource) => {
    const at = locations.get(resource.urn);
    return { ...declaredResource(resource), ...(at ? { declaredAt: at } : {}) };
  });
  // Only the pack's Health Check policies (its catalog) end their violations with a status payload.
  const payloadPolicies = new Set(catalog.map((p) => p.name));
  const classify = verdictClassifier(configured, new Map(resources.map((r) => [r.urn, waiverTarget(r)])), now, secrets, payloadPolicies);
  const report = buildReport({
    policies: catalog,
    resources: declaredResources,
    verdicts: diagnostics.map(classify),
    applied,
    disabled,
    unknownValues: resources.flatMap(unknownValuesOf),
    blockingPolicies,
    levelChanges: levelChangesOf(governedPoliciesOfPack(catalog, info.policies), configured),
    everyWorkspacePolicies: new Set(
      everyWorkspaceCapable(catalog, info.policies)
        .filter((p) => effective[p.name]?.properties?.["everyWorkspace"] === true && effective[p.name]?.enforcementLevel !== "disabled")
        .map((p) => p.name),
    ),
    ...(options.asOf ? { asOf: options.asOf } : {}),
  });
  const graded: GradedEvidence = { resources: declared, policies: info.policies, configured };
  return {
    report,
    packName: info.name,
    packVersion: info.version,
    secrets,
    resources: declaredResources,
    // Shown with --remediate, and whenever a policy the configuration runs at `remediate` changed something.
    ...(options.remediate || remediated.remediations.length > 0 ? { remediations: remediated.remediations } : {}),
    graded,
    diagnostics,
  };
}

/**
 * A violation still reported at `remediate` after the remediations ran blocks as `mandatory`; stack
 * policies cannot remediate, so theirs are `mandatory` too (analyze_snapshot.go analyzeResource,
 * step_generator.go AnalyzeResources).
 */
function remediateAsMandatory(diagnostic: AnalyzerDiagnostic): AnalyzerDiagnostic {
  return diagnostic.enforcementLevel === "remediate" ? { ...diagnostic, enforcementLevel: "mandatory" } : diagnostic;
}

/**
 * Turns the pack's diagnostics into verdicts. The one place a finding is classified, from data
 * only: the status the pack attached as its message's last line (core/finding-payload.ts), decoded
 * before anything is redacted (the payload holds no program text, so redaction cannot change it),
 * and only from a Health Check policy of the pack (`payloadPolicies`: those its GetAnalyzerInfo
 * describes as such, report/catalog.ts), each of which ends every violation with one: another
 * pack's message may end with program text, never read as a status.
 * A diagnostic without a valid payload (another pack's policy, or a tampered payload) needs review
 * at its own level, never waived or not evaluated; the one exception is the policy SDK's own "can't
 * run policy ... during preview" advisory (see isSdkCannotRunAdvisory), which is not evaluated.
 *
 * Waived is accepted only when the payload's exception, as configured (the configuration sent to
 * the pack), still covers the resource (its URN, name or workspace), has not expired by the tool's
 * clock, has the payload's expiry, and the verdict is advisory; otherwise the finding needs review
 * and blocks if its policy is configured to. A waived finding, or one whose exception expired,
 * carries that exception's fields from the configuration, never from message text.
 */
export function verdictClassifier(
  configured: Readonly<Record<string, unknown>>,
  targets: ReadonlyMap<string, WaiverTarget>,
  now: Date,
  secrets: readonly string[],
  payloadPolicies: ReadonlySet<string>,
): (diagnostic: AnalyzerDiagnostic) => Verdict {
  const exceptionsByPolicy = new Map<string, PolicyException[]>();
  const exceptionsOfPolicy = (name: string) => {
    let listed = exceptionsByPolicy.get(name);
    if (!listed) exceptionsByPolicy.set(name, (listed = Object.hasOwn(configured, name) ? exceptionsOf(configured[name]) : []));
    return listed;
  };
  return (diagnostic) => {
    const decoded = payloadPolicies.has(diagnostic.policyName) ? decodeFindingPayload(diagnostic.message) : undefined;
    const payload = decoded?.payload;
    // The SDK prefixes the policy's description to each violation message; the report shows both apart.
    const full = decoded?.text ?? diagnostic.message;
    const prefix = `${diagnostic.description}\n`;
    const message = full.startsWith(prefix) ? full.slice(prefix.length) : full;
    const notEvaluated = payload ? payload.status === "not_evaluated" : isSdkCannotRunAdvisory(diagnostic);
    const target = targets.get(diagnostic.urn) ?? { urn: diagnostic.urn };
    const exceptions = exceptionsOfPolicy(diagnostic.policyName);
    const { active, expired } = exceptionFor(exceptions, target, now);
    const named = payload?.status === "waived" ? exceptions.find((e) => e.index === payload.exception) : undefined;
    const waiving =
      named !== undefined &&
      payload?.status === "waived" &&
      named.expires === payload.expires &&
      exceptionFor([named], target, now).active !== undefined
        ? named
        : undefined;
    const waived = waiving !== undefined && diagnostic.enforcementLevel === "advisory";
    // The pack waived it, but the exception it names does not cover it as the tool reads the
    // configuration (the clocks differ, or an expiry fell between the two): not accepted, so it
    // keeps the level its policy is configured at, as the pack would have reported it without the exception.
    const configuredLevel = Object.hasOwn(configured, diagnostic.policyName)
      ? splitEntry(configured[diagnostic.policyName]).level
      : undefined;
    const enforcementLevel =
      payload?.status === "waived" && !waived && (configuredLevel === "mandatory" || configuredLevel === "remediate")
        ? "mandatory"
        : diagnostic.enforcementLevel;
    const exception: FindingException | undefined = waived
      ? findingException(waiving)
      : !active && expired
        ? { ...findingException(expired), expiredSince: expiryInstant(expired.expires).toISOString() }
        : undefined;
    return {
      policyName: diagnostic.policyName,
      message: redactSecrets(message, secrets),
      enforcementLevel,
      urn: diagnostic.urn,
      status: notEvaluated ? "not_evaluated" : waived ? "waived" : "needs_review",
      ...(exception ? { exception } : {}),
    };
  };
}

/** What an exception may name a resource by: its URN, or its name in a workspace whose id is a plain, known string. */
export function waiverTarget(resource: CapturedResource): WaiverTarget {
  const workspaceId = unwrapSecret(resource.properties["workspaceId"]);
  const plainId = !workspaceId.secret && typeof workspaceId.value === "string" && !isUnknownValue(workspaceId.value);
  return { urn: resource.urn, name: resource.name, ...(plainId ? { workspaceId: workspaceId.value as string } : {}) };
}

function findingException(e: PolicyException): FindingException {
  return {
    index: e.index,
    ...(e.urn !== undefined ? { urn: e.urn } : {}),
    ...(e.workspace !== undefined ? { workspace: e.workspace } : {}),
    ...(e.resource !== undefined ? { resource: e.resource } : {}),
    justification: e.justification,
    owner: e.owner,
    approver: e.approver,
    ...(e.ticket !== undefined ? { ticket: e.ticket } : {}),
    expires: e.expires,
  };
}

const controlTypes = new Set(allControls.map((c) => c.typeToken));
const controlsByType = new Map(allControls.map((c) => [c.typeToken, c]));

/** Where a control's values are unknown, from the captured wire form (sentinels): paths, cut at secret paths. */
function unknownValuesOf(resource: CapturedResource): UnknownValues[] {
  const definition = controlsByType.get(resource.type);
  if (!definition) return [];
  const paths = findUnknownPaths(settingsProps(resource.properties));
  if (paths.length === 0) return [];
  return [{ urn: resource.urn, resourceName: resource.name, type: resource.type, paths: displayPaths(definition, paths) }];
}

function declaredResource(resource: CapturedResource): DeclaredResource {
  const props = resource.properties;
  const workspaceId = unwrapSecret(props["workspaceId"]);
  const plain = (key: string) => {
    const unwrapped = unwrapSecret(props[key]);
    return unwrapped.secret ? "[secret]" : unwrapped.value;
  };
  const isWorkspace = resource.type === workspaceControl.typeToken;
  const isControl = controlTypes.has(resource.type);
  const workspaceUnknown = isControl && isUnknownValue(workspaceId.value);
  return {
    urn: resource.urn,
    name: resource.name,
    type: resource.type,
    workspaceId: isControl && typeof workspaceId.value === "string" && !workspaceUnknown ? workspaceId.value : undefined,
    ...(workspaceUnknown ? { workspaceUnknown } : {}),
    ...(isWorkspace
      ? {
          workspace: {
            name: asString(plain("name")),
            securityContactEmail: asString(plain("securityContactEmail")),
            handlesPhi: plain("handlesPhi") === true,
          },
        }
      : {}),
  };
}

function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
