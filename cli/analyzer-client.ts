/**
 * The engine's side of a policy pack, without the Pulumi CLI.
 *
 * `pulumi preview --policy-pack <dir>` starts the pack as
 * `node <node_modules>/@pulumi/pulumi/cmd/run-policy-pack <engine-address> <pack-dir>` (cwd = pack dir), reads the
 * port the pack prints on stdout, and talks to the pack's Analyzer gRPC server. The CLI binary cannot be installed
 * here, so {@link PolicyPackSession} does those same steps, and marshals requests the way the CLI's Go analyzer
 * client does (pkg/resource/plugin/analyzer_plugin.go), so that tests and the command-line tool see what
 * `pulumi preview` would show.
 */
import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import Ajv, { ErrorObject, ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import type * as grpcModule from "@grpc/grpc-js";
import * as yaml from "js-yaml";
import { AnalyzerClient, analyzerProto, AnalyzerService } from "../core/sdk/analyzer-proto";
import { AnalyzerInfoView, decodeAnalyzerInfo, PolicyInfoView } from "./analyzer-info";
import { Empty, grpc, Struct } from "../core/sdk/grpc";
import { resolveSdkCommand } from "../core/sdk/pulumi-commands";
import type * as structProto from "google-protobuf/google/protobuf/struct_pb";
import { goJson } from "./stack-config";
import {
  resourceReferenceSignature as RESOURCE_REFERENCE_SIGNATURE,
  signatureKey as SIGNATURE_KEY,
  unknownSentinel as UNKNOWN_STRING_SENTINEL,
} from "../core/wire-form";
import { killOnExit } from "./child-processes";

export type EnforcementLevel = "advisory" | "mandatory" | "disabled" | "remediate";
export type PolicySeverity = "low" | "medium" | "high" | "critical";

/** One resource as the engine knows it: what a program registered (see `cli/program-runner.ts`). */
export interface CapturedResource {
  type: string;
  name: string;
  urn: string;
  /**
   * The resource's inputs as the engine received them: secrets in Pulumi's secret signature form, unknowns as
   * sentinel strings, internal keys such as a dynamic resource's `__provider` still present.
   */
  properties: Record<string, unknown>;
  /**
   * The resource's outputs as the engine holds them at the end of a preview (what AnalyzeStack receives): for a
   * custom resource being created, its checked inputs (a provider without preview support, as the dynamic provider,
   * echoes them); for a component or the root stack, what RegisterResourceOutputs gave (the stack's exports).
   * Undefined when not known (resources not registered by a program): AnalyzeStack then sends `properties`.
   */
  outputs?: Record<string, unknown>;
  parent?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  /** False for component resources (and the root stack); undefined when not known. */
  custom?: boolean;
  options?: CapturedResourceOptions;
  /** The resource's provider, when the program registered it explicitly. */
  provider?: CapturedProvider;
  /**
   * Where the SDK says the program declared the resource (RegisterResourceRequest.sourcePosition), and the
   * registration's stack (innermost first): the program's text, unverified. Not sent to the pack.
   */
  sourcePosition?: CapturedSourcePosition;
  stackTrace?: CapturedSourcePosition[];
}

/** A position as the SDK sends it: a file:// URI, a 1-based line and column. */
export interface CapturedSourcePosition {
  uri: string;
  line: number;
  column: number;
}

export interface CapturedResourceOptions {
  protect?: boolean;
  ignoreChanges?: string[];
  deleteBeforeReplace?: boolean;
  additionalSecretOutputs?: string[];
  aliases?: string[];
  customTimeouts?: { create?: number; update?: number; delete?: number };
}

export interface CapturedProvider {
  type: string;
  name: string;
  urn: string;
  properties: Record<string, unknown>;
}

export interface AnalyzerDiagnostic {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  description: string;
  message: string;
  enforcementLevel: EnforcementLevel;
  urn: string;
  severity?: PolicySeverity;
}

/** A policy that did not apply to a resource (typed to another resource type, or it called `notApplicable`). */
export interface PolicyNotApplicable {
  policyName: string;
  reason: string;
}

export interface AnalyzeResult {
  diagnostics: AnalyzerDiagnostic[];
  notApplicable: PolicyNotApplicable[];
}

/**
 * One policy's remediation of a resource, as Remediate answers: the resource's whole properties after the fix (wire
 * form: secrets in signature form), or a diagnostic when the policy could not run (a value not known during preview).
 */
export interface RemediationResult {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  description: string;
  properties?: Record<string, unknown>;
  diagnostic?: string;
}

export interface RemediateResult {
  remediations: RemediationResult[];
  notApplicable: PolicyNotApplicable[];
}

export interface PolicyInfo {
  name: string;
  displayName: string;
  description: string;
  message: string;
  enforcementLevel: EnforcementLevel;
  policyType: "resource" | "stack" | "unknown";
  severity?: PolicySeverity;
  configSchema?: { properties: Record<string, unknown>; required: string[] };
  /** Free-form tags; a pack may encode what the protocol has no field for in them. Empty when none. */
  tags: string[];
  /** Empty when the pack gave none, as the following two. */
  remediationSteps: string;
  url: string;
  framework?: PolicyComplianceFramework;
}

/** The compliance framework a policy names, as GetAnalyzerInfo carries it. */
export interface PolicyComplianceFramework {
  name: string;
  version: string;
  reference: string;
  specification: string;
}

/** One policy's effective config, as the engine sends it in Configure. */
export interface PolicyConfig {
  enforcementLevel: EnforcementLevel;
  properties: Record<string, unknown>;
}

export interface AnalyzerInfo {
  name: string;
  displayName: string;
  version: string;
  supportsConfig: boolean;
  policies: PolicyInfo[];
  initialConfig: Record<string, PolicyConfig>;
}

/**
 * Per-policy config, as in `pulumi preview --policy-pack-config <file>`: a policy name maps to an enforcement level,
 * or to an object with an optional `enforcementLevel` and the policy's config properties. The key "all" sets the
 * enforcement level of every policy.
 */
export type PolicyPackConfigInput = Record<string, EnforcementLevel | Record<string, unknown>>;

/**
 * The policy configuration was refused: it does not match the pack's config schemas, or the pack's Configure refused
 * it (gRPC INVALID_ARGUMENT, e.g. an argument below a SHALL policy's floor). The message says why, as the pack said it.
 */
export class PolicyConfigurationRefused extends Error {
  override readonly name = "PolicyConfigurationRefused";
}

export interface StackConfiguration {
  stack: string;
  project: string;
  organization?: string;
  dryRun?: boolean;
  tags?: Record<string, string>;
  /** Stack config as the CLI passes it: fully qualified keys ("project:key") to string values. */
  config?: Record<string, string>;
  configSecretKeys?: string[];
}

export interface LaunchOptions {
  /** How long to wait for the pack to print its port. Default 60 s. */
  timeoutMs?: number;
  /** Added to this process's environment for the pack's process. */
  env?: NodeJS.ProcessEnv;
  /**
   * Policy config to apply at launch. Like the CLI, launch always calls Configure (when the pack supports config)
   * with the pack's defaults, its initial config and this, reconciled and validated against the config schemas.
   */
  config?: PolicyPackConfigInput;
  /**
   * The stack the pack runs for, given as the CLI gives it: in the pack's environment ({@link packRuntimeEnvironment})
   * and in ConfigureStack, sent right after the pack starts, before GetAnalyzerInfo and Configure. Without it the pack
   * runs with no stack (as for `pulumi policy publish`), and a caller may send {@link PolicyPackSession.configureStack}.
   */
  stack?: StackConfiguration;
  /** Aborted before the launch completes: the pack's process is killed and the launch rejects (a run that failed meanwhile). */
  signal?: AbortSignal;
}

/**
 * The environment the CLI adds for a Node.js pack started for a stack. The Node.js language host's RunPlugin
 * (sdk/nodejs/cmd/pulumi-language-nodejs/main.go) proxies the pack, awaits ConfigureStack, and starts
 * run-policy-pack with PULUMI_NODEJS_ORGANIZATION, PULUMI_NODEJS_PROJECT, PULUMI_NODEJS_STACK, PULUMI_NODEJS_DRY_RUN
 * ("true"/"false") and PULUMI_CONFIG (the configuration map as JSON, secrets decrypted) added to the CLI's own
 * environment, each only when not empty; it adds no PULUMI_CONFIG_SECRET_KEYS, so `config.getSecret` in a pack gives
 * a plain value. The older `pulumi-analyzer-policy` path (pkg/resource/plugin/analyzer_plugin.go constructEnv) sets
 * the same PULUMI_NODEJS_* variables and PULUMI_CONFIG. The pack's `new pulumi.Config()`, `pulumi.getStack()`,
 * `getProject()`, `getOrganization()` and `isDryRun()` read these.
 */
export function packRuntimeEnvironment(stack: StackConfiguration): Record<string, string> {
  const env: Record<string, string> = {};
  const set = (key: string, value: string | undefined): void => {
    if (value) env[key] = value;
  };
  set("PULUMI_NODEJS_ORGANIZATION", stack.organization);
  set("PULUMI_NODEJS_PROJECT", stack.project);
  set("PULUMI_NODEJS_STACK", stack.stack);
  set("PULUMI_NODEJS_DRY_RUN", String(stack.dryRun ?? true));
  // An empty map arrives as nil in Go's decoded request, and the host then sets no PULUMI_CONFIG.
  if (stack.config && Object.keys(stack.config).length > 0) set("PULUMI_CONFIG", goJson(stack.config, "the stack's configuration"));
  return env;
}

const DEFAULT_LAUNCH_TIMEOUT_MS = 60_000;
const KILL_GRACE_MS = 2_000;
/** The longest single wait for the pack's connection: how long a closed session or an exited pack may go unnoticed. */
const CONNECT_STEP_MS = 250;
/** Same limit the CLI and the pack's server use (400 MB): large stacks exceed gRPC's 4 MB default. */
const MAX_RPC_MESSAGE_BYTES = 1024 * 1024 * 400;
/** Keep only the tail of the pack's output: a chatty pack must not grow this process without bound. */
const MAX_CAPTURED_OUTPUT_CHARS = 256 * 1024;
/**
 * run-policy-pack shifts the engine address off its arguments and never uses it (cmd/run-policy-pack/index.js), and
 * the pack's `pulumi.log` only talks to an engine when PULUMI_NODEJS_ENGINE is set, which the CLI does not set for
 * policy packs. So no Engine service is needed; a pack's log lines go to its stdout/stderr, kept in `stdout`/`stderr`.
 */
const UNUSED_ENGINE_ADDRESS = "127.0.0.1:0";

/** The key under which Pulumi marks secrets, resource references, assets and archives in serialized properties. */
const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** A running policy pack, driven the way the Pulumi engine drives it. */
export class PolicyPackSession {
  private stdoutTail = "";
  private stderrTail = "";
  private cachedInfo?: AnalyzerInfo;
  /**
   * One copy of each policy name, pack name, version, description and reason the pack answers with: each answer
   * decodes them anew, and a stack of 10,000 workspaces gets each of them back a hundred thousand times.
   */
  private readonly texts = new Map<string, string>();
  private configuredStack?: StackConfiguration;
  private closed = false;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly packDir: string,
    private readonly child: childProcess.ChildProcess,
    private client: AnalyzerClient | undefined,
    /** `version` from PulumiPolicy.yaml, which the CLI prefers over the version the pack reports. */
    private readonly manifestVersion: string | undefined,
  ) {
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve();
      } else {
        child.once("exit", () => resolve());
      }
    });
  }

  /** The stack last sent in ConfigureStack (at launch, or by {@link configureStack}); undefined before. */
  get stack(): StackConfiguration | undefined {
    return this.configuredStack;
  }

  /** What the pack printed on stdout after its port (for example `pulumi.log` lines). */
  get stdout(): string {
    return this.stdoutTail;
  }

  /** What the pack printed on stderr, for error messages. */
  get stderr(): string {
    return this.stderrTail;
  }

  /**
   * Starts the pack in `packDir` (which needs a PulumiPolicy.yaml, as for the CLI, and a package.json whose `main`
   * is the pack's entry point), waits for its port, connects, and configures it as the CLI does.
   */
  static async launch(packDir: string, options: LaunchOptions = {}): Promise<PolicyPackSession> {
    const absolutePackDir = path.resolve(packDir);
    const manifestVersion = readPolicyManifestVersion(absolutePackDir);
    const runPolicyPack = resolveRunPolicyPack(absolutePackDir);
    const timeoutMs = options.timeoutMs ?? DEFAULT_LAUNCH_TIMEOUT_MS;

    const child = childProcess.spawn(process.execPath, [runPolicyPack, UNUSED_ENGINE_ADDRESS, "."], {
      cwd: absolutePackDir,
      // The stack's variables last: the language host appends them to the environment it was given, so they win.
      env: { ...process.env, ...options.env, ...(options.stack ? packRuntimeEnvironment(options.stack) : {}) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    killOnExit(child);
    const session = new PolicyPackSession(absolutePackDir, child, undefined, manifestVersion);
    // Closed, not only signalled: a pack may ignore SIGTERM (close follows with SIGKILL), and a client waiting for the
    // connection would retry a dead port until the deadline (closing it fails the wait at once).
    const abort = (): void => void session.close();
    if (options.signal?.aborted) abort();
    options.signal?.addEventListener("abort", abort, { once: true });

    try {
      const port = await session.readPort(timeoutMs);
      session.client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
        "grpc.max_receive_message_length": MAX_RPC_MESSAGE_BYTES,
        "grpc.max_send_message_length": MAX_RPC_MESSAGE_BYTES,
      });
      await session.waitForConnection(timeoutMs);
      // The engine sends ConfigureStack as soon as the pack is up (NewPolicyAnalyzer), before anything else.
      if (options.stack) await session.configureStack(options.stack);
      const info = await session.getAnalyzerInfo();
      if (info.supportsConfig) {
        await session.configure(options.config ?? {});
      }
      return session;
    } catch (error) {
      await session.close();
      throw error;
    } finally {
      options.signal?.removeEventListener("abort", abort);
    }
  }

  /** The pack's name, version, policies and initial config (cached: the pack's answer does not change). */
  async getAnalyzerInfo(): Promise<AnalyzerInfo> {
    if (this.cachedInfo) {
      return this.cachedInfo;
    }
    // Decoded straight into plain values when the answer is well formed (cli/analyzer-info.ts), else as before.
    const method = AnalyzerService.getAnalyzerInfo;
    const decode = (bytes: Buffer): AnalyzerInfoView =>
      decodeAnalyzerInfo(bytes) ?? (method.responseDeserialize(bytes) as analyzerProto.AnalyzerInfo);
    const response = await this.unary<AnalyzerInfoView>("GetAnalyzerInfo", "", (client, callback) =>
      client.makeUnaryRequest(method.path, method.requestSerialize, decode, new Empty(), (error, response) =>
        callback(error, response as AnalyzerInfoView),
      ),
    );
    const initialConfig: Record<string, PolicyConfig> = {};
    for (const [policyName, config] of response.getInitialconfigMap().entries()) {
      initialConfig[policyName] = {
        enforcementLevel: enforcementLevelName(config.getEnforcementlevel()),
        properties: (config.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
      };
    }
    this.cachedInfo = {
      name: response.getName(),
      displayName: response.getDisplayname(),
      version: this.manifestVersion ?? response.getVersion(),
      supportsConfig: response.getSupportsconfig(),
      policies: response.getPoliciesList().map(toPolicyInfo),
      initialConfig,
    };
    return this.cachedInfo;
  }

  /**
   * Sends the pack its per-policy config, as the CLI does: every policy gets its default enforcement level and
   * its schema's default property values, then the pack's initial config, then `config` on top; the result is
   * validated against each policy's config schema and sent whole (it replaces any earlier config).
   * Returns the config that was sent.
   */
  async configure(config: PolicyPackConfigInput): Promise<Record<string, PolicyConfig>> {
    const info = await this.getAnalyzerInfo();
    if (!info.supportsConfig) {
      // The CLI's wording (pkg/engine/update.go loadPolicyPlugins).
      throw new PolicyConfigurationRefused(`policy pack ${goQuote(info.name)} at ${goQuote(this.packDir)} does not support config`);
    }
    let reconciled: Record<string, PolicyConfig>;
    try {
      reconciled = reconcilePolicyPackConfig(info, parsePolicyPackConfig(config as Record<string, unknown>));
    } catch (error) {
      // Like the CLI, which refuses such config before starting the update.
      throw new PolicyConfigurationRefused(error instanceof Error ? error.message : String(error));
    }
    const request = new analyzerProto.ConfigureAnalyzerRequest();
    const requestMap = request.getPolicyconfigMap();
    for (const [policyName, policyConfig] of Object.entries(reconciled)) {
      const message = new analyzerProto.PolicyConfig();
      message.setEnforcementlevel(enforcementLevelEnum(policyConfig.enforcementLevel));
      // Always set, as the CLI does: the pack's SDK calls getProperties().toJavaScript() unconditionally.
      message.setProperties(Struct.fromJavaScript(toStructFields(policyConfig.properties, `config of ${policyName}`)));
      requestMap.set(policyName, message);
    }
    try {
      await this.unary("Configure", "", (client, callback) => client.configure(request, callback));
    } catch (error) {
      const { grpcCode, grpcDetails } = error as { grpcCode?: number; grpcDetails?: string };
      if (grpcCode === grpc.status.INVALID_ARGUMENT) {
        throw new PolicyConfigurationRefused(
          `Policy pack '${info.name}' refused the policy configuration: ${grpcDetails ?? (error as Error).message}`,
        );
      }
      throw error;
    }
    return reconciled;
  }

  /** Tells the pack which stack it runs for (its policies see `stackTags`); the CLI does this right after launch. */
  async configureStack(stack: StackConfiguration): Promise<void> {
    const request = new analyzerProto.AnalyzerStackConfigureRequest();
    request.setStack(stack.stack);
    request.setProject(stack.project);
    request.setOrganization(stack.organization ?? "");
    request.setDryRun(stack.dryRun ?? true);
    for (const [key, value] of Object.entries(stack.tags ?? {})) {
      request.getTagsMap().set(key, value);
    }
    for (const [key, value] of Object.entries(stack.config ?? {})) {
      request.getConfigMap().set(key, value);
    }
    request.setConfigSecretKeysList(stack.configSecretKeys ?? []);
    try {
      await this.unary("ConfigureStack", "", (client, callback) => client.configureStack(request, callback));
    } catch (error) {
      // As the engine: a pack too old to implement ConfigureStack runs without it.
      if ((error as { grpcCode?: number }).grpcCode !== grpc.status.UNIMPLEMENTED) throw error;
    }
    this.configuredStack = stack;
  }

  /** Analyze: one resource's inputs, as the engine sends them before the resource is created or updated. */
  async analyze(resource: CapturedResource): Promise<AnalyzerDiagnostic[]> {
    return (await this.analyzeDetailed(resource)).diagnostics;
  }

  /** {@link analyze}, also returning which policies reported themselves not applicable to the resource. */
  async analyzeDetailed(resource: CapturedResource): Promise<AnalyzeResult> {
    const request = analyzeRequestFor(resource);
    const response = await this.unary<analyzerProto.AnalyzeResponse>("Analyze", ` for ${resource.urn}`, (client, callback) =>
      client.analyze(request, callback),
    );
    // The engine files a resource policy's violation under the analysed resource, whatever URN the pack gave
    // (analyze_snapshot.go analyzeResource: OnPolicyViolation(r.URN, d)).
    return { diagnostics: await this.toDiagnostics(response, () => resource.urn), notApplicable: this.toNotApplicable(response) };
  }

  /**
   * Remediate: one resource's inputs, sent as for Analyze. The engine calls it before Analyze, and each remediation's
   * properties replace the inputs from then on (Analyze sees the fixed ones). Only policies whose enforcement level is
   * `remediate` run.
   */
  async remediate(resource: CapturedResource): Promise<RemediateResult> {
    const request = analyzeRequestFor(resource);
    const response = await this.unary<analyzerProto.RemediateResponse>("Remediate", ` for ${resource.urn}`, (client, callback) =>
      client.remediate(request, callback),
    );
    return {
      remediations: response.getRemediationsList().map((remediation) => {
        const properties = remediation.getProperties();
        const diagnostic = remediation.getDiagnostic();
        return {
          policyName: remediation.getPolicyname(),
          policyPackName: remediation.getPolicypackname(),
          policyPackVersion: this.manifestVersion ?? remediation.getPolicypackversion(),
          description: remediation.getDescription(),
          ...(properties ? { properties: properties.toJavaScript() as Record<string, unknown> } : {}),
          ...(diagnostic ? { diagnostic } : {}),
        };
      }),
      notApplicable: response.getNotApplicableList().map((entry) => ({ policyName: entry.getPolicyName(), reason: entry.getReason() })),
    };
  }

  /** AnalyzeStack: every resource of the stack, with parents and dependencies, as at the end of a preview. */
  async analyzeStack(resources: CapturedResource[]): Promise<AnalyzerDiagnostic[]> {
    return (await this.analyzeStackDetailed(resources)).diagnostics;
  }

  /** {@link analyzeStack}, also returning which stack policies reported themselves not applicable. */
  async analyzeStackDetailed(resources: CapturedResource[]): Promise<AnalyzeResult> {
    const request = analyzeStackRequestFor(resources);
    const response = await this.unary<analyzerProto.AnalyzeResponse>(
      "AnalyzeStack",
      ` of ${resources.length} resource(s)`,
      (client, callback) => client.analyzeStack(request, callback),
    );
    // A stack policy's violation stays with the resource it names if that is in the stack, else goes to the root
    // stack (analyze_snapshot.go resolveStackPolicyViolationURN).
    // By URN, the resource's own URN string: the diagnostics share it rather than each holding a decoded copy.
    const inStack = new Map(resources.map((r) => [r.urn, r.urn]));
    const rootUrn = rootStackUrnOf(resources);
    return {
      diagnostics: await this.toDiagnostics(response, (urn) => inStack.get(urn) ?? rootUrn),
      notApplicable: this.toNotApplicable(response),
    };
  }

  /** Closes the connection and ends the pack's process (SIGTERM, then SIGKILL); safe to call more than once. */
  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.client?.close();
      if (this.child.exitCode === null && this.child.signalCode === null) {
        this.child.kill("SIGTERM");
        const killTimer = setTimeout(() => this.child.kill("SIGKILL"), KILL_GRACE_MS);
        await this.exited;
        clearTimeout(killTimer);
      }
    }
    await this.exited;
  }

  private readPort(timeoutMs: number): Promise<number> {
    const child = this.child;
    return new Promise<number>((resolve, reject) => {
      let firstLine: string | undefined;
      let pending = "";
      const fail = (reason: string): void => {
        cleanup();
        reject(new Error(`Policy pack in ${this.packDir} failed to start: ${reason}${this.describeStderr()}`));
      };
      // "close" rather than "exit": it comes once stderr is fully read, so the message has all of it.
      const onClose = (code: number | null, signal: NodeJS.Signals | null): void =>
        fail(`its process exited (${signal ? `signal ${signal}` : `code ${code}`}) before printing its port`);
      const onError = (error: Error): void => fail(`could not run node: ${error.message}`);
      const timer = setTimeout(() => fail(`it did not print its port within ${timeoutMs} ms`), timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        child.off("close", onClose);
        child.off("error", onError);
      };

      child.stderr?.setEncoding("utf8");
      child.stderr?.on("data", (chunk: string) => {
        this.stderrTail = keepTail(this.stderrTail + chunk);
      });
      child.stdout?.setEncoding("utf8");
      child.stdout?.on("data", (chunk: string) => {
        if (firstLine !== undefined) {
          this.stdoutTail = keepTail(this.stdoutTail + chunk);
          return;
        }
        pending += chunk;
        const newline = pending.indexOf("\n");
        if (newline < 0) {
          return;
        }
        firstLine = pending.slice(0, newline).trim();
        this.stdoutTail = keepTail(pending.slice(newline + 1));
        // Like the CLI, the first stdout line must be the port: a pack printing anything first is broken.
        if (!/^\d+$/.test(firstLine)) {
          fail(`its first line on stdout was not a port number`);
          return;
        }
        cleanup();
        resolve(Number(firstLine));
      });
      child.once("close", onClose);
      child.once("error", onError);
    });
  }

  /**
   * Waits for the connection in steps of at most {@link CONNECT_STEP_MS}, not in one wait until the deadline: closing
   * the client does not end grpc-js's waitForReady (it reconnects the closed channel), so a session closed meanwhile
   * (an aborted launch) or a pack that exited would otherwise keep the launch, and this process, waiting until then.
   */
  private async waitForConnection(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const client = this.requireClient();
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`Could not connect to the policy pack in ${this.packDir}: its process has exited${this.describeStderr()}`);
      }
      const stepDeadline = Math.min(deadline, Date.now() + CONNECT_STEP_MS);
      const error = await new Promise<Error | undefined>((resolve) => client.waitForReady(stepDeadline, (e) => resolve(e ?? undefined)));
      if (error === undefined) return;
      if (Date.now() >= deadline) {
        throw new Error(`Could not connect to the policy pack in ${this.packDir}: ${error.message}${this.describeStderr()}`);
      }
    }
  }

  private unary<Response>(
    method: string,
    subject: string,
    invoke: (client: AnalyzerClient, callback: (error: grpcModule.ServiceError | null, response: Response) => void) => unknown,
  ): Promise<Response> {
    const client = this.requireClient();
    return new Promise((resolve, reject) => {
      invoke(client, (error, response) => {
        if (error) {
          const packName = this.cachedInfo?.name ?? path.basename(this.packDir);
          const status = grpc.status[error.code ?? grpc.status.UNKNOWN] ?? String(error.code);
          // A pack whose process died says why on stderr.
          const died = this.child.exitCode !== null || this.child.signalCode !== null;
          reject(
            Object.assign(
              new Error(
                `Policy pack '${packName}' failed ${method}${subject} (gRPC ${status}): ${error.details ?? error.message}` +
                  (died ? `\nThe pack's process has exited.${this.describeStderr()}` : ""),
              ),
              // What the pack answered, for callers that act on it (Configure's refusal).
              { grpcCode: error.code, grpcDetails: error.details },
            ),
          );
        } else {
          resolve(response);
        }
      });
    });
  }

  /** `attribute`: the URN the engine files a diagnostic under, from the URN the pack gave (possibly empty). */
  private async toDiagnostics(response: analyzerProto.AnalyzeResponse, attribute: (urn: string) => string): Promise<AnalyzerDiagnostic[]> {
    const diagnostics = response.getDiagnosticsList();
    const needsPolicySeverity = diagnostics.some((d) => severityName(d.getSeverity()) === undefined);
    const policies = needsPolicySeverity ? (await this.getAnalyzerInfo()).policies : [];
    return diagnostics.map((diagnostic) => {
      // Like the CLI: an unspecified severity falls back to the policy's, and PulumiPolicy.yaml's version wins.
      const severity = severityName(diagnostic.getSeverity()) ?? policies.find((p) => p.name === diagnostic.getPolicyname())?.severity;
      const result: AnalyzerDiagnostic = {
        policyName: this.shared(diagnostic.getPolicyname()),
        policyPackName: this.shared(diagnostic.getPolicypackname()),
        policyPackVersion: this.manifestVersion ?? this.shared(diagnostic.getPolicypackversion()),
        description: this.shared(diagnostic.getDescription()),
        message: diagnostic.getMessage(),
        enforcementLevel: enforcementLevelName(diagnostic.getEnforcementlevel()),
        urn: attribute(diagnostic.getUrn()),
      };
      if (severity) {
        result.severity = severity;
      }
      return result;
    });
  }

  private toNotApplicable(response: analyzerProto.AnalyzeResponse): PolicyNotApplicable[] {
    return response
      .getNotApplicableList()
      .map((entry) => ({ policyName: this.shared(entry.getPolicyName()), reason: this.shared(entry.getReason()) }));
  }

  /** The one copy of a text the pack repeats in its answers (see {@link texts}). */
  private shared(text: string): string {
    const known = this.texts.get(text);
    if (known !== undefined) return known;
    // Bounded: a pack that answers with ever new texts only stops being shared, never grows this without end.
    if (this.texts.size < maxSharedTexts) this.texts.set(text, text);
    return text;
  }

  private requireClient(): AnalyzerClient {
    if (this.closed || !this.client) {
      throw new Error(`The policy pack session for ${this.packDir} is closed.`);
    }
    return this.client;
  }

  private describeStderr(): string {
    const stderr = this.stderrTail.trim();
    return stderr ? `\n--- policy pack stderr ---\n${stderr}` : " (nothing on stderr)";
  }
}

/** Far more than a pack's policy names, descriptions and reasons. */
const maxSharedTexts = 10_000;

/**
 * The root stack resource's URN: the stack's `pulumi:pulumi:Stack` without a parent, or the default one built from
 * another resource's URN (analyze_snapshot.go snapshotRootStackURN); empty for an empty stack.
 */
function rootStackUrnOf(resources: readonly CapturedResource[]): string {
  const root = resources.find((r) => r.type === "pulumi:pulumi:Stack" && !r.parent);
  if (root) return root.urn;
  const [, stack, project] = /^urn:pulumi:([^:]*)::([^:]*)::/.exec(resources[0]?.urn ?? "") ?? [];
  return stack !== undefined && project !== undefined ? `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}` : "";
}

/** The AnalyzeStack request the engine sends for these resources: their outputs, options, provider, parent and dependencies. */
export function analyzeStackRequestFor(resources: readonly CapturedResource[]): analyzerProto.AnalyzeStackRequest {
  const request = new analyzerProto.AnalyzeStackRequest();
  request.setResourcesList(
    resources.map((resource) => {
      const message = new analyzerProto.AnalyzerResource();
      message.setType(resource.type);
      message.setName(resource.name);
      message.setUrn(resource.urn);
      // Unlike Analyze, AnalyzeStack grades each resource's outputs (step_generator.go AnalyzeResources).
      message.setProperties(toAnalyzerProperties(resource.outputs ?? resource.properties, resource.urn));
      message.setOptions(toAnalyzerOptions(resource));
      if (resource.provider) {
        message.setProvider(toAnalyzerProvider(resource.provider));
      }
      message.setParent(resource.parent ?? "");
      message.setDependenciesList(resource.dependencies ?? []);
      for (const [property, urns] of Object.entries(resource.propertyDependencies ?? {})) {
        // The CLI leaves out properties without dependencies.
        if (urns.length > 0) {
          const dependencies = new analyzerProto.AnalyzerPropertyDependencies();
          dependencies.setUrnsList(urns);
          message.getPropertydependenciesMap().set(property, dependencies);
        }
      }
      return message;
    }),
  );
  return request;
}

/** One resource as the engine sends it to Analyze and Remediate (both take an AnalyzeRequest). */
export function analyzeRequestFor(resource: CapturedResource): analyzerProto.AnalyzeRequest {
  const request = new analyzerProto.AnalyzeRequest();
  request.setType(resource.type);
  request.setName(resource.name);
  request.setUrn(resource.urn);
  request.setProperties(toAnalyzerProperties(resource.properties, resource.urn));
  request.setOptions(toAnalyzerOptions(resource));
  if (resource.provider) {
    request.setProvider(toAnalyzerProvider(resource.provider));
  }
  return request;
}

function keepTail(text: string): string {
  return text.length > MAX_CAPTURED_OUTPUT_CHARS ? text.slice(-MAX_CAPTURED_OUTPUT_CHARS) : text;
}

/** The CLI runs the run-policy-pack found from the pack's directory; fall back to this package's copy. */
function resolveRunPolicyPack(packDir: string): string {
  return resolveSdkCommand("run-policy-pack", packDir);
}

/** The CLI refuses a pack without PulumiPolicy.yaml and reports that file's `version` in place of the pack's. */
export function readPolicyManifestVersion(packDir: string): string | undefined {
  const manifestPath = ["PulumiPolicy.yaml", "PulumiPolicy.yml"].map((f) => path.join(packDir, f)).find((f) => fs.existsSync(f));
  if (!manifestPath) {
    throw new Error(`No PulumiPolicy.yaml in ${packDir}: the Pulumi CLI cannot load a policy pack without one.`);
  }
  let manifest: unknown;
  try {
    // Every scalar as text, as the CLI reads `version` into a string (`1.0` stays "1.0").
    manifest = yaml.load(fs.readFileSync(manifestPath, "utf8"), { schema: yaml.FAILSAFE_SCHEMA });
  } catch (error) {
    throw new Error(`${manifestPath} is not valid YAML: ${(error as Error).message}`);
  }
  const version = manifest !== null && typeof manifest === "object" ? (manifest as Record<string, unknown>)["version"] : undefined;
  return typeof version === "string" ? version : undefined;
}

function enforcementLevelName(level: analyzerProto.EnforcementLevel): EnforcementLevel {
  switch (level) {
    case analyzerProto.EnforcementLevel.ADVISORY:
      return "advisory";
    case analyzerProto.EnforcementLevel.MANDATORY:
      return "mandatory";
    case analyzerProto.EnforcementLevel.REMEDIATE:
      return "remediate";
    case analyzerProto.EnforcementLevel.DISABLED:
      return "disabled";
    default:
      throw new Error(`Invalid enforcement level ${String(level)} from the policy pack.`);
  }
}

function enforcementLevelEnum(level: EnforcementLevel): analyzerProto.EnforcementLevel {
  switch (level) {
    case "advisory":
      return analyzerProto.EnforcementLevel.ADVISORY;
    case "mandatory":
      return analyzerProto.EnforcementLevel.MANDATORY;
    case "remediate":
      return analyzerProto.EnforcementLevel.REMEDIATE;
    case "disabled":
      return analyzerProto.EnforcementLevel.DISABLED;
  }
}

function severityName(severity: analyzerProto.PolicySeverity): PolicySeverity | undefined {
  switch (severity) {
    case analyzerProto.PolicySeverity.POLICY_SEVERITY_LOW:
      return "low";
    case analyzerProto.PolicySeverity.POLICY_SEVERITY_MEDIUM:
      return "medium";
    case analyzerProto.PolicySeverity.POLICY_SEVERITY_HIGH:
      return "high";
    case analyzerProto.PolicySeverity.POLICY_SEVERITY_CRITICAL:
      return "critical";
    default:
      return undefined;
  }
}

function toPolicyInfo(policy: PolicyInfoView): PolicyInfo {
  const info: PolicyInfo = {
    name: policy.getName(),
    displayName: policy.getDisplayname(),
    description: policy.getDescription(),
    message: policy.getMessage(),
    enforcementLevel: enforcementLevelName(policy.getEnforcementlevel()),
    policyType:
      policy.getPolicyType() === analyzerProto.PolicyType.POLICY_TYPE_RESOURCE
        ? "resource"
        : policy.getPolicyType() === analyzerProto.PolicyType.POLICY_TYPE_STACK
          ? "stack"
          : "unknown",
    tags: policy.getTagsList(),
    remediationSteps: policy.getRemediationSteps(),
    url: policy.getUrl(),
  };
  const framework = policy.getFramework();
  if (framework) {
    info.framework = {
      name: framework.getName(),
      version: framework.getVersion(),
      reference: framework.getReference(),
      specification: framework.getSpecification(),
    };
  }
  const severity = severityName(policy.getSeverity());
  if (severity) {
    info.severity = severity;
  }
  const schema = policy.getConfigschema();
  if (schema) {
    info.configSchema = {
      properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
      required: schema.getRequiredList(),
    };
  }
  return info;
}

function isEnforcementLevel(value: unknown): value is EnforcementLevel {
  return typeof value === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(value);
}

interface ParsedPolicyConfig {
  enforcementLevel?: EnforcementLevel;
  properties?: Record<string, unknown>;
}

/**
 * Mirrors the CLI's parsePolicyPackConfig (pkg/resource/analyzer/config.go), with its wording: a string is a level; an
 * object may carry `enforcementLevel` and properties; entries with neither are dropped.
 */
export function parsePolicyPackConfig(config: Readonly<Record<string, unknown>>): Record<string, ParsedPolicyConfig> {
  const parsed: Record<string, ParsedPolicyConfig> = {};
  for (const [policyName, value] of Object.entries(config)) {
    if (typeof value === "string") {
      if (!isEnforcementLevel(value)) {
        throw new Error(`parsing enforcement level for ${goQuote(policyName)}: ${goQuote(value)} is not a valid enforcement level`);
      }
      parsed[policyName] = { enforcementLevel: value };
      continue;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new Error(`parsing ${goQuote(policyName)}: ${goValue(value)} is not a valid value; must be a string or object`);
    }
    const { enforcementLevel, ...properties } = value as Record<string, unknown>;
    if (enforcementLevel !== undefined) {
      if (typeof enforcementLevel !== "string") {
        throw new Error(
          `parsing enforcement level for ${goQuote(policyName)}: ${goValue(enforcementLevel)} is not a valid enforcement level; must be a string`,
        );
      }
      if (!isEnforcementLevel(enforcementLevel)) {
        throw new Error(
          `parsing enforcement level for ${goQuote(policyName)}: ${goQuote(enforcementLevel)} is not a valid enforcement level`,
        );
      }
    }
    const hasProperties = Object.keys(properties).length > 0;
    if (enforcementLevel === undefined && !hasProperties) {
      continue; // The CLI drops empty entries.
    }
    parsed[policyName] = {
      ...(enforcementLevel !== undefined ? { enforcementLevel } : {}),
      ...(hasProperties ? { properties } : {}),
    };
  }
  return parsed;
}

/** Go's %q for the texts the CLI quotes (names, paths, levels): JSON's quoting is the same for them. */
function goQuote(text: string): string {
  return JSON.stringify(text);
}

/** Go's %v of a decoded JSON value, as the CLI's messages print one. */
function goValue(value: unknown): string {
  if (value === null || value === undefined) return "<nil>";
  if (Array.isArray(value)) return `[${value.map(goValue).join(" ")}]`;
  if (typeof value === "object") {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${key}:${goValue((value as Record<string, unknown>)[key])}`);
    return `map[${entries.join(" ")}]`;
  }
  return String(value);
}

/** Mirrors the CLI's ReconcilePolicyPackConfig (pkg/resource/analyzer/config.go), including its validation. Exported for its tests. */
export function reconcilePolicyPackConfig(info: AnalyzerInfo, config: Record<string, ParsedPolicyConfig>): Record<string, PolicyConfig> {
  const result: Record<string, { enforcementLevel?: EnforcementLevel; properties?: Record<string, unknown> }> = {};
  for (const policy of info.policies) {
    let defaults: Record<string, unknown> | undefined;
    for (const [property, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
      if (schema !== null && typeof schema === "object" && "default" in schema) {
        defaults = { ...defaults, [property]: (schema as { default: unknown }).default };
      }
    }
    result[policy.name] = { enforcementLevel: policy.enforcementLevel, properties: defaults };
  }
  const apply = (toApply: Record<string, ParsedPolicyConfig>): void => {
    const levelForAll = toApply["all"]?.enforcementLevel;
    if (levelForAll) {
      for (const policyName of Object.keys(result)) {
        result[policyName] = { ...result[policyName], enforcementLevel: levelForAll };
      }
    }
    for (const [policyName, given] of Object.entries(toApply)) {
      const current = result[policyName] ?? {};
      const hasGivenProperties = given.properties !== undefined && Object.keys(given.properties).length > 0;
      result[policyName] = {
        enforcementLevel: given.enforcementLevel ?? current.enforcementLevel,
        properties: hasGivenProperties ? { ...current.properties, ...given.properties } : current.properties,
      };
    }
  };
  apply(info.initialConfig);
  apply(config);

  const errors: string[] = [];
  // The generated code is not optimised: validation and its errors are the same, and compiling,
  // the costliest part of starting a session, takes about a third less. Shared property schemas
  // are referenced, not inlined (see sharedPropertySchemas).
  const ajv = new Ajv({ allErrors: true, strict: false, code: { optimize: false }, inlineRefs: false });
  addFormats(ajv);
  // As the CLI's convertSchema: an object with the policy's properties and required list, nothing else.
  const schemas = new Map<string, Record<string, unknown>>();
  // By position, not name: a pack may carry two policies of one name, each validated with its own schema.
  const schemaKeys: string[] = [];
  for (const [index, policy] of info.policies.entries()) {
    const schema: Record<string, unknown> = { type: "object" };
    if (policy.configSchema && Object.keys(policy.configSchema.properties).length > 0)
      schema["properties"] = policy.configSchema.properties;
    if (policy.configSchema?.required.length) schema["required"] = policy.configSchema.required;
    // JSON spells NaN and ±Infinity (which a Struct carries) as null: such a schema is its own, never shared.
    const key = hasNonFiniteNumber(schema) ? `#${index}` : JSON.stringify(schema);
    schemas.set(key, schema);
    schemaKeys.push(key);
  }
  const shared = sharedPropertySchemas([...schemas.values()]);
  // Policies share schemas (most carry only the governance properties): each distinct schema is
  // compiled once per reconciliation.
  const validators = new Map<string, ValidateFunction>();
  for (const [index, policy] of info.policies.entries()) {
    if (!info.supportsConfig) {
      continue;
    }
    // Policies sharing a schema share one compiled validator: compiling is most of Configure's cost.
    const key = schemaKeys[index] as string;
    let validate = validators.get(key);
    try {
      if (!validate) validators.set(key, (validate = compileSharing(ajv, schemas.get(key) as Record<string, unknown>, shared)));
    } catch (error) {
      throw new Error(`reconciling policy config for ${goQuote(info.name)}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const properties = result[policy.name]?.properties ?? {};
    if (!validate(properties)) {
      for (const error of validate.errors ?? []) errors.push(`${policy.name}: ${schemaErrorText(error, properties)}`);
    }
  }
  if (errors.length > 0) {
    // As the engine reports them (pkg/engine/update.go loadPolicyPlugins): one line per error, sorted.
    throw new Error(
      [...new Set(errors.map((e) => `validating policy config: ${info.name} ${info.version}  ${e}`))].sort(compareGoStrings).join("\n"),
    );
  }

  const reconciled: Record<string, PolicyConfig> = {};
  for (const [policyName, policyConfig] of Object.entries(result)) {
    const level = policyConfig.enforcementLevel;
    if (!level) {
      throw new Error(`Invalid policy pack config for '${info.name}': '${policyName}' has no enforcement level.`);
    }
    reconciled[policyName] = { enforcementLevel: level, properties: policyConfig.properties ?? {} };
  }
  return reconciled;
}

interface SharedPropertySchema {
  readonly id: string;
  readonly schema: unknown;
  /** Whether it was added to the Ajv instance (once a schema referencing it was compiled). */
  added: boolean;
}

/**
 * The property schemas (by their JSON) that more than one distinct policy schema carries, each
 * with the id it is added to Ajv under: every policy carries the same governance properties, and
 * compiling them once instead of once per distinct schema is most of what sharing saves. Only a
 * self-contained one is shared: one with no `$`-keyword (`$ref`, `$id`, …) nor `definitions`,
 * whose meaning could depend on the schema around it.
 */
function sharedPropertySchemas(schemas: readonly Record<string, unknown>[]): Map<string, SharedPropertySchema> {
  const carriedBy = new Map<string, { count: number; schema: unknown }>();
  for (const schema of schemas) {
    for (const property of Object.values((schema["properties"] ?? {}) as Record<string, unknown>)) {
      if (property === null || typeof property !== "object" || hasNonFiniteNumber(property)) continue;
      const json = JSON.stringify(property);
      if (json.includes('"$') || json.includes('"definitions"')) continue;
      const seen = carriedBy.get(json);
      carriedBy.set(json, { count: (seen?.count ?? 0) + 1, schema: property });
    }
  }
  const shared = new Map<string, SharedPropertySchema>();
  for (const [json, { count, schema }] of carriedBy) {
    if (count > 1) shared.set(json, { id: `policy-config-shared-${shared.size}`, schema, added: false });
  }
  return shared;
}

/**
 * Compiles a policy's schema with each shared property schema referenced, compiled once per Ajv
 * instance. Validation and its errors (keyword, params, instance path) are those of the schema
 * compiled whole; a schema Ajv finds invalid is compiled whole, so it fails with Ajv's own message.
 */
function compileSharing(ajv: Ajv, schema: Record<string, unknown>, shared: Map<string, SharedPropertySchema>): ValidateFunction {
  const properties = schema["properties"] as Record<string, unknown> | undefined;
  if (!properties || !ajv.validateSchema(schema)) return ajv.compile(schema);
  const referenced: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties)) {
    const common =
      property !== null && typeof property === "object" && !hasNonFiniteNumber(property) ? shared.get(JSON.stringify(property)) : undefined;
    if (!common) {
      Object.defineProperty(referenced, name, { value: property, enumerable: true, writable: true, configurable: true });
      continue;
    }
    if (!common.added) {
      ajv.addSchema(common.schema as object, common.id);
      common.added = true;
    }
    Object.defineProperty(referenced, name, { value: { $ref: common.id }, enumerable: true, writable: true, configurable: true });
  }
  return ajv.compile({ ...schema, properties: referenced });
}

/** Whether a decoded JSON value holds NaN or ±Infinity, which JSON.stringify writes as null. */
function hasNonFiniteNumber(value: unknown): boolean {
  if (typeof value === "number") return !Number.isFinite(value);
  if (value === null || typeof value !== "object") return false;
  return Object.values(value).some(hasNonFiniteNumber);
}

/** Go's sort.Strings: by bytes. */
function compareGoStrings(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/**
 * One schema error in gojsonschema's words (its DefaultLocale, as the CLI validates with it): `<field>: <description>`,
 * the field a dotted path, "(root): " left out as the CLI leaves it out. Names the property and the rule, never a
 * configured value.
 */
function schemaErrorText(error: ErrorObject, data: unknown): string {
  const path = error.instancePath
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
  const field = path.length === 0 ? "(root)" : path.join(".");
  const params = error.params as Record<string, unknown>;
  const description = ((): string => {
    switch (error.keyword) {
      case "required":
        return `${String(params["missingProperty"])} is required`;
      case "type":
        return `Invalid type. Expected: ${String(params["type"])}, given: ${jsonTypeOf(valueAt(data, path))}`;
      case "enum":
        return `${field} must be one of the following: ${((params["allowedValues"] as unknown[]) ?? []).map((v) => JSON.stringify(v)).join(", ")}`;
      case "const":
        return `${field} does not match: ${JSON.stringify(params["allowedValue"])}`;
      case "additionalProperties":
        return `Additional property ${String(params["additionalProperty"])} is not allowed`;
      case "minimum":
        return `Must be greater than or equal to ${String(params["limit"])}`;
      case "exclusiveMinimum":
        return `Must be greater than ${String(params["limit"])}`;
      case "maximum":
        return `Must be less than or equal to ${String(params["limit"])}`;
      case "exclusiveMaximum":
        return `Must be less than ${String(params["limit"])}`;
      case "minLength":
        return `String length must be greater than or equal to ${String(params["limit"])}`;
      case "maxLength":
        return `String length must be less than or equal to ${String(params["limit"])}`;
      case "pattern":
        return `Does not match pattern '${String(params["pattern"])}'`;
      case "format":
        return `Does not match format '${String(params["format"])}'`;
      case "minItems":
        return `Array must have at least ${String(params["limit"])} items`;
      case "maxItems":
        return `Array must have at most ${String(params["limit"])} items`;
      case "uniqueItems":
        return "array items must be unique";
      case "minProperties":
        return `Must have at least ${String(params["limit"])} properties`;
      case "maxProperties":
        return `Must have at most ${String(params["limit"])} properties`;
      case "multipleOf":
        return `Must be a multiple of ${String(params["multipleOf"])}`;
      case "anyOf":
        return "Must validate at least one schema (anyOf)";
      case "oneOf":
        return "Must validate one and only one schema (oneOf)";
      case "not":
        return "Must not validate the schema (not)";
      default:
        return error.message ?? `does not satisfy ${error.keyword}`;
    }
  })();
  return field === "(root)" ? description : `${field}: ${description}`;
}

function valueAt(data: unknown, path: readonly string[]): unknown {
  let value = data;
  for (const part of path) {
    value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[part] : undefined;
  }
  return value;
}

/** gojsonschema's name of a value's JSON type (a whole number is an "integer"). */
function jsonTypeOf(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function toAnalyzerOptions(resource: CapturedResource): analyzerProto.AnalyzerResourceOptions {
  // The pack's SDK throws ("A more recent version of the Pulumi CLI is required") if options are missing.
  const options = new analyzerProto.AnalyzerResourceOptions();
  const given = resource.options ?? {};
  options.setProtect(given.protect ?? false);
  options.setIgnorechangesList(given.ignoreChanges ?? []);
  if (given.deleteBeforeReplace !== undefined) {
    options.setDeletebeforereplace(given.deleteBeforeReplace);
    options.setDeletebeforereplacedefined(true);
  }
  options.setAdditionalsecretoutputsList(given.additionalSecretOutputs ?? []);
  options.setAliasesList(given.aliases ?? []);
  // The CLI always sends custom timeouts (zero when unset).
  const timeouts = new analyzerProto.AnalyzerResourceOptions.CustomTimeouts();
  timeouts.setCreate(given.customTimeouts?.create ?? 0);
  timeouts.setUpdate(given.customTimeouts?.update ?? 0);
  timeouts.setDelete(given.customTimeouts?.delete ?? 0);
  options.setCustomtimeouts(timeouts);
  options.setParent(resource.parent ?? "");
  return options;
}

function toAnalyzerProvider(provider: CapturedProvider): analyzerProto.AnalyzerProviderResource {
  const message = new analyzerProto.AnalyzerProviderResource();
  message.setType(provider.type);
  message.setName(provider.name);
  message.setUrn(provider.urn);
  message.setProperties(toAnalyzerProperties(provider.properties, provider.urn));
  return message;
}

/**
 * Marshals properties the way the CLI marshals them for an analyzer (MarshalProperties with KeepUnknowns,
 * KeepSecrets and SkipInternalKeys): secrets stay in signature form and unknown sentinels stay as they are (the
 * pack's SDK unwraps them), but keys starting with "__" (a dynamic resource's `__provider`, at any depth) are left
 * out, and resource references become their ID (an unknown if the ID is empty) or, without an ID, their URN.
 */
function toAnalyzerProperties(properties: Record<string, unknown>, subject: string): structProto.Struct {
  return Struct.fromJavaScript(toStructFields(marshalObject(properties, subject, ""), subject));
}

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

function marshalObject(value: Record<string, unknown>, subject: string, at: string): { [key: string]: JsonValue } {
  const result: { [key: string]: JsonValue } = {};
  for (const [key, element] of Object.entries(value)) {
    if (key.startsWith("__") || element === undefined) {
      continue;
    }
    result[key] = marshalValue(element, subject, at ? `${at}.${key}` : key);
  }
  return result;
}

function marshalValue(value: unknown, subject: string, at: string): JsonValue {
  if (value === null || typeof value === "string" || typeof value === "boolean" || typeof value === "number") {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((element, index) => (element === undefined ? null : marshalValue(element, subject, `${at}[${index}]`)));
  }
  if (isPlainObject(value)) {
    const record = value;
    if (record[SIGNATURE_KEY] === RESOURCE_REFERENCE_SIGNATURE) {
      const id = record["id"];
      if (typeof id === "string") {
        return id === "" ? UNKNOWN_STRING_SENTINEL : id;
      }
      return typeof record["urn"] === "string" ? record["urn"] : null;
    }
    return marshalObject(record, subject, at);
  }
  // Name the property, never its value: it may be a secret.
  throw new Error(`Cannot send property '${at}' of ${subject} to the policy pack: a ${describeType(value)} is not a JSON value.`);
}

function toStructFields(value: Record<string, unknown>, subject: string): { [key: string]: structProto.JavaScriptValue } {
  try {
    JSON.stringify(value); // rejects cycles and BigInts early, with a message that carries no values
  } catch {
    throw new Error(`Cannot send ${subject} to the policy pack: it is not JSON-serializable.`);
  }
  return value as { [key: string]: structProto.JavaScriptValue };
}

/** Plain objects from any realm (jest sandboxes and IPC-decoded messages each have their own Object.prototype). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}

function describeType(value: unknown): string {
  if (typeof value !== "object" || value === null) {
    return typeof value;
  }
  return value.constructor?.name ?? "object";
}
