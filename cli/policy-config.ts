/**
 * The policy configuration the tool sends the pack: a profile (profiles/<name>.json, generated from
 * core/profiles.ts), with the user's `--policy-pack-config` file over it. Everything the pack's
 * Configure would refuse is refused here first, before the program runs: a SHALL argument below
 * its floor, anything the generated JSON Schema does not allow, and governance (a malformed or
 * too-long exception, a SHALL policy switched off or down to advisory without accountability).
 */
import * as fs from "fs";
import * as path from "path";
import Ajv2020 from "ajv/dist/2020";
import { governanceRefusals, GovernedPolicy } from "../core/exceptions";
import { InputError, UsageError } from "./errors";
import { packConfigurationRefusals } from "../core/floors";
import { AnyPolicy, governedPolicy } from "../core/policy";
import { isProfileName, profileNames } from "../core/profiles";
import { remediatingPolicies } from "../core/remediation";
import { allPolicies } from "../policies";
import { parsePolicyPackConfig } from "./analyzer-client";

/** The configuration given cannot be used: the tool exits 2 (usage) with this message. */
export class PolicyConfigError extends InputError {
  override readonly name = "PolicyConfigError";
}

/** The package's root: above dist/cli when compiled, above cli/ when run from source (tests). */
const packageRoot =
  [path.resolve(__dirname, "..", ".."), path.resolve(__dirname, "..")].find((dir) =>
    fs.existsSync(path.join(dir, "schemas", "policy-pack-config.schema.json")),
  ) ?? path.resolve(__dirname, "..", "..");

/** This package's name, as its package.json gives it. */
function ownPackageName(): string | undefined {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(packageRoot, "package.json"), "utf8")) as { name?: unknown };
    return typeof manifest.name === "string" ? manifest.name : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a pack directory holds this project's pack (its package.json names this package: the repository, an
 * installed copy, or a copy of either): its configuration is this project's, checked against the project's schema,
 * floors and governance before anything runs. Any other pack is configured as the Pulumi CLI configures it
 * ({@link readForeignPolicyConfig}), against the schemas the launched pack reports.
 */
export function isHealthCheckPack(packDir: string): boolean {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8")) as { name?: unknown };
    return manifest.name !== undefined && manifest.name === ownPackageName();
  } catch {
    return false;
  }
}

/**
 * `--policy-pack-config` for another pack, read as the Pulumi CLI reads it (pkg/resource/analyzer/config.go
 * LoadPolicyPackConfigAndEnvironmentsFromFile), with its wording: empty content is no configuration; a JSON object
 * whose `environments` key names Pulumi ESC environments, which this tool cannot open, as the CLI with a backend that
 * cannot (its wording too); each other key a policy's enforcement level or an object. This project's schema, floors
 * and governance do not apply: the launched pack's reported schemas do (cli/analyzer-client.ts, at Configure).
 */
export function readForeignPolicyConfig(file: string | undefined, packPath: string): Record<string, unknown> | undefined {
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PolicyConfigError(
      code === "ENOENT" ? `open ${file}: no such file or directory` : `cannot read policy configuration file ${file}`,
    );
  }
  if (text.trim() === "") return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new PolicyConfigError(`policy configuration file ${file} is not JSON`);
  }
  if (parsed === null) return undefined;
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    const kind = Array.isArray(parsed) ? "array" : typeof parsed === "boolean" ? "bool" : typeof parsed;
    throw new PolicyConfigError(`json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`);
  }
  const { environments, ...config } = parsed as Record<string, unknown>;
  if (environments !== undefined) {
    if (!Array.isArray(environments)) {
      throw new PolicyConfigError(`"environments" must be an array of strings, got ${goTypeName(environments)}`);
    }
    environments.forEach((entry: unknown, i) => {
      if (typeof entry !== "string") throw new PolicyConfigError(`"environments[${i}]" must be a string, got ${goTypeName(entry)}`);
    });
    if (environments.length > 0) {
      throw new PolicyConfigError(
        `policy pack at ${JSON.stringify(packPath)} specifies ESC environments but the current backend does not support them`,
      );
    }
  }
  try {
    parsePolicyPackConfig(config);
  } catch (error) {
    throw new PolicyConfigError(error instanceof Error ? error.message : String(error));
  }
  return config;
}

/** Go's %T of a decoded JSON value. */
function goTypeName(value: unknown): string {
  if (value === null) return "<nil>";
  if (Array.isArray(value)) return "[]interface {}";
  switch (typeof value) {
    case "string":
      return "string";
    case "number":
      return "float64";
    case "boolean":
      return "bool";
    default:
      return "map[string]interface {}";
  }
}

/** The facts governance needs of each policy, as the pack's Configure reads them (whether its findings may be waived too). */
export function governedPoliciesOf(policies: readonly AnyPolicy[]): GovernedPolicy[] {
  return policies.map(governedPolicy);
}

export interface PolicyConfigOptions {
  /** The user's `--policy-pack-config` file. */
  readonly file?: string;
  /** A profile name (`--profile`). */
  readonly profile?: string;
  /** The clock governance is checked against (the `--as-of` date, or now). */
  readonly now: Date;
  /**
   * `--remediate`: the profile's level of each policy that remediates becomes `remediate`. A profile
   * names every policy's level, which would otherwise read as the user's and leave nothing fixed;
   * a level in the user's file still wins.
   */
  readonly remediate?: boolean;
}

/**
 * The configuration to send the pack: the profile's, with the user's file over it; undefined when
 * neither is given (the pack's defaults, which are the baseline profile).
 */
export function resolvePolicyConfig(options: PolicyConfigOptions): Record<string, unknown> | undefined {
  const read = options.profile === undefined ? undefined : readProfile(options.profile);
  const profile = read && options.remediate ? atRemediateLevel(read) : read;
  const user = readPolicyConfig(options.file);
  if (!profile && !user) return undefined;
  const config = profile && user ? mergePolicyConfig(profile, user) : ((profile ?? user) as Record<string, unknown>);
  const what = describeSource(options);
  if (profile) {
    // A profile only tightens and the user's file was checked alone; merged, a user's level can still
    // meet a profile's arguments, so the whole is checked once more.
    const refusals = packConfigurationRefusals(allPolicies, config);
    if (refusals.length > 0) throw new PolicyConfigError(`${what} is refused:\n  ${refusals.map((r) => r.message).join("\n  ")}`);
  }
  // "all" sets every policy's level (as the Pulumi CLI reconciles it before Configure): checked per policy.
  const everyPolicy = Object.fromEntries(allPolicies.map((p) => [p.name, {}]));
  const governance = governanceRefusals(governedPoliciesOf(allPolicies), mergePolicyConfig(everyPolicy, config), options.now);
  if (governance.length > 0) throw new PolicyConfigError(`${what} is refused:\n  ${governance.map((r) => r.message).join("\n  ")}`);
  return config;
}

function atRemediateLevel(profile: Record<string, unknown>): Record<string, unknown> {
  const config: Record<string, unknown> = { ...profile };
  for (const { name } of remediatingPolicies(allPolicies)) {
    const entry = asObject(config[name]);
    if (Object.hasOwn(config, name) && entry["enforcementLevel"] !== "disabled") config[name] = { ...entry, enforcementLevel: "remediate" };
  }
  return config;
}

function describeSource(options: PolicyConfigOptions): string {
  if (options.file && options.profile) return `policy configuration file ${options.file} over profile ${options.profile}`;
  if (options.file) return `policy configuration file ${options.file}`;
  return `profile ${String(options.profile)}`;
}

/** A profile's configuration, as shipped in profiles/<name>.json. */
export function readProfile(name: string): Record<string, unknown> {
  if (!isProfileName(name)) {
    throw new UsageError(`unknown profile ${JSON.stringify(name)}: the profiles are ${profileNames.join(", ")}`);
  }
  const file = path.join(packageRoot, "profiles", `${name}.json`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    throw new PolicyConfigError(`cannot read profile ${name} (${file}): is the package complete?`);
  }
  validateAgainstSchema(parsed, `profile ${name}`);
  return parsed as Record<string, unknown>;
}

/**
 * Reads per-policy configuration and refuses any argument below a SHALL policy's floor (the pack's
 * Configure refuses it too; this says so before the program runs), then validates the rest against
 * the pack's generated JSON Schema.
 */
export function readPolicyConfig(file: string | undefined): Record<string, unknown> | undefined {
  if (!file) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new PolicyConfigError(`cannot read policy configuration file ${file}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new PolicyConfigError(`policy configuration file ${file} is not JSON`);
  }
  if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
    const refusals = packConfigurationRefusals(allPolicies, parsed as Record<string, unknown>);
    if (refusals.length > 0) {
      throw new PolicyConfigError(`policy configuration file ${file} is refused:\n  ${refusals.map((r) => r.message).join("\n  ")}`);
    }
  }
  validateAgainstSchema(parsed, `policy configuration file ${file}`);
  return parsed as Record<string, unknown>;
}

let compiledSchema: ReturnType<Ajv2020["compile"]> | undefined;

function validateAgainstSchema(parsed: unknown, what: string): void {
  if (!compiledSchema) {
    const schema: unknown = JSON.parse(fs.readFileSync(path.join(packageRoot, "schemas", "policy-pack-config.schema.json"), "utf8"));
    compiledSchema = new Ajv2020({ allErrors: true, strict: false }).compile(schema as object);
  }
  const validate = compiledSchema;
  if (!validate(parsed)) {
    // Names the offending key and rule, never the configured value.
    const problems = (validate.errors ?? []).map((e) => {
      const where = e.instancePath || "(top level)";
      const extra = e.keyword === "additionalProperties" ? ` "${String(e.params["additionalProperty"])}"` : "";
      return `${where}: ${e.message ?? e.keyword}${extra}`;
    });
    throw new PolicyConfigError(`${what} does not match the pack's configuration schema: ${[...new Set(problems)].join("; ")}`);
  }
}

type Entry = Readonly<Record<string, unknown>>;

/** A configuration entry as an object: a string entry is a level. */
function asObject(entry: unknown): Entry {
  if (typeof entry === "string") return { enforcementLevel: entry };
  return entry !== null && typeof entry === "object" && !Array.isArray(entry) ? (entry as Entry) : {};
}

/** Own properties only, built without assignment: a key such as "__proto__" stays a plain key. */
function record(entries: Iterable<readonly [string, unknown]>): Record<string, unknown> {
  return Object.fromEntries(entries);
}

/**
 * The user's configuration over a profile's: per policy and per argument the user's setting wins;
 * a string entry is a level (it replaces the profile's level and keeps its arguments). The user's
 * "all" sets the level of every policy the user does not set one for, the profile's included, as
 * it would without a profile; it is kept, for policies neither names.
 */
export function mergePolicyConfig(profile: Entry, user: Entry): Record<string, unknown> {
  const userAll = asObject(user["all"])["enforcementLevel"];
  const names = [...new Set([...Object.keys(profile), ...Object.keys(user)])];
  return record(
    names.map((name): [string, unknown] => {
      const own = Object.hasOwn(user, name) ? user[name] : undefined;
      if (name === "all" || !Object.hasOwn(profile, name)) return [name, own];
      const base = asObject(profile[name]);
      const level = userAll !== undefined ? [["enforcementLevel", userAll] as const] : [];
      if (own === undefined) return [name, record([...Object.entries(base), ...level])];
      return [name, record([...Object.entries(base), ...level, ...Object.entries(asObject(own))])];
    }),
  );
}
