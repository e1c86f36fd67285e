/**
 * Canary secrets and the check that none of them, nor anything derived from one, appears in an
 * output. Canaries are random tokens, Unicode text, URLs, emails, hostnames (IDN included) and
 * dates, in random casing. Their hosts and dates are drawn apart from the fixtures' own
 * (`example.com`, 2026 dates), so a match in an output is the canary's, not a fixture's.
 */
import fc from "fast-check";
import { domainToASCII } from "url";
import { ControlDefinition } from "../../core/control";
import { derivedForms, edgeLength, foldForComparison, innerLength } from "../../core/redaction";
import { allControls } from "../../resources";
import { secureSample } from "./fixtures";

/** Each character upper- or lower-cased by the bits of `seed`. */
export function recase(text: string, seed: number): string {
  let bits = seed >>> 0;
  let result = "";
  for (const character of text) {
    result += bits & 1 ? character.toUpperCase() : character.toLowerCase();
    bits = (bits >>> 1) | ((bits & 1) << 31);
  }
  return result;
}

const lower = "abcdefghijklmnopqrstuvwxyz";
const digits = "0123456789";
/** Letters that fold in interesting ways: ß/SS, the Turkish i's, ligatures, fullwidth forms, combining marks. */
const unicodeLetters = [..."äöüßéçñøåıİſΣσςДжЯ", "ﬁ", "ﬀ", "Ａ", "ｚ", "１", "e\u0301", "a\u030a", "Å"];

const asciiLabel = fc.stringMatching(/^[a-z][a-z0-9]{3,9}$/);
const unicodeLabel = fc
  .array(fc.constantFrom(...lower, ..."äöüéçñøå"), { minLength: 4, maxLength: 10 })
  .map((letters) => letters.join(""))
  .filter((label) => domainToASCII(`${label}.com`) !== "");

/** A host under a random registrable domain: never the fixtures' example.com. */
export const canaryHost = fc
  .tuple(fc.oneof(asciiLabel, unicodeLabel), asciiLabel, fc.constantFrom("com", "net", "org", "de", "co.uk", "io"))
  .map(([sub, domain, suffix]) => `${sub}.zz${domain}.${suffix}`);

const token = fc
  .tuple(fc.stringMatching(/^[A-Za-z0-9_-]{10,28}$/), fc.constantFrom(...lower), fc.constantFrom(...digits))
  .map(([body, letter, digit]) => `${letter}${body}${digit}`);

const unicodeText = fc
  .array(fc.constantFrom(...lower, ...digits, ...unicodeLetters), { minLength: 10, maxLength: 24 })
  .map((parts) => parts.join(""));

const canaryUrl = fc
  .tuple(canaryHost, fc.array(token, { minLength: 1, maxLength: 3 }), token, token, fc.boolean())
  .map(
    ([host, path, key, value, withUser]) =>
      `https://${withUser ? `${key}:${value}@` : ""}${host}/${path.join("/")}?${key}=${value}#${path[0]}`,
  );

const canaryEmail = fc.tuple(token, canaryHost).map(([local, host]) => `${local}@${host}`);

/** Dates far from the fixtures' and the pinned clock's (2026). */
const canaryDate = fc
  .date({ min: new Date("1995-01-01T00:00:00Z"), max: new Date("2009-12-31T23:59:59Z"), noInvalidDate: true })
  .chain((date) => fc.constantFrom(date.toISOString(), date.toISOString().slice(0, 10), date.toISOString().slice(0, 19) + "Z"));

export const canaryKinds = { token, unicodeText, url: canaryUrl, email: canaryEmail, host: canaryHost, date: canaryDate } as const;

/** A canary of any kind, in random casing. */
export const canary: fc.Arbitrary<string> = fc
  .oneof(...Object.values(canaryKinds))
  .chain((text) => fc.integer().map((seed) => recase(text, seed)));

// ---------------------------------------------------------------------------------------------
// Where the canaries go.

/**
 * Every (control, secret or sensitive path) pair the control definitions declare: new ones are
 * covered as they are added. Both kinds are hidden in every message.
 */
export function secretPathsOf(controls: readonly ControlDefinition[]): Array<{ control: ControlDefinition; path: string }> {
  return controls.flatMap((control) => [...control.secretPaths, ...(control.sensitivePaths ?? [])].map((path) => ({ control, path })));
}

/**
 * A deep copy of `props` with `value` at a dot path; a `*` segment becomes `recordKey` (a
 * header's name), and missing objects on the way are created.
 */
export function withValueAt(props: Record<string, unknown>, path: string, value: unknown, recordKey = "X-Canary"): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(props)) as Record<string, unknown>;
  const segments = path.split(".").map((segment) => (segment === "*" ? recordKey : segment));
  let current = copy;
  for (const segment of segments.slice(0, -1)) {
    const next = current[segment];
    const container = next && typeof next === "object" && !Array.isArray(next) ? (next as Record<string, unknown>) : {};
    current[segment] = container;
    current = container;
  }
  current[segments[segments.length - 1] as string] = value;
  return copy;
}

/** A control instance to send: through the protocol (test/support/engine.ts) or a program (generated-program.ts). */
export interface Placement {
  readonly control: ControlDefinition;
  readonly name: string;
  readonly props: Record<string, unknown>;
}

/**
 * A canary everywhere a secret can be, read from the control definitions (a new control or
 * secret path is covered when it is added): at every secret path of every control, marked
 * secret (`markSecret`, the harness's own form) and not, as given, listed, and as an object of
 * canary keys, each also beside a schema problem; and marked secret in every other field of
 * every control (a list carries it as one entry; any other field is the secret).
 */
export function canaryPlacements(value: string, header: string, tag: string, markSecret: (value: unknown) => unknown): Placement[] {
  const atSecretPaths = secretPathsOf(allControls).flatMap(({ control, path }, i) => {
    const shapes: Array<[string, unknown]> = [
      ["as-given", value],
      ["listed", [value]],
      ["keyed", { [value]: value, zzinner: { [value.toUpperCase()]: [value] } }],
    ];
    return shapes.flatMap(([shape, inner]) =>
      [false, true].flatMap((marked) => {
        const props = withValueAt(secureSample(control), path, marked ? markSecret(inner) : inner, header);
        const name = `${tag}-${control.name}-${i}-${shape}-${marked ? "secret" : "plain"}`;
        return [
          { control, name, props },
          { control, name: `${name}-broken`, props: { ...props, notAField: "unexpected" } },
        ];
      }),
    );
  });
  const inOtherFields = allControls.flatMap((control) => {
    const sample = secureSample(control);
    return Object.keys(control.schema.shape)
      .filter((field) => field !== "workspaceId" && !secretPathsOf([control]).some(({ path }) => path.split(".")[0] === field))
      .map((field) => {
        const current = sample[field];
        const sent = Array.isArray(current) ? [markSecret(value), ...current] : markSecret(value);
        return { control, name: `${tag}-${control.name}-${field}-pasted`, props: { ...sample, [field]: sent } };
      });
  });
  return [...atSecretPaths, ...inOtherFields];
}

/** Every control with its workspace id sent as a secret: stack policies and the report name workspaces. */
export function secretWorkspacePlacements(workspaceId: string, tag: string, markSecret: (value: unknown) => unknown): Placement[] {
  return allControls.map((control) => ({
    control,
    name: `${tag}-${control.name}-secret-workspace`,
    props: { ...secureSample(control), workspaceId: markSecret(workspaceId) },
  }));
}

/** A header name, and a workspace id of the valid form, to go with a canary. */
export const headerName = fc.stringMatching(/^X-[A-Z][a-z]{2,8}$/);
export const canaryWorkspaceId = fc.stringMatching(/^zq[a-z0-9]{8,14}$/);

// ---------------------------------------------------------------------------------------------
// The check.

const wordCharacter = /[\p{L}\p{N}\p{M}_-]/u;

/** Whether `needle` occurs in `haystack` with no word character glued to it on either side. */
function hasWholeToken(haystack: string, needle: string): boolean {
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
    const before = haystack[at - 1];
    const after = haystack[at + needle.length];
    if ((before === undefined || !wordCharacter.test(before)) && (after === undefined || !wordCharacter.test(after))) return true;
  }
  return false;
}

/**
 * What of the canary an output shows, compared folded (case, NFKC): every form redaction
 * defines (`derivedForms`), any run of {@link innerLength} characters of the canary wherever it
 * is, and any prefix or suffix of at least {@link edgeLength} characters standing as whole
 * tokens. Empty when nothing leaks.
 */
export function leaksOf(output: string, secret: string): string[] {
  const folded = foldForComparison(output);
  const forms = derivedForms(secret);
  const leaks = [
    ...forms.anywhere.filter((form) => folded.includes(form)),
    ...forms.wholeTokens.filter((form) => hasWholeToken(folded, form)),
  ];
  const canaryFolded = foldForComparison(secret);
  for (let i = 0; i + innerLength <= canaryFolded.length; i++) {
    const run = canaryFolded.slice(i, i + innerLength);
    if (folded.includes(run)) leaks.push(run);
  }
  for (let length = edgeLength; length < canaryFolded.length; length++) {
    const prefix = canaryFolded.slice(0, length);
    const suffix = canaryFolded.slice(canaryFolded.length - length);
    // A URL's scheme alone (`https://`) says nothing of it, and the pack's own texts contain it.
    if (hasWholeToken(folded, prefix) && !/^[a-z][a-z0-9+.-]*:\/\/$/.test(prefix)) leaks.push(prefix);
    if (hasWholeToken(folded, suffix)) leaks.push(suffix);
  }
  return [...new Set(leaks)];
}

/** Every canary that leaks into the outputs, with what of it leaked (for a readable failure). */
export function leaksIn(outputs: readonly string[], secrets: readonly string[]): Array<{ canary: string; leaked: string[] }> {
  const all = outputs.join("\n");
  return secrets.map((secret) => ({ canary: secret, leaked: leaksOf(all, secret) })).filter((l) => l.leaked.length > 0);
}
