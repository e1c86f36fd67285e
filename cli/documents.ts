/**
 * Workspace documents: Intercom workspaces and their controls declared in JSON or YAML instead of a
 * Pulumi program, for `intercom-health-check check`. The format is schemas/workspace-document.schema.json
 * (generated from the controls' zod schemas by scripts/generate.ts):
 *
 *   schemaVersion: 1
 *   project: acme-intercom          # optional (default intercom-workspaces): URNs name it
 *   stack: prod                     # optional (default dev)
 *   workspaces:
 *     - name: acme                  # the Workspace resource's name
 *       settings: { workspaceId: ab12cd34ef, name: Acme Support, region: us }
 *       controls:
 *         - type: MessengerSecurity # a control's name, or its type token
 *           name: acme-web          # its resource name
 *           settings: { platform: web, identityVerification: jwt, enforced: true,
 *                       apiSecret: { $secretEnv: WEB_MESSENGER_SECRET } }
 *
 * A control's `workspaceId` is its workspace's (given, it must be the same). `{ "$secretEnv": "NAME" }`
 * stands, wherever text is allowed, for that environment variable's value, sent as a Pulumi secret.
 *
 * Each document becomes the resources a program declaring the same things would register, in the
 * engine's wire form (cli/preview-engine.ts): the same type tokens, URNs
 * (`urn:pulumi:<stack>::<project>::<type>::<name>`, parented by the stack), the controls' secret
 * fields wrapped as the resources wrap them (core/resource.ts), each control depending on its
 * workspace's workspaceId as when it takes `workspace.workspaceId`. So the pack grades a document
 * exactly as it grades the equivalent program, and exceptions by URN, name or workspace match alike.
 */
import * as yaml from "js-yaml";
import * as fs from "fs";
import * as path from "path";
import Ajv2020, { ErrorObject, ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { ControlDefinition } from "../core/control";
import { isSecretEnvelope, secretSignature, signatureKey } from "../core/secret-envelope";
import { allControls, workspaceControl } from "../resources";
import { CapturedResource, CapturedResourceOptions } from "./analyzer-client";
import { InputError } from "./errors";
import { resourceUrn, ROOT_STACK_TYPE } from "./preview-engine";
import { describeYamlError, expandsBeyond, maxExpandedValues } from "./stack-config";

export const defaultProject = "intercom-workspaces";
export const defaultStack = "dev";
/** The key of a secret reference (see the schema's `secretReference`). */
export const secretReferenceKey = "$secretEnv";
/** Documents larger than this, in all, are refused before parsing: no Intercom account has this much to declare. */
export const maxDocumentBytes = 32 * 1024 * 1024;
/** More resources than this in one check are refused: the pack grades each in turn. */
export const maxResources = 10_000;
/** Extensions a directory's documents have. */
const documentExtensions = new Set([".json", ".yaml", ".yml"]);

export interface DocumentSource {
  /** The file, or "<stdin>", for messages. */
  readonly label: string;
  readonly text: string;
}

export interface DocumentResources {
  readonly project: string;
  readonly stack: string;
  /** The root stack, then each workspace and its controls, in document order. */
  readonly resources: CapturedResource[];
  /** Every value read from the environment as a secret: no message may show one. */
  readonly secretTexts: string[];
}

/**
 * The documents `target` names: a file; every *.json, *.yaml and *.yml directly in a directory,
 * sorted by name; or, for "-", standard input (read by `readStdin`).
 */
export function readDocumentSources(target: string, readStdin: () => string = () => readBounded(0)): DocumentSource[] {
  if (target === "-") return checkedSize([{ label: "<stdin>", text: readStdin() }]);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    throw new InputError(`${target} does not exist`);
  }
  // Named by extension, whatever they are: one that is not a regular file (a directory, a device) is refused below, not skipped.
  const files = stat.isDirectory()
    ? fs
        .readdirSync(target)
        .filter((name) => documentExtensions.has(path.extname(name).toLowerCase()))
        .sort()
        .map((name) => path.join(target, name))
    : [target];
  if (files.length === 0) throw new InputError(`${target} holds no workspace document (*.json, *.yaml or *.yml)`);
  let total = 0;
  return files.map((file) => {
    const fileStat = fs.statSync(file);
    // A device or a FIFO (/dev/zero) has no size to bound: only regular files, and "-" for a stream.
    if (!fileStat.isFile()) throw new InputError(`${file} is not a regular file`);
    total += fileStat.size;
    if (total > maxDocumentBytes) throw new InputError(`${target}: the documents exceed ${maxDocumentBytes} bytes; split the check`);
    try {
      return { label: file, text: fs.readFileSync(file, "utf8") };
    } catch {
      throw new InputError(`cannot read ${file}`);
    }
  });
}

/** Standard input, read no further than the bound (an endless stream is refused, not buffered). */
function readBounded(fd: number): string {
  const chunks: Buffer[] = [];
  let total = 0;
  const buffer = Buffer.alloc(64 * 1024);
  for (;;) {
    let read: number;
    try {
      read = fs.readSync(fd, buffer, 0, buffer.length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EAGAIN") {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      if ((error as NodeJS.ErrnoException).code === "EOF") break;
      throw new InputError("cannot read standard input");
    }
    if (read === 0) break;
    total += read;
    if (total > maxDocumentBytes) throw new InputError(`the documents exceed ${maxDocumentBytes} bytes; split the check`);
    chunks.push(Buffer.from(buffer.subarray(0, read)));
  }
  return Buffer.concat(chunks).toString("utf8");
}

function checkedSize(sources: DocumentSource[]): DocumentSource[] {
  const total = sources.reduce((sum, s) => sum + Buffer.byteLength(s.text, "utf8"), 0);
  if (total > maxDocumentBytes) throw new InputError(`the documents exceed ${maxDocumentBytes} bytes; split the check`);
  return sources;
}

/** A problem at a place in a document: the file and the JSON path, never the value there. */
interface Problem {
  readonly label: string;
  readonly path: readonly (string | number)[];
  readonly message: string;
}

function formatProblem(problem: Problem): string {
  return `${problem.label}: ${jsonPath(problem.path)}: ${problem.message}`;
}

/** `$.workspaces[0].settings["odd key"]`: JSONPath, keys quoted when they are not identifiers. */
export function jsonPath(segments: readonly (string | number)[]): string {
  return (
    "$" +
    segments
      .map((s) => (typeof s === "number" ? `[${s}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`))
      .join("")
  );
}

/**
 * Reads, validates and converts the documents; every problem of every document is reported at
 * once (InputError, exit 2), by file and JSON path.
 */
export function documentResources(sources: readonly DocumentSource[], env: NodeJS.ProcessEnv = process.env): DocumentResources {
  const problems: Problem[] = [];
  const parsed: Array<{ label: string; document: WorkspaceDocument }> = [];
  for (const source of checkedSize([...sources])) {
    const value = parseDocument(source);
    const errors = schemaProblems(value);
    if (errors.length > 0) problems.push(...errors.map((e) => ({ label: source.label, ...e })));
    else parsed.push({ label: source.label, document: value as WorkspaceDocument });
  }
  if (problems.length > 0) throw documentsRefused(problems);

  const project = agreedName(parsed, "project", defaultProject, problems);
  const stack = agreedName(parsed, "stack", defaultStack, problems);
  const secretTexts: string[] = [];
  const stackResource = rootStackResource(project, stack);
  const resources: CapturedResource[] = [stackResource];
  const declaredAt = new Map<string, Problem>();
  const register = (resource: Omit<CapturedResource, "urn" | "parent" | "custom">, at: Problem): CapturedResource => {
    const urn = resourceUrn(project, stack, resource.type, resource.name);
    const earlier = declaredAt.get(urn);
    if (earlier) {
      problems.push({
        ...at,
        message: `a second ${resource.type.split(":").pop()} named ${JSON.stringify(resource.name)} (the first is ${earlier.label}: ${jsonPath(earlier.path)}); names are unique per type`,
      });
    }
    declaredAt.set(urn, at);
    const registered: CapturedResource = { ...resource, urn, parent: stackResource.urn, custom: true };
    resources.push(registered);
    return registered;
  };

  for (const { label, document } of parsed) {
    document.workspaces.forEach((workspace, w) => {
      const at = (...rest: (string | number)[]): Problem => ({ label, path: ["workspaces", w, ...rest], message: "" });
      const settings = resolveSecretReferences(workspace.settings, at("settings"), env, problems, secretTexts) as Record<string, unknown>;
      const registered = register(controlResource(workspaceControl, workspace.name, settings, []), at("name"));
      const workspaceId = settings["workspaceId"];
      workspace.controls.forEach((control, c) => {
        const definition = controlsByType.get(control.type) as ControlDefinition;
        const own = resolveSecretReferences(control.settings, at("controls", c, "settings"), env, problems, secretTexts) as Record<
          string,
          unknown
        >;
        if (Object.hasOwn(own, "workspaceId") && !sameValue(own["workspaceId"], workspaceId)) {
          problems.push({
            ...at("controls", c, "settings", "workspaceId"),
            message: `is not the workspaceId of the workspace it is listed under (${jsonPath(["workspaces", w, "settings", "workspaceId"])}); list the control under its own workspace`,
          });
        }
        // As a program passing `workspace.workspaceId`: the workspace's value, and a dependency on it.
        const props = { ...own, workspaceId };
        register(controlResource(definition, control.name, props, [registered.urn]), at("controls", c, "name"));
      });
    });
  }
  if (resources.length - 1 > maxResources) {
    problems.push({
      label: parsed.map((p) => p.label).join(", "),
      path: [],
      message: `more than ${maxResources} resources in one check; split the check`,
    });
  }
  if (problems.length > 0) throw documentsRefused(problems);
  return { project, stack, resources, secretTexts };
}

/** The root stack resource a program of this project and stack registers first. */
export function rootStackResource(project: string, stack: string): CapturedResource {
  const name = `${project}-${stack}`;
  return {
    type: ROOT_STACK_TYPE,
    name,
    urn: resourceUrn(project, stack, ROOT_STACK_TYPE, name),
    properties: {},
    dependencies: [],
    propertyDependencies: {},
    custom: false,
    options: resourceOptions([]),
  };
}

function documentsRefused(problems: readonly Problem[]): InputError {
  const lines = [...new Set(problems.map(formatProblem))];
  return new InputError(`${lines.length === 1 ? "a workspace document is" : "workspace documents are"} refused:\n${lines.join("\n")}`);
}

/** The project (or stack) the documents name: all that name one must agree; none naming one is the default. */
function agreedName(
  parsed: ReadonlyArray<{ label: string; document: WorkspaceDocument }>,
  key: "project" | "stack",
  fallback: string,
  problems: Problem[],
): string {
  const named = parsed.filter((p) => p.document[key] !== undefined);
  const first = named[0];
  if (!first) return fallback;
  for (const other of named.slice(1)) {
    if (other.document[key] !== first.document[key]) {
      problems.push({ label: other.label, path: [key], message: `is not the ${key} ${first.label} names; one check grades one ${key}` });
    }
  }
  return first.document[key] as string;
}

interface WorkspaceDocument {
  readonly schemaVersion: 1;
  readonly project?: string;
  readonly stack?: string;
  readonly workspaces: ReadonlyArray<{
    readonly name: string;
    readonly settings: Record<string, unknown>;
    readonly controls: ReadonlyArray<{ readonly type: string; readonly name: string; readonly settings: Record<string, unknown> }>;
  }>;
}

const controlsByType = new Map<string, ControlDefinition>(allControls.flatMap((c) => [[c.name, c] as const, [c.typeToken, c] as const]));

/**
 * JSON or YAML (JSON is YAML): js-yaml's core schema, which builds no JavaScript types and reads
 * dates as text, as Pulumi reads its YAML. Refuses duplicate keys (JSON.parse would keep the last
 * silently), aliases that expand beyond a bound, and nesting deeper than the parser's stack.
 */
function parseDocument(source: DocumentSource): unknown {
  let value: unknown;
  try {
    value = yaml.load(source.text, { filename: source.label, schema: yaml.CORE_SCHEMA });
  } catch (error) {
    if (error instanceof RangeError) throw new InputError(`${source.label}: nested too deeply to read`);
    throw new InputError(describeYamlError(error, source.label));
  }
  if (expandsBeyond(value, maxExpandedValues)) {
    throw new InputError(
      `${source.label}: its aliases expand to more than ${maxExpandedValues} values; write the values out, or use fewer aliases`,
    );
  }
  return value;
}

let compiledSchema: ValidateFunction | undefined;

/** The generated schema, as shipped (schemas/workspace-document.schema.json). */
function documentValidator(): ValidateFunction {
  if (!compiledSchema) {
    const schema: unknown = JSON.parse(fs.readFileSync(path.join(packageRoot, "schemas", "workspace-document.schema.json"), "utf8"));
    const ajv = new Ajv2020({ allErrors: true, strict: false, discriminator: true });
    addFormats(ajv);
    compiledSchema = ajv.compile(schema as object);
  }
  return compiledSchema;
}

/** The package's root: above dist/cli when compiled, above cli/ when run from source (tests). */
const packageRoot =
  [path.resolve(__dirname, "..", ".."), path.resolve(__dirname, "..")].find((dir) =>
    fs.existsSync(path.join(dir, "schemas", "workspace-document.schema.json")),
  ) ?? path.resolve(__dirname, "..", "..");

/** Every schema error, by JSON path; Ajv's messages name rules and allowed values, never the value given. */
function schemaProblems(value: unknown): Array<Omit<Problem, "label">> {
  const validate = documentValidator();
  let valid: boolean;
  try {
    valid = validate(value) as boolean;
  } catch (error) {
    if (error instanceof RangeError) return [{ path: [], message: "nested too deeply to validate" }];
    throw error;
  }
  if (valid) return [];
  const errors = validate.errors ?? [];
  // Where a secret reference was allowed but the value is not an object, its branch's errors only repeat that text was expected.
  const relevant = errors.filter((e) => !(e.schemaPath.startsWith("#/$defs/secretReference") && !isObjectAt(value, e.instancePath)));
  // An unknown control type: one message at its `type`, rather than the list of every type and token.
  const unknownTypeAt = new Set(relevant.filter((e) => e.keyword === "discriminator").map((e) => `${e.instancePath}/type`));
  const placesWithOwnErrors = new Set(relevant.filter((e) => e.keyword !== "anyOf" && e.keyword !== "oneOf").map((e) => e.instancePath));
  return relevant
    .filter((e) => !((e.keyword === "anyOf" || e.keyword === "oneOf") && placesWithOwnErrors.has(e.instancePath)))
    .filter((e) => !(e.keyword === "enum" && unknownTypeAt.has(e.instancePath)))
    .map((e) => ({ path: pointerSegments(e.instancePath).concat(extraSegment(e)), message: describeSchemaError(e) }));
}

function extraSegment(error: ErrorObject): string[] {
  if (error.keyword === "additionalProperties") return [String(error.params["additionalProperty"])];
  if (error.keyword === "required") return [String(error.params["missingProperty"])];
  if (error.keyword === "discriminator") return [String(error.params["tag"])];
  return [];
}

function describeSchemaError(error: ErrorObject): string {
  if (error.keyword === "additionalProperties") return "is not a field here";
  if (error.keyword === "required") return "is required";
  if (error.keyword === "enum")
    return `must be one of ${(error.params["allowedValues"] as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
  if (error.keyword === "const") return `must be ${JSON.stringify(error.params["allowedValue"])}`;
  if (error.keyword === "discriminator")
    return "is not a control type: give a control's name (e.g. SsoEnforcement) or its type token (docs/resources.md)";
  return error.message ?? error.keyword;
}

function pointerSegments(pointer: string): (string | number)[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

function isObjectAt(root: unknown, pointer: string): boolean {
  let current: unknown = root;
  for (const segment of pointerSegments(pointer)) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, segment)) return false;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current !== null && typeof current === "object" && !Array.isArray(current);
}

function isSecretReference(value: unknown): value is { [secretReferenceKey]: string } {
  return (
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as Record<string, unknown>)[secretReferenceKey] === "string"
  );
}

/** Pulumi's wire form of a secret (core/secret-envelope.ts). */
function secretEnvelope(value: unknown): Record<string, unknown> {
  return Object.fromEntries([
    [signatureKey, secretSignature],
    ["value", value],
  ]);
}

/** The value with each secret reference replaced by the variable's value as a secret; a missing variable is a problem (named, never its value). */
function resolveSecretReferences(value: unknown, at: Problem, env: NodeJS.ProcessEnv, problems: Problem[], secretTexts: string[]): unknown {
  if (isSecretReference(value)) {
    const name = value[secretReferenceKey];
    const text = Object.hasOwn(env, name) ? env[name] : undefined;
    if (text === undefined) {
      problems.push({ ...at, message: `the environment variable ${name} is not set (the secret reference's value)` });
      return secretEnvelope("");
    }
    if (text !== "") secretTexts.push(text);
    return secretEnvelope(text);
  }
  if (Array.isArray(value))
    return value.map((element, i) => resolveSecretReferences(element, { ...at, path: [...at.path, i] }, env, problems, secretTexts));
  if (value !== null && typeof value === "object") {
    // Built with fromEntries: a key such as "__proto__" stays a plain key.
    return Object.fromEntries(
      Object.entries(value).map(([key, element]) => [
        key,
        resolveSecretReferences(element, { ...at, path: [...at.path, key] }, env, problems, secretTexts),
      ]),
    );
  }
  return value;
}

function sameValue(a: unknown, b: unknown): boolean {
  const plain = (v: unknown) => (isSecretEnvelope(v) ? v.value : v);
  return plain(a) === plain(b);
}

/** One control as its resource class registers it (core/resource.ts): secret paths wrapped, secret top-level fields as additional secret outputs. */
export function controlResource(
  definition: ControlDefinition,
  name: string,
  settings: Record<string, unknown>,
  dependsOn: string[],
): Omit<CapturedResource, "urn" | "parent" | "custom"> {
  const properties = withSecrets(definition, settings);
  const secretTopLevelFields = [...new Set(definition.secretPaths.map((p) => p.split(".")[0] as string))];
  return {
    type: definition.typeToken,
    name,
    properties,
    dependencies: dependsOn,
    propertyDependencies: Object.fromEntries(Object.keys(properties).map((key) => [key, key === "workspaceId" ? dependsOn : []])),
    options: resourceOptions(secretTopLevelFields),
  };
}

export function resourceOptions(additionalSecretOutputs: string[]): CapturedResourceOptions {
  return { protect: false, ignoreChanges: [], additionalSecretOutputs, aliases: [], customTimeouts: { create: 0, update: 0, delete: 0 } };
}

/** As the resource classes do (core/resource.ts `withSecrets`): every secret path's value a Pulumi secret, the leaf only under an object. */
function withSecrets(definition: ControlDefinition, settings: Record<string, unknown>): Record<string, unknown> {
  const secret = (value: unknown) => (isSecretEnvelope(value) ? value : secretEnvelope(value));
  let result: Record<string, unknown> = { ...settings };
  for (const secretPath of definition.secretPaths) {
    const [top, ...rest] = secretPath.split(".") as [string, ...string[]];
    const value = Object.hasOwn(result, top) ? result[top] : undefined;
    if (value === undefined || value === null) continue;
    const leaf = rest[0];
    if (rest.length === 1 && leaf !== "*" && typeof value === "object" && !Array.isArray(value) && !isSecretEnvelope(value)) {
      const record = value as Record<string, unknown>;
      if (Object.hasOwn(record, leaf as string) && record[leaf as string] !== undefined) {
        result = { ...result, [top]: { ...record, [leaf as string]: secret(record[leaf as string]) } };
      }
    } else {
      result = { ...result, [top]: secret(value) };
    }
  }
  return result;
}
