/**
 * Argument floors: configuration may tighten a SHALL rule, never switch it off.
 *
 * Every argument of a SHALL policy is declared with one of the builders below, which makes the
 * argument's default its floor and records, on the argument's zod schema itself, which way it may
 * move: a number may only rise (a minimum prefix length) or only fall (a maximum lifetime); a
 * list may only grow (attributes to protect) or only shrink (file types known to be safe). The zod
 * schema is the one source of truth: the generated JSON Schemas carry the floor (`x-floor`, and
 * `minimum`/`maximum` for numbers), the catalog shows it, and {@link configurationRefusals} refuses
 * anything below it, in the pack's Configure, in `contextFor` and in the tool.
 *
 * SHOULD policies' arguments take no floor: a recommendation may be loosened.
 */
import { escapeJsonForDisplay } from "./display";
import { governanceKeys } from "./exceptions";
import { z } from "zod";
import type { Criticality } from "./policy";

/**
 * rise/fall: a number may only go that way; grow/shrink: a list may only gain/lose entries; on: a
 * switch may only be turned on (a wider scope, say).
 */
export type FloorDirection = "rise" | "fall" | "grow" | "shrink" | "on";

export interface NumberFloor {
  readonly direction: "rise" | "fall";
  readonly value: number;
}

export interface ListFloor {
  readonly direction: "grow" | "shrink";
  /** The default entries, already in normal form. */
  readonly value: readonly string[];
  /** Maps every spelling of an entry to the one form entries are compared in. */
  readonly normalise: (entry: string) => string;
  /** How entries are compared, for messages and docs. */
  readonly comparison: string;
}

export interface BooleanFloor {
  readonly direction: "on";
  readonly value: boolean;
}

export type ArgumentFloor = NumberFloor | ListFloor | BooleanFloor;

/** The floors, keyed by the argument's zod schema (the very instance in the config schema's shape). */
const argumentFloors = z.registry<ArgumentFloor>();

/** How {@link normaliseEntry} compares, in words. */
export const entryComparison = "compared after Unicode NFKC normalisation, trimmed and case-insensitively";

/** Case, width and spacing variants of an entry compare equal ("EMAIL", " ｅmail " and "email"). */
export function normaliseEntry(entry: string): string {
  return entry.normalize("NFKC").toLowerCase().normalize("NFKC").trim();
}

const moves: Record<FloorDirection, string> = {
  rise: "may be raised, never lowered",
  fall: "may be lowered, never raised",
  grow: "may gain entries, never lose one",
  shrink: "may lose entries, never gain one",
  on: "may be turned on, never off",
};

function rule(argument: string, direction: FloorDirection): string {
  return `a SHALL policy's arguments may only tighten it, so ${argument} ${moves[direction]}`;
}

/** The floor as the JSON Schemas and the catalog show it. */
function annotation(floor: ArgumentFloor): Record<string, unknown> {
  return {
    direction: floor.direction,
    value: floor.direction === "grow" || floor.direction === "shrink" ? [...floor.value] : floor.value,
    description: `${moves[floor.direction].charAt(0).toUpperCase()}${moves[floor.direction].slice(1)}: configuration may only tighten a SHALL policy${comparedClause(floor)}.`,
  };
}

/** The floor and which way the argument may move: "floor is 8: a SHALL policy's arguments …". */
function floorClause(argument: string, floor: ArgumentFloor): string {
  return `floor is ${displayFloor(floor)}: ${rule(argument, floor.direction)}${comparedClause(floor)}`;
}

function withFloor<T extends z.ZodType>(schema: T, floor: ArgumentFloor): T {
  // meta() returns a copy that keeps the description; the floor is recorded on it, and zod
  // registries pass it on to copies (describe()), never to wrappers (optional(), default()).
  const annotated = schema.meta({ "x-floor": annotation(floor) }) as T;
  argumentFloors.add(annotated, floor);
  return annotated;
}

/** A number configuration may raise, never lower below `floor` (its default): e.g. a minimum prefix length. */
export function mayOnlyRise(floor: number, schema: z.ZodNumber, description: string) {
  return withFloor(schema.min(floor).default(floor).describe(description), { direction: "rise", value: floor });
}

/** A number configuration may lower, never raise above `floor` (its default): e.g. a maximum lifetime. */
export function mayOnlyFall(floor: number, schema: z.ZodNumber, description: string) {
  return withFloor(schema.max(floor).default(floor).describe(description), { direction: "fall", value: floor });
}

function listFloor(
  direction: "grow" | "shrink",
  floor: readonly string[],
  normalise: (entry: string) => string,
  comparison: string,
): ListFloor {
  const notNormal = floor.filter((entry) => normalise(entry) !== entry);
  if (notNormal.length > 0) throw new Error(`A list floor's entries must be in normal form: ${displayValue(notNormal)}`);
  return { direction, value: [...floor], normalise, comparison };
}

/**
 * A switch configuration may turn on, never off below `floor` (its default): e.g. grading every
 * workspace instead of only those that declare themselves in scope.
 */
export function mayOnlyTurnOn(floor: boolean, description: string) {
  return withFloor(z.boolean().default(floor).describe(description), { direction: "on", value: floor });
}

/**
 * A list configuration may add to, never remove from `floor` (its default): e.g. attributes to
 * protect. Entries are normalised as they are parsed, so the policy sees them in normal form.
 */
export function mayOnlyGrow(
  floor: readonly string[],
  description: string,
  normalise: (entry: string) => string = normaliseEntry,
  comparison: string = entryComparison,
) {
  const declared = listFloor("grow", floor, normalise, comparison);
  // A fresh default per parse: no rule can change the floor by changing the list it was given.
  return withFloor(
    z
      .array(z.string().overwrite(normalise))
      .default(() => [...floor])
      .describe(description),
    declared,
  );
}

/**
 * A list configuration may remove from, never add to `floor` (its default): e.g. file types known
 * to be safe. Entries are normalised as they are parsed, so the policy sees them in normal form.
 */
export function mayOnlyShrink(
  floor: readonly string[],
  description: string,
  normalise: (entry: string) => string = normaliseEntry,
  comparison: string = entryComparison,
) {
  const declared = listFloor("shrink", floor, normalise, comparison);
  return withFloor(
    z
      .array(z.string().overwrite(normalise))
      .default(() => [...floor])
      .describe(description),
    declared,
  );
}

/** The floor declared on an argument's schema, if any. */
export function floorOf(argumentSchema: z.ZodType): ArgumentFloor | undefined {
  return argumentFloors.get(argumentSchema);
}

/** Every floored argument of a config schema, in declaration order. */
export function floorsOf(configSchema: z.ZodObject): { argument: string; floor: ArgumentFloor }[] {
  return Object.entries(configSchema.shape as Record<string, z.ZodType>).flatMap(([argument, schema]) => {
    const floor = floorOf(schema);
    return floor ? [{ argument, floor }] : [];
  });
}

/** What {@link configurationRefusals} needs of a policy. */
export interface ConfigurablePolicy {
  readonly name: string;
  readonly criticality: Criticality;
  readonly configSchema: z.ZodObject;
}

export type RefusalReason = "below-floor" | "invalid" | "unknown-argument" | "not-an-object";

/** One refused argument: data first; `message` names the policy, the argument, the value given and the floor. */
export interface ConfigurationRefusal {
  readonly policy: string;
  /** The argument refused; "" when the configuration as a whole is. */
  readonly argument: string;
  readonly reason: RefusalReason;
  /** The value as configured. */
  readonly given: unknown;
  readonly floor?: ArgumentFloor;
  /** The entries a list floor misses (grow) or that are beyond it (shrink), as given. */
  readonly offending?: readonly string[];
  readonly message: string;
}

/**
 * Why a SHALL policy's configuration is refused: an argument below its floor, an invalid or
 * unknown argument (which cannot be shown to be at or above its floor), or a configuration that
 * is not an object. `enforcementLevel` and the governance keys beside the arguments are not
 * arguments and are ignored here.
 * SHOULD policies' arguments may be loosened: for them this is always empty.
 */
export function configurationRefusals(policy: ConfigurablePolicy, config: unknown): ConfigurationRefusal[] {
  if (policy.criticality !== "SHALL") return [];
  const prefix = `the configuration of ${policy.name} is refused: `;
  if (config === undefined) return [];
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    return [
      {
        policy: policy.name,
        argument: "",
        reason: "not-an-object",
        given: config,
        message: `${prefix}it must be an object of arguments, given ${displayValue(config)}.`,
      },
    ];
  }
  // Governance beside the arguments (exceptions, accountability) is checked by core/exceptions.ts.
  const { enforcementLevel: _level, ...given } = config as Record<string, unknown>;
  const args = Object.fromEntries(Object.entries(given).filter(([key]) => !(governanceKeys as readonly string[]).includes(key)));
  const refusals: ConfigurationRefusal[] = [];
  const floored = floorsOf(policy.configSchema);
  for (const { argument, floor } of floored) {
    if (!Object.prototype.hasOwnProperty.call(args, argument)) continue;
    const refusal = belowFloor(policy.name, argument, args[argument], floor);
    if (refusal) refusals.push(refusal);
  }
  const parsed = policy.configSchema.safeParse(args);
  if (!parsed.success) {
    const refused = new Set(refusals.map((r) => r.argument));
    const known = Object.keys(policy.configSchema.shape);
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) {
          const arguments_ = known.length > 0 ? `its arguments are ${known.join(", ")}` : "it takes no arguments";
          refusals.push({
            policy: policy.name,
            argument: key,
            reason: "unknown-argument",
            given: args[key],
            message: `${prefix}${displayName(key)} is not one of its arguments (${arguments_}), given ${displayValue(args[key])}.`,
          });
        }
        continue;
      }
      const argument = String(issue.path[0] ?? "");
      if (refused.has(argument)) continue;
      refused.add(argument);
      const floor = floored.find((f) => f.argument === argument)?.floor;
      const where =
        issue.path.length > 1
          ? ` at ${issue.path
              .slice(1)
              .map((p) => `[${String(p)}]`)
              .join("")}`
          : "";
      refusals.push({
        policy: policy.name,
        argument,
        reason: "invalid",
        given: args[argument],
        ...(floor ? { floor } : {}),
        message:
          `${prefix}${displayName(argument)} is ${displayValue(args[argument])}, which is not valid (${issue.message}${where})` +
          (floor ? `; its ${floorClause(argument, floor)}.` : "."),
      });
    }
  }
  return refusals;
}

function belowFloor(policy: string, argument: string, given: unknown, floor: ArgumentFloor): ConfigurationRefusal | undefined {
  const prefix = `the configuration of ${policy} is refused: ${displayName(argument)} is ${displayValue(given)}`;
  const refusal = (detail: string, offending?: readonly string[]): ConfigurationRefusal => ({
    policy,
    argument,
    reason: "below-floor",
    given,
    floor,
    ...(offending ? { offending } : {}),
    message: `${prefix}, ${detail}: ${rule(argument, floor.direction)}${comparedClause(floor)}.`,
  });
  if (floor.direction === "rise" || floor.direction === "fall") {
    // Not a number (a string "4", say): left to the schema, which refuses it as invalid.
    if (typeof given !== "number" || Number.isNaN(given)) return undefined;
    if (floor.direction === "rise" && given < floor.value) return refusal(`below its floor ${displayFloor(floor)}`);
    if (floor.direction === "fall" && given > floor.value) return refusal(`above its floor ${displayFloor(floor)}`);
    return undefined;
  }
  if (floor.direction === "on") {
    // Not a boolean ("true", 1): left to the schema, which refuses it as invalid.
    return floor.value && given === false ? refusal(`below its floor ${displayFloor(floor)}`) : undefined;
  }
  if (!Array.isArray(given) || !given.every((entry) => typeof entry === "string")) return undefined;
  const entries = given as string[];
  const list = floor as ListFloor;
  if (list.direction === "grow") {
    const present = new Set(entries.map(list.normalise));
    const missing = list.value.filter((entry) => !present.has(entry));
    return missing.length > 0
      ? refusal(`which leaves out ${missing.map((entry) => displayValue(entry)).join(", ")} of its floor ${displayFloor(floor)}`, missing)
      : undefined;
  }
  const allowed = new Set(list.value);
  const beyond = [...new Set(entries.filter((entry) => !allowed.has(list.normalise(entry))))];
  return beyond.length > 0
    ? refusal(`which adds ${beyond.map((entry) => displayValue(entry)).join(", ")}, not in its floor ${displayFloor(floor)}`, beyond)
    : undefined;
}

/** Refusals for a whole `--policy-pack-config` / Configure map: policy name to a level or an object. Unknown names are left to the schema. */
export function packConfigurationRefusals(
  policies: readonly ConfigurablePolicy[],
  config: Readonly<Record<string, unknown>>,
): ConfigurationRefusal[] {
  const byName = new Map(policies.map((p) => [p.name, p]));
  return Object.entries(config).flatMap(([name, value]) => {
    const policy = byName.get(name);
    // A level alone ("disabled", "advisory") is not an argument; levels are the exceptions' business.
    if (!policy || typeof value === "string") return [];
    return configurationRefusals(policy, value);
  });
}

const maxShownLength = 200;

/**
 * A configured value for a message: JSON, with every control, line-separator and bidirectional
 * formatting character escaped (they could rewrite a terminal or a log line), and cut when long.
 */
export function displayValue(value: unknown, maxLength: number = maxShownLength): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  // The same escaping as every other output (core/display.ts): JSON's own \u escapes.
  text = escapeJsonForDisplay(text);
  const characters = Array.from(text);
  return characters.length > maxLength ? `${characters.slice(0, maxLength).join("")}…` : text;
}

/** An argument name as given (it may be any key of the user's file). */
function displayName(name: string): string {
  return /^[A-Za-z][A-Za-z0-9_]*$/.test(name) ? name : displayValue(name);
}

/** The floor in full: it is this package's own constant, never cut. */
function displayFloor(floor: ArgumentFloor): string {
  return displayValue(floor.value, Number.POSITIVE_INFINITY);
}

function comparedClause(floor: ArgumentFloor): string {
  return floor.direction === "grow" || floor.direction === "shrink" ? ` (entries ${floor.comparison})` : "";
}
