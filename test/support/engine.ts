/**
 * Helpers for the engine-level tests (test/engine/pack-*.test.ts): they launch the REAL compiled policy pack (this
 * repository's root: package.json `main` is dist/pack/index.js, so `npm run build` must have run, as `npm test`'s
 * pretest does) through {@link PolicyPackSession}, and send it what `pulumi preview --policy-pack .` would send for the
 * example programs, captured with {@link runPreview} (the program run against the tool's own resource monitor).
 *
 * Everything here treats a resource's `properties` as what the engine sends: plain JSON, secrets in Pulumi's secret
 * signature form, unknowns as the unknown sentinel. Mutations always work on deep copies, so the captured examples
 * (captured once per test file) are never changed by a test.
 */
import * as fs from "fs";
import * as path from "path";
import type * as structProto from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerProto from "@pulumi/pulumi/proto/analyzer_pb";
import type { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { AnalyzerDiagnostic, CapturedResource, EnforcementLevel, LaunchOptions, PolicyPackSession } from "../../cli/analyzer-client";
import { runPreview } from "../../cli/program-runner";
import { decodeFindingPayload, FindingPayload } from "../../core/finding-payload";

/** The repository root: the policy pack as the CLI would load it (`--policy-pack .`). */
export const packDir = path.resolve(__dirname, "..", "..");
export const examplesDir = path.join(packDir, "examples");

/** The clock every engine test pins the pack to (INTERCOM_HEALTH_CHECK_AS_OF): no verdict depends on today's date. */
export const PINNED_AS_OF = "2026-11-21T00:00:00Z";

export const PACK_NAME = "intercom-security-health-check";
export const PACK_VERSION: string = (JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8")) as { version: string })
  .version;

/** Pulumi's secret signature: `{ [SECRET_SIGNATURE_KEY]: SECRET_SIGNATURE, value }` is a secret on the wire. */
export const SECRET_SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";
/** What the engine sends for a value not known during a preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const CONTROL_SCHEMA_POLICY = "intercom-control-schema";

/** Time allowed for a beforeAll that launches the pack and captures examples (each capture takes 2-3 s on an idle machine). */
export const SETUP_TIMEOUT_MS = 180_000;

export interface SecretValue<T> {
  [SECRET_SIGNATURE_KEY]: typeof SECRET_SIGNATURE;
  value: T;
}

/** A value as the engine sends a secret. */
export function secret<T>(value: T): SecretValue<T> {
  return { [SECRET_SIGNATURE_KEY]: SECRET_SIGNATURE, value };
}

/** The type token of an Intercom control, e.g. `pulumi-nodejs:dynamic/intercom:SsoEnforcement`. */
export function controlType(controlName: string): string {
  return `pulumi-nodejs:dynamic/intercom:${controlName}`;
}

/**
 * Launches the compiled pack with the clock pinned. Fails at once, with the fix, if dist/ was never built (the test
 * would otherwise time out waiting for a pack that cannot load).
 */
export async function launchPinnedPack(options: LaunchOptions = {}): Promise<PolicyPackSession> {
  const packageJson = JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8")) as { main: string };
  const entryPoint = path.join(packDir, packageJson.main);
  if (!fs.existsSync(entryPoint)) {
    throw new Error(`The compiled pack ${entryPoint} is missing: run \`npm run build\` (npm test does it in pretest).`);
  }
  return PolicyPackSession.launch(packDir, {
    ...options,
    env: { INTERCOM_HEALTH_CHECK_AS_OF: PINNED_AS_OF, ...options.env },
  });
}

export type ExampleName = "secure-workspace" | "healthcare-workspace" | "insecure-workspace";

/** Each example is captured at most once per test file (Jest gives every test file its own module registry). */
const captures = new Map<ExampleName, Promise<readonly CapturedResource[]>>();

/** The example's resources as the engine receives them (captured once per test file; callers get a deep copy). */
export async function captureExample(name: ExampleName): Promise<CapturedResource[]> {
  let capture = captures.get(name);
  if (!capture) {
    // Transpile only, as the launcher does with PULUMI_NODEJS_TRANSPILE_ONLY: lint type-checks the examples already.
    // In a preview a custom (dynamic) resource's outputs are its checked inputs: without a separate copy, a test that
    // changes a resource's properties changes what Analyze and AnalyzeStack both receive, as a program would.
    capture = runPreview(path.join(examplesDir, name), { env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } }).then((resources) =>
      deepFreeze(
        resources.map(({ outputs, ...resource }) => (resource.custom ? resource : { ...resource, ...(outputs ? { outputs } : {}) })),
      ),
    );
    captures.set(name, capture);
  }
  return cloneResources(await capture);
}

/** Deep copy: plain JSON in, plain JSON out, as the engine's properties are. */
export function cloneResources(resources: readonly CapturedResource[]): CapturedResource[] {
  return JSON.parse(JSON.stringify(resources)) as CapturedResource[];
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/** Which resource: its control name (e.g. "SsoEnforcement") and, when the stack has several, its name. */
export interface ResourceSelector {
  control: string;
  name?: string;
}

export function findResource(resources: readonly CapturedResource[], selector: ResourceSelector): CapturedResource {
  const type = controlType(selector.control);
  const matches = resources.filter((r) => r.type === type && (selector.name === undefined || r.name === selector.name));
  if (matches.length !== 1) {
    const names = resources.filter((r) => r.type === type).map((r) => r.name);
    throw new Error(
      `Expected exactly one ${selector.control}${selector.name ? ` named "${selector.name}"` : ""}, found ${matches.length} ` +
        `(${selector.control} resources: ${names.join(", ") || "none"}).`,
    );
  }
  return matches[0] as CapturedResource;
}

export interface ChangedStack {
  /** The whole stack after the change (a copy). */
  resources: CapturedResource[];
  /** The changed (or added) resource, as it now is in `resources`; absent when a resource was only removed. */
  resource?: CapturedResource;
}

/**
 * A copy of the stack in which one resource's properties are changed: `mutate` edits the (copied) properties in place,
 * or returns the new properties outright.
 */
export function mutateResource(
  resources: readonly CapturedResource[],
  selector: ResourceSelector,
  mutate: (properties: Record<string, unknown>) => Record<string, unknown> | void,
): Required<ChangedStack> {
  const copy = cloneResources(resources);
  const resource = findResource(copy, selector);
  const replaced = mutate(resource.properties);
  if (replaced !== undefined) {
    resource.properties = replaced;
  }
  return { resources: copy, resource };
}

/** A copy of the stack without the resources `remove` picks (throws if it picks none: the case would test nothing). */
export function withoutResources(resources: readonly CapturedResource[], remove: (resource: CapturedResource) => boolean): ChangedStack {
  const kept = cloneResources(resources).filter((r) => !remove(r));
  if (kept.length === resources.length) {
    throw new Error("withoutResources removed nothing.");
  }
  return { resources: kept };
}

/** The root stack resource of a captured program. */
export function rootStack(resources: readonly CapturedResource[]): CapturedResource {
  const root = resources.find((r) => r.type === "pulumi:pulumi:Stack");
  if (!root) {
    throw new Error("The captured program has no root stack resource.");
  }
  return root;
}

/**
 * A resource registered under the root stack of `resources` with an engine-style URN, as a hand-written program
 * (or another tool) would register it. `properties` are sent exactly as given.
 */
export function newResource(
  resources: readonly CapturedResource[],
  type: string,
  name: string,
  properties: Record<string, unknown>,
): CapturedResource {
  const root = rootStack(resources);
  const prefix = root.urn.slice(0, root.urn.indexOf("::", root.urn.indexOf("::") + 2) + 2); // "urn:pulumi:<stack>::<project>::"
  return { type, name, urn: `${prefix}${type}::${name}`, properties, parent: root.urn, custom: true, dependencies: [] };
}

/** A copy of the stack with `resource` added at the end. */
export function withResource(resources: readonly CapturedResource[], resource: CapturedResource): Required<ChangedStack> {
  const copy = cloneResources(resources);
  const added = cloneResources([resource])[0] as CapturedResource;
  copy.push(added);
  return { resources: copy, resource: added };
}

/** A second instance of a resource (another name and URN, same properties), added to a copy of the stack. */
export function withDuplicate(resources: readonly CapturedResource[], selector: ResourceSelector, newName: string): Required<ChangedStack> {
  const original = findResource(resources, selector);
  const duplicate: CapturedResource = {
    ...cloneResources([original])[0],
    name: newName,
    urn: `${original.urn.slice(0, original.urn.length - original.name.length)}${newName}`,
  } as CapturedResource;
  return withResource(resources, duplicate);
}

/** What the engine hears from the pack about a stack: each resource's Analyze, then AnalyzeStack. */
export interface Verdict {
  /** Diagnostics of Analyze, for every resource analyzed, in order. */
  analyze: AnalyzerDiagnostic[];
  /** Diagnostics of AnalyzeStack. */
  stack: AnalyzerDiagnostic[];
  all: AnalyzerDiagnostic[];
}

/** As `pulumi preview` does: Analyze every resource (one after another), then AnalyzeStack the whole set. */
export async function analyzeEverything(session: PolicyPackSession, resources: readonly CapturedResource[]): Promise<Verdict> {
  const analyze: AnalyzerDiagnostic[] = [];
  for (const resource of resources) {
    analyze.push(...(await session.analyze(resource)));
  }
  const stack = await session.analyzeStack([...resources]);
  return { analyze, stack, all: [...analyze, ...stack] };
}

/** Analyze of one (changed) resource, and AnalyzeStack of the whole (changed) stack. */
export async function analyzeChange(session: PolicyPackSession, change: ChangedStack): Promise<Verdict> {
  const analyze = change.resource ? await session.analyze(change.resource) : [];
  const stack = await session.analyzeStack(change.resources);
  return { analyze, stack, all: [...analyze, ...stack] };
}

export function withLevel(diagnostics: readonly AnalyzerDiagnostic[], level: EnforcementLevel): AnalyzerDiagnostic[] {
  return diagnostics.filter((d) => d.enforcementLevel === level);
}

export function mandatory(diagnostics: readonly AnalyzerDiagnostic[]): AnalyzerDiagnostic[] {
  return withLevel(diagnostics, "mandatory");
}

/**
 * The policy's own message: the SDK sends `<policy description>\n<violation message>`, and this pack ends it with its
 * status payload line (core/finding-payload.ts); this is the violation message without either (the whole message when
 * there is neither).
 */
export function violationMessage(diagnostic: AnalyzerDiagnostic): string {
  const message = decodeFindingPayload(diagnostic.message)?.text ?? diagnostic.message;
  const prefix = `${diagnostic.description}\n`;
  return diagnostic.description && message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

/** The status payload this pack attached to a diagnostic (core/finding-payload.ts); undefined when it has none. */
export function findingPayload(diagnostic: AnalyzerDiagnostic): FindingPayload | undefined {
  return decodeFindingPayload(diagnostic.message)?.payload;
}

/** One line per diagnostic, for readable assertion failures. */
export function summarize(diagnostics: readonly AnalyzerDiagnostic[]): string[] {
  return diagnostics.map((d) => `${d.enforcementLevel} ${d.policyName} @${d.urn.split("::").pop() ?? ""}: ${violationMessage(d)}`);
}

/** The SDK's advisory for a policy that read a value not known during a preview. */
export function previewAdvisoryPattern(policyName: string): RegExp {
  const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(
    `can't run policy '${escaped(policyName)}' from policy pack '${escaped(PACK_NAME)}@v${escaped(PACK_VERSION)}' during preview`,
  );
}

/** The google-protobuf Struct the pack's generated stubs use (the same copy cli/analyzer-client.ts resolves). */
function structClass(): typeof structProto.Struct {
  const protoDir = path.dirname(require.resolve("@pulumi/pulumi/proto/analyzer_pb"));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [protoDir] })) as typeof structProto).Struct;
}

/**
 * Sends Configure straight over gRPC, skipping the client-side validation {@link PolicyPackSession.configure} does
 * (as the CLI does): what the pack itself does with config an engine did not validate. Reaches into the session's
 * private gRPC client; if that field is renamed this fails loudly, never silently.
 */
export async function configureWithoutValidation(
  session: PolicyPackSession,
  config: Record<string, { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }>,
): Promise<void> {
  const client = (session as unknown as { client?: AnalyzerClient }).client;
  if (!client || typeof client.configure !== "function") {
    throw new Error("PolicyPackSession no longer keeps its gRPC client in `client`: update configureWithoutValidation.");
  }
  const Struct = structClass();
  const levels: Record<EnforcementLevel, analyzerProto.EnforcementLevel> = {
    advisory: analyzerProto.EnforcementLevel.ADVISORY,
    mandatory: analyzerProto.EnforcementLevel.MANDATORY,
    remediate: analyzerProto.EnforcementLevel.REMEDIATE,
    disabled: analyzerProto.EnforcementLevel.DISABLED,
  };
  const request = new analyzerProto.ConfigureAnalyzerRequest();
  for (const [policyName, policyConfig] of Object.entries(config)) {
    const message = new analyzerProto.PolicyConfig();
    message.setEnforcementlevel(levels[policyConfig.enforcementLevel]);
    message.setProperties(Struct.fromJavaScript(policyConfig.properties as { [key: string]: structProto.JavaScriptValue }));
    request.getPolicyconfigMap().set(policyName, message);
  }
  await new Promise<void>((resolve, reject) =>
    client.configure(request, (error) => (error ? reject(new Error(`Configure failed: ${error.message}`)) : resolve())),
  );
}
