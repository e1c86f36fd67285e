/**
 * The pack's AnalyzeStack handler: the policy SDK's own (`@pulumi/policy/server`
 * makeAnalyzeStackRpcFun), step for step, except that the stack's resources are built once per
 * request and every stack policy is handed the same resource objects. The SDK rebuilds every
 * resource (properties, proxy, options, provider, dependencies) for every stack policy; with about
 * 20 stack policies that was most of the pack's time and garbage on a large stack (BENCHMARKS.md).
 *
 * Everything else is the SDK's: which policies run (the configured enforcement level, then the
 * policy's, then the pack's; `disabled` skips; `remediate` reports as `mandatory`), the
 * not-applicable fast path and reasons, the violation objects, the preview message for an unknown
 * value, the gRPC error for a policy that throws, and the response, built by the SDK's own
 * protoutil. test/engine/sdk-analyzer.test.ts holds the two handlers to the same response for
 * generated requests and configurations.
 */
import type { PolicyResource, PolicyResourceOptions, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";

/** What the SDK's `serve` was called with: the same values its own handlers close over. */
export interface ServedPack {
  readonly name: string;
  readonly version: string;
  readonly enforcementLevel: string;
  readonly policies: readonly object[];
}

/** The state the SDK keeps from Configure and ConfigureStack, as the seam recorded it. */
export interface AnalyzerState {
  /** Per policy: its configuration properties and its `enforcementLevel`, as the SDK's configure stores them. */
  readonly policyConfig: () => Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly stackTags: () => ReadonlyMap<string, string>;
}

interface StructLike {
  toJavaScript(): unknown;
}
interface ProviderRequest {
  getType(): string;
  getUrn(): string;
  getName(): string;
  getProperties(): StructLike | undefined;
}
interface OptionsRequest {
  getProtect(): boolean;
  getIgnorechangesList(): string[];
  getAliasesList(): string[];
  getCustomtimeouts(): { getCreate(): number; getUpdate(): number; getDelete(): number } | undefined;
  getAdditionalsecretoutputsList(): string[];
  getDeletebeforereplacedefined(): boolean;
  getDeletebeforereplace(): boolean;
  getParent(): string;
}
interface ResourceRequest {
  getType(): string;
  getUrn(): string;
  getName(): string;
  getProperties(): StructLike | undefined;
  getOptions(): OptionsRequest | undefined;
  getProvider(): ProviderRequest | undefined;
  getParent(): string;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { entries(): Iterable<[string, { getUrnsList(): string[] }]> } | undefined;
}
interface StackRequest {
  getResourcesList(): ResourceRequest[];
}
type Callback = (error: unknown, response?: unknown) => void;

/** The SDK modules the handler uses, looked up through their module objects at call time. */
interface SdkModules {
  readonly deserialize: { deserializeProperties(struct: StructLike | undefined, proxySecrets: boolean): Record<string, unknown> };
  readonly proxy: { unknownCheckingProxy(target: object): Record<string, unknown>; UnknownValueError: new (...args: never[]) => Error };
  readonly policy: { isStackPolicy(p: object): boolean; getPulumiType(f: unknown): string | undefined };
  readonly protoutil: {
    makeAnalyzeResponse(ds: object[], notApplicable: object[] | undefined): unknown;
    asGrpcError(e: unknown, message?: string): unknown;
  };
  readonly analyzerProto: {
    PolicyNotApplicable: new () => { setPolicyName(name: string): void; setReason(reason: string): void };
  };
}

/* eslint-disable @typescript-eslint/no-require-imports -- the SDK's own module objects, as its server uses them */
function sdkModules(): SdkModules {
  const serverPath = require.resolve("@pulumi/policy/server");
  const fromSdk = (id: string) => require(require.resolve(id, { paths: [serverPath] }));
  return {
    deserialize: require("@pulumi/policy/deserialize"),
    proxy: require("@pulumi/policy/proxy"),
    policy: require("@pulumi/policy/policy"),
    protoutil: require("@pulumi/policy/protoutil"),
    analyzerProto: fromSdk("@pulumi/pulumi/proto/analyzer_pb"),
  };
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** A policy's `notApplicable(reason)`: the SDK's own class is private, so the handler has its own. */
class NotApplicable extends Error {
  constructor(readonly reason: string | undefined) {
    super(reason ?? "Policy does not apply");
  }
}
function throwNotApplicable(reason?: string): never {
  throw new NotApplicable(reason);
}

type StackPolicy = StackValidationPolicy & Record<string, unknown>;

/** The AnalyzeStack gRPC handler for the pack the SDK is serving. */
export function analyzeStackHandler(served: ServedPack, state: AnalyzerState): (call: { request: unknown }, callback: Callback) => void {
  const sdk = sdkModules();

  function pushNotApplicable(list: object[] | undefined, policyName: string, reason: string | undefined): object[] {
    const entry = new sdk.analyzerProto.PolicyNotApplicable();
    entry.setPolicyName(policyName);
    if (reason) entry.setReason(reason);
    const entries = list ?? [];
    entries.push(entry);
    return entries;
  }

  function configFor(policyName: string): Record<string, unknown> {
    const config = state.policyConfig()[policyName];
    if (!config) return {};
    const { enforcementLevel: _level, ...properties } = config;
    return properties;
  }

  function reporterFor(policy: StackPolicy, enforcementLevel: string, diagnostics: object[]): ReportViolation {
    const { name: policyName, description } = policy;
    const base = { policyPackName: served.name, policyPackVersion: served.version };
    return ((message: unknown, urn?: string) => {
      if (typeof message === "object" && message !== null) {
        const info = message as Record<string, string | undefined>;
        diagnostics.push({
          policyName: info["name"] || policyName,
          ...base,
          message: info["message"] || info["description"] || description,
          urn: info["urn"],
          description: info["description"] || description,
          enforcementLevel: info["enforcementLevel"] || enforcementLevel,
          severity: info["severity"] || policy.severity,
        });
        return;
      }
      diagnostics.push({
        policyName,
        ...base,
        message: message ? `${description}\n${String(message)}` : description,
        urn,
        description,
        enforcementLevel,
        severity: policy.severity,
      });
    }) as ReportViolation;
  }

  return (call, callback) => {
    void (async () => {
      const request = call.request as StackRequest;
      const resources = request.getResourcesList();
      const diagnostics: object[] = [];
      let notApplicable: object[] | undefined;
      let built: PolicyResource[] | undefined;
      try {
        for (const candidate of served.policies) {
          const policy = candidate as StackPolicy;
          const configured = state.policyConfig()[policy.name]?.["enforcementLevel"];
          let enforcementLevel = (configured as string | undefined) || policy.enforcementLevel || served.enforcementLevel;
          if (enforcementLevel === "disabled" || !sdk.policy.isStackPolicy(policy)) continue;
          // Stack policies cannot be remediated: the SDK reports the level as mandatory.
          if (enforcementLevel === "remediate") enforcementLevel = "mandatory";
          const pulumiType = sdk.policy.getPulumiType(policy.validateStack);
          if (pulumiType && !resources.some((r) => r.getType() === pulumiType)) {
            notApplicable = pushNotApplicable(notApplicable, policy.name, `Policy only applies to resources of type '${pulumiType}'`);
            continue;
          }
          const reportViolation = reporterFor(policy, enforcementLevel, diagnostics);
          try {
            // Built once, inside the first policy's try, so a request the SDK could not build
            // fails the same way, under the same policy, as in the SDK's handler.
            built ??= buildResources(sdk, resources);
            const args: StackValidationArgs = {
              // Each policy its own array: one that sorts or filters in place cannot change what the next sees.
              resources: built.slice(),
              getConfig: (() => configFor(policy.name)) as StackValidationArgs["getConfig"],
              stackTags: state.stackTags(),
              notApplicable: throwNotApplicable,
            };
            await Promise.resolve(policy.validateStack(args, reportViolation));
          } catch (error) {
            const policyFrom = `policy '${policy.name}' from policy pack '${served.name}@v${served.version}'`;
            if (error instanceof sdk.proxy.UnknownValueError) {
              const { validateStack: _validate, name, ...rest } = policy;
              diagnostics.push({
                policyName: name,
                policyPackName: served.name,
                policyPackVersion: served.version,
                message: `can't run ${policyFrom} during preview: ${error.message}`,
                ...rest,
                enforcementLevel: "advisory",
              });
            } else if (error instanceof NotApplicable) {
              notApplicable = pushNotApplicable(notApplicable, policy.name, error.reason);
            } else {
              throw sdk.protoutil.asGrpcError(error, `Error validating resource with ${policyFrom}`);
            }
          }
        }
      } catch (error) {
        callback(error, undefined);
        return;
      }
      callback(undefined, sdk.protoutil.makeAnalyzeResponse(diagnostics, notApplicable));
    })();
  };
}

/** The SDK's PolicyResource objects for a request's resources, parents and dependencies linked. */
function buildResources(sdk: SdkModules, resources: readonly ResourceRequest[]): PolicyResource[] {
  const intermediates = resources.map((r) => {
    const type = r.getType();
    const props = sdk.proxy.unknownCheckingProxy(sdk.deserialize.deserializeProperties(r.getProperties(), false));
    const resource: PolicyResource = {
      type,
      props,
      urn: r.getUrn(),
      name: r.getName(),
      opts: resourceOptions(r),
      dependencies: [],
      propertyDependencies: {},
      isType: (resourceClass) => isTypeOf(sdk, type, resourceClass),
      asType: ((resourceClass: unknown) => (isTypeOf(sdk, type, resourceClass) ? props : undefined)) as PolicyResource["asType"],
    };
    const provider = providerResource(sdk, r);
    if (provider) resource.provider = provider;
    const propertyDependencies: Record<string, string[]> = {};
    for (const [key, urns] of r.getPropertydependenciesMap()?.entries() ?? []) propertyDependencies[key] = urns.getUrnsList();
    return { resource, parent: r.getParent(), dependencies: r.getDependenciesList(), propertyDependencies };
  });
  const byUrn = new Map(intermediates.map((i) => [i.resource.urn, i.resource]));
  for (const i of intermediates) {
    const parent = i.parent ? byUrn.get(i.parent) : undefined;
    if (parent) i.resource.parent = parent;
    i.resource.dependencies = i.dependencies.map((urn) => byUrn.get(urn)).filter((d): d is PolicyResource => d !== undefined);
    for (const [key, urns] of Object.entries(i.propertyDependencies)) {
      i.resource.propertyDependencies[key] = urns.map((urn) => byUrn.get(urn)).filter((d): d is PolicyResource => d !== undefined);
    }
  }
  return intermediates.map((i) => i.resource);
}

function resourceOptions(r: ResourceRequest): PolicyResourceOptions {
  const opts = r.getOptions();
  if (!opts) {
    // The SDK's wording: an engine that sends no options is too old for this SDK.
    throw new Error(
      "A more recent version of the Pulumi CLI is required. To upgrade, see https://www.pulumi.com/docs/get-started/install/",
    );
  }
  const timeouts = opts.getCustomtimeouts();
  const result: PolicyResourceOptions = {
    protect: opts.getProtect(),
    ignoreChanges: opts.getIgnorechangesList(),
    aliases: opts.getAliasesList(),
    customTimeouts: {
      createSeconds: timeouts?.getCreate() ?? 0.0,
      updateSeconds: timeouts?.getUpdate() ?? 0.0,
      deleteSeconds: timeouts?.getDelete() ?? 0.0,
    },
    additionalSecretOutputs: opts.getAdditionalsecretoutputsList(),
  };
  if (opts.getDeletebeforereplacedefined()) result.deleteBeforeReplace = opts.getDeletebeforereplace();
  if (opts.getParent()) result.parent = opts.getParent();
  return result;
}

function providerResource(sdk: SdkModules, r: ResourceRequest): PolicyResource["provider"] {
  const provider = r.getProvider();
  if (!provider) return undefined;
  return {
    type: provider.getType(),
    props: sdk.proxy.unknownCheckingProxy(sdk.deserialize.deserializeProperties(provider.getProperties(), false)),
    urn: provider.getUrn(),
    name: provider.getName(),
  };
}

function isTypeOf(sdk: SdkModules, type: string, resourceClass: unknown): boolean {
  const pulumiType = sdk.policy.getPulumiType(resourceClass);
  if (pulumiType) return type === pulumiType;
  const isInstance = (resourceClass as { isInstance?: unknown } | null)?.isInstance;
  return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}
