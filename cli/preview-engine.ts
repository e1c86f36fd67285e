/**
 * The engine's side of a running Pulumi program, without the Pulumi CLI: the ResourceMonitor and Engine gRPC
 * services a language host points a program at (`--monitor`, `--engine`), served in THIS process.
 *
 * A program reaches the tool only through these services, so what {@link PreviewEngine.resources} returns is what
 * the program registered, in the engine's wire form (secrets in Pulumi's secret signature form, unknowns as the
 * unknown sentinel), as the engine records it. Nothing in the program's process can rewrite that record: the program
 * can register a resource or not, never take one back.
 *
 * Only a preview is served, and minimally: each RegisterResource is answered as the engine answers a resource it
 * would create (a URN built as the engine builds it, an ID unknown until created, outputs = inputs for custom
 * resources). Resource providers, reads, invokes, transforms and hooks need plugins and callbacks the tool does not
 * run: they are refused with UNIMPLEMENTED (or, as for transforms, reported as unsupported features), so a program
 * that needs them fails instead of being graded on something the engine would have changed.
 */
import * as net from "net";
import * as path from "path";
import type * as grpcModule from "@grpc/grpc-js";
import * as engineProto from "@pulumi/pulumi/proto/engine_pb";
import { EngineService } from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as resourceProto from "@pulumi/pulumi/proto/resource_pb";
import { ResourceMonitorService } from "@pulumi/pulumi/proto/resource_grpc_pb";
import type * as emptyProto from "google-protobuf/google/protobuf/empty_pb";
import type * as structProto from "google-protobuf/google/protobuf/struct_pb";
import type * as sourceProto from "@pulumi/pulumi/proto/source_pb";
import type { CapturedProvider, CapturedResource, CapturedResourceOptions, CapturedSourcePosition } from "./analyzer-client";

/** gRPC and the well-known messages must be the copies `@pulumi/pulumi`'s generated stubs use (see analyzer-client). */
const protoDir = path.dirname(require.resolve("@pulumi/pulumi/proto/resource_pb"));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [protoDir] })) as typeof grpcModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Empty } = require(require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [protoDir] })) as typeof emptyProto;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Struct } = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [protoDir] })) as typeof structProto;

export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";
/** What the engine sends for a value (here: an ID) not known during a preview. */
const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";
const PROVIDER_TYPE_PREFIX = "pulumi:providers:";
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
        if (!this.urns.has(request.getUrn())) {
          throw new RpcError(grpc.status.NOT_FOUND, `RegisterResourceOutputs: no resource ${request.getUrn()} was registered.`);
        }
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
          callback(null, handler(call.request as never));
        } catch (error) {
          const rpcError = error instanceof RpcError ? error : new RpcError(grpc.status.INTERNAL, String(error));
          if (rpcError.code !== grpc.status.UNAVAILABLE) {
            this.refusals.push(rpcError.message);
          }
          callback(Object.assign(new Error(rpcError.message), { code: rpcError.code, details: rpcError.message }) as ServiceError);
        }
      };
    }
    return implementation;
  }

  private registerResource(request: resourceProto.RegisterResourceRequest): resourceProto.RegisterResourceResponse {
    const type = request.getType();
    const name = request.getName();
    const parent = request.getParent();
    const label = `resource '${name}' [${type}]`;
    // Type tokens are "package:module:member"; "::" and "$" would make the URN ambiguous.
    if (!type || !name || type.includes("::") || type.includes("$")) {
      throw new RpcError(grpc.status.INVALID_ARGUMENT, `RegisterResource: invalid type or name for ${label}.`);
    }
    if (request.getRemote()) {
      throw new RpcError(grpc.status.UNIMPLEMENTED, `RegisterResource: ${label} is a remote component, which needs its provider.`);
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
    const urn = this.engineUrn(parent, type, name);
    if (this.urns.has(urn)) {
      throw new RpcError(grpc.status.ALREADY_EXISTS, `Duplicate resource URN '${urn}'; try giving it a unique name.`);
    }
    const properties = (request.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
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
    const provider = this.findProvider(request.getProvider());
    if (provider) {
      resource.provider = provider;
    }
    this.urns.add(urn);
    this.registered.push(structuredClone(resource));

    // As the engine answers a preview of a resource it would create: its ID is not known yet (a provider's is the
    // unknown sentinel), a custom resource's outputs are its inputs, and a component's are empty until
    // RegisterResourceOutputs.
    const response = new resourceProto.RegisterResourceResponse();
    response.setUrn(urn);
    response.setId(custom && type.startsWith(PROVIDER_TYPE_PREFIX) ? UNKNOWN_SENTINEL : "");
    response.setObject(
      Struct.fromJavaScript(custom ? (withSecretOutputs(properties, request.getAdditionalsecretoutputsList()) as never) : {}),
    );
    response.setResult(resourceProto.Result.SUCCESS);
    return response;
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
    return `urn:pulumi:${this.options.stack}::${this.options.project}::${qualifiedType}::${name}`;
  }

  /** An explicit provider is referenced as "<urn>::<id>"; default providers are the engine's, never registered. */
  private findProvider(reference: string): CapturedProvider | undefined {
    if (!reference) {
      return undefined;
    }
    const urn = reference.slice(0, reference.lastIndexOf("::"));
    const registered = this.registered.find((r) => r.urn === urn);
    return (
      registered && {
        type: registered.type,
        name: registered.name,
        urn: registered.urn,
        properties: structuredClone(registered.properties),
      }
    );
  }
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
