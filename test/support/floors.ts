/**
 * Generated configurations for every argument of every SHALL policy, derived from the floors the
 * policies declare (core/floors.ts): a new SHALL policy, or a new argument, is covered as soon as it
 * exists. `refusedValue` draws values configuration must not reach (below the floor, or of a type
 * that cannot be shown to be at or above it); `acceptedValue` draws values at or above it.
 */
import fc from "fast-check";
import { z } from "zod";
import { ArgumentFloor, BooleanFloor, floorsOf, ListFloor, NumberFloor } from "../../core/floors";
import { AnyPolicy } from "../../core/policy";
import { allPolicies } from "../../policies";

export interface FlooredArgument {
  readonly policy: AnyPolicy;
  readonly argument: string;
  readonly floor: ArgumentFloor;
  /** The argument's own zod schema. */
  readonly schema: z.ZodType;
}

export const shallPolicies: readonly AnyPolicy[] = allPolicies.filter((p) => p.criticality === "SHALL");

/** Every argument of every SHALL policy, with its floor. */
export const flooredArguments: readonly FlooredArgument[] = shallPolicies.flatMap((policy) => {
  const configSchema = policy.configSchema as z.ZodObject;
  return floorsOf(configSchema).map(({ argument, floor }) => ({
    policy,
    argument,
    floor,
    schema: (configSchema.shape as Record<string, z.ZodType>)[argument] as z.ZodType,
  }));
});

/** A number floor. A guard: its direction is "rise" | "fall", so neither comparison alone rules it out and `||` narrows nothing. */
function isNumberFloor(floor: ArgumentFloor): floor is NumberFloor {
  return floor.direction === "rise" || floor.direction === "fall";
}

/** The bounds the argument's schema itself sets on a number (besides its floor). */
function numberBounds(schema: z.ZodType): { min: number; max: number; integer: boolean } {
  const json = z.toJSONSchema(schema, { io: "input" }) as { minimum?: number; maximum?: number; type?: string };
  return {
    min: json.minimum ?? -(2 ** 31),
    max: Math.min(json.maximum ?? 2 ** 31, 2 ** 31),
    integer: json.type === "integer",
  };
}

/** Upper/lower case per letter, and sometimes surrounding spaces: spellings every normaliser folds. */
export function spellingOf(entry: string): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.tuple(...[...entry].map((c) => fc.constantFrom(c.toLowerCase(), c.toUpperCase()))),
      fc.constantFrom("", " ", "\t"),
      fc.constantFrom("", " "),
    )
    .map(([letters, before, after]) => `${before}${letters.join("")}${after}`);
}

/** Entries that look like a floor entry but are another one: look-alike letters, invisible characters, near misses. */
function nearMisses(entry: string): string[] {
  return [
    entry.replace(/e/, "\u0435"), // Cyrillic ie
    entry.replace(/[ao]/, (c) => (c === "a" ? "\u0430" : "\u043e")), // Cyrillic a, o
    `${entry}\u200b`, // zero-width space
    `${entry}s`,
    entry.slice(1),
    entry.replace(/_/, "-"),
  ].filter((miss) => miss !== entry);
}

/** Entries nobody would list, and some that an attacker might: wildcards, MIME types, double extensions, markup. */
const strangeEntries = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 10 }),
  fc.stringMatching(/^[a-z0-9_]{1,12}$/),
  fc.constantFrom(
    "*",
    "",
    " ",
    ".",
    "*.*",
    "image/*",
    "application/octet-stream",
    "exe",
    "EXE",
    "js",
    "svg",
    "html",
    "zip",
    "pdf.exe",
    "docm",
    "\u001b[2J",
  ),
);

function numberValues(floor: NumberFloor, schema: z.ZodType, side: "refused" | "accepted"): fc.Arbitrary<number> {
  const { min, max, integer } = numberBounds(schema);
  const below = floor.direction === "rise";
  if (side === "refused") {
    // Past the floor the wrong way: integers, fractions, -0 and huge magnitudes alike.
    return below
      ? fc.oneof(
          fc.integer({ min: -(2 ** 31), max: floor.value - 1 }),
          fc.double({ max: floor.value, maxExcluded: true, noNaN: true, noDefaultInfinity: true }),
        )
      : fc.oneof(
          fc.integer({ min: floor.value + 1, max: 2 ** 31 }),
          fc.double({ min: floor.value, minExcluded: true, noNaN: true, noDefaultInfinity: true }),
        );
  }
  const [low, high] = below ? [floor.value, max] : [Math.max(min, -(2 ** 31)), floor.value];
  return integer ? fc.integer({ min: low, max: high }) : fc.double({ min: low, max: high, noNaN: true });
}

/** A switch: off is below a floor that is on; anything but a boolean is of the wrong type. */
function switchValues(floor: BooleanFloor, side: "refused" | "accepted"): fc.Arbitrary<boolean> {
  if (side === "accepted") return floor.value ? fc.constant(true) : fc.boolean();
  if (!floor.value) throw new Error("A switch whose floor is off has no value below it");
  return fc.constant(false);
}

/** Whether any value of the right type lies below the floor (none does for a switch whose floor is off). */
export function hasValuesBelowFloor(argument: FlooredArgument): boolean {
  return argument.floor.direction !== "on" || argument.floor.value;
}

/** Values of the wrong type: none can be shown to be at or above the floor. */
function wrongType(floor: ArgumentFloor): fc.Arbitrary<unknown> {
  if (floor.direction === "on") {
    return fc.constantFrom<unknown>("true", "false", "", 1, 0, null, [true], { value: true });
  }
  if (floor.direction === "rise" || floor.direction === "fall") {
    return fc.oneof(
      fc.constantFrom(String(floor.value), `${floor.value}.0`, "", "Infinity", "NaN", "1e400"),
      fc.boolean(),
      fc.constant(null),
      fc.constant([floor.value]),
      fc.constant({ value: floor.value }),
    );
  }
  const list = floor as ListFloor;
  return fc.oneof(
    fc.constant(list.value.join(",")),
    fc.constant(null),
    fc.constant({ 0: list.value[0] }),
    fc
      .tuple(fc.subarray([...list.value]), fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.constant([])))
      .map(([entries, bad]) => [...entries, bad]),
  );
}

function listRefused(floor: ListFloor): fc.Arbitrary<string[]> {
  if (floor.direction === "grow") {
    // Leave out at least one default entry; pad with others, case variants and look-alikes of what is missing.
    return fc
      .tuple(
        fc.subarray([...floor.value]).filter((kept) => kept.length < floor.value.length),
        fc.array(strangeEntries, { maxLength: 3 }),
        fc.boolean(),
      )
      .chain(([kept, extra, withNearMisses]) => {
        const missing = floor.value.filter((entry) => !kept.includes(entry));
        const misses = withNearMisses ? missing.flatMap(nearMisses) : [];
        return fc
          .tuple(...kept.map(spellingOf), fc.constant(null))
          .map((spelled) => [...(spelled.slice(0, -1) as string[]), ...extra, ...misses]);
      })
      .chain((entries) => fc.shuffledSubarray(entries, { minLength: entries.length }))
      .filter((entries) => floor.value.some((entry) => !entries.map(floor.normalise).includes(entry)));
  }
  // shrink: any subset of the floor plus at least one entry outside it.
  const outside = fc
    .oneof(
      strangeEntries,
      fc.constantFrom(...floor.value.flatMap(nearMisses)),
      fc.constantFrom(...floor.value).map((entry) => `${entry}.exe`),
    )
    .filter((entry) => !floor.value.includes(floor.normalise(entry)));
  return fc
    .tuple(fc.subarray([...floor.value]), fc.array(outside, { minLength: 1, maxLength: 3 }))
    .chain(([kept, extra]) => fc.shuffledSubarray([...kept, ...extra], { minLength: kept.length + extra.length }));
}

function listAccepted(floor: ListFloor): fc.Arbitrary<string[]> {
  const spelled = (entries: readonly string[]) =>
    fc.tuple(...entries.map(spellingOf), fc.constant(null)).map((s) => s.slice(0, -1) as string[]);
  if (floor.direction === "grow") {
    return fc
      .tuple(spelled(floor.value), fc.array(fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/), { maxLength: 4 }), fc.subarray([...floor.value]))
      .chain(([all, extra, duplicates]) =>
        fc.shuffledSubarray([...all, ...extra, ...duplicates], { minLength: all.length + extra.length + duplicates.length }),
      );
  }
  return fc.subarray([...floor.value]).chain((kept) => spelled(kept));
}

/** A value for the argument that configuration must not reach. */
export function refusedValue(argument: FlooredArgument): fc.Arbitrary<unknown> {
  const { floor } = argument;
  if (floor.direction === "on") return floor.value ? fc.oneof(switchValues(floor, "refused"), wrongType(floor)) : wrongType(floor);
  const belowFloor = isNumberFloor(floor) ? numberValues(floor, argument.schema, "refused") : listRefused(floor);
  return fc.oneof({ weight: 4, arbitrary: belowFloor }, { weight: 1, arbitrary: wrongType(floor) });
}

/** Only below the floor (right type, wrong side): the refusal must say "floor". */
export function belowFloorValue(argument: FlooredArgument): fc.Arbitrary<unknown> {
  const { floor } = argument;
  if (floor.direction === "on") return switchValues(floor, "refused");
  return isNumberFloor(floor) ? numberValues(floor, argument.schema, "refused") : listRefused(floor);
}

/** A value at or above the floor, in spellings the floor's comparison folds. */
export function acceptedValue(argument: FlooredArgument): fc.Arbitrary<unknown> {
  const { floor } = argument;
  if (floor.direction === "on") return switchValues(floor, "accepted");
  return isNumberFloor(floor) ? numberValues(floor, argument.schema, "accepted") : listAccepted(floor);
}

/** The floor as messages show it (JSON). */
export function shownFloor(argument: FlooredArgument): string {
  return JSON.stringify(argument.floor.value);
}

/**
 * JSON text for a configuration file, with numbers in varied but equivalent notations (4, 4.0,
 * 4e0, 0.4E1): what JSON.parse reads back is the same value, whatever the notation.
 */
export function jsonWithNotations(value: unknown, notation: number): string {
  if (typeof value === "number" && Number.isFinite(value) && !Object.is(value, -0)) {
    const plain = String(value);
    const forms = [plain, /^-?\d+$/.test(plain) ? `${plain}.0` : plain, value.toExponential(), value.toExponential().toUpperCase()];
    return forms[notation % forms.length] as string;
  }
  if (Array.isArray(value)) return `[${value.map((v) => jsonWithNotations(v, notation)).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${jsonWithNotations(v, notation)}`)
      .join(", ")}}`;
  }
  return Object.is(value, -0) ? "-0" : (JSON.stringify(value) ?? "null");
}
