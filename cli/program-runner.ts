/**
 * Runs a Pulumi TypeScript/JavaScript program with no engine (under `pulumi.runtime.setMocks`) and captures every
 * resource it registers, as the engine would receive it, so that the resources can be sent to a policy pack
 * (`cli/analyzer-client.ts`) the way `pulumi preview --policy-pack` sends them.
 *
 * {@link runProgram} runs each program in a child Node.js process: Pulumi's runtime state is process-global (one root
 * stack, one mock monitor, the module cache of the program), the program gets its own working directory, and Jest's
 * module system (which ignores Node's resolution hooks and require.extensions) stays out of the way.
 */
import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import type * as pulumiModule from "@pulumi/pulumi";
import type { CapturedProvider, CapturedResource, CapturedResourceOptions } from "./analyzer-client";

export interface RunProgramOptions {
    /** Default: `name:` in the program's Pulumi.yaml, else the directory's name. */
    project?: string;
    /** Default "dev". */
    stack?: string;
    /** Whether the program sees a preview (`pulumi.runtime.isDryRun()`). Default true. */
    preview?: boolean;
    /** Stack config, fully qualified keys ("project:key") to string values, as `pulumi config set` stores them. */
    config?: Record<string, string>;
    /** Which keys of `config` are secrets. */
    secretConfigKeys?: string[];
    /** How long the program may run. Default 120 s. */
    timeoutMs?: number;
    /** Receives what the program prints. By default stdout is dropped and stderr shown only if the process dies. */
    onOutput?: (stream: "stdout" | "stderr", text: string) => void;
}

export type InProcessOptions = Pick<RunProgramOptions, "project" | "stack" | "preview" | "config" | "secretConfigKeys">;

const DEFAULT_TIMEOUT_MS = 120_000;
const DEFAULT_STACK = "dev";
const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";
const MAX_CAPTURED_OUTPUT_CHARS = 64 * 1024;
const CHILD_EXIT_GRACE_MS = 2_000;

interface RunRequest {
    programDir: string;
    options: InProcessOptions;
}

type RunReply = { ok: true; resources: CapturedResource[] } | { ok: false; error: { message: string; stack?: string } };

/**
 * Runs the Pulumi program in `programDir` in a child process under mocks and returns the resources it registered,
 * in registration order, the root stack resource first. Rejects with the program's own error message if it fails.
 */
export async function runProgram(programDir: string, options: RunProgramOptions = {}): Promise<CapturedResource[]> {
    const absoluteDir = path.resolve(programDir);
    if (!fs.statSync(absoluteDir, { throwIfNoEntry: false })?.isDirectory()) {
        throw new Error(`No Pulumi program directory at ${absoluteDir}.`);
    }
    const { onOutput, timeoutMs = DEFAULT_TIMEOUT_MS, ...runOptions } = options;

    const child = childProcess.spawn(process.execPath, ["-e", childBootstrapSource()], {
        cwd: absoluteDir, // as the language host runs a program
        env: process.env,
        stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    let stderrTail = "";
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (text: string) => onOutput?.("stdout", text));
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (text: string) => {
        stderrTail = keepTail(stderrTail + text);
        onOutput?.("stderr", text);
    });

    trackProgramProcess(child);
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
        const reply = await new Promise<RunReply>((resolve, reject) => {
            const timer = setTimeout(() => {
                child.kill("SIGKILL");
                reject(
                    new Error(
                        `The Pulumi program in ${absoluteDir} did not finish within ${timeoutMs} ms ` +
                            `(an interval timer or open handle keeps it alive?).${describeOutput(stderrTail)}`,
                    ),
                );
            }, timeoutMs);
            child.once("message", (message: RunReply) => {
                clearTimeout(timer);
                resolve(message);
            });
            child.once("error", (error) => {
                clearTimeout(timer);
                reject(new Error(`Could not start Node.js to run the Pulumi program in ${absoluteDir}: ${error.message}`));
            });
            child.once("exit", (code, signal) => {
                clearTimeout(timer);
                // Lets a reply that is already on its way win; an exit without one is a crash.
                setImmediate(() =>
                    reject(
                        new Error(
                            `The process running the Pulumi program in ${absoluteDir} exited (${signal ? `signal ${signal}` : `code ${code}`}) ` +
                                `without a result.${describeOutput(stderrTail)}`,
                        ),
                    ),
                );
            });
            const request: RunRequest = { programDir: absoluteDir, options: runOptions };
            child.send(request);
        });
        if (!reply.ok) {
            // The program's stack trace, from the child, is kept as the cause.
            const cause = Object.assign(new Error(reply.error.message), { stack: reply.error.stack ?? reply.error.message });
            throw new Error(`The Pulumi program in ${absoluteDir} failed: ${reply.error.message}`, { cause });
        }
        return reply.resources;
    } finally {
        // After replying the child exits by itself; one that does not is killed.
        const killTimer = setTimeout(() => child.kill("SIGKILL"), CHILD_EXIT_GRACE_MS);
        await exited;
        clearTimeout(killTimer);
    }
}

/** Program processes still running, killed if this process exits while waiting for them. */
const liveProgramProcesses = new Set<childProcess.ChildProcess>();
let exitHookInstalled = false;
function trackProgramProcess(child: childProcess.ChildProcess): void {
    liveProgramProcesses.add(child);
    child.once("exit", () => liveProgramProcesses.delete(child));
    if (!exitHookInstalled) {
        exitHookInstalled = true;
        process.once("exit", () => {
            for (const live of liveProgramProcesses) {
                live.kill("SIGKILL");
            }
        });
    }
}

function describeOutput(stderr: string): string {
    const trimmed = stderr.trim();
    return trimmed ? `\n--- program stderr ---\n${trimmed}` : "";
}

function keepTail(text: string): string {
    return text.length > MAX_CAPTURED_OUTPUT_CHARS ? text.slice(-MAX_CAPTURED_OUTPUT_CHARS) : text;
}

/**
 * The child's entry point. When this module runs from TypeScript source (Jest, ts-node), the child first registers
 * ts-node for this repository's sources, with this repository's tsconfig.
 */
function childBootstrapSource(): string {
    const lines = [`const runnerModule = ${JSON.stringify(__filename)};`];
    if (isRunningFromSource()) {
        const root = findPackageRoot();
        lines.push(
            `require(${JSON.stringify(require.resolve("ts-node"))}).register({`,
            `  transpileOnly: true,`,
            `  project: ${JSON.stringify(path.join(root, "tsconfig.json"))},`,
            `  scope: true,`,
            `  scopeDir: ${JSON.stringify(root)},`,
            `});`,
        );
    }
    lines.push(`require(runnerModule).serveRunRequestFromParent();`);
    return lines.join("\n");
}

/** Runs in the child process: waits for one run request from the parent, answers it, and exits. */
export function serveRunRequestFromParent(): void {
    if (!process.send) {
        throw new Error("serveRunRequestFromParent must run in a child process started by runProgram.");
    }
    // Without a parent to answer there is nothing left to do (and no process may linger).
    process.once("disconnect", () => process.exit(1));
    process.once("message", (request: RunRequest) => {
        // The IPC channel must not keep the event loop alive: the run ends when only it is left (see waitUntilIdle).
        process.channel?.unref();
        waitUntilIdle = () =>
            new Promise((resolve) => {
                process.once("beforeExit", () => resolve());
                // Node emits beforeExit again only after new work ran: this makes a second wait possible.
                setImmediate(() => undefined);
            });
        const reply = (message: RunReply, exitCode: number): void => {
            process.send?.(message, () => process.exit(exitCode));
        };
        runProgramInThisProcess(request.programDir, request.options).then(
            (resources) => reply({ ok: true, resources }, 0),
            (error: unknown) =>
                reply({ ok: false, error: error instanceof Error ? { message: error.message, stack: error.stack } : { message: String(error) } }, 1),
        );
    });
}

let inProcessRunStarted = false;

/**
 * Resolves when the program has nothing left to do. In the child process that is Node's `beforeExit` (the language
 * host likewise lets a program run until its event loop is empty, so resources created in callbacks and timers count);
 * elsewhere other work keeps the loop busy, so it is one turn of the loop.
 */
let waitUntilIdle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs the program in this process. Only one program per process (Pulumi's runtime state is process-global) and
 * only under plain Node.js, not under Jest: use {@link runProgram}, which calls this in a fresh child process.
 */
export async function runProgramInThisProcess(programDir: string, options: InProcessOptions = {}): Promise<CapturedResource[]> {
    if (inProcessRunStarted) {
        throw new Error(
            "runProgramInThisProcess runs one Pulumi program per process: Pulumi's runtime state is process-global. " +
                "Use runProgram, which runs each program in its own child process.",
        );
    }
    inProcessRunStarted = true;

    const absoluteDir = path.resolve(programDir);
    if (!fs.statSync(absoluteDir, { throwIfNoEntry: false })?.isDirectory()) {
        throw new Error(`No Pulumi program directory at ${absoluteDir}.`);
    }
    const manifest = readProjectManifest(absoluteDir);
    const project = options.project ?? manifest.name ?? path.basename(absoluteDir);
    const stack = options.stack ?? DEFAULT_STACK;
    const preview = options.preview ?? true;
    // Pulumi.yaml's `main` points at the program's entry directory or file, as for the CLI.
    const entryPoint = manifest.main ? path.resolve(absoluteDir, manifest.main) : absoluteDir;

    // setMocks must be called on the very module instance the program will load.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pulumi = require(require.resolve("@pulumi/pulumi", { paths: [absoluteDir] })) as typeof pulumiModule;
    registerTypeScript(absoluteDir);
    await initializeClosureSerializationHooks(absoluteDir);
    const removeAlias = installOwnPackageAlias(absoluteDir);
    const errorTraps = trapAsynchronousErrors();
    try {
        const capture = new RegistrationCapture(stack, project);
        await pulumi.runtime.setMocks(capture.mocks, project, stack, preview);
        if (options.config) {
            pulumi.runtime.setAllConfig(options.config, options.secretConfigKeys);
        }
        capture.attach(pulumi.runtime.getMonitor());

        // As the language host does: the program runs inside the root stack resource, which adopts its resources.
        const programRun = pulumi.runtime.runInPulumiStack(async () => {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const exported: unknown = require(entryPoint);
            return await invokeProgramExport(exported);
        });
        await errorTraps.raceWith(programRun);
        // Registrations made later (inside apply callbacks, timers) still count, as they do for the engine.
        await errorTraps.raceWith(settleRegistrations(pulumi, capture));
        capture.throwIfFailed();
        return capture.resources;
    } finally {
        errorTraps.remove();
        removeAlias();
    }
}

/**
 * The CLI calls the module's export when it is a function (`export = async () => {...}`). Programs here may also
 * use `export default async function`, which the CLI (CommonJS mode) would not call; it is called as well.
 */
async function invokeProgramExport(exported: unknown): Promise<unknown> {
    if (typeof exported === "function") {
        return await (exported as () => unknown)();
    }
    if (exported !== null && typeof exported === "object") {
        const defaultExport = (exported as { default?: unknown }).default;
        if (typeof defaultExport === "function") {
            return await (defaultExport as () => unknown)();
        }
    }
    return exported;
}

/**
 * The language host connects Pulumi's V8 inspector hooks before it loads a program; closure serialization (a dynamic
 * resource's `__provider`) uses them to name the source of a function it cannot serialize. Best effort: the module
 * is internal to @pulumi/pulumi.
 */
async function initializeClosureSerializationHooks(programDir: string): Promise<void> {
    let v8HooksPath: string;
    try {
        v8HooksPath = require.resolve("@pulumi/pulumi/runtime/closure/v8Hooks", { paths: [programDir] });
    } catch {
        return;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const v8Hooks = require(v8HooksPath) as { isInitializedAsync?: () => Promise<void> };
    await v8Hooks.isInitializedAsync?.();
}

async function settleRegistrations(pulumi: typeof pulumiModule, capture: RegistrationCapture): Promise<void> {
    for (;;) {
        await waitForOutstandingRpcs(pulumi);
        const registered = capture.resources.length;
        await waitUntilIdle();
        await waitForOutstandingRpcs(pulumi);
        if (capture.resources.length === registered) {
            return;
        }
    }
}

async function waitForOutstandingRpcs(pulumi: typeof pulumiModule): Promise<void> {
    // `waitForRPCs` is exported by the runtime but marked internal, so it is missing from the type declarations.
    const runtime = pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> };
    if (typeof runtime.waitForRPCs !== "function") {
        throw new Error("This @pulumi/pulumi has no runtime.waitForRPCs: cannot tell when the program's registrations are done.");
    }
    await runtime.waitForRPCs();
}

/** The parts of Pulumi's MockMonitor (runtime/mocks.js) this module hooks into. */
interface MockMonitorInternals {
    newUrn(parent: string, type: string, name: string): string;
    registerResource(request: RegisterResourceRequest, callback: (error: Error | null, response?: unknown) => void): unknown;
}

/** The getters of `RegisterResourceRequest` (proto/resource_pb) that are read here. */
interface RegisterResourceRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
    getProtect(): boolean | undefined;
    getDependenciesList(): string[];
    getProvider(): string;
    getPropertydependenciesMap(): { entries(): Iterable<[string, { getUrnsList(): string[] }]> };
    getDeletebeforereplace(): boolean;
    getDeletebeforereplacedefined(): boolean;
    getIgnorechangesList(): string[];
    getAdditionalsecretoutputsList(): string[];
    getAliasurnsList(): string[];
    getAliasesList(): Array<{ hasUrn(): boolean; getUrn(): string }>;
    getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
    getTransformsList(): unknown[];
}

/**
 * Records each RegisterResource request at the mock monitor, in order.
 *
 * Why the request and not `MockResourceArgs.inputs`: both carry secrets in signature form (the test checks it), but
 * the mock's inputs have been deserialized again: unknowns become an internal `Unknown` object instead of the
 * engine's sentinel string, a secret inside an array is hoisted to wrap the whole array, and resource references turn
 * into Resource objects. The request's properties are exactly what the engine receives from the program.
 */
class RegistrationCapture {
    readonly resources: CapturedResource[] = [];
    private failure?: Error;

    constructor(
        private readonly stack: string,
        private readonly project: string,
    ) {}

    // `registerTransform` is only known to newer @pulumi/pulumi typings; older runtimes ignore it.
    readonly mocks: pulumiModule.runtime.Mocks = {
        newResource: (args: pulumiModule.runtime.MockResourceArgs) => ({ id: args.custom ? `${args.name}-id` : undefined, state: args.inputs }),
        call: (args: pulumiModule.runtime.MockCallArgs) => args.inputs,
        registerTransform: () => {
            this.fail(new Error("The program registers a stack transform (registerResourceTransform), which the engine runs and mocks cannot."));
        },
    } as pulumiModule.runtime.Mocks;

    attach(monitor: unknown): void {
        const mockMonitor = monitor as MockMonitorInternals | undefined;
        if (!mockMonitor || typeof mockMonitor.registerResource !== "function" || typeof mockMonitor.newUrn !== "function") {
            throw new Error("pulumi.runtime.setMocks did not install the expected mock monitor: this @pulumi/pulumi is not supported.");
        }
        // Pulumi's mock URNs nest every resource under the root stack's type and keep only the parent's last type;
        // the engine leaves the root stack out and keeps the parent's whole qualified type.
        mockMonitor.newUrn = (parent, type, name) => this.engineUrn(parent, type, name);
        const registerResource = mockMonitor.registerResource.bind(mockMonitor);
        mockMonitor.registerResource = (request, callback) => {
            try {
                this.record(request);
            } catch (error) {
                const failure = error instanceof Error ? error : new Error(String(error));
                this.fail(failure);
                callback(failure);
                return undefined;
            }
            return registerResource(request, callback);
        };
    }

    throwIfFailed(): void {
        if (this.failure) {
            throw this.failure;
        }
    }

    private fail(error: Error): void {
        this.failure ??= error;
    }

    private engineUrn(parent: string, type: string, name: string): string {
        let qualifiedType = type;
        if (parent) {
            const parentQualifiedType = parent.split("::")[2] ?? "";
            if (parentQualifiedType !== ROOT_STACK_TYPE) {
                qualifiedType = `${parentQualifiedType}$${type}`;
            }
        }
        return `urn:pulumi:${this.stack}::${this.project}::${qualifiedType}::${name}`;
    }

    private record(request: RegisterResourceRequest): void {
        if (request.getTransformsList().length > 0) {
            throw new Error(`Resource '${request.getName()}' has transforms, which the engine runs and mocks cannot.`);
        }
        const type = request.getType();
        const name = request.getName();
        const parent = request.getParent();
        const propertyDependencies: Record<string, string[]> = {};
        for (const [property, dependencies] of request.getPropertydependenciesMap().entries()) {
            propertyDependencies[property] = dependencies.getUrnsList();
        }
        const resource: CapturedResource = {
            type,
            name,
            urn: this.engineUrn(parent, type, name),
            properties: request.getObject()?.toJavaScript() ?? {},
            dependencies: request.getDependenciesList(),
            propertyDependencies,
            custom: request.getCustom(),
            options: capturedOptions(request),
        };
        if (parent) {
            resource.parent = parent;
        }
        const provider = this.findProvider(request.getProvider());
        if (provider) {
            resource.provider = provider;
        }
        this.resources.push(resource);
    }

    /** An explicit provider is referenced as "<urn>::<id>"; default providers are the engine's, never registered. */
    private findProvider(reference: string): CapturedProvider | undefined {
        if (!reference) {
            return undefined;
        }
        const urn = reference.slice(0, reference.lastIndexOf("::"));
        const registered = this.resources.find((r) => r.urn === urn);
        return registered && { type: registered.type, name: registered.name, urn: registered.urn, properties: registered.properties };
    }
}

function capturedOptions(request: RegisterResourceRequest): CapturedResourceOptions {
    const options: CapturedResourceOptions = {
        protect: request.getProtect() ?? false,
        ignoreChanges: request.getIgnorechangesList(),
        additionalSecretOutputs: request.getAdditionalsecretoutputsList(),
        // Aliases given as specs (name/type/parent) are resolved to URNs by the engine; only literal URNs are kept.
        aliases: [...request.getAliasurnsList(), ...request.getAliasesList().filter((a) => a.hasUrn()).map((a) => a.getUrn())],
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

const DURATION_UNIT_SECONDS: Record<string, number> = { ns: 1e-9, us: 1e-6, "µs": 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

function goDurationSeconds(duration: string): number {
    let seconds = 0;
    for (const [, amount, unit] of duration.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) {
        seconds += Number(amount) * (DURATION_UNIT_SECONDS[unit ?? "s"] ?? 0);
    }
    return seconds;
}

interface ProjectManifest {
    name?: string;
    main?: string;
}

/** Reads `name:` and `main:` from Pulumi.yaml with a line match (no YAML parser is installed). */
function readProjectManifest(programDir: string): ProjectManifest {
    const manifestPath = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(programDir, f)).find((f) => fs.existsSync(f));
    if (!manifestPath) {
        return {};
    }
    const text = fs.readFileSync(manifestPath, "utf8");
    const topLevelValue = (key: string): string | undefined => {
        const match = new RegExp(`^${key}:[ \\t]*(.*)$`, "m").exec(text);
        const value = match?.[1]
            ?.replace(/\s+#.*$/, "")
            .trim()
            .replace(/^(["'])(.*)\1$/, "$2");
        return value ? value : undefined;
    };
    const manifest: ProjectManifest = {};
    const name = topLevelValue("name");
    const main = topLevelValue("main");
    if (name) {
        manifest.name = name;
    }
    if (main) {
        manifest.main = main;
    }
    return manifest;
}

/**
 * Registers ts-node for the program as the Node.js language host does (its tsconfig.json over defaults of target
 * ES2020, module/moduleResolution nodenext), but transpile-only: type checking is the build's job, not a preview's.
 * From TypeScript source this repository's own files are compiled by the bootstrap's registration, so the program's
 * is scoped to the program's directory.
 */
function registerTypeScript(programDir: string): void {
    const tsconfigPath = path.join(programDir, "tsconfig.json");
    const hasTsconfig = fs.existsSync(tsconfigPath);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tsNode = require("ts-node") as typeof import("ts-node");
    tsNode.register({
        transpileOnly: true,
        ...(hasTsconfig ? { project: tsconfigPath } : { skipProject: true }),
        compilerOptions: {
            target: "ES2020",
            module: "nodenext",
            moduleResolution: "nodenext",
            sourceMap: true,
            ...(hasTsconfig ? readCompilerOptions(tsconfigPath) : {}),
        },
        ...(isRunningFromSource() ? { scope: true, scopeDir: programDir } : {}),
    });
}

function readCompilerOptions(tsconfigPath: string): Record<string, unknown> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require("typescript") as typeof import("typescript");
    const parsed = ts.parseConfigFileTextToJson(tsconfigPath, fs.readFileSync(tsconfigPath, "utf8"));
    if (parsed.error) {
        throw new Error(`Cannot read ${tsconfigPath}: ${ts.flattenDiagnosticMessageText(parsed.error.messageText, "\n")}`);
    }
    const config = parsed.config as { compilerOptions?: Record<string, unknown> } | undefined;
    return config?.compilerOptions ?? {};
}

interface ModuleInternals {
    _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
}

interface OwnPackageManifest {
    name: string;
    main?: string;
    exports?: unknown;
}

/**
 * The bundled examples import this package by name ("intercom-security-health-check/resources"), as a user's
 * program would. Unless the program has its own, different copy installed, the name and its subpaths are pointed at
 * this package: its build (dist/...) when running compiled, its TypeScript sources when running from source (where
 * Node's own self-reference would load dist/, which may be missing or stale). Like Node, only subpaths in the
 * package's "exports" resolve, so an example cannot import what a user could not. The hook only touches this
 * package's name and is removed when the run ends.
 */
function installOwnPackageAlias(programDir: string): () => void {
    const root = findPackageRoot();
    const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as OwnPackageManifest;
    const packageName = manifest.name;
    if (hasOtherInstalledCopy(programDir, packageName, root)) {
        return () => undefined;
    }
    const fromSource = isRunningFromSource();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const moduleInternals = require("module") as ModuleInternals;
    const originalResolve = moduleInternals._resolveFilename;
    moduleInternals._resolveFilename = function (this: unknown, request, parent, isMain, options) {
        if (request !== packageName && !request.startsWith(`${packageName}/`)) {
            return originalResolve.call(this, request, parent, isMain, options);
        }
        const subpath = request === packageName ? "." : `.${request.slice(packageName.length)}`;
        const target = exportedTarget(manifest, subpath);
        if (target === undefined) {
            const error = new Error(`Package subpath '${subpath}' is not defined by "exports" in ${path.join(root, "package.json")}`);
            (error as NodeJS.ErrnoException).code = "ERR_PACKAGE_PATH_NOT_EXPORTED";
            throw error;
        }
        const relativeTarget = target.replace(/^\.\//, "");
        const sourceTarget = fromSource && /^dist\/.*\.js$/.test(relativeTarget) ? relativeTarget.slice("dist/".length, -".js".length) : relativeTarget;
        return originalResolve.call(this, path.join(root, sourceTarget), parent, isMain, options);
    };
    return () => {
        moduleInternals._resolveFilename = originalResolve;
    };
}

/** A copy of the package in a node_modules above the program that is not this package itself (npm link/file: is). */
function hasOtherInstalledCopy(programDir: string, packageName: string, ownRoot: string): boolean {
    for (let dir = programDir; ; dir = path.dirname(dir)) {
        const candidate = path.join(dir, "node_modules", packageName);
        if (fs.existsSync(path.join(candidate, "package.json"))) {
            return fs.realpathSync(candidate) !== fs.realpathSync(ownRoot);
        }
        if (path.dirname(dir) === dir) {
            return false;
        }
    }
}

/** The file a subpath ("." or "./x") maps to under the package's "exports" (or `main` without "exports"). */
function exportedTarget(manifest: OwnPackageManifest, subpath: string): string | undefined {
    const exportsField = manifest.exports;
    if (exportsField === undefined) {
        return subpath === "." ? (manifest.main ?? "index.js") : subpath;
    }
    const isSubpathMap = isRecord(exportsField) && Object.keys(exportsField).every((key) => key.startsWith("."));
    const entry = isSubpathMap ? exportsField[subpath] : subpath === "." ? exportsField : undefined;
    return conditionalTarget(entry);
}

/** Picks the target Node picks for require(): the first of the "require", "node" and "default" conditions. */
function conditionalTarget(entry: unknown): string | undefined {
    if (typeof entry === "string") {
        return entry;
    }
    if (isRecord(entry)) {
        for (const [condition, value] of Object.entries(entry)) {
            if (["require", "node", "default"].includes(condition)) {
                const target = conditionalTarget(value);
                if (target !== undefined) {
                    return target;
                }
            }
        }
    }
    return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isRunningFromSource(): boolean {
    return __filename.endsWith(".ts");
}

/** This package's root: the nearest package.json upwards that names this package (dist/cli/ or cli/). */
function findPackageRoot(): string {
    const ownName = "intercom-security-health-check";
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        const manifestPath = path.join(dir, "package.json");
        if (fs.existsSync(manifestPath)) {
            const { name } = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as { name?: string };
            if (name === ownName) {
                return dir;
            }
        }
        if (path.dirname(dir) === dir) {
            throw new Error(`Cannot find the package.json of ${ownName} above ${__dirname}.`);
        }
    }
}

interface ErrorTraps {
    /** Settles with `work`, or rejects with the first uncaught error or unhandled rejection, whichever comes first. */
    raceWith<T>(work: Promise<T>): Promise<T>;
    remove(): void;
}

/**
 * As the language host does, an unhandled rejection or uncaught exception anywhere in the program fails the run
 * (a registration failing inside an `apply` callback surfaces only this way).
 */
function trapAsynchronousErrors(): ErrorTraps {
    let firstError: unknown;
    let hasError = false;
    const waiters = new Set<(error: unknown) => void>();
    const onError = (error: unknown): void => {
        if (!hasError) {
            hasError = true;
            firstError = error;
        }
        for (const waiter of waiters) {
            waiter(error);
        }
    };
    process.on("unhandledRejection", onError);
    process.on("uncaughtException", onError);
    return {
        raceWith: <T>(work: Promise<T>): Promise<T> =>
            new Promise<T>((resolve, reject) => {
                if (hasError) {
                    reject(firstError);
                    return;
                }
                const waiter = (error: unknown): void => reject(error);
                waiters.add(waiter);
                work.then(resolve, reject).finally(() => waiters.delete(waiter));
            }),
        remove: () => {
            process.off("unhandledRejection", onError);
            process.off("uncaughtException", onError);
        },
    };
}
