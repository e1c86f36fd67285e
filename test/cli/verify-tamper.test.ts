/**
 * `verify` against a report edited to lie to one reader while JSON.parse (and so the digest) sees
 * the original: a key written twice in one object. JSON.parse keeps the last; other readers (and
 * people reading the file) may take the first. A report whose objects repeat a key is refused.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import { integrityDifferences, readReportDocument } from "../../cli/verify";
import { jsonReport } from "../../report/json";
import { context, hostileFields, hostileReport } from "../report/audit-fixtures";
import { propertyParameters, sampleOf } from "../support/property";

const [fields] = sampleOf(hostileFields, 1) as [Parameters<typeof hostileReport>[0]];
const { report } = hostileReport(fields);
const document = JSON.parse(JSON.stringify(jsonReport(report, { pack: { name: context.packName, version: context.packVersion }, allowUnknown: false }))) as Record<string, unknown>;

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
  const spelled = escapeKey ? `"${[...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")}"` : JSON.stringify(key);
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
    const edit = fc
      .constantFrom(...paths)
      .chain((at) => {
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
});
