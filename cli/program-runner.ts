/**
 * Runs a Pulumi Node.js program the way `pulumi preview` does and captures what it registers, for the policy pack
 * (`cli/analyzer-client.ts`).
 *
 * The tool serves the ResourceMonitor and Engine gRPC services itself (`cli/preview-engine.ts`) and starts the
 * program with `@pulumi/pulumi`'s own launcher, as the Node.js language host does:
 * `node <node_modules>/@pulumi/pulumi/cmd/run --monitor=<addr> --engine=<addr> --project=<p> --stack=<s> --dry-run …`.
 * So resources reach the tool only by being registered with that monitor, in the engine's wire form. The program's
 * process is the program's own: whatever it patches there (the SDK, gRPC, its output) changes what it registers, not
 * the tool's record of it. Anything other than a normal end (an exception, a non-zero exit, an error-severity Log,
 * an exit before the SDK's shutdown signal, a refused request, a timeout) fails the run instead of returning a
 * partial capture.
 *
 * {@link runPreview} is the one seam the rest of the tool uses: a backend that drives the real Pulumi CLI could
 * replace it, returning the same {@link CapturedResource}s.
 */
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { resolveSdkCommand, sdkInstalledFrom, sdkPackageRoot, sdkTypePaths } from "../core/sdk/pulumi-commands";
import type { CapturedResource } from "./analyzer-client";
import { InputError, SourceLocation } from "./errors";
import { PreviewEngine, PreviewEngineOptions, ROOT_STACK_TYPE } from "./preview-engine";
import { userCodeLocation } from "./user-code-location";
import { killOnExit } from "./child-processes";

export interface RunPreviewOptions {
  /** Default: `name:` in the program's Pulumi.yaml. */
  project?: string;
  /** Default "dev". */
  stack?: string;
  /** Default "organization", the name the CLI's local (DIY) backend passes. */
  organization?: string;
  /** Stack config, fully qualified keys ("project:key") to string values, as `pulumi config set` stores them. */
  config?: Record<string, string>;
  /** Which keys of `config` are secrets. */
  secretConfigKeys?: string[];
  /**
   * Added to this process's environment for the program, as the language host passes the CLI's environment on (for
   * example PULUMI_NODEJS_TRANSPILE_ONLY=true, which makes the launcher skip type checking).
   */
  env?: NodeJS.ProcessEnv;
  /**
   * Called for each registered resource before it is answered, as the engine runs the policy packs' Remediate:
   * returns the inputs to go on with (see PreviewEngineOptions.beforeCreate).
   */
  beforeCreate?: PreviewEngineOptions["beforeCreate"];
  /** How long the program may run. Default 120 s. */
  timeoutMs?: number;
  /** Receives what the program prints. By default it is dropped, and stderr shown only if the program fails. */
  onOutput?: (stream: "stdout" | "stderr", text: string) => void;
}

/**
 * The program failed. Carries what it registered before it did, so that the tool can redact the message (which
 * quotes the program's errors and stderr) with the secrets those resources carry before printing it, and where in
 * the user's code it failed when the error's stack says so.
 */
export class ProgramFailedError extends Error {
  constructor(
    message: string,
    readonly captured: readonly CapturedResource[],
    readonly location?: SourceLocation,
  ) {
    super(message);
    this.name = "ProgramFailedError";
  }
}

const DEFAULT_TIMEOUT_MS = 120_000;
const DEFAULT_STACK = "dev";
const DEFAULT_ORGANIZATION = "organization";
/** `pulumi preview`'s default `--parallel` (4 per CPU); the SDK only tells 1 (serial) from anything else. */
const PARALLEL = Math.max(1, os.availableParallelism() * 4);
const MAX_CAPTURED_OUTPUT_CHARS = 64 * 1024;
/** How long the monitor waits, after the program exited, for its connections to close (see drainAndClose). */
const DRAIN_GRACE_MS = 2_000;
const OWN_PACKAGE_NAME = "intercom-security-health-check";

/**
 * Runs the Pulumi program in `programDir` as a preview and returns the resources it registered, in registration
 * order (the root stack first). Rejects with the program's own error message if the program fails.
 */
export async function runPreview(programDir: string, options: RunPreviewOptions = {}): Promise<CapturedResource[]> {
  const rootDir = path.resolve(programDir);
  if (!fs.statSync(rootDir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`No Pulumi program directory at ${rootDir}.`);
  }
  const project = readProject(rootDir);
  const projectName = options.project ?? project.name;
  const stack = options.stack ?? DEFAULT_STACK;
  const { pwd, entryPoint } = programLocation(rootDir, project.main);
  const { onOutput, timeoutMs = DEFAULT_TIMEOUT_MS } = options;

  // A private directory (0700) for the monitor's socket and the package links the program may resolve.
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "ihc-preview-"));
  let engine: PreviewEngine | undefined;
  try {
    // A Unix socket in the private directory where there are Unix sockets: no other user can connect to it.
    const socketPath = process.platform === "win32" ? undefined : path.join(runDir, "engine.sock");
    const env = programEnvironment(project, pwd, runDir, options);
    engine = await PreviewEngine.start(
      {
        project: projectName,
        stack,
        ...(options.config ? { config: options.config } : {}),
        ...(options.secretConfigKeys ? { secretConfigKeys: options.secretConfigKeys } : {}),
        ...(options.beforeCreate ? { beforeCreate: options.beforeCreate } : {}),
        dynamicProvider: { cwd: pwd, env },
      },
      socketPath,
    );
    const args = [
      ...project.nodeArgs,
      resolveLauncher(pwd),
      ...["--monitor", engine.address, "--engine", engine.address],
      ...["--organization", options.organization ?? DEFAULT_ORGANIZATION],
      ...["--project", projectName, "--root-directory", rootDir, "--stack", stack, "--pwd", pwd],
      "--dry-run",
      ...["--parallel", String(PARALLEL)],
      entryPoint,
    ];
    const outcome = await runLauncher(args, { cwd: pwd, env, timeoutMs, ...(onOutput ? { onOutput } : {}) });
    // What the program sent before it exited still counts; nothing after the drain does.
    await engine.drainAndClose(DRAIN_GRACE_MS);
    return checkedCapture(rootDir, engine, outcome, timeoutMs);
  } finally {
    engine?.close();
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}

interface LauncherOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stderrTail: string;
}

/** Starts the launcher and waits for it to exit, or kills it at the timeout. */
function runLauncher(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; onOutput?: RunPreviewOptions["onOutput"] },
): Promise<LauncherOutcome> {
  return new Promise((resolve, reject) => {
    // No IPC channel, no extra descriptors: the program talks to the tool through the monitor only.
    const child = childProcess.spawn(process.execPath, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    // Killed if this process exits while waiting for it.
    killOnExit(child, killProgram);
    let stderrTail = "";
    let timedOut = false;
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (text: string) => options.onOutput?.("stdout", text));
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (text: string) => {
      stderrTail = keepTail(stderrTail + text);
      options.onOutput?.("stderr", text);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      killProgram(child);
    }, options.timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`Could not start Node.js to run the Pulumi program: ${error.message}`));
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut, stderrTail });
    });
  });
}

/** The capture, if the program ended as a successful `pulumi preview` requires; otherwise the program's error. */
function checkedCapture(rootDir: string, engine: PreviewEngine, outcome: LauncherOutcome, timeoutMs: number): CapturedResource[] {
  // Located from the frames before they are cut from the message: the first one in the user's own code.
  const rawErrors = engine.errors().map((log) => withoutColours(log.message));
  const location = [...rawErrors, withoutColours(outcome.stderrTail)]
    .map((text) => userCodeLocation(text, rootDir))
    .find((l) => l !== undefined);
  const fail = (reason: string, withStderr: boolean): never => {
    const message = `The Pulumi program in ${rootDir} failed: ${reason}${withStderr ? describeOutput(outcome.stderrTail) : ""}`;
    throw new ProgramFailedError(message, engine.resources(), location);
  };
  if (outcome.timedOut) {
    fail(`it did not finish within ${timeoutMs} ms (an interval timer or open handle keeps it alive?).`, true);
  }
  const errors = rawErrors.map((message) => printable(withoutStackFrames(message)));
  if (errors.length > 0) {
    fail(errors.join("\n"), false);
  }
  if (outcome.code !== 0) {
    const how = outcome.signal ? `was killed by ${outcome.signal}` : `exited with non-zero exit code ${outcome.code}`;
    fail(`it ${how}.`, true);
  }
  const refused = engine.refused().map(printable);
  if (refused.length > 0) {
    fail(`it made requests a preview cannot serve:\n${refused.join("\n")}`, false);
  }
  if (!engine.finishedNormally) {
    // The SDK signals the monitor from `beforeExit`, once the program's work is done; an early process.exit skips it.
    fail(
      "it exited before Pulumi's runtime finished (process.exit() during the program, or a @pulumi/pulumi too old to signal its end).",
      true,
    );
  }
  const resources = engine.resources();
  if (resources[0]?.type !== ROOT_STACK_TYPE) {
    fail("it did not register its root stack resource first, as Pulumi's runtime does.", true);
  }
  return resources;
}

interface ProjectManifest {
  name: string;
  main?: string;
  /** runtime options: `typescript` (default true), `tsconfig`, `nodeargs`. */
  typescript: boolean;
  tsconfig?: string;
  nodeArgs: string[];
}

/** Reads Pulumi.yaml as the CLI does. */
function readProject(rootDir: string): ProjectManifest {
  const manifestPath = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(rootDir, f)).find((f) => fs.existsSync(f));
  if (!manifestPath) {
    throw new InputError(`${rootDir} is not a Pulumi program: it has no Pulumi.yaml.`);
  }
  let parsed: unknown;
  try {
    parsed = loadYaml(fs.readFileSync(manifestPath, "utf8"));
  } catch (error) {
    // The parser's reason and position, not its snippet of the file.
    const { reason, mark } = error as { reason?: unknown; mark?: { line?: number; column?: number } };
    const at = typeof mark?.line === "number" && typeof mark.column === "number" ? `:${mark.line + 1}:${mark.column + 1}` : "";
    throw new InputError(`Cannot read ${manifestPath}${at}: ${typeof reason === "string" ? reason : "not valid YAML"}`);
  }
  const manifest = isRecord(parsed) ? parsed : {};
  const name = manifest["name"];
  if (typeof name !== "string" || name === "") {
    throw new InputError(`${manifestPath} has no project name.`);
  }
  const runtime = manifest["runtime"];
  const runtimeName = isRecord(runtime) ? runtime["name"] : runtime;
  if (runtimeName !== "nodejs") {
    throw new InputError(
      `${manifestPath}: runtime ${JSON.stringify(runtimeName)} is not supported; only nodejs programs can be previewed.`,
    );
  }
  const runtimeOptions = isRecord(runtime) && isRecord(runtime["options"]) ? runtime["options"] : {};
  const option = <T>(key: string, type: "string" | "boolean"): T | undefined => {
    const value = runtimeOptions[key];
    if (value !== undefined && typeof value !== type) {
      throw new InputError(`${manifestPath}: runtime option ${key} must be a ${type}.`);
    }
    return value as T | undefined;
  };
  const main = manifest["main"];
  const tsconfig = option<string>("tsconfig", "string");
  const nodeArgs = option<string>("nodeargs", "string");
  return {
    name,
    ...(typeof main === "string" && main !== "" ? { main } : {}),
    typescript: option<boolean>("typescript", "boolean") ?? true,
    ...(tsconfig ? { tsconfig } : {}),
    nodeArgs: nodeArgs ? splitArguments(nodeArgs) : [],
  };
}

/** As the engine derives them from Pulumi.yaml's `main` (pkg/engine/project.go getPwdMain). */
function programLocation(rootDir: string, main: string | undefined): { pwd: string; entryPoint: string } {
  if (!main) {
    return { pwd: rootDir, entryPoint: "." };
  }
  const target = path.resolve(rootDir, main);
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) {
    throw new InputError(`project 'main' could not be read: ${target} does not exist.`);
  }
  return stat.isDirectory() ? { pwd: target, entryPoint: "." } : { pwd: path.dirname(target), entryPoint: path.basename(target) };
}

/** The language host runs the launcher of the program's own @pulumi/pulumi; without one, this package's. */
function resolveLauncher(pwd: string): string {
  return resolveSdkCommand("run", pwd);
}

/**
 * The language host's environment for the program (pulumi-language-nodejs execRuntime): config, secret config
 * keys, TypeScript options. Plus where the program finds this package and the SDK when it has no copy of its own:
 * the examples depend on this package (`file:../..`) with no node_modules installed, and programs may live in temp
 * directories. NODE_PATH comes last in Node's resolution, so a program's own installed copies win, as with npm.
 */
function programEnvironment(project: ProjectManifest, pwd: string, runDir: string, options: RunPreviewOptions): NodeJS.ProcessEnv {
  const packageRoot = findPackageRoot();
  const sdkRoot = sdkPackageRoot();
  const fallbackModules = path.join(runDir, "node_modules");
  fs.mkdirSync(path.join(fallbackModules, "@pulumi"), { recursive: true });
  fs.symlinkSync(packageRoot, path.join(fallbackModules, OWN_PACKAGE_NAME), "junction");
  fs.symlinkSync(sdkRoot, path.join(fallbackModules, "@pulumi", "pulumi"), "junction");

  const inherited: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    PULUMI_CONFIG: JSON.stringify(languageHostConfig(options.config ?? {})),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(options.secretConfigKeys ?? []),
    NODE_PATH: [inherited["NODE_PATH"], fallbackModules].filter(Boolean).join(path.delimiter),
  };
  if (project.typescript) {
    env["PULUMI_NODEJS_TYPESCRIPT"] = "true";
  }
  if (project.tsconfig) {
    env["PULUMI_NODEJS_TSCONFIG_PATH"] = project.tsconfig;
  }
  // ts-node type-checks unless told otherwise, and type checking does not read NODE_PATH: the declarations of what
  // the fallback provides are mapped for it too (ts-node puts TS_NODE_COMPILER_OPTIONS under the program's tsconfig).
  if (project.typescript && inherited["TS_NODE_COMPILER_OPTIONS"] === undefined) {
    const paths: Record<string, string[]> = hasOtherInstalledCopy(pwd, packageRoot) ? {} : ownPackageTypePaths(packageRoot);
    if (!sdkInstalledFrom(pwd)) Object.assign(paths, sdkTypePaths());
    env["TS_NODE_COMPILER_OPTIONS"] = JSON.stringify({ paths });
  }
  return env;
}

/** The language host hands config keys to the SDK in the old "<namespace>:config:<name>" form (constructConfig). */
function languageHostConfig(config: Record<string, string>): Record<string, string> {
  const transformed: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    const separator = key.indexOf(":");
    if (separator <= 0) {
      throw new InputError(`Config key ${JSON.stringify(key)} is not of the form <namespace>:<name>.`);
    }
    transformed[`${key.slice(0, separator)}:config:${key.slice(separator + 1)}`] = value;
  }
  return transformed;
}

interface OwnPackageManifest {
  name: string;
  exports?: Record<string, unknown>;
}

/** Each export subpath of this package mapped to its declarations ("types" condition), for TypeScript's `paths`. */
function ownPackageTypePaths(packageRoot: string): Record<string, string[]> {
  const manifest = JSON.parse(fs.readFileSync(path.join(packageRoot, "package.json"), "utf8")) as OwnPackageManifest;
  const paths: Record<string, string[]> = {};
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    const types = isRecord(target) ? target["types"] : undefined;
    if (typeof types === "string") {
      paths[`${manifest.name}${subpath.slice(1)}`] = [path.join(packageRoot, types)];
    }
  }
  return paths;
}

/** A copy of the package in a node_modules above the program that is not this package itself (npm link/file: is). */
function hasOtherInstalledCopy(programDir: string, ownRoot: string): boolean {
  for (let dir = programDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", OWN_PACKAGE_NAME);
    if (fs.existsSync(path.join(candidate, "package.json"))) {
      return fs.realpathSync(candidate) !== fs.realpathSync(ownRoot);
    }
    if (path.dirname(dir) === dir) {
      return false;
    }
  }
}

/** This package's root: the nearest package.json upwards that names this package (dist/cli/ or cli/). */
function findPackageRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifestPath = path.join(dir, "package.json");
    if (fs.existsSync(manifestPath)) {
      const { name } = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as { name?: string };
      if (name === OWN_PACKAGE_NAME) {
        return dir;
      }
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`Cannot find the package.json of ${OWN_PACKAGE_NAME} above ${__dirname}.`);
    }
  }
}

/** `nodeargs` is split like a shell would (the language host uses shlex): whitespace, with quotes grouping. */
function splitArguments(text: string): string[] {
  const args: string[] = [];
  for (const match of text.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) {
    args.push(match[1]?.replace(/\\(.)/g, "$1") ?? match[2] ?? match[3] ?? "");
  }
  return args;
}

function loadYaml(text: string): unknown {
  return yaml.load(text);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Processes the program starts itself are left alone (the language host does the same); they cannot register
 * anything once the run has ended, because the monitor is closed.
 */
function killProgram(child: childProcess.ChildProcess): void {
  child.kill("SIGKILL");
}

function describeOutput(stderr: string): string {
  const trimmed = printable(withoutColours(stderr)).trim();
  return trimmed ? `\n--- program stderr ---\n${trimmed}` : "";
}

/** The launcher logs an uncaught error with its stack; the message says what the user must fix, the frames do not. */
function withoutStackFrames(message: string): string {
  return message
    .split("\n")
    .filter((line) => !/^\s+at \S/.test(line))
    .join("\n");
}

function keepTail(text: string): string {
  return text.length > MAX_CAPTURED_OUTPUT_CHARS ? text.slice(-MAX_CAPTURED_OUTPUT_CHARS) : text;
}

/** The launcher colours the errors it logs (util.inspect with colours): ANSI SGR sequences. */
function withoutColours(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}

/** Program text made safe to print: control characters are shown escaped, so a program cannot drive the terminal. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
