/**
 * Reading workspace documents (cli/documents.ts describes their format): the files, their parsing, their
 * validation against schemas/workspace-document.schema.json, and the project and stack they name. Their
 * conversion into resources (cli/documents.ts) needs the controls, and so @pulumi/pulumi; kept apart, so that
 * `check` can start the pack for the documents' stack while it loads the rest.
 */
import * as yaml from "js-yaml";
import * as fs from "fs";
import * as path from "path";
import Ajv2020, { ErrorObject, ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { InputError } from "./errors";
import { describeYamlError, expandsBeyond, maxExpandedValues } from "./stack-config";

export const defaultProject = "intercom-workspaces";
export const defaultStack = "dev";
/** The key of a secret reference (see the schema's `secretReference`). */
export const secretReferenceKey = "$secretEnv";
/** Documents larger than this, in all, are refused before parsing: no Intercom account has this much to declare. */
export const maxDocumentBytes = 32 * 1024 * 1024;
/** Extensions a directory's documents have. */
const documentExtensions = new Set([".json", ".yaml", ".yml"]);

export interface DocumentSource {
  /** The file, or "<stdin>", for messages. */
  readonly label: string;
  readonly text: string;
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
export interface Problem {
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

/** The documents as read: each valid against the schema, and the project and stack they name. */
export interface ReadDocuments {
  readonly documents: ReadonlyArray<{ readonly label: string; readonly document: WorkspaceDocument }>;
  readonly project: string;
  readonly stack: string;
  /** Documents that disagree on the project or the stack: reported with the conversion's problems, all at once. */
  readonly problems: readonly Problem[];
}

/** Parses and validates the documents; every schema problem of every document is reported at once (InputError, exit 2). */
export function readWorkspaceDocuments(sources: readonly DocumentSource[]): ReadDocuments {
  const problems: Problem[] = [];
  const documents: Array<{ label: string; document: WorkspaceDocument }> = [];
  for (const source of checkedSize([...sources])) {
    const value = parseDocument(source);
    const errors = schemaProblems(value);
    if (errors.length > 0) problems.push(...errors.map((e) => ({ label: source.label, ...e })));
    else documents.push({ label: source.label, document: value as WorkspaceDocument });
  }
  if (problems.length > 0) throw documentsRefused(problems);
  const project = agreedName(documents, "project", defaultProject, problems);
  const stack = agreedName(documents, "stack", defaultStack, problems);
  return { documents, project, stack, problems };
}

export function documentsRefused(problems: readonly Problem[]): InputError {
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

export interface WorkspaceDocument {
  readonly schemaVersion: 1;
  readonly project?: string;
  readonly stack?: string;
  readonly workspaces: ReadonlyArray<{
    readonly name: string;
    readonly settings: Record<string, unknown>;
    readonly controls: ReadonlyArray<{ readonly type: string; readonly name: string; readonly settings: Record<string, unknown> }>;
  }>;
}

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
