/**
 * The engine's side of a running Pulumi program, without the Pulumi CLI: the ResourceMonitor and Engine gRPC
 * services a language host points a program at (`--monitor`, `--engine`), served in THIS process.
 *
 * A program reaches the tool only through these services, so what {@link PreviewEngine.resources} returns is what
 * the program registered, in the engine's wire form (secrets in Pulumi's secret signature form, unknowns as the
 * unknown sentinel), as the engine records it. Nothing in the program's process can rewrite that record: the program
 * can register a resource or not, never take one back.
 *
 * Only a preview is served, as the engine serves one (pulumi/pulumi pkg/resource/deploy: source_eval.go,
 * step_generator.go, step.go, default_providers.go, providers/registry.go): a custom resource without an explicit
 * provider gets its package's default provider, registered first; a dynamic resource's inputs go through the dynamic
 * provider plugin's Check (cli/dynamic-provider.ts), then through {@link PreviewEngineOptions.beforeCreate} (the packs'
 * Remediate); then the resource is answered as a preview of a create: a URN built as the engine builds it, an ID
 * unknown until created (a provider's is the unknown sentinel), outputs = checked inputs for a custom resource (the
 * dynamic provider does not preview), none for a component until RegisterResourceOutputs. Other resource providers,
 * remote components, reads, invokes, transforms and hooks need plugins and callbacks the tool does not run: they are
 * refused with UNIMPLEMENTED (or, as for transforms, reported as unsupported features), so a program that needs them
 * fails instead of being graded on something the engine would have changed.
 */
import * as net from "net";
import type * as grpcModule from "@grpc/grpc-js";
import { engineProto, EngineService, resourceProto, ResourceMonitorService, sourceProto } from "../core/sdk/engine-proto";
import { Empty, grpc, Struct } from "../core/sdk/grpc";
import type { CapturedResource, CapturedResourceOptions, CapturedSourcePosition } from "./analyzer-client";
import { CheckFailedError, checkedWithoutCheckMethod, DynamicProvider, SpawnedDynamicProvider } from "./dynamic-provider";
import { secretSignature as SECRET_SIGNATURE, signatureKey as SIGNATURE_KEY, unknownSentinel as UNKNOWN_SENTINEL } from "../core/wire-form";

export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** The URN the engine gives a resource: its stack, project, type (qualified by its parent's, below the root) and name. */
export function resourceUrn(project: string, stack: string, qualifiedType: string, name: string): string {
  return `urn:pulumi:${stack}::${project}::${qualifiedType}::${name}`;
}
/** What the engine sends for a value (here: an ID) not known during a preview. */
const PROVIDER_TYPE_PREFIX = "pulumi:providers:";
/** The package of dynamic resources, whose provider (@pulumi/pulumi's dynamic provider) is the only one a preview can stand in for. */
const DYNAMIC_PROVIDER_PACKAGE = "pulumi-nodejs";
/** The engine's key for its own provider inputs (version, download URL); never sent to a pack or a provider. */
const INTERNAL_KEY = "__internal";
/** Same limit as the engine and the SDK (400 MB): large programs exceed gRPC's 4 MB default. */
const MAX_RPC_MESSAGE_BYTES = 1024 * 1024 * 400;

/**
 * The features the SDK asks about (SupportsFeature). The engine's answers where the tool behaves as the engine does;
 * "no" where answering "yes" would commit the tool to running program callbacks (transforms, hooks), provider
 * packages (parameterization) or output values of remote components. With "no", the SDK refuses such a program with
 * its own clear error, so it fails closed.
 */
const SUPPORTED_FEATURES: ReadonlySet<string> = new Set([
  "secrets",
  "resourceReferences",
  "aliasSpecs",
  "deletedWith",
  "replaceWith",
  "replacementTrigger",
]);

export interface PreviewEngineOptions {
  project: string;
  stack: string;
  /** Stack config (fully qualified keys to string values): a default provider's inputs are its package's keys. */
  config?: Record<string, string>;
  /** Which keys of `config` are secrets. */
  secretConfigKeys?: string[];
  /**
   * Called for each resource as the engine's step generator handles it, before the resource is "created" and
   * answered: returns the inputs to go on with (the engine runs the policy packs' Remediate here and carries on with
   * the remediated inputs, which the created resource's outputs and the program then see). A rejection fails the
   * registration, as a failed Remediate fails the engine's step.
   */
  beforeCreate?: (resource: CapturedResource) => Promise<Record<string, unknown>>;
  /**
   * Where to run the dynamic provider plugin (the program's directory and environment), for its `Check` of each
   * dynamic resource, as the engine does before anything else (cli/dynamic-provider.ts). Without it, inputs are
   * taken as registered.
   */
  dynamicProvider?: { cwd: string; env: NodeJS.ProcessEnv };
}

/** An error-severity Log from the program (the SDK logs uncaught exceptions this way before exiting). */
export interface ProgramErrorLog {
  message: string;
  urn?: string;
}

type Callback = grpcModule.sendUnaryData<unknown>;
type ServiceError = Partial<grpcModule.StatusObject> & Error;

class RpcError extends Error {
  constructor(
    readonly code: grpcModule.status,
    message: string,
  ) {
    super(message);
  }
}

/** A ResourceMonitor and Engine for one preview of one program. */
export class PreviewEngine {
  private readonly registered: CapturedResource[] = [];
  private readonly urns = new Set<string>();
  /** Default providers' URNs by package and version ("<package>@<version>"), each registered once (default_providers.go). */
  private readonly defaultProviderUrns = new Map<string, string>();
  /** Per URN: settles once the resource is "created" (its Remediate done, its outputs set). */
  private readonly created = new Map<string, Promise<void>>();
  /** The dynamic provider plugin started for each provider resource (by its URN), as the engine loads one per provider. */
  private readonly dynamicProviders = new Map<string, Promise<DynamicProvider>>();
  /**
   * A provider process started with the engine, for the first provider resource that needs one: it starts while the
   * program starts (and type-checks) instead of after the program's first dynamic resource, which waits for it.
   */
  private spareDynamicProvider: SpawnedDynamicProvider | undefined;
  private readonly errorLogs: ProgramErrorLog[] = [];
  private readonly refusals: string[] = [];
  private rootUrn = "";
  private shutdownSignalled = false;
  private closed = false;

  private constructor(
    private readonly server: grpcModule.Server,
    private readonly injector: grpcModule.ConnectionInjector,
    private readonly listener: net.Server,
    /** The program's connections that are still open. */
    private readonly connections: Set<net.Socket>,
    /** The address to pass as both `--monitor` and `--engine`. */
    readonly address: string,
    private readonly options: PreviewEngineOptions,
  ) {}

  /**
   * Serves both services on one gRPC server, listening on a Unix socket at `socketPath`, or on a free TCP port of
   * 127.0.0.1 (as the engine does) without one. The tool accepts the connections itself, so that it can tell when
   * the program's have all closed (see {@link drainAndClose}).
   */
  static async start(options: PreviewEngineOptions, socketPath?: string): Promise<PreviewEngine> {
    const server = new grpc.Server({
      "grpc.max_receive_message_length": MAX_RPC_MESSAGE_BYTES,
      "grpc.max_send_message_length": MAX_RPC_MESSAGE_BYTES,
    });
    const injector = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
    const connections = new Set<net.Socket>();
    const listener = net.createServer((socket) => {
      connections.add(socket);
      socket.once("close", () => connections.delete(socket));
      // A program killed mid-request resets its connection; that ends the connection, not the tool.
      socket.on("error", () => undefined);
      injector.injectConnection(socket);
    });
    await new Promise<void>((resolve, reject) => {
      listener.once("error", reject);
      const onListening = (): void => {
        listener.off("error", reject);
        resolve();
      };
      if (socketPath) {
        listener.listen(socketPath, onListening);
      } else {
        listener.listen(0, "127.0.0.1", onListening);
      }
    });
    const bound = listener.address();
    const address = socketPath ? `unix:${socketPath}` : `127.0.0.1:${typeof bound === "object" && bound ? bound.port : 0}`;
    const engine = new PreviewEngine(server, injector, listener, connections, address, options);
    server.addService(ResourceMonitorService, engine.serviceImplementation(ResourceMonitorService, engine.monitorHandlers()));
    server.addService(EngineService, engine.serviceImplementation(EngineService, engine.engineHandlers()));
    if (options.dynamicProvider)
      engine.spareDynamicProvider = DynamicProvider.spawn({ ...options.dynamicProvider, engineAddress: address });
    return engine;
  }

  /** Every registration so far, in order (a deep copy: later registrations and callers cannot change it). */
  resources(): CapturedResource[] {
    return structuredClone(this.registered);
  }

  /** Error-severity Logs the program sent. */
  errors(): ProgramErrorLog[] {
    return this.errorLogs.map((log) => ({ ...log }));
  }

  /** Requests refused as unsupported or invalid (the program usually fails on them too; the run must). */
  refused(): string[] {
    return [...this.refusals];
  }

  /** Whether the SDK reported a normal end of the program (SignalAndWaitForShutdown, sent from `beforeExit`). */
  get finishedNormally(): boolean {
    return this.shutdownSignalled;
  }

  /**
   * Once the program has exited: takes no new connection, lets the program's open ones close (so that requests it
   * sent before exiting are still served and recorded, as the engine would act on them), then stops. Whatever is
   * still open after `graceMs` (a process the program left behind) is cut off; nothing counts after this.
   */
  async drainAndClose(graceMs: number): Promise<void> {
    if (this.closed) {
      return;
    }
    this.listener.close();
    const deadline = Date.now() + graceMs;
    while (this.connections.size > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // Requests read just before a connection closed are dispatched on later turns of the event loop.
    await new Promise((resolve) => setTimeout(resolve, 10));
    this.close();
  }

  /** Stops serving at once: nothing registered after this counts (the engine, too, ends with the program). */
  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.listener.close();
    for (const socket of this.connections) {
      socket.destroy();
    }
    this.injector.destroy();
    this.server.forceShutdown();
    for (const provider of this.dynamicProviders.values()) {
      provider.then((p) => p.close()).catch(() => undefined);
    }
    this.spareDynamicProvider?.close();
    this.spareDynamicProvider = undefined;
  }

  private monitorHandlers(): Record<string, (request: never) => unknown> {
    return {
      supportsFeature: (request: resourceProto.SupportsFeatureRequest) => {
        const response = new resourceProto.SupportsFeatureResponse();
        response.setHassupport(SUPPORTED_FEATURES.has(request.getId()));
        return response;
      },
      registerResource: (request: resourceProto.RegisterResourceRequest) => this.registerResource(request),
      registerResourceOutputs: (request: resourceProto.RegisterResourceOutputsRequest) => {
        const registered = this.registered.find((r) => r.urn === request.getUrn());
        if (!registered) {
          throw new RpcError(grpc.status.NOT_FOUND, `RegisterResourceOutputs: no resource ${request.getUrn()} was registered.`);
        }
        // The resource's outputs from now on (step_executor.go executeRegisterResourceOutputs); the root stack's are
        // its exports, which the engine finalizes before AnalyzeStack.
        registered.outputs = structuredClone((request.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>);
        return new Empty();
      },
      signalAndWaitForShutdown: () => {
        this.shutdownSignalled = true;
        return new Empty();
      },
    };
  }

  private engineHandlers(): Record<string, (request: never) => unknown> {
    return {
      log: (request: engineProto.LogRequest) => {
        if (request.getSeverity() === engineProto.LogSeverity.ERROR) {
          const urn = request.getUrn();
          this.errorLogs.push({ message: request.getMessage(), ...(urn ? { urn } : {}) });
        }
        return new Empty();
      },
      getRootResource: () => {
        const response = new engineProto.GetRootResourceResponse();
        response.setUrn(this.rootUrn);
        return response;
      },
      setRootResource: (request: engineProto.SetRootResourceRequest) => {
        this.rootUrn = request.getUrn();
        return new engineProto.SetRootResourceResponse();
      },
    };
  }

  /**
   * One handler per method of `service`: the given ones, and for every other method (whatever this @pulumi/pulumi
   * declares) an UNIMPLEMENTED that names it. Every refusal is remembered, so that the run fails even if the
   * program swallows the error. (Every method of both services is unary.)
   */
  private serviceImplementation(
    service: grpcModule.ServiceDefinition,
    handlers: Record<string, (request: never) => unknown>,
  ): grpcModule.UntypedServiceImplementation {
    const implementation: grpcModule.UntypedServiceImplementation = {};
    for (const [method, definition] of Object.entries(service)) {
      const rpcName = String(definition.path).split("/").pop() ?? method;
      const handler = handlers[method];
      implementation[method] = (call: grpcModule.ServerUnaryCall<unknown, unknown>, callback: Callback) => {
        const fail = (error: unknown): void => {
          const rpcError = error instanceof RpcError ? error : new RpcError(grpc.status.INTERNAL, errorMessage(error));
          if (rpcError.code !== grpc.status.UNAVAILABLE) {
            this.refusals.push(rpcError.message);
          }
          callback(Object.assign(new Error(rpcError.message), { code: rpcError.code, details: rpcError.message }) as ServiceError);
        };
        try {
          if (this.closed) {
            throw new RpcError(grpc.status.UNAVAILABLE, "The preview has ended.");
          }
          if (!handler) {
            throw new RpcError(
              grpc.status.UNIMPLEMENTED,
              `${rpcName} is not supported by intercom-health-check's preview engine (it runs no resource providers).`,
            );
          }
          const response = handler(call.request as never);
          if (response instanceof Promise) {
            response.then(
              (value) => (this.closed ? fail(new RpcError(grpc.status.UNAVAILABLE, "The preview has ended.")) : callback(null, value)),
              fail,
            );
          } else {
            callback(null, response);
          }
        } catch (error) {
          fail(error);
        }
      };
    }
    return implementation;
  }

  private registerResource(request: resourceProto.RegisterResourceRequest): Promise<resourceProto.RegisterResourceResponse> {
    const type = request.getType();
    const name = request.getName();
    const parent = request.getParent();
    const label = `resource '${name}' [${type}]`;
    // Type tokens are "package:module:member"; "::" and "$" would make the URN ambiguous.
    if (!type || !name || type.includes("::") || type.includes("$")) {
      throw new RpcError(grpc.status.INVALID_ARGUMENT, `RegisterResource: invalid type or name for ${label}.`);
    }
    if (request.getRemote()) {
      // The engine would call the component provider's Construct, whose children the tool never sees: refused, so
      // that the run fails instead of passing without them.
      throw new RpcError(
        grpc.status.UNIMPLEMENTED,
        `RegisterResource: ${label} is a remote (multi-language) component: its provider would construct its children, and the tool runs no resource provider, so they could not be graded.`,
      );
    }
    if (request.getTransformsList().length > 0) {
      throw new RpcError(grpc.status.UNIMPLEMENTED, `RegisterResource: ${label} has transforms, which the engine would run.`);
    }
    if (request.getPackageref()) {
      throw new RpcError(grpc.status.UNIMPLEMENTED, `RegisterResource: ${label} uses a package reference, which needs its provider.`);
    }
    if (parent && !this.urns.has(parent)) {
      throw new RpcError(grpc.status.INVALID_ARGUMENT, `RegisterResource: the parent of ${label} (${parent}) was never registered.`);
    }
    const custom = request.getCustom();
    const isProvider = custom && type.startsWith(PROVIDER_TYPE_PREFIX);
    const packageName = isProvider ? type.slice(PROVIDER_TYPE_PREFIX.length) : packageOf(type);
    if (custom && packageName !== DYNAMIC_PROVIDER_PACKAGE) {
      // The engine would run this package's provider plugin: Check (its defaults are part of what Analyze grades)
      // and, in a preview, Create (which makes computed outputs unknown). Without it, grading would be a guess.
      throw new RpcError(
        grpc.status.UNIMPLEMENTED,
        `RegisterResource: ${label} needs the '${packageName}' resource provider plugin (the engine runs its Check and its preview of Create), which the tool does not run; only dynamic resources (pulumi-nodejs) can be previewed.`,
      );
    }
    const urn = this.engineUrn(parent, type, name);
    if (this.urns.has(urn)) {
      throw new RpcError(grpc.status.ALREADY_EXISTS, `Duplicate resource URN '${urn}'; try giving it a unique name.`);
    }
    let properties = (request.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
    if (isProvider) {
      properties = withProviderVersion(properties, request.getVersion(), request.getPlugindownloadurl());
    }
    const propertyDependencies: Record<string, string[]> = {};
    for (const [property, dependencies] of request.getPropertydependenciesMap().entries()) {
      propertyDependencies[property] = dependencies.getUrnsList();
    }
    const resource: CapturedResource = {
      type,
      name,
      urn,
      properties,
      dependencies: request.getDependenciesList(),
      propertyDependencies,
      custom,
      options: capturedOptions(request),
    };
    if (parent) {
      resource.parent = parent;
    }
    const sourcePosition = capturedPosition(request.getSourceposition());
    if (sourcePosition) {
      resource.sourcePosition = sourcePosition;
    }
    const stackTrace = (request.getStacktrace()?.getFramesList() ?? []).flatMap((frame) => capturedPosition(frame.getPc()) ?? []);
    if (stackTrace.length > 0) {
      resource.stackTrace = stackTrace;
    }
    // A custom resource without an explicit provider gets its package's default provider, registered (and so
    // analysed) before it like any resource (source_eval.go, default_providers.go).
    if (custom && !isProvider && !request.getProvider() && this.defaultProviderDisabled(packageName)) {
      // default_providers.go shouldDenyRequest; the step generator then fails the resource (diag 2015).
      throw new RpcError(
        grpc.status.FAILED_PRECONDITION,
        `Default provider for '${packageName}' disabled. '${urn}' must use an explicit provider.`,
      );
    }
    const providerUrn =
      custom && !isProvider
        ? request.getProvider()
          ? providerUrnOf(request.getProvider())
          : this.defaultProvider(packageName, request.getVersion())
        : undefined;
    this.urns.add(urn);
    const record = structuredClone(resource);
    this.registered.push(record);
    return this.create(record, request.getAdditionalsecretoutputsList(), providerUrn);
  }

  /**
   * What the engine's step generator and step executor do with a registered resource in a preview: its provider is
   * created first; the packs' Remediate runs on its inputs ({@link PreviewEngineOptions.beforeCreate}); then it is
   * "created" as in a preview: a provider gets the unknown ID and its inputs (without the engine's internal ones) as
   * outputs (providers/registry.go Create); a custom resource an empty ID (unknown to the program) and, since the
   * dynamic provider does not support previews, its inputs as outputs (plugin/provider_plugin.go Create); a
   * component or the root stack no outputs until RegisterResourceOutputs.
   */
  private async create(
    record: CapturedResource,
    additionalSecretOutputs: readonly string[],
    providerUrn: string | undefined,
  ): Promise<resourceProto.RegisterResourceResponse> {
    const isProvider = record.custom === true && record.type.startsWith(PROVIDER_TYPE_PREFIX);
    const created = (async () => {
      if (providerUrn !== undefined) {
        await this.created.get(providerUrn);
        const provider = this.registered.find((r) => r.urn === providerUrn);
        if (provider) {
          record.provider = {
            type: provider.type,
            name: provider.name,
            urn: provider.urn,
            properties: structuredClone(provider.properties),
          };
          // The provider's Check comes first: what it returns is what Remediate and Analyze receive.
          record.properties = await this.checked(record, provider);
        }
      }
      if (this.options.beforeCreate) {
        record.properties = structuredClone(await this.options.beforeCreate(structuredClone(record)));
      }
      record.outputs = record.custom ? (isProvider ? withoutInternalKeys(record.properties) : structuredClone(record.properties)) : {};
    })();
    this.created.set(record.urn, created);
    await created;

    const response = new resourceProto.RegisterResourceResponse();
    response.setUrn(record.urn);
    response.setId(isProvider ? UNKNOWN_SENTINEL : "");
    response.setObject(
      Struct.fromJavaScript(record.custom ? (withSecretOutputs(record.outputs ?? {}, additionalSecretOutputs) as never) : {}),
    );
    response.setResult(resourceProto.Result.SUCCESS);
    return response;
  }

  /** Whether `pulumi:disable-default-providers` (a JSON list of packages, or "*") names the package. */
  private defaultProviderDisabled(packageName: string): boolean {
    const listed = this.options.config?.["pulumi:disable-default-providers"];
    if (listed === undefined || listed.trim() === "") return false;
    let packages: unknown;
    try {
      packages = JSON.parse(listed);
    } catch {
      throw new RpcError(grpc.status.INVALID_ARGUMENT, `Failed to parse pulumi:disable-default-providers: not a JSON list.`);
    }
    if (!Array.isArray(packages) || packages.some((p) => typeof p !== "string")) {
      throw new RpcError(grpc.status.INVALID_ARGUMENT, "pulumi:disable-default-providers must be a list of strings.");
    }
    return packages.some((p: string) => p.trim() === "*" || p.trim() === packageName);
  }

  /** The inputs after the dynamic provider's Check (as registered when no plugin is to be run). */
  private async checked(record: CapturedResource, provider: CapturedResource): Promise<Record<string, unknown>> {
    const where = this.options.dynamicProvider;
    if (!where) return record.properties;
    let plugin = this.dynamicProviders.get(provider.urn);
    if (!plugin) {
      const spawned = this.spareDynamicProvider ?? DynamicProvider.spawn({ ...where, engineAddress: this.address });
      this.spareDynamicProvider = undefined;
      plugin = spawned.configured(provider.properties);
      this.dynamicProviders.set(provider.urn, plugin);
    }
    try {
      return await (await plugin).check(record.urn, record.name, record.type, record.properties);
    } catch (error) {
      // A refusal makes the resource invalid, and the engine fails the preview (step_generator.go issueCheckErrors).
      throw new RpcError(error instanceof CheckFailedError ? grpc.status.INVALID_ARGUMENT : grpc.status.INTERNAL, errorMessage(error));
    }
  }

  /**
   * The URN of the default provider for `packageName` at `version` (the request's, or none), registering it on first
   * use as the engine does: named "default" or "default_<major>_<minor>_<patch>[_<pre>…]", without a parent, its
   * inputs the stack's config for the package plus the version (default_providers.go newRegisterDefaultProviderEvent,
   * providers/provider.go DefaultName).
   */
  private defaultProvider(packageName: string, version: string): string {
    const key = `${packageName}@${version}`;
    const known = this.defaultProviderUrns.get(key);
    if (known) return known;
    const type = `${PROVIDER_TYPE_PREFIX}${packageName}`;
    const name = defaultProviderName(version);
    const urn = this.engineUrn("", type, name);
    const secretKeys = new Set(this.options.secretConfigKeys ?? []);
    const config: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this.options.config ?? {})) {
      if (key.startsWith(`${packageName}:`)) {
        const configKey = key.slice(packageName.length + 1);
        config[configKey] = secretKeys.has(key) ? { [SIGNATURE_KEY]: SECRET_SIGNATURE, value } : value;
      }
    }
    const provider: CapturedResource = {
      type,
      name,
      urn,
      properties: withProviderVersion(config, version, ""),
      dependencies: [],
      propertyDependencies: {},
      custom: true,
      options: { protect: false, ignoreChanges: [], additionalSecretOutputs: [], aliases: [] },
    };
    this.defaultProviderUrns.set(key, urn);
    this.urns.add(urn);
    this.registered.push(provider);
    // Nobody waits for the response; a failure is recorded as a refusal (and fails the run) like any other.
    this.create(provider, [], undefined).catch((error: unknown) => this.refusals.push(errorMessage(error)));
    return urn;
  }

  /**
   * `urn:pulumi:<stack>::<project>::<qualified type>::<name>`, where the qualified type prefixes the parent's
   * qualified type (`Parent$Child`) unless the parent is the root stack, as the engine builds it.
   */
  private engineUrn(parent: string, type: string, name: string): string {
    let qualifiedType = type;
    if (parent) {
      const parentQualifiedType = parent.split("::")[2] ?? "";
      if (parentQualifiedType !== ROOT_STACK_TYPE) {
        qualifiedType = `${parentQualifiedType}$${type}`;
      }
    }
    return resourceUrn(this.options.project, this.options.stack, qualifiedType, name);
  }
}

/**
 * Resources recorded without an engine (workspace documents read by `check`) as the engine records them: each custom
 * resource without a provider gets its package's default provider ("default", no version asked for), inserted once
 * before the first resource that needs it, as {@link PreviewEngine} registers it for a program; a dynamic resource's
 * inputs are what the dynamic provider's Check returns for a provider without a `check` method (its secrets re-marked
 * per input, cli/dynamic-provider.ts), as for this package's controls.
 */
export function withDefaultProviders(resources: readonly CapturedResource[]): CapturedResource[] {
  const result: CapturedResource[] = [];
  const providers = new Map<string, CapturedResource>();
  for (const resource of resources) {
    const needsDefault = resource.custom === true && !resource.provider && !resource.type.startsWith(PROVIDER_TYPE_PREFIX);
    if (!needsDefault) {
      result.push(resource);
      continue;
    }
    const packageName = packageOf(resource.type);
    let provider = providers.get(packageName);
    if (!provider) {
      const [, stack, project] = /^urn:pulumi:([^:]*)::([^:]*)::/.exec(resource.urn) ?? [];
      const type = `${PROVIDER_TYPE_PREFIX}${packageName}`;
      provider = {
        type,
        name: "default",
        urn: `urn:pulumi:${stack ?? ""}::${project ?? ""}::${type}::default`,
        properties: {},
        outputs: {},
        dependencies: [],
        propertyDependencies: {},
        custom: true,
        options: { protect: false, ignoreChanges: [], additionalSecretOutputs: [], aliases: [] },
      };
      providers.set(packageName, provider);
      result.push(provider);
    }
    result.push({
      ...resource,
      ...(packageName === DYNAMIC_PROVIDER_PACKAGE ? { properties: checkedWithoutCheckMethod(resource.properties) } : {}),
      provider: { type: provider.type, name: provider.name, urn: provider.urn, properties: {} },
    });
  }
  return result;
}

/** The package of a type token ("package:module:member"). */
function packageOf(type: string): string {
  return type.slice(0, type.indexOf(":"));
}

/** An explicit provider is referenced as "<urn>::<id>". */
function providerUrnOf(reference: string): string {
  return reference.slice(0, reference.lastIndexOf("::"));
}

/** The version (and download URL) the engine sets on a provider's inputs (providers/registry.go SetProviderVersion). */
function withProviderVersion(properties: Record<string, unknown>, version: string, pluginDownloadUrl: string): Record<string, unknown> {
  if (!version && !pluginDownloadUrl) return properties;
  const internal = { ...(isRecord(properties[INTERNAL_KEY]) ? properties[INTERNAL_KEY] : {}) };
  if (pluginDownloadUrl) internal["pluginDownloadURL"] = pluginDownloadUrl;
  return { ...properties, [INTERNAL_KEY]: internal, ...(version ? { version } : {}) };
}

/** A provider's outputs: its inputs without the engine's `__internal` (providers/registry.go FilterProviderConfig). */
function withoutInternalKeys(properties: Record<string, unknown>): Record<string, unknown> {
  const { [INTERNAL_KEY]: _internal, ...rest } = properties;
  return structuredClone(rest);
}

/** "default", or "default_1_2_3" (with "_<identifier>" per pre-release and build identifier) for version 1.2.3. */
function defaultProviderName(version: string): string {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/.exec(version);
  if (!match) return "default";
  const [, major, minor, patch, pre, build] = match;
  const identifiers = [...(pre ? pre.split(".") : []), ...(build ? build.split(".") : [])];
  return ["default", major, minor, patch, ...identifiers].join("_");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The engine marks `additionalSecretOutputs` secret in the outputs it returns. */
function withSecretOutputs(properties: Record<string, unknown>, secretOutputs: readonly string[]): Record<string, unknown> {
  const outputs = { ...properties };
  for (const key of secretOutputs) {
    const value = outputs[key];
    const alreadySecret =
      typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIGNATURE_KEY] === SECRET_SIGNATURE;
    if (key in outputs && !alreadySecret) {
      outputs[key] = { [SIGNATURE_KEY]: SECRET_SIGNATURE, value };
    }
  }
  return outputs;
}

/** A position the SDK sent, as given; none when it names no file or no line. */
function capturedPosition(position: sourceProto.SourcePosition | undefined): CapturedSourcePosition | undefined {
  if (!position || position.getUri() === "" || position.getLine() <= 0) return undefined;
  return { uri: position.getUri(), line: position.getLine(), column: position.getColumn() };
}

function capturedOptions(request: resourceProto.RegisterResourceRequest): CapturedResourceOptions {
  const options: CapturedResourceOptions = {
    protect: request.getProtect() ?? false,
    ignoreChanges: request.getIgnorechangesList(),
    additionalSecretOutputs: request.getAdditionalsecretoutputsList(),
    // Aliases given as specs (name/type/parent) are resolved to URNs by the engine; only literal URNs are kept.
    aliases: [
      ...request.getAliasurnsList(),
      ...request
        .getAliasesList()
        .filter((a) => a.hasUrn())
        .map((a) => a.getUrn()),
    ],
  };
  if (request.getDeletebeforereplacedefined()) {
    options.deleteBeforeReplace = request.getDeletebeforereplace();
  }
  const timeouts = request.getCustomtimeouts();
  if (timeouts) {
    // The SDK sends Go duration strings ("5m"); the engine hands analyzers seconds.
    options.customTimeouts = {
      create: goDurationSeconds(timeouts.getCreate()),
      update: goDurationSeconds(timeouts.getUpdate()),
      delete: goDurationSeconds(timeouts.getDelete()),
    };
  }
  return options;
}

const DURATION_UNIT_SECONDS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

function goDurationSeconds(duration: string): number {
  let seconds = 0;
  for (const [, amount, unit] of duration.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) {
    seconds += Number(amount) * (DURATION_UNIT_SECONDS[unit ?? "s"] ?? 0);
  }
  return seconds;
}
