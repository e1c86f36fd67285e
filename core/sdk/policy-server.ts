/**
 * The pack's one seam into the policy SDK's Analyzer server. `@pulumi/policy` keeps its gRPC
 * handlers private; the pack needs more of four requests than the SDK does:
 * - `Configure`: the SDK stores any per-policy configuration; the pack must refuse one that
 *   weakens a SHALL rule (a failed Configure fails `pulumi preview`, as the CLI reports it).
 * - `ConfigureStack`: the SDK reads only the stack tags; the pack needs `dryRun` to know a
 *   preview (unknowns are advisory) from an update (an unknown a SHALL rule needs blocks).
 * - `Analyze` and `AnalyzeStack`: the SDK rebuilds each resource for every policy; the pack serves
 *   them with core/sdk/policy-analyzer.ts, the SDK's handlers with each resource built once per request.
 *
 * The SDK registers its handlers with `grpc.Server#addService`; this wraps that method on the
 * grpc-js copy the SDK itself loads, before the PolicyPack starts its server. If a future SDK
 * stops registering through it, the pack refuses to start rather than run without the checks.
 */
import * as path from "path";
import { encodeAnalyzerInfo, ServedPackArgs } from "./analyzer-info-encode";
import { AnalyzerState, packHandlers, ServedPack } from "./policy-analyzer";

/** What the engine said about the run, from ConfigureStack. Undefined fields were not sent. */
export interface RunMode {
  /**
   * True during `pulumi preview`, false during `pulumi up`; undefined until ConfigureStack arrives.
   * The pack treats only `true` as a preview (core/crossguard.ts): never told, it enforces as at update.
   */
  readonly dryRun: boolean | undefined;
  readonly stack?: string;
  readonly project?: string;
  readonly organization?: string;
}

/** Validates per-policy configuration as Configure received it; throws an Error to refuse it. */
export type ConfigureCheck = (config: Record<string, Record<string, unknown>>) => void;

interface GrpcModule {
  Server: { prototype: { addService: (service: object, implementation: Record<string, unknown>) => void } };
  status: { INVALID_ARGUMENT: number; INTERNAL: number };
}

interface ConfigureStackRequest {
  getDryRun?: () => boolean;
  getStack?: () => string;
  getProject?: () => string;
  getOrganization?: () => string;
}

interface ConfigureRequest {
  getPolicyconfigMap(): {
    entries(): Iterable<[string, { getProperties(): { toJavaScript(): unknown } | undefined; getEnforcementlevel(): number }]>;
  };
}

type Callback = (error: unknown, response?: unknown) => void;
type Handler = (call: { request: unknown }, callback: Callback) => unknown;

let runMode: RunMode = { dryRun: undefined };
/** What the SDK's `serve` was called with (the pack's name, version, level and policies). */
let servedPack: ServedPack | undefined;
/** The same, as given (the whole pack arguments and initial config), for GetAnalyzerInfo. */
let servedArgs: ServedPackArgs | undefined;
/** The SDK's Configure and ConfigureStack state, recorded as the SDK stores it, once it accepted the request. */
let sdkPolicyConfig: Record<string, Record<string, unknown>> = {};
let sdkStackTags: ReadonlyMap<string, string> = new Map();
const analyzerState: AnalyzerState = { policyConfig: () => sdkPolicyConfig, stackTags: () => sdkStackTags };
const configureChecks: ConfigureCheck[] = [];
let installed = false;
let serviceSeen = false;
let serveAnalysis = true;

/** The run mode the engine announced; `dryRun` is undefined before ConfigureStack. */
export function currentRunMode(): RunMode {
  return runMode;
}

/**
 * Leaves the SDK's own Analyze and AnalyzeStack handlers in place. For the differential test only
 * (test/engine/policy-analyzer.test.ts), which holds the pack's handlers to the SDK's; call before the pack starts.
 */
export function keepSdkAnalysis(): void {
  serveAnalysis = false;
}

/** Adds a check every Configure request must pass. */
export function onConfigure(check: ConfigureCheck): void {
  configureChecks.push(check);
}

/** Whether the Analyzer service was registered through the seam (for the pack's start-up check). */
export function analyzerServiceWrapped(): boolean {
  return serviceSeen;
}

const enforcementLevels = ["advisory", "mandatory", "disabled", "remediate"] as const;

function configOf(request: ConfigureRequest): Record<string, Record<string, unknown>> {
  const config: Record<string, Record<string, unknown>> = {};
  for (const [name, policyConfig] of request.getPolicyconfigMap().entries()) {
    const properties = (policyConfig.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>;
    config[name] = { ...properties, enforcementLevel: enforcementLevels[policyConfig.getEnforcementlevel()] ?? "unknown" };
  }
  return config;
}

/** The configuration as the SDK's own configure stores it; throws where the SDK's would. */
function sdkConfigOf(
  request: ConfigureRequest,
  convertEnforcementLevel: (level: number) => string,
): Record<string, Record<string, unknown>> {
  const config: Record<string, Record<string, unknown>> = {};
  for (const [name, policyConfig] of request.getPolicyconfigMap().entries()) {
    const properties = (policyConfig.getProperties() as { toJavaScript(): unknown }).toJavaScript() as Record<string, unknown>;
    properties["enforcementLevel"] = convertEnforcementLevel(policyConfig.getEnforcementlevel());
    config[name] = properties;
  }
  return config;
}

/** Runs the SDK's handler and, when it answers without an error, records what it accepted. */
function onSuccess(callback: Callback, record: () => void): Callback {
  return (error, response) => {
    if (!error) record();
    callback(error, response);
  };
}

function grpcError(code: number, message: string): Error {
  return Object.assign(new Error(message), { code, details: message });
}

function wrapAnalyzer(grpc: GrpcModule, implementation: Record<string, unknown>): Record<string, unknown> {
  const configure = implementation["configure"] as Handler;
  const configureStack = implementation["configureStack"] as Handler;
  const getAnalyzerInfo = implementation["getAnalyzerInfo"] as Handler;
  if (!servedPack) throw new Error("The policy SDK registered its Analyzer service without going through serve: refusing to start");
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK's own conversion, as its configure uses it
  const { convertEnforcementLevel } = require("@pulumi/policy/protoutil") as { convertEnforcementLevel: (level: number) => string };
  return {
    ...implementation,
    ...(serveAnalysis ? packHandlers(servedPack, analyzerState) : {}),
    // The SDK's answer, encoded without building a message per JSON value (core/sdk/analyzer-info-encode.ts);
    // arguments that encoder does not take are answered by the SDK's handler, as before.
    getAnalyzerInfo: (call: { request: unknown }, callback: Callback) => {
      const encoded = servedArgs ? encodeAnalyzerInfo(servedArgs) : undefined;
      if (!encoded) return getAnalyzerInfo(call, callback);
      callback(null, new EncodedAnalyzerInfo(encoded));
    },
    configure: (call: { request: unknown }, callback: Callback) => {
      try {
        const config = configOf(call.request as ConfigureRequest);
        for (const check of configureChecks) check(config);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        callback(grpcError(grpc.status.INVALID_ARGUMENT, message));
        return;
      }
      let accepted: Record<string, Record<string, unknown>> | undefined;
      try {
        accepted = sdkConfigOf(call.request as ConfigureRequest, convertEnforcementLevel);
      } catch {
        accepted = undefined; // the SDK's configure fails on the same request and answers with its error
      }
      return configure(
        call,
        onSuccess(callback, () => {
          if (accepted) sdkPolicyConfig = accepted;
        }),
      );
    },
    configureStack: (call: { request: unknown }, callback: Callback) => {
      const request = call.request as ConfigureStackRequest;
      runMode = {
        dryRun: request.getDryRun?.(),
        ...(request.getStack ? { stack: request.getStack() } : {}),
        ...(request.getProject ? { project: request.getProject() } : {}),
        ...(request.getOrganization ? { organization: request.getOrganization() } : {}),
      };
      const tags = new Map<string, string>();
      (request as { getTagsMap?: () => { forEach(f: (v: string, k: string) => void): void } })
        .getTagsMap?.()
        .forEach((v, k) => tags.set(k, v));
      return configureStack(
        call,
        onSuccess(callback, () => {
          sdkStackTags = freezeMap(tags);
        }),
      );
    },
  };
}

/** A read-only view of the map, as the SDK hands stack tags to policies. */
function freezeMap(map: Map<string, string>): ReadonlyMap<string, string> {
  return Object.freeze({
    entries: map.entries.bind(map),
    forEach: map.forEach.bind(map),
    get: map.get.bind(map),
    has: map.has.bind(map),
    keys: map.keys.bind(map),
    size: map.size,
    values: map.values.bind(map),
    [Symbol.iterator]: map[Symbol.iterator].bind(map),
  }) as ReadonlyMap<string, string>;
}

/** GetAnalyzerInfo's answer already encoded: the service's serialiser sends its bytes as they are. */
class EncodedAnalyzerInfo {
  constructor(readonly bytes: Uint8Array) {}
}

type MethodDefinition = { responseSerialize: (value: unknown) => Buffer };

/** The Analyzer service definition, with GetAnalyzerInfo's serialiser taking an {@link EncodedAnalyzerInfo} too. */
function withEncodedAnalyzerInfo(service: Record<string, MethodDefinition>): Record<string, MethodDefinition> {
  const method = service["getAnalyzerInfo"];
  if (!method) return service;
  const serialize = method.responseSerialize;
  return {
    ...service,
    getAnalyzerInfo: {
      ...method,
      responseSerialize: (value: unknown) => (value instanceof EncodedAnalyzerInfo ? Buffer.from(value.bytes) : serialize(value)),
    },
  };
}

/** Installs the seam on the grpc-js the policy SDK loads. Call before `new PolicyPack`. */
export function installServerSeam(): void {
  if (installed) return;
  const sdkServer = require.resolve("@pulumi/policy/server");
  // The values the SDK's handlers close over, taken where it receives them (PolicyPack calls serve through the module object).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const serverModule = require("@pulumi/policy/server") as { serve?: (...args: unknown[]) => unknown };
  const serve = serverModule.serve;
  if (typeof serve !== "function") throw new Error("@pulumi/policy no longer exposes serve: the pack cannot serve AnalyzeStack");
  serverModule.serve = function servePack(name: unknown, version: unknown, enforcementLevel: unknown, args: unknown, ...rest: unknown[]) {
    servedArgs = { name, version, enforcementLevel, args, initialConfig: rest[0] };
    servedPack = {
      name: String(name),
      version: String(version),
      enforcementLevel: String(enforcementLevel),
      policies: (args as { policies?: object[] } | undefined)?.policies ?? [],
    };
    return serve.call(this, name, version, enforcementLevel, args, ...rest);
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK's own copy, wherever npm placed it
  const grpc = require(require.resolve("@grpc/grpc-js", { paths: [path.dirname(sdkServer)] })) as GrpcModule;
  const addService = grpc.Server.prototype.addService;
  if (typeof addService !== "function") {
    throw new Error("@grpc/grpc-js no longer has Server#addService: the pack cannot check Configure and ConfigureStack");
  }
  grpc.Server.prototype.addService = function addAnalyzerService(service: object, implementation: Record<string, unknown>) {
    const isAnalyzer = typeof implementation["configure"] === "function" && typeof implementation["configureStack"] === "function";
    if (!isAnalyzer) return addService.call(this, service, implementation);
    serviceSeen = true;
    return addService.call(this, withEncodedAnalyzerInfo(service as Record<string, MethodDefinition>), wrapAnalyzer(grpc, implementation));
  };
  installed = true;
}
