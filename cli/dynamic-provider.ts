/**
 * The dynamic provider's `Check`, as the engine runs it during a preview, without the Pulumi CLI.
 *
 * For a dynamic resource (`pulumi-nodejs:dynamic…`) the engine loads the `pulumi-nodejs` resource provider plugin,
 * which is `@pulumi/pulumi/cmd/dynamic-provider` run from the program's node_modules, and sends it `Check` before
 * anything else: the provider's own `check` (in the serialized `__provider`) may add defaults or refuse the inputs,
 * and what it returns is what the packs' `Remediate` and `Analyze` receive (step_generator.go). This module starts
 * that same provider and calls `Configure` and `Check` as the engine's plugin layer does
 * (pkg/resource/plugin/provider_plugin.go): the provider declines secrets (`acceptSecrets: false`), so the inputs go
 * to it as plain values, and each checked input that held a secret comes back marked secret as a whole
 * (annotateSecrets): a list with one secret element is a secret list after `Check`.
 */
import * as childProcess from "child_process";
import type * as grpcModule from "@grpc/grpc-js";
import { grpc, Struct } from "../core/sdk/grpc";
import { providerProto, ResourceProviderClient } from "../core/sdk/provider-proto";
import { resolveSdkCommand } from "../core/sdk/pulumi-commands";
import {
  resourceReferenceSignature as RESOURCE_REFERENCE_SIGNATURE,
  secretSignature as SECRET_SIGNATURE,
  signatureKey as SIGNATURE_KEY,
  unknownSentinel as UNKNOWN_SENTINEL,
} from "../core/wire-form";
import { killOnExit } from "./child-processes";

const MAX_RPC_MESSAGE_BYTES = 1024 * 1024 * 400;
const START_TIMEOUT_MS = 60_000;
const MAX_STDERR_CHARS = 16 * 1024;

/** The provider refused the inputs (CheckFailure): the engine marks the resource invalid and the preview fails. */
export class CheckFailedError extends Error {
  override readonly name = "CheckFailedError";
}

/** A dynamic provider plugin's process, started but not yet configured (see {@link DynamicProvider.spawn}). */
export interface SpawnedDynamicProvider {
  /** Configures it with the provider resource's inputs, as the engine does once it loads the plugin; rejects if it failed to start. */
  configured(config: Record<string, unknown>): Promise<DynamicProvider>;
  /** Stops it, whether or not it was configured. */
  close(): void;
}

/** A running dynamic provider plugin, for one preview. */
export class DynamicProvider {
  private stderrTail = "";

  private constructor(
    private readonly child: childProcess.ChildProcess,
    private readonly client: ResourceProviderClient,
  ) {
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-MAX_STDERR_CHARS);
    });
  }

  /**
   * Starts `@pulumi/pulumi/cmd/dynamic-provider` (the program's own copy, else this package's) in `cwd` with `env`,
   * reads its port and configures it with the default provider's inputs (`config`), as the engine does.
   */
  static async start(options: {
    cwd: string;
    env: NodeJS.ProcessEnv;
    engineAddress: string;
    config: Record<string, unknown>;
  }): Promise<DynamicProvider> {
    return DynamicProvider.spawn(options).configured(options.config);
  }

  /**
   * Starts the provider's process without configuring it (see {@link SpawnedDynamicProvider}): the process takes
   * about as long to start as the program's, so the engine starts one as the program starts, before it knows which
   * provider resource will need it. A failure to start surfaces only when the provider is configured.
   */
  static spawn(options: { cwd: string; env: NodeJS.ProcessEnv; engineAddress: string }): SpawnedDynamicProvider {
    let child: childProcess.ChildProcess | undefined;
    const started = (async () => {
      const script = resolveSdkCommand("dynamic-provider", options.cwd);
      child = childProcess.spawn(process.execPath, [script, options.engineAddress], {
        cwd: options.cwd,
        env: options.env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      killOnExit(child);
      const port = await readPort(child);
      const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
        "grpc.max_receive_message_length": MAX_RPC_MESSAGE_BYTES,
        "grpc.max_send_message_length": MAX_RPC_MESSAGE_BYTES,
      });
      return new DynamicProvider(child, client);
    })();
    // Nobody may ever configure it: its failure is reported by configured(), or not at all.
    started.catch(() => undefined);
    return {
      configured: async (config) => {
        const provider = await started;
        try {
          const request = new providerProto.ConfigureRequest();
          request.setArgs(Struct.fromJavaScript(plainValue(configOf(config)) as never));
          request.setAcceptsecrets(true);
          request.setAcceptresources(true);
          await provider.unary("Configure", (callback) => provider.client.configure(request, callback));
        } catch (error) {
          provider.close();
          throw error;
        }
        return provider;
      },
      close: () => {
        if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
        started.then((provider) => provider.close()).catch(() => undefined);
      },
    };
  }

  /**
   * `Check` of a resource being created (no old inputs), with unknowns allowed as in a preview: the checked inputs in
   * the engine's wire form (secrets re-marked as the engine marks them), or a {@link CheckFailedError}.
   */
  async check(urn: string, name: string, type: string, news: Record<string, unknown>): Promise<Record<string, unknown>> {
    const request = new providerProto.CheckRequest();
    request.setUrn(urn);
    request.setName(name);
    request.setType(type);
    request.setOlds(Struct.fromJavaScript({}));
    request.setNews(Struct.fromJavaScript(plainValue(news) as never));
    const response = await this.unary<providerProto.CheckResponse>("Check", (callback) => this.client.check(request, callback));
    const failures = response.getFailuresList();
    if (failures.length > 0) {
      const reasons = failures.map((f) => (f.getProperty() ? `${f.getProperty()}: ${f.getReason()}` : f.getReason()));
      throw new CheckFailedError(`the resource provider refused ${urn}: ${reasons.join("; ")}`);
    }
    const inputs = (response.getInputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
    return annotateSecrets(inputs, news);
  }

  close(): void {
    this.client.close();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
  }

  private unary<Response>(
    method: string,
    invoke: (callback: (error: grpcModule.ServiceError | null, response: Response) => void) => unknown,
  ): Promise<Response> {
    return new Promise((resolve, reject) => {
      invoke((error, response) => {
        if (error) {
          const stderr = this.stderrTail.trim();
          reject(
            new Error(
              `The dynamic resource provider failed ${method}: ${error.details ?? error.message}${stderr ? `\n--- provider stderr ---\n${stderr}` : ""}`,
            ),
          );
        } else {
          resolve(response);
        }
      });
    });
  }
}

/**
 * What Check returns for a dynamic provider without a `check` method (it echoes the inputs it was sent, plain):
 * the inputs with each secret re-marked as the engine marks it (see {@link annotateSecrets}).
 */
export function checkedWithoutCheckMethod(news: Record<string, unknown>): Record<string, unknown> {
  return annotateSecrets(plainValue(news) as Record<string, unknown>, news);
}

/** The provider's config: the default provider's inputs without the engine's own (providers/registry.go FilterProviderConfig). */
function configOf(inputs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(inputs).filter(([key]) => key !== "__internal"));
}

function readPort(child: childProcess.ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let pending = "";
    let stderr = "";
    const fail = (reason: string): void => {
      cleanup();
      child.kill("SIGKILL");
      reject(
        new Error(
          `The dynamic resource provider failed to start: ${reason}${stderr.trim() ? `\n--- provider stderr ---\n${stderr.trim()}` : ""}`,
        ),
      );
    };
    const onStdout = (text: string): void => {
      pending += text;
      const newline = pending.indexOf("\n");
      if (newline < 0) return;
      const line = pending.slice(0, newline).trim();
      cleanup();
      if (/^\d+$/.test(line)) resolve(Number(line));
      else fail("its first line on stdout was not a port number");
    };
    const onStderr = (text: string): void => {
      stderr = (stderr + text).slice(-MAX_STDERR_CHARS);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void =>
      fail(`it exited (${signal ?? `code ${code}`}) before printing its port`);
    const onError = (error: Error): void => fail(error.message);
    const timer = setTimeout(() => fail(`it did not print its port within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout?.off("data", onStdout);
      child.stderr?.off("data", onStderr);
      child.off("exit", onExit);
      child.off("error", onError);
    };
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", onStdout);
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", onStderr);
    child.once("exit", onExit);
    child.once("error", onError);
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isSecret(value: unknown): value is { value: unknown } {
  return isRecord(value) && value[SIGNATURE_KEY] === SECRET_SIGNATURE;
}

/**
 * A value as the engine marshals it for a provider that accepts neither secrets nor resource references
 * (MarshalProperties, KeepSecrets/KeepResources false, KeepUnknowns true): secrets as their plain value, references
 * as their ID (unknown when empty) or URN; unknown sentinels stay.
 */
function plainValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainValue);
  if (!isRecord(value)) return value;
  if (isSecret(value)) return plainValue(value.value);
  if (value[SIGNATURE_KEY] === RESOURCE_REFERENCE_SIGNATURE) {
    const id = value["id"];
    if (typeof id === "string") return id === "" ? UNKNOWN_SENTINEL : id;
    return value["urn"];
  }
  return Object.fromEntries(Object.entries(value).map(([key, element]) => [key, plainValue(element)]));
}

function containsSecrets(value: unknown): boolean {
  if (isSecret(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecrets);
  return isRecord(value) && Object.values(value).some(containsSecrets);
}

/**
 * The engine's annotateSecrets (provider_plugin.go): for each input the checked inputs kept, objects are walked key by
 * key, and any other value that held a secret anywhere becomes secret as a whole.
 */
function annotateSecrets(outs: Record<string, unknown>, ins: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...outs };
  for (const [key, inValue] of Object.entries(ins)) {
    if (!(key in result)) continue;
    const outValue = result[key];
    if (isRecord(outValue) && !isSecret(outValue) && isRecord(inValue) && !isSecret(inValue)) {
      result[key] = annotateSecrets(outValue, inValue);
    } else if (!isSecret(outValue) && containsSecrets(inValue)) {
      result[key] = { [SIGNATURE_KEY]: SECRET_SIGNATURE, value: outValue };
    }
  }
  return result;
}
