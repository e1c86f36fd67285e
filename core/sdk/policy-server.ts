/**
 * The pack's one seam into the policy SDK's Analyzer server. `@pulumi/policy` keeps its gRPC
 * handlers private and acts on two requests less than the pack must:
 * - `Configure`: the SDK stores any per-policy configuration; the pack must refuse one that
 *   weakens a SHALL rule (a failed Configure fails `pulumi preview`, as the CLI reports it).
 * - `ConfigureStack`: the SDK reads only the stack tags; the pack needs `dryRun` to know a
 *   preview (unknowns are advisory) from an update (an unknown a SHALL rule needs blocks).
 *
 * The SDK registers its handlers with `grpc.Server#addService`; this wraps that method on the
 * grpc-js copy the SDK itself loads, before the PolicyPack starts its server. If a future SDK
 * stops registering through it, the pack refuses to start rather than run without the checks.
 */
import * as path from "path";

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
const configureChecks: ConfigureCheck[] = [];
let installed = false;
let serviceSeen = false;

/** The run mode the engine announced; `dryRun` is undefined before ConfigureStack. */
export function currentRunMode(): RunMode {
  return runMode;
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

function grpcError(code: number, message: string): Error {
  return Object.assign(new Error(message), { code, details: message });
}

function wrapAnalyzer(grpc: GrpcModule, implementation: Record<string, unknown>): Record<string, unknown> {
  const configure = implementation["configure"] as Handler;
  const configureStack = implementation["configureStack"] as Handler;
  return {
    ...implementation,
    configure: (call: { request: unknown }, callback: Callback) => {
      try {
        const config = configOf(call.request as ConfigureRequest);
        for (const check of configureChecks) check(config);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        callback(grpcError(grpc.status.INVALID_ARGUMENT, message));
        return;
      }
      return configure(call, callback);
    },
    configureStack: (call: { request: unknown }, callback: Callback) => {
      const request = call.request as ConfigureStackRequest;
      runMode = {
        dryRun: request.getDryRun?.(),
        ...(request.getStack ? { stack: request.getStack() } : {}),
        ...(request.getProject ? { project: request.getProject() } : {}),
        ...(request.getOrganization ? { organization: request.getOrganization() } : {}),
      };
      return configureStack(call, callback);
    },
  };
}

/** Installs the seam on the grpc-js the policy SDK loads. Call before `new PolicyPack`. */
export function installServerSeam(): void {
  if (installed) return;
  const sdkServer = require.resolve("@pulumi/policy/server");
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
    return addService.call(this, service, wrapAnalyzer(grpc, implementation));
  };
  installed = true;
}
