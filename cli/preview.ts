import * as path from "path";
import { asOfVariable } from "../core/clock";
import { redactSecrets } from "../core/redaction";
import { allPolicies } from "../policies";
import { allControls, workspaceControl } from "../resources";
import { buildReport, DeclaredResource, HealthCheckReport, UnknownValues, Verdict } from "../report/model";
import { AnalyzerDiagnostic, CapturedResource, PolicyPackSession } from "./analyzer-client";
import { runPreview } from "./program-runner";
import { unwrapSecret } from "../core/secret-envelope";
import { secretTextsOf } from "../core/control";
import { displayPaths, findUnknownPaths, isUnknownValue } from "../core/unknowns";
import { isNotEvaluatedMessage, notEvaluatedOpenings } from "../core/evaluate";
import { settingsProps } from "../core/validation";

export interface PreviewOptions {
  /** The compiled policy pack to run (default: this package). */
  readonly packDir: string;
  readonly stack: string;
  /** Per-policy configuration, as `pulumi preview --policy-pack-config` takes it. */
  readonly policyConfig?: Record<string, unknown>;
  /** Evaluate as of this moment instead of now (ISO date), for reproducible results. */
  readonly asOf?: string;
  /** The program's stack configuration (cli/stack-config.ts): fully qualified keys to values. */
  readonly config?: Record<string, string>;
  /** Which keys of `config` are secrets. */
  readonly secretConfigKeys?: string[];
}

export interface PreviewResult {
  readonly report: HealthCheckReport;
  readonly packName: string;
  readonly packVersion: string;
  /** Every secret text the program's resources carry (see `secretTextsOf`): no output may show one. */
  readonly secrets: readonly string[];
}

/**
 * What `pulumi preview --policy-pack` does, without the Pulumi CLI: run the program against the
 * tool's own resource monitor (cli/program-runner.ts), send each resource to the pack (Analyze),
 * then the whole stack (AnalyzeStack), and turn the pack's diagnostics into the Health Check.
 */
export async function preview(programDir: string, options: PreviewOptions): Promise<PreviewResult> {
  // The pack is loaded before the program runs, so a program rewriting the pack's files on disk
  // cannot change the policies that grade it.
  const session = await PolicyPackSession.launch(options.packDir, {
    env: options.asOf ? { [asOfVariable]: options.asOf } : {},
  });
  try {
    const resources = await runPreview(programDir, {
      stack: options.stack,
      ...(options.config ? { config: options.config } : {}),
      ...(options.secretConfigKeys ? { secretConfigKeys: options.secretConfigKeys } : {}),
    });
    const info = await session.getAnalyzerInfo();
    // The project the program's URNs were built with (Pulumi.yaml's name), as the CLI reports it.
    const project = resources[0]?.urn.split("::")[1] ?? path.basename(path.resolve(programDir));
    await session.configureStack({ project, stack: options.stack, dryRun: true });
    const effective = options.policyConfig ? await session.configure(options.policyConfig as never) : info.initialConfig;
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

    const diagnostics: AnalyzerDiagnostic[] = [];
    const applied = new Set<string>();
    for (const resource of resources) {
      const result = await session.analyzeDetailed(resource);
      diagnostics.push(...result.diagnostics);
      const skipped = new Set(result.notApplicable.map((n) => n.policyName));
      for (const name of resourcePolicyNames) if (!skipped.has(name)) applied.add(`${resource.urn} ${name}`);
    }
    diagnostics.push(...(await session.analyzeStack(resources)));

    const secrets = resources.flatMap((r) => secretTextsOf(controlsByType.get(r.type), r.properties));
    const report = buildReport({
      policies: allPolicies,
      resources: resources.map(declaredResource),
      verdicts: diagnostics.map((d) => toVerdict(d, secrets)),
      applied,
      disabled,
      unknownValues: resources.flatMap(unknownValuesOf),
      blockingPolicies,
    });
    return { report, packName: info.name, packVersion: info.version, secrets };
  } finally {
    await session.close();
  }
}

function toVerdict(diagnostic: AnalyzerDiagnostic, secrets: readonly string[]): Verdict {
  // The SDK prefixes the policy's description to each violation message; the report shows both apart.
  const prefix = `${diagnostic.description}\n`;
  const message = diagnostic.message.startsWith(prefix) ? diagnostic.message.slice(prefix.length) : diagnostic.message;
  // Classified before redaction: what redaction hides cannot change a verdict's status.
  const notEvaluated = isNotEvaluatedMessage(message);
  const opening = notEvaluated ? notEvaluatedOpenings.find((o) => message.startsWith(o)) ?? "" : "";
  return {
    policyName: diagnostic.policyName,
    message: opening + redactSecrets(message.slice(opening.length), secrets),
    enforcementLevel: diagnostic.enforcementLevel,
    urn: diagnostic.urn,
    status: notEvaluated ? "not_evaluated" : "needs_review",
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
