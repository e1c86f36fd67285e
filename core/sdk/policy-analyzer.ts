/**
 * The pack's Analyze and AnalyzeStack handlers: the policy SDK's own (`@pulumi/policy/server`
 * makeAnalyzeRpcFun and makeAnalyzeStackRpcFun), step for step, except that what the SDK builds
 * again for every policy is built once per request:
 * - AnalyzeStack: the SDK rebuilds every resource (properties, proxy, options, provider,
 *   dependencies) for every stack policy; with about 20 stack policies that was most of the pack's
 *   time and garbage on a large stack (BENCHMARKS.md). Every stack policy now gets the same objects.
 * - Analyze: a policy typed to another resource type is answered with the same not-applicable
 *   entry every time (about 50 per call), not a new one.
 *
 * Everything else is the SDK's: which policies run (the configured enforcement level, then the
 * policy's, then the pack's; `disabled` skips; `remediate` reports as `mandatory`), the
 * not-applicable fast path and reasons, the violation objects, the preview message for an unknown
 * value, the gRPC error for a policy that throws, and the response, built by the SDK's own
 * protoutil. test/engine/policy-analyzer.test.ts holds the two handlers to the same response for
 * generated requests and configurations, over gRPC.
 */
import type {
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";

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
  readonly policy: {
    isStackPolicy(p: object): boolean;
    isResourcePolicy(p: object): boolean;
    getPulumiType(f: unknown): string | undefined;
  };
  readonly protoutil: {
    makeAnalyzeResponse(ds: object[], notApplicable: object[] | undefined): unknown;
    asGrpcError(e: unknown, message?: string): unknown;
  };
  readonly analyzerProto: {
    PolicyNotApplicable: new () => { setPolicyName(name: string): void; setReason(reason: string): void };
    AnalyzeResponse: new () => AnalyzeResponseMessage;
  };
}

/** The generated AnalyzeResponse message, as far as the handler serializes it. */
interface AnalyzeResponseMessage {
  getDiagnosticsList(): object[];
  setDiagnosticsList(diagnostics: object[]): void;
  getNotApplicableList(): object[];
  setNotApplicableList(entries: object[]): void;
  serializeBinary(): Uint8Array;
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
  // Built without a stack trace: only its reason is read (see `caught`), and capturing one on every
  // call of every policy that does not apply was a measurable part of Analyze.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let declined: NotApplicable;
  try {
    declined = new NotApplicable(reason);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  throw declined;
}

type AnyPolicy = { name: string; description: string; enforcementLevel?: string; severity?: string } & Record<string, unknown>;
type Handler = (call: { request: unknown }, callback: Callback) => void;

export interface PackHandlers {
  readonly analyze: Handler;
  readonly analyzeStack: Handler;
}

/** The Analyze and AnalyzeStack gRPC handlers for the pack the SDK is serving. */
export function packHandlers(served: ServedPack, state: AnalyzerState): PackHandlers {
  const sdk = sdkModules();
  const policies = served.policies as readonly AnyPolicy[];

  function notApplicableEntry(policyName: string, reason: string | undefined): object {
    const entry = new sdk.analyzerProto.PolicyNotApplicable();
    entry.setPolicyName(policyName);
    if (reason) entry.setReason(reason);
    return entry;
  }

  /**
   * Analyze's "only applies to resources of type" entries, one per policy: the same for every call, and
   * read-only once built (the response only serializes them).
   */
  const typedElsewhere = new Map<AnyPolicy, object>();
  function typedElsewhereEntry(policy: AnyPolicy, pulumiType: string): object {
    let entry = typedElsewhere.get(policy);
    if (!entry) {
      typedElsewhere.set(policy, (entry = notApplicableEntry(policy.name, `Policy only applies to resources of type '${pulumiType}'`)));
      encodedEntries.set(entry, encodedEntry(entry));
    }
    return entry;
  }

  /**
   * A policy's `notApplicable(reason)` entry. A policy gives the same reason call after call (the pack's
   * say it is not their control, or does not apply to it): the entry for its last reason is kept, read-only
   * like those above, with its bytes, and reused only for the very same reason.
   */
  const lastDeclined = new Map<AnyPolicy, { readonly reason: string | undefined; readonly entry: object }>();
  function declinedEntry(policy: AnyPolicy, reason: string | undefined): object {
    const last = lastDeclined.get(policy);
    if (last && last.reason === reason) return last.entry;
    const entry = notApplicableEntry(policy.name, reason);
    encodedEntries.set(entry, encodedEntry(entry));
    lastDeclined.set(policy, { reason, entry });
    return entry;
  }

  /**
   * The wire bytes of the read-only entries above, as the SDK's serializer writes each in a response.
   * Encoding about 50 entries for every call with the SDK's serializer, which builds its bytes in
   * JavaScript arrays, was most of what the pack allocated per Analyze (BENCHMARKS.md).
   */
  const encodedEntries = new WeakMap<object, Uint8Array>();
  const serializeResponse = sdk.analyzerProto.AnalyzeResponse.prototype.serializeBinary;

  /** An entry's bytes as a response's `not_applicable` field: the response holding only it, serialized by the SDK. */
  function encodedEntry(entry: object): Uint8Array {
    const alone = new sdk.analyzerProto.AnalyzeResponse();
    alone.setNotApplicableList([entry]);
    return serializeResponse.call(alone);
  }

  /**
   * The response's bytes, the same as its own serializeBinary writes: the diagnostics field, then each
   * not-applicable entry in order (a repeated message field is its entries' encodings one after
   * another), the read-only entries from their bytes encoded once, any other encoded now.
   */
  function serializedResponse(response: AnalyzeResponseMessage): Uint8Array {
    const diagnostics = new sdk.analyzerProto.AnalyzeResponse();
    diagnostics.setDiagnosticsList(response.getDiagnosticsList());
    const parts = [
      serializeResponse.call(diagnostics),
      ...response.getNotApplicableList().map((e) => encodedEntries.get(e) ?? encodedEntry(e)),
    ];
    const bytes = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
    let offset = 0;
    for (const part of parts) {
      bytes.set(part, offset);
      offset += part.length;
    }
    return bytes;
  }

  /** The level the SDK runs a policy at: configured, else the policy's, else the pack's. */
  function levelOf(policy: AnyPolicy): string {
    const configured = state.policyConfig()[policy.name]?.["enforcementLevel"] as string | undefined;
    return configured || policy.enforcementLevel || served.enforcementLevel;
  }

  function configFor(policyName: string): Record<string, unknown> {
    const config = state.policyConfig()[policyName];
    if (!config) return {};
    const { enforcementLevel: _level, ...properties } = config;
    return properties;
  }

  function reporterFor(policy: AnyPolicy, enforcementLevel: string, diagnostics: object[]): ReportViolation {
    const { name: policyName, description } = policy;
    const base = { policyPackName: served.name, policyPackVersion: served.version };
    return ((message: unknown, urn?: string) => {
      // `null` too, as in the SDK: reading its fields throws, and the call fails under this policy.
      if (typeof message === "object") {
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

  /**
   * What the SDK does with an error a policy threw: an unknown value is the preview's advisory, a
   * `notApplicable` call an entry, anything else fails the call with the SDK's gRPC error.
   */
  function caught(error: unknown, policy: AnyPolicy, validator: string, diagnostics: object[], notApplicable: object[]): void {
    const policyFrom = `policy '${policy.name}' from policy pack '${served.name}@v${served.version}'`;
    if (error instanceof sdk.proxy.UnknownValueError) {
      const { [validator]: _validate, name, ...rest } = policy;
      diagnostics.push({
        policyName: name,
        policyPackName: served.name,
        policyPackVersion: served.version,
        message: `can't run ${policyFrom} during preview: ${error.message}`,
        ...rest,
        enforcementLevel: "advisory",
      });
    } else if (error instanceof NotApplicable) {
      notApplicable.push(declinedEntry(policy, error.reason));
    } else {
      throw sdk.protoutil.asGrpcError(error, `Error validating resource with ${policyFrom}`);
    }
  }

  function respond(callback: Callback, run: (diagnostics: object[], notApplicable: object[]) => Promise<void>): void {
    const diagnostics: object[] = [];
    const notApplicable: object[] = [];
    run(diagnostics, notApplicable).then(
      () => {
        const response = sdk.protoutil.makeAnalyzeResponse(diagnostics, notApplicable) as AnalyzeResponseMessage;
        // gRPC sends what serializeBinary returns: the same bytes, encoded without re-encoding the read-only entries.
        response.serializeBinary = () => serializedResponse(response);
        callback(undefined, response);
      },
      (error: unknown) => callback(error, undefined),
    );
  }

  const analyze: Handler = (call, callback) =>
    respond(callback, async (diagnostics, notApplicable) => {
      const request = call.request as ResourceRequest;
      const type = request.getType();
      for (const policy of policies) {
        let enforcementLevel = levelOf(policy);
        if (enforcementLevel === "disabled" || !sdk.policy.isResourcePolicy(policy)) continue;
        const validateResource = policy["validateResource"] as ResourceValidationPolicy["validateResource"];
        if (!validateResource) {
          notApplicable.push(notApplicableEntry(policy.name, "Policy does not implement validateResource"));
          continue;
        }
        // A violation at the remediate level is one the remediation did not fix: the SDK reports it as mandatory.
        if (enforcementLevel === "remediate") enforcementLevel = "mandatory";
        if (!Array.isArray(validateResource)) {
          const pulumiType = sdk.policy.getPulumiType(validateResource);
          if (pulumiType && type !== pulumiType) {
            notApplicable.push(typedElsewhereEntry(policy, pulumiType));
            continue;
          }
        }
        const reportViolation = reporterFor(policy, enforcementLevel, diagnostics);
        for (const validation of Array.isArray(validateResource) ? validateResource : [validateResource]) {
          try {
            // Built for each validation, as the SDK does: a policy that changes its arguments changes no other's.
            const args = resourceArgs(sdk, request, state.stackTags(), (() =>
              configFor(policy.name)) as ResourceValidationArgs["getConfig"]);
            await Promise.resolve(validation(args, reportViolation));
          } catch (error) {
            caught(error, policy, "validateResource", diagnostics, notApplicable);
          }
        }
      }
    });

  const analyzeStack: Handler = (call, callback) =>
    respond(callback, async (diagnostics, notApplicable) => {
      const resources = (call.request as StackRequest).getResourcesList();
      let built: PolicyResource[] | undefined;
      for (const policy of policies) {
        let enforcementLevel = levelOf(policy);
        if (enforcementLevel === "disabled" || !sdk.policy.isStackPolicy(policy)) continue;
        // Stack policies cannot be remediated: the SDK reports the level as mandatory.
        if (enforcementLevel === "remediate") enforcementLevel = "mandatory";
        const validateStack = policy["validateStack"] as StackValidationPolicy["validateStack"];
        const pulumiType = sdk.policy.getPulumiType(validateStack);
        if (pulumiType && !resources.some((r) => r.getType() === pulumiType)) {
          notApplicable.push(notApplicableEntry(policy.name, `Policy only applies to resources of type '${pulumiType}'`));
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
          await Promise.resolve(validateStack(args, reportViolation));
        } catch (error) {
          caught(error, policy, "validateStack", diagnostics, notApplicable);
        }
      }
    });

  return { analyze, analyzeStack };
}

/**
 * A resource policy's arguments, as the SDK builds them (makeAnalyzeRpcFun): the same properties in
 * the same order (a policy that enumerates them sees the SDK's), read from the request in the same order.
 */
function resourceArgs(
  sdk: SdkModules,
  request: ResourceRequest,
  stackTags: ReadonlyMap<string, string>,
  getConfig: ResourceValidationArgs["getConfig"],
): ResourceValidationArgs {
  const type = request.getType();
  const props = sdk.proxy.unknownCheckingProxy(sdk.deserialize.deserializeProperties(request.getProperties(), false));
  // The SDK types `asType` by the class's args here and by its outputs on a stack's resources: the same function at run time.
  const args = {
    type,
    props,
    urn: request.getUrn(),
    name: request.getName(),
    opts: resourceOptions(request),
    stackTags,
    isType: (resourceClass: unknown) => isTypeOf(sdk, type, resourceClass),
    asType: (resourceClass: unknown) => (isTypeOf(sdk, type, resourceClass) ? props : undefined),
    getConfig,
    notApplicable: throwNotApplicable,
  } as ResourceValidationArgs;
  const provider = providerResource(sdk, request);
  if (provider) args.provider = provider;
  return args;
}

/** A stack's resource as the SDK builds it (makeAnalyzeStackRpcFun), before its parent and dependencies are linked. */
function stackResourceOf(sdk: SdkModules, r: ResourceRequest): PolicyResource {
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
  return resource;
}

/** The SDK's PolicyResource objects for a request's resources, parents and dependencies linked. */
function buildResources(sdk: SdkModules, resources: readonly ResourceRequest[]): PolicyResource[] {
  const intermediates = resources.map((r) => {
    const resource = stackResourceOf(sdk, r);
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
  // As the SDK's: no class (null, undefined) throws, failing the call, and no `isInstance` answers its falsy value.
  const isInstance = (resourceClass as { isInstance?: unknown }).isInstance;
  return (isInstance && typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true) as boolean;
}
