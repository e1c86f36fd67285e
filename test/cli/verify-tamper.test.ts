/**
 * `verify` against a report edited to lie to one reader while JSON.parse (and so the digest) sees
 * the original: a key written twice in one object. JSON.parse keeps the last; other readers (and
 * people reading the file) may take the first. A report whose objects repeat a key is refused.
 * And `verify --input` against a report whose every check it makes passes but for a field it did
 * not compare (a framework row's status, a workspace's security contact, an accountability): any
 * field but when, what and where the run read must be the re-run's.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import { InputError } from "../../cli/errors";
import { integrityDifferences, readReportDocument, regradeDifferences } from "../../cli/verify";
import { jsonReport, JsonReport } from "../../report/json";
import { context, hostileFields, hostileReport } from "../report/audit-fixtures";
import { propertyParameters, sampleOf } from "../support/property";

const [fields] = sampleOf(hostileFields, 1) as [Parameters<typeof hostileReport>[0]];
const { report, context: hostileContext } = hostileReport(fields);
const document = JSON.parse(
  JSON.stringify(jsonReport(report, { pack: { name: context.packName, version: context.packVersion }, allowUnknown: false })),
) as Record<string, unknown>;

/** Every object in the document, by its path of keys and indices. */
function objectPaths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((element, i) => objectPaths(element, [...at, i]));
  if (value === null || typeof value !== "object") return [];
  return [at, ...Object.entries(value).flatMap(([key, element]) => objectPaths(element, [...at, key]))];
}

const sentinel = "\u0000duplicate-sentinel\u0000";

/** The document's text with `key` of the object at `at` written twice: first `forged`, then its own value (which JSON.parse keeps). */
function withDuplicateKey(at: (string | number)[], key: string, forged: unknown, escapeKey: boolean): string {
  const copy = JSON.parse(JSON.stringify(document)) as Record<string, unknown>;
  let parent: unknown = { root: copy };
  for (const step of ["root", ...at]) parent = (parent as Record<string | number, unknown>)[step];
  const target = parent as Record<string, unknown>;
  const entries = Object.entries(target);
  for (const name of Object.keys(target)) delete target[name];
  Object.assign(target, { [sentinel]: forged }, Object.fromEntries(entries));
  // The key as JSON writes it, or spelled with \u escapes (the same key to JSON.parse).
  const spelled = escapeKey
    ? `"${[...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")}"`
    : JSON.stringify(key);
  return JSON.stringify(copy, null, 2).replace(JSON.stringify(sentinel), spelled);
}

describe("verify refuses a report that repeats a key", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-tamper-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, "report.json");

  it("passes the untouched report (the baseline the edits start from)", () => {
    fs.writeFileSync(file, JSON.stringify(document, null, 2));
    expect(integrityDifferences(readReportDocument(file))).toEqual([]);
  });

  it("refuses any object with a key written twice, whatever the value first written and however the key is spelled", () => {
    const paths = objectPaths(document).filter((at) => {
      let value: unknown = document;
      for (const step of at) value = (value as Record<string | number, unknown>)[step];
      return Object.keys(value as object).length > 0;
    });
    const edit = fc.constantFrom(...paths).chain((at) => {
      let value: unknown = document;
      for (const step of at) value = (value as Record<string | number, unknown>)[step];
      return fc.tuple(fc.constant(at), fc.constantFrom(...Object.keys(value as object)), fc.jsonValue({ maxDepth: 1 }), fc.boolean());
    });
    fc.assert(
      fc.property(edit, ([at, key, forged, escapeKey]) => {
        fs.writeFileSync(file, withDuplicateKey(at, key, forged, escapeKey));
        // JSON.parse keeps the last value, so the digest alone cannot see this edit.
        expect(() => readReportDocument(file)).toThrow(/same key twice/);
      }),
      propertyParameters(150),
    );
  });

  it("refuses a number beyond JSON's range at any leaf (it parses as Infinity) as input, not as the tool's failure", () => {
    const sentinel = "__beyond_json_range__";
    fc.assert(
      fc.property(
        fc.constantFrom(...leafPaths(document).filter((at) => at.length > 0)),
        fc.constantFrom("1e400", "-1e400", "9".repeat(400)),
        (at, huge) => {
          const copy = JSON.parse(JSON.stringify(document)) as Record<string | number, unknown>;
          let parent: Record<string | number, unknown> = copy;
          for (const step of at.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
          parent[at[at.length - 1] as string | number] = sentinel;
          fs.writeFileSync(file, JSON.stringify(copy, null, 2).replace(JSON.stringify(sentinel), huge));
          expect(() => readReportDocument(file)).toThrow(InputError);
        },
      ),
      propertyParameters(50),
    );
  });
});

/** Every leaf of a JSON value, by its path. */
function leafPaths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.length === 0 ? [at] : value.flatMap((element, i) => leafPaths(element, [...at, i]));
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    return entries.length === 0 ? [at] : entries.flatMap(([key, element]) => leafPaths(element, [...at, key]));
  }
  return [at];
}

describe("verify --input compares every graded field with the re-run", () => {
  const evidence = hostileContext.evidence as NonNullable<typeof hostileContext.evidence>;
  const recorded = JSON.parse(
    JSON.stringify(jsonReport(report, { pack: { name: context.packName, version: context.packVersion }, allowUnknown: false, evidence })),
  ) as JsonReport;
  // When, what and where a run read (and the digest and the schema version that wrote it), which a faithful re-run may differ in.
  const circumstances = [
    ["digest"],
    ["schemaVersion"],
    ["evidence", "ranAt"],
    ["evidence", "clockInjected"],
    ["evidence", "tool"],
    ["evidence", "git"],
    ["evidence", "input", "subject"],
  ];
  const compared = leafPaths(recorded).filter((at) => !circumstances.some((prefix) => prefix.every((step, i) => at[i] === step)));

  it("finds no difference between a report and an identical re-run", () => {
    expect(regradeDifferences(recorded, JSON.parse(JSON.stringify(recorded)) as JsonReport)).toEqual([]);
  });

  it("finds a difference in any other field edited", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...compared),
        fc.oneof(fc.string({ maxLength: 6 }), fc.boolean(), fc.integer(), fc.constant(null)),
        (at, forged) => {
          const edited = JSON.parse(JSON.stringify(recorded)) as Record<string, unknown>;
          let parent: Record<string | number, unknown> = { root: edited };
          const steps = ["root", ...at];
          for (const step of steps.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
          const last = steps[steps.length - 1] as string | number;
          fc.pre(JSON.stringify(parent[last]) !== JSON.stringify(forged));
          parent[last] = forged;
          // A report no longer of the report's shape may be refused by throwing (verify then fails); it never verifies.
          let differences: number;
          try {
            differences = regradeDifferences(edited as unknown as JsonReport, recorded).length;
          } catch {
            differences = Infinity;
          }
          expect(differences).toBeGreaterThan(0);
        },
      ),
      propertyParameters(300),
    );
  });
});
