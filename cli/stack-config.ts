/**
 * A program's stack configuration, assembled as the Pulumi CLI assembles it before it starts the program
 * (sdk/go/common/workspace: project.go, config.go; sdk/go/common/resource/config: value.go, key.go):
 *
 * - `Pulumi.yaml`'s `config:` block: project-level declarations. An unnamespaced key (or one namespaced by the
 *   project) is the project's own: `key: value` is its default, `key: { type, default, secret, items, description }`
 *   declares it, and one with neither default nor value must be given by the stack. A key of another namespace
 *   (`aws:region`) gives a `value`, shorthand `aws:region: us-west-2`.
 * - the stack file, `Pulumi.<stack>.yaml` (in `stackConfigDir` when Pulumi.yaml names one), or the file given
 *   instead (`--config-file`): `config:` with `namespace:key` keys. A scalar is kept as its text (`3`, `yes`,
 *   `1.50` reach the program as written), a mapping or list as JSON (keys sorted, as Go's encoder writes them), a
 *   `secure:` value is encrypted.
 * - the command line: `--config key=value`, `--secret key=value`, `--secret-env key=ENV_VAR`. A key without a
 *   namespace is the project's.
 *
 * Precedence as Pulumi's: project defaults < stack file < command line. Declared types and `secret: true` are
 * checked on the result, as Pulumi checks them.
 *
 * This tool holds no stack's secrets provider, so it cannot decrypt `secure:` values. Every encrypted value the
 * command line does not supply is refused up front, all named in one error: whether the program reads a key can
 * depend on anything (`config.getSecret(k) ?? fallback`), and running it without the value, or with a placeholder,
 * would grade a program that differs from the one Pulumi runs. Supplied secrets are passed as secret config (the
 * program's `getSecret`/`requireSecret` give Outputs marked secret) and listed in {@link StackConfiguration.secretTexts}
 * for redaction. No message here shows a configuration value: keys, files and positions only.
 */
import * as yaml from "js-yaml";
import * as fs from "fs";
import * as path from "path";
import { InputError, UsageError } from "./errors";

export interface StackConfiguration {
  /** Fully qualified keys ("namespace:name") to the values the program sees, as `pulumi config` stores them. */
  readonly config: Record<string, string>;
  /** The keys of {@link config} whose values are secrets. */
  readonly secretKeys: string[];
  /** The keys of {@link config} whose values are objects or lists (JSON), as opposed to a string that reads as JSON. */
  readonly objectKeys: string[];
  /** Every secret text supplied (each value, and each string inside a secret JSON value): no output may show one. */
  readonly secretTexts: string[];
  /** Pulumi.yaml's identity of the project: what the CLI derives the stack's `pulumi:*` tags from. */
  readonly project: ProjectIdentity;
}

/** Pulumi.yaml's `name`, `runtime` (its name, also when written `runtime: { name: … }`) and `description`. */
export interface ProjectIdentity {
  readonly name: string;
  readonly runtime: string;
  readonly description?: string;
}

/** What the command line gives, each as the user typed it (`key=value`, `key=ENV_VAR`), in order. */
export interface CommandLineConfig {
  readonly config?: readonly string[];
  readonly secrets?: readonly string[];
  readonly secretEnv?: readonly string[];
}

export interface ReadStackConfigOptions extends CommandLineConfig {
  readonly stack: string;
  /** A stack configuration file to read instead of Pulumi.<stack>.yaml. */
  readonly configFile?: string;
  /** Where `--secret-env` reads from (default: this process's environment). */
  readonly env?: NodeJS.ProcessEnv;
}

/** The texts of the files, for {@link resolveStackConfiguration}. */
export interface StackConfigSources extends CommandLineConfig {
  readonly stack: string;
  readonly projectText: string;
  /** For messages. */
  readonly projectFile: string;
  /** Absent: the stack has no configuration file (as a new stack). */
  readonly stackText?: string;
  readonly stackFile: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Reads the program's Pulumi.yaml and stack file and combines them with the command line. */
export function readStackConfiguration(programDir: string, options: ReadStackConfigOptions): StackConfiguration {
  const projectFile = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(programDir, f)).find((f) => fs.existsSync(f));
  if (!projectFile) {
    throw new UsageError(`${programDir} is not a Pulumi program: it has no Pulumi.yaml`);
  }
  const projectText = readText(projectFile);
  let stackFile: string;
  let stackText: string | undefined;
  if (options.configFile !== undefined) {
    stackFile = options.configFile;
    if (!fs.existsSync(stackFile)) throw new UsageError(`--config-file ${stackFile} does not exist`);
    stackText = readText(stackFile);
  } else {
    const dir = path.join(programDir, stackConfigDirOf(parseYaml(projectText, projectFile).typed, projectFile));
    const candidates = [".yaml", ".yml"].map((ext) => path.join(dir, `Pulumi.${options.stack}${ext}`));
    stackFile = candidates.find((f) => fs.existsSync(f)) ?? (candidates[0] as string);
    stackText = fs.existsSync(stackFile) ? readText(stackFile) : undefined;
  }
  return resolveStackConfiguration({ ...options, projectText, projectFile, stackFile, ...(stackText !== undefined ? { stackText } : {}) });
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    throw new InputError(`cannot read ${file}`);
  }
}

/** The stack configuration from the files' texts and the command line: pure but for `env`. */
export function resolveStackConfiguration(sources: StackConfigSources): StackConfiguration {
  const projectDocument = parseYaml(sources.projectText, sources.projectFile).typed;
  const projectName = isRecord(projectDocument) ? projectDocument["name"] : undefined;
  if (typeof projectName !== "string" || projectName === "" || projectName.includes(":")) {
    throw new InputError(`${sources.projectFile} has no valid project name (name:)`);
  }
  const problems: string[] = [];
  const declarations = projectDeclarations(projectName, projectDocument, sources.projectFile, problems);
  const stackValues =
    sources.stackText === undefined ? new Map<string, ConfigValue>() : stackFileValues(sources.stackText, sources.stackFile, problems);
  const assignments = commandLineAssignments(sources, projectName);
  if (problems.length > 0) throw new InputError(problems.join("\n"));

  // Pulumi sets command-line values into the stack's configuration, then applies the project's.
  const values = new Map(stackValues);
  const overriddenSecure: string[] = [];
  for (const assignment of assignments) {
    const previous = values.get(assignment.key);
    if (previous?.encrypted && !assignment.secret) overriddenSecure.push(assignment.key);
    values.set(assignment.key, { value: assignment.value, object: false, secret: assignment.secret, encrypted: false });
  }
  const stackFileName = path.basename(sources.stackFile);
  if (overriddenSecure.length > 0) {
    problems.push(
      `${listKeys(overriddenSecure)} ${overriddenSecure.length === 1 ? "is" : "are"} encrypted in ${stackFileName}: ` +
        `give ${overriddenSecure.length === 1 ? "it" : "them"} with --secret or --secret-env, not --config, so that ${overriddenSecure.length === 1 ? "it stays a secret" : "they stay secrets"}`,
    );
  }
  const missing: string[] = [];
  for (const declaration of [...declarations.values()].sort((a, b) => compareText(a.declared, b.declared))) {
    if (values.has(declaration.key)) continue;
    if (declaration.default !== undefined || declaration.value !== undefined) {
      const given = declaration.default !== undefined ? declaration.default : declaration.value;
      values.set(declaration.key, configValueOf(given, `${sources.projectFile}: config ${declaration.declared}`));
    } else if (namespaceOf(declaration.key) === projectName) {
      missing.push(declaration.declared);
    }
  }
  if (missing.length > 0) {
    problems.push(
      `stack '${sources.stack}' is missing configuration ${missing.length === 1 ? "value" : "values"} ${listKeys(missing)} (declared in ${path.basename(sources.projectFile)} without a default): ` +
        `set ${missing.length === 1 ? "it" : "them"} in ${stackFileName} or give ${missing.length === 1 ? "it" : "them"} with --config key=value (--secret or --secret-env for a secret)`,
    );
  }
  const undecryptable = [...values.entries()].filter(([, v]) => v.encrypted).map(([key]) => key);
  if (undecryptable.length > 0) {
    const example = shortKey(undecryptable[0] as string, projectName);
    problems.push(
      `${stackFileName} holds ${undecryptable.length === 1 ? "an encrypted (secure:) value" : "encrypted (secure:) values"} this tool cannot decrypt: ${listKeys(undecryptable)}. ` +
        `Supply each with --secret ${example}=<value>, or --secret-env ${example}=<ENV_VAR> to read it from an environment variable ` +
        `(it then stays out of your shell history and the process list)`,
    );
  }
  for (const declaration of declarations.values()) {
    const given = values.get(declaration.key);
    if (!given || given.encrypted) continue;
    // Pulumi checks `secret: true` only on typed keys; a key the project calls secret is never taken in plain text.
    if (declaration.secret && !given.secret) {
      problems.push(
        `configuration key ${quote(declaration.declared)} is declared secret in ${path.basename(sources.projectFile)}: give it with --secret or --secret-env, or encrypted in ${stackFileName}`,
      );
      continue;
    }
    if (declaration.type === undefined) continue;
    const content: unknown = given.object ? JSON.parse(given.value) : given.value;
    if (!matchesDeclaredType(declaration.type, declaration.items, content)) {
      problems.push(
        `configuration key ${quote(declaration.declared)} of stack '${sources.stack}' must be of type '${fullTypeName(declaration.type, declaration.items)}'`,
      );
    }
  }
  if (problems.length > 0) throw new InputError(problems.join("\n"));

  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const secretTexts: string[] = [];
  const objectKeys: string[] = [];
  for (const [key, value] of [...values.entries()].sort(([a], [b]) => compareText(a, b))) {
    config[key] = value.value;
    if (value.object) objectKeys.push(key);
    if (value.secret) {
      secretKeys.push(key);
      secretTexts.push(...secretTextsOf(value.value));
    }
  }
  return {
    config,
    secretKeys,
    objectKeys,
    secretTexts: [...new Set(secretTexts)],
    project: projectIdentity(projectName, projectDocument),
  };
}

/** The program's Pulumi.yaml identity (name, runtime, description), read as {@link readStackConfiguration} reads it. */
export function readProjectIdentity(programDir: string): ProjectIdentity {
  const projectFile = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(programDir, f)).find((f) => fs.existsSync(f));
  if (!projectFile) throw new UsageError(`${programDir} is not a Pulumi program: it has no Pulumi.yaml`);
  const document = parseYaml(readText(projectFile), projectFile).typed;
  const name = isRecord(document) ? document["name"] : undefined;
  if (typeof name !== "string" || name === "" || name.includes(":"))
    throw new InputError(`${projectFile} has no valid project name (name:)`);
  return projectIdentity(name, document);
}

function projectIdentity(name: string, document: unknown): ProjectIdentity {
  const project = isRecord(document) ? document : {};
  const runtime = project["runtime"];
  const runtimeName =
    typeof runtime === "string" ? runtime : isRecord(runtime) && typeof runtime["name"] === "string" ? runtime["name"] : "";
  const description = project["description"];
  return { name, runtime: runtimeName, ...(typeof description === "string" ? { description } : {}) };
}

/** The key of the stack's configuration whose object adds stack tags (apitype.PulumiTagsConfigKey). */
export const pulumiTagsConfigKey = "pulumi:tags";

/**
 * The stack tags a policy pack receives in ConfigureStack, as the Pulumi CLI assembles them for a Pulumi Cloud stack
 * before an update or preview starts (pkg/backend/stack.go GetMergedStackTags): the stack's existing tags (held by
 * the service, `pulumi stack tag set`: this tool cannot read them, `--tag key=value` gives them), overwritten by the
 * tags the CLI derives (GetEnvironmentTagsForCurrentStack): `pulumi:project`, `pulumi:runtime` and
 * `pulumi:description` from Pulumi.yaml, then every entry of the `pulumi:tags` configuration object. Checked as the
 * service client checks them (pkg/util/validation/stack.go ValidateStackTags), with its wording. Messages name tags,
 * never their values.
 */
export function stackTagsOf(
  project: ProjectIdentity,
  config: Readonly<Record<string, string>>,
  commandLineTags: readonly string[] = [],
  /** The keys of `config` that hold objects; unknown (undefined): a value that parses as a JSON object is one. */
  objectKeys?: readonly string[],
): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const entry of commandLineTags) {
    const separator = entry.indexOf("=");
    if (separator < 0) throw new UsageError(`--tag takes key=value; an argument has no "="`);
    tags[entry.slice(0, separator)] = entry.slice(separator + 1);
  }
  tags["pulumi:project"] = project.name;
  tags["pulumi:runtime"] = project.runtime;
  if (project.description !== undefined) tags["pulumi:description"] = project.description;
  const configured = config[pulumiTagsConfigKey];
  if (configured !== undefined) {
    // Config.Get then ToObject: a plain string value (`--config pulumi:tags={...}`) stays a string, which is refused.
    let parsed: unknown;
    try {
      parsed = objectKeys === undefined || objectKeys.includes(pulumiTagsConfigKey) ? JSON.parse(configured) : configured;
    } catch {
      parsed = undefined;
    }
    if (!isRecord(parsed)) throw new InputError(`${pulumiTagsConfigKey} must be an object of strings`);
    for (const [name, value] of Object.entries(parsed)) {
      if (typeof value !== "string") throw new InputError(`${pulumiTagsConfigKey}[${name}] must be a string`);
      tags[name] = value;
    }
  }
  for (const [name, value] of Object.entries(tags)) {
    const problem = stackTagProblem(name, value);
    if (problem) throw new InputError(problem);
  }
  return tags;
}

/** ValidateStackTags: names of 1 to 40 alphanumerics, hyphens, underscores, periods or colons; values up to 256 bytes. */
function stackTagProblem(name: string, value: string): string | undefined {
  if (name.length === 0) return `invalid stack tag ""`;
  if (Buffer.byteLength(name, "utf8") > 40) return `stack tag ${JSON.stringify(name)} is too long (max length 40 characters)`;
  if (!/^[a-zA-Z0-9\-_.:]{1,40}$/.test(name))
    return "stack tag names may only contain alphanumerics, hyphens, underscores, periods, or colons";
  if (Buffer.byteLength(value, "utf8") > 256) return `stack tag ${JSON.stringify(name)} value is too long (max length 256 characters)`;
  return undefined;
}

/** A configuration value as the stack holds it. */
interface ConfigValue {
  /** The text the program sees: a scalar's text, or JSON for a mapping or list. */
  readonly value: string;
  readonly object: boolean;
  /** A secret the program receives marked secret. */
  readonly secret: boolean;
  /** Encrypted in the stack file: this tool cannot read it. */
  readonly encrypted: boolean;
}

interface ItemsType {
  readonly type: string;
  readonly items?: ItemsType;
}

interface ProjectDeclaration {
  /** Fully qualified. */
  readonly key: string;
  /** As written in Pulumi.yaml, for messages. */
  readonly declared: string;
  readonly type?: string;
  readonly items?: ItemsType;
  readonly default?: unknown;
  readonly value?: unknown;
  readonly secret: boolean;
}

const declarationAttributes = new Set(["type", "description", "items", "default", "value", "secret"]);
const typeNames = new Set(["string", "integer", "boolean", "array", "object"]);

/** Pulumi.yaml's `config:` block, checked as Project.Validate checks it. */
function projectDeclarations(projectName: string, document: unknown, file: string, problems: string[]): Map<string, ProjectDeclaration> {
  const declarations = new Map<string, ProjectDeclaration>();
  const block = isRecord(document) ? document["config"] : undefined;
  // `config: <dir>` is the old spelling of stackConfigDir (stackConfigDirOf reads it).
  if (block === undefined || block === null || typeof block === "string") return declarations;
  if (!isRecord(block)) {
    problems.push(`${file}: config must be a mapping of configuration keys`);
    return declarations;
  }
  for (const [declared, raw] of Object.entries(block)) {
    const key = qualifiedKey(declared, projectName, true);
    if (key === undefined) {
      problems.push(`${file}: config key ${quote(declared)} is not of the form <key> or <namespace>:<key>`);
      continue;
    }
    if (declarations.has(key)) {
      problems.push(`${file}: config key ${quote(declared)} is declared twice`);
      continue;
    }
    const ownKey = namespaceOf(key) === projectName;
    let declaration: ProjectDeclaration;
    if (raw === null) {
      declaration = { key, declared, secret: false };
    } else if (!isRecord(raw)) {
      // Shorthand: the project's own key gets a default, another namespace's a value (RewriteShorthandConfigValues).
      declaration = ownKey ? { key, declared, default: raw, secret: false } : { key, declared, value: raw, secret: false };
    } else {
      const unknown = Object.keys(raw).filter((a) => !declarationAttributes.has(a));
      if (unknown.length > 0) {
        problems.push(
          `${file}: config ${quote(declared)} has unknown ${unknown.length === 1 ? "attribute" : "attributes"} ${listKeys(unknown)}; allowed: ${listKeys([...declarationAttributes])}`,
        );
        continue;
      }
      const type = raw["type"];
      const items = raw["items"];
      if (type !== undefined && (typeof type !== "string" || !typeNames.has(type))) {
        problems.push(`${file}: config ${quote(declared)}: type must be one of ${listKeys([...typeNames])}`);
        continue;
      }
      const parsedItems = items === undefined || items === null ? undefined : itemsTypeOf(items);
      if (parsedItems === null) {
        problems.push(`${file}: config ${quote(declared)}: items must be { type: <type> } (nested items for arrays)`);
        continue;
      }
      if (raw["secret"] !== undefined && typeof raw["secret"] !== "boolean") {
        problems.push(`${file}: config ${quote(declared)}: secret must be true or false`);
        continue;
      }
      declaration = {
        key,
        declared,
        ...(type !== undefined ? { type } : {}),
        ...(parsedItems !== undefined ? { items: parsedItems } : {}),
        ...(raw["default"] !== undefined && raw["default"] !== null ? { default: raw["default"] } : {}),
        ...(raw["value"] !== undefined && raw["value"] !== null ? { value: raw["value"] } : {}),
        secret: raw["secret"] === true,
      };
    }
    const problem = declarationProblem(declaration, ownKey);
    if (problem) {
      problems.push(`${file}: ${problem}`);
      continue;
    }
    declarations.set(key, declaration);
  }
  return declarations;
}

function declarationProblem(d: ProjectDeclaration, ownKey: boolean): string | undefined {
  const name = quote(d.declared);
  if (d.default !== undefined && d.value !== undefined) return `config ${name} cannot have both a 'default' and a 'value'`;
  if (ownKey) {
    if (d.type === "array" && d.items === undefined) return `config ${name} declares an array but not the type of its items ('items')`;
    if (d.type !== undefined && d.default !== undefined && !matchesDeclaredType(d.type, d.items, d.default)) {
      return `the default of config ${name} is not of its type '${fullTypeName(d.type, d.items)}'`;
    }
    return undefined;
  }
  if (d.type !== undefined) return `config ${name} is not namespaced by the project and cannot declare a type`;
  if (d.default !== undefined) return `config ${name} is not namespaced by the project and cannot have a default; use 'value'`;
  if (d.value === undefined) return `config ${name} is namespaced by another package and must give a 'value'`;
  return undefined;
}

/** `items: { type, items? }`; null when malformed. */
function itemsTypeOf(raw: unknown): ItemsType | null {
  if (!isRecord(raw) || typeof raw["type"] !== "string" || !typeNames.has(raw["type"])) return null;
  if (Object.keys(raw).some((k) => k !== "type" && k !== "items")) return null;
  if (raw["items"] === undefined || raw["items"] === null) return { type: raw["type"] };
  const nested = itemsTypeOf(raw["items"]);
  return nested === null ? null : { type: raw["type"], items: nested };
}

/** As Pulumi's ValidateConfigValue: what a value of each declared type may be (strings as the stack file holds them). */
export function matchesDeclaredType(type: string, items: ItemsType | undefined, value: unknown): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "integer":
      if (typeof value === "number") return Number.isInteger(value);
      return typeof value === "string" && /^[+-]?\d+$/.test(value) && fitsInt64(value);
    case "boolean":
      return typeof value === "boolean" || value === "true" || value === "false";
    case "object":
      return isRecord(value);
    case "array":
      return Array.isArray(value) && items !== undefined && value.every((item) => matchesDeclaredType(items.type, items.items, item));
    default:
      return false;
  }
}

function fitsInt64(text: string): boolean {
  const n = BigInt(text);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

function fullTypeName(type: string, items: ItemsType | undefined): string {
  return items ? `array<${fullTypeName(items.type, items.items)}>` : type;
}

/** A project default or value as Pulumi stores it (createConfigValue): a scalar as text, anything else as JSON. */
function configValueOf(given: unknown, where: string): ConfigValue {
  if (typeof given === "string" || typeof given === "number" || typeof given === "boolean") {
    return { value: String(given), object: false, secret: false, encrypted: false };
  }
  return { value: goJson(given, where), object: true, secret: false, encrypted: false };
}

/** The stack file's `config:` values (Value.UnmarshalYAML): scalars as written, `secure:` encrypted, the rest JSON. */
function stackFileValues(text: string, file: string, problems: string[]): Map<string, ConfigValue> {
  const values = new Map<string, ConfigValue>();
  const { typed, raw } = parseYaml(text, file);
  if (typed === null || typed === undefined) return values;
  if (!isRecord(typed)) {
    problems.push(`${file} is not a stack configuration file: it must be a YAML mapping`);
    return values;
  }
  if (typed["environment"] !== undefined && typed["environment"] !== null) {
    // Values an ESC environment would add cannot be read here; running without them grades another program.
    problems.push(
      `${file} imports Pulumi ESC environments (environment:), which this tool cannot open; ` +
        `give a stack file without them with --config-file, and the values with --config, --secret or --secret-env`,
    );
  }
  const block = typed["config"];
  if (block === undefined || block === null) return values;
  if (!isRecord(block)) {
    problems.push(`${file}: config must be a mapping of <namespace>:<key> to values`);
    return values;
  }
  const rawBlock = isRecord(raw) && isRecord(raw["config"]) ? raw["config"] : {};
  for (const [written, value] of Object.entries(block)) {
    // In a stack file every key names its namespace (config.ParseKey).
    const key = qualifiedKey(written, undefined, false);
    if (key === undefined) {
      problems.push(`${file}: config key ${quote(written)} is not of the form <namespace>:<key> (the project's keys are <project>:<key>)`);
      continue;
    }
    if (values.has(key)) {
      problems.push(`${file}: config key ${quote(written)} is given twice`);
      continue;
    }
    if (isRecord(value) || Array.isArray(value)) {
      const secure = secureCiphertext(value);
      if (secure !== undefined) {
        values.set(key, { value: "", object: false, secret: true, encrypted: true });
        continue;
      }
      values.set(key, {
        value: goJson(value, `${file}: config ${written}`),
        object: true,
        secret: false,
        encrypted: containsSecure(value),
      });
      continue;
    }
    // A scalar as written: `3`, `yes`, `1.50` (Go's decoder keeps a scalar's text for a string); empty is "".
    const text = value === null ? "" : typeof rawBlock[written] === "string" ? (rawBlock[written] as string) : String(value);
    values.set(key, { value: text, object: false, secret: false, encrypted: false });
  }
  return values;
}

/** `{ secure: "<ciphertext>" }` (isSecureValue): the ciphertext, else undefined. */
function secureCiphertext(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === "secure" && typeof value["secure"] === "string" ? value["secure"] : undefined;
}

function containsSecure(value: unknown): boolean {
  if (secureCiphertext(value) !== undefined) return true;
  if (Array.isArray(value)) return value.some(containsSecure);
  return isRecord(value) && Object.values(value).some(containsSecure);
}

interface Assignment {
  readonly key: string;
  readonly value: string;
  readonly secret: boolean;
}

/** --config, --secret and --secret-env, in that order of kinds; within one option the last value of a key wins. */
function commandLineAssignments(sources: StackConfigSources, projectName: string): Assignment[] {
  const env = sources.env ?? process.env;
  const byKey = new Map<string, { assignment: Assignment; option: string }>();
  const add = (option: string, entries: readonly string[] | undefined, valueOf: (key: string, text: string) => string, secret: boolean) => {
    for (const entry of entries ?? []) {
      const separator = entry.indexOf("=");
      // Never echo the entry: it may be a secret typed without its key.
      if (separator < 0)
        throw new UsageError(`${option} takes key=${secret && option === "--secret-env" ? "ENV_VAR" : "value"}; an argument has no "="`);
      const written = entry.slice(0, separator);
      const key = qualifiedKey(written, projectName, true);
      if (key === undefined) {
        // A secret typed without its key (a URL: "https://user:password@host/?a=b") splits at its own "=": never echoed.
        const shown = secret ? `the part of an argument before "="` : quote(written);
        throw new UsageError(`${option}: ${shown} is not a configuration key (<key> or <namespace>:<key>)`);
      }
      const earlier = byKey.get(key);
      if (earlier && earlier.option !== option) {
        throw new UsageError(`configuration key ${quote(written)} is given by both ${earlier.option} and ${option}: give it once`);
      }
      byKey.set(key, { assignment: { key, value: valueOf(written, entry.slice(separator + 1)), secret }, option });
    }
  };
  add("--config", sources.config, (_key, text) => text, false);
  add("--secret", sources.secrets, (_key, text) => text, true);
  add(
    "--secret-env",
    sources.secretEnv,
    (key, variable) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable))
        throw new UsageError(`--secret-env ${key}=…: the part after "=" must name an environment variable`);
      const value = env[variable];
      // An unset or empty variable is a missing CI secret far more often than an empty secret.
      if (value === undefined || value === "")
        throw new UsageError(`--secret-env ${key}=${variable}: the environment variable ${variable} is not set or empty`);
      return value;
    },
    true,
  );
  return [...byKey.values()].map((e) => e.assignment);
}

/**
 * "namespace:name", from `name` (the project's, where allowed), `namespace:name`, or the old `namespace:config:name`
 * (config.ParseKey); undefined when malformed.
 */
export function qualifiedKey(written: string, projectName: string | undefined, allowUnnamespaced: boolean): string | undefined {
  const parts = written.split(":");
  if (parts.length === 1) return allowUnnamespaced && projectName !== undefined && written !== "" ? `${projectName}:${written}` : undefined;
  if (parts.length === 3 && parts[1] === "config") parts.splice(1, 1);
  if (parts.length !== 2 || parts[0] === "" || parts[1] === "") return undefined;
  return `${parts[0]}:${parts[1]}`;
}

function namespaceOf(key: string): string {
  return key.slice(0, key.indexOf(":"));
}

/** How a user would type the key on the command line. */
function shortKey(key: string, projectName: string): string {
  return namespaceOf(key) === projectName ? key.slice(projectName.length + 1) : key;
}

/** Where the stack files are, relative to Pulumi.yaml (`stackConfigDir`, or the old `config: <dir>`). */
function stackConfigDirOf(document: unknown, file: string): string {
  if (!isRecord(document)) return ".";
  const dir = document["stackConfigDir"];
  const legacy = document["config"];
  if (typeof legacy === "string" && dir !== undefined)
    throw new InputError(`${file}: use stackConfigDir, not both config and stackConfigDir, to name the stack files' directory`);
  const chosen = dir ?? (typeof legacy === "string" ? legacy : undefined);
  if (chosen === undefined || chosen === null) return ".";
  if (typeof chosen !== "string") throw new InputError(`${file}: stackConfigDir must be a directory path`);
  return chosen;
}

/**
 * YAML as Go's yaml.v3 reads Pulumi's files: the core schema (no timestamps: dates stay strings) with merge keys;
 * `raw` is the same document with every scalar kept as its text (the failsafe schema), for top-level stack values.
 */
function parseYaml(text: string, file: string): { typed: unknown; raw: unknown } {
  let typed: unknown;
  try {
    typed = yaml.load(text, { filename: file, schema: coreSchema });
  } catch (error) {
    throw new InputError(describeYamlError(error, file));
  }
  if (expandsBeyond(typed, maxExpandedValues)) {
    throw new InputError(
      `${file}: its aliases expand to more than ${maxExpandedValues} values; write the values out, or use fewer aliases`,
    );
  }
  let raw: unknown;
  try {
    raw = yaml.load(text, { filename: file, schema: failsafeSchema });
  } catch {
    // Explicit tags (`!!int 3`) the failsafe schema does not know: those values are read through the core schema.
    raw = undefined;
  }
  return { typed, raw };
}

/** The parser's reason and position, never its snippet of the file (which could show a value). */
export function describeYamlError(error: unknown, file: string): string {
  const e = error as { reason?: unknown; mark?: { line?: unknown; column?: unknown } };
  const reason = typeof e.reason === "string" ? withoutNodeNames(e.reason) : "not valid YAML";
  const at = typeof e.mark?.line === "number" && typeof e.mark.column === "number" ? `:${e.mark.line + 1}:${e.mark.column + 1}` : "";
  return `${file}${at}: ${reason}`;
}

/** YAML's own tags, which name no text of the file. */
const standardTag = /^tag:yaml\.org,2002:(?:binary|timestamp|set|omap|pairs|str|int|float|bool|null|seq|map|merge|value)$/;

/**
 * The parser's reason without the names it quotes from the file: a plain value opening with `!` or `*` (a password,
 * say) is read as a tag or an alias, and the reason would show it.
 */
function withoutNodeNames(reason: string): string {
  return reason
    .replace(/^(unidentified alias|undeclared tag handle|there is a previously declared suffix for) ".*"/s, "$1")
    .replace(/^(tag name cannot contain such characters|tag name is malformed|tag prefix is malformed): .*$/s, "$1")
    .replace(/!<([^>]*)>/g, (whole, tag: string) => (standardTag.test(tag) ? whole : "a tag"));
}

/** More values than this, counting each alias as the values it repeats, is an alias bomb (yaml.v3 refuses them too). */
export const maxExpandedValues = 1_000_000;

/** Whether a parsed document holds more than `limit` values once its aliases are expanded; stops counting there. */
export function expandsBeyond(document: unknown, limit: number): boolean {
  let count = 0;
  const pending: unknown[] = [document];
  while (pending.length > 0) {
    const value = pending.pop();
    if (++count > limit) return true;
    // One push per value: spreading a long list as arguments would overflow the stack.
    if (Array.isArray(value)) for (const item of value as unknown[]) pending.push(item);
    else if (isRecord(value)) for (const item of Object.values(value)) pending.push(item);
  }
  return false;
}

/**
 * JSON as Go's encoding/json writes a decoded YAML value (Value.unmarshalValue, createConfigValue): object keys sorted
 * by their UTF-8 bytes, `<`, `>`, `&`, U+2028 and U+2029 escaped. Refuses what Go refuses (NaN, infinities).
 */
export function goJson(value: unknown, where: string): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return goString(value);
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value))
      throw new InputError(`${where}: ${String(value)} cannot be a configuration value (JSON has no such number)`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => goJson(v, where)).join(",")}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).sort(compareUtf8);
    return `{${keys.map((k) => `${goString(k)}:${goJson(value[k], where)}`).join(",")}}`;
  }
  throw new InputError(`${where}: a ${typeof value} cannot be a configuration value`);
}

function goString(text: string): string {
  return JSON.stringify(text).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

function compareText(a: string, b: string): number {
  return compareUtf8(a, b);
}

/** A secret value, and each string inside it when it is JSON (a secret object's leaves reach resources apart). */
function secretTextsOf(value: string): string[] {
  const texts = value === "" ? [] : [value];
  try {
    const parsed: unknown = JSON.parse(value);
    const leaves = (v: unknown): string[] =>
      typeof v === "string" ? [v] : Array.isArray(v) ? v.flatMap(leaves) : isRecord(v) ? Object.values(v).flatMap(leaves) : [];
    if (typeof parsed === "object" && parsed !== null) texts.push(...leaves(parsed).filter((t) => t !== ""));
  } catch {
    // Not JSON: the value itself is the secret.
  }
  return texts;
}

function listKeys(keys: readonly string[]): string {
  return keys.map(quote).join(", ");
}

function quote(text: string): string {
  return `'${text}'`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// js-yaml 4 exports its built-in types as `types`; @types/js-yaml leaves that export out.
const mergeKeys = (yaml as unknown as { types: { merge: yaml.Type } }).types.merge;
const coreSchema = yaml.CORE_SCHEMA.extend({ implicit: [mergeKeys] });
const failsafeSchema = yaml.FAILSAFE_SCHEMA.extend({ implicit: [mergeKeys] });
