/**
 * Where a failed program's error happened in the user's code (cli/user-code-location.ts): the first stack frame
 * inside the program's directory and outside node_modules, in every frame notation Node prints, or the position a
 * TypeScript diagnostic or syntax error names.
 */
import fc from "fast-check";
import * as path from "path";
import { pathToFileURL } from "url";
import { declarationLocation, formatLocation, userCodeLocation } from "../../cli/user-code-location";
import { propertyParameters } from "../support/property";

const programDir = "/work/acme-program";
const segment = fc.stringMatching(/^[A-Za-z0-9_.-]{1,10}$/).filter((s) => s !== "." && s !== ".." && s !== "node_modules");
const inProgram = fc
  .tuple(fc.array(segment, { maxLength: 3 }), segment)
  .map(([dirs, file]) => path.join(programDir, ...dirs, `${file}.ts`));
const elsewhere = fc.oneof(
  inProgram.map((f) => f.replace(programDir, path.join(programDir, "node_modules", "lib"))),
  segment.map((s) => `/usr/lib/node/${s}.js`),
  segment.map((s) => `/work/acme-program-other/${s}.ts`),
  fc.constant("node:internal/modules/cjs/loader"),
);
const position = fc.tuple(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 200 }));
/** The notations of a frame: named, anonymous, async, constructor, file URL (ESM). */
const frame = (file: string, line: number, column: number) =>
  fc.constantFrom(
    `    at check (${file}:${line}:${column})`,
    `    at ${file}:${line}:${column}`,
    `    at async Promise.all (index 0) (${file}:${line}:${column})`,
    `    at new SsoEnforcement (${file}:${line}:${column})`,
    `    at Object.<anonymous> (${pathToFileURL(file).href}:${line}:${column})`,
  );

describe("userCodeLocation", () => {
  it("generated: the first frame in the program's own code wins, past frames elsewhere", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(elsewhere, position), { maxLength: 4 }),
        fc.tuple(inProgram, position),
        fc.array(fc.tuple(fc.oneof(inProgram, elsewhere), position), { maxLength: 3 }),
        fc.integer({ min: 0, max: 4 }),
        (before, [file, [line, column]], after, style) => {
          const frames = [...before, [file, [line, column]] as const, ...after].map(
            ([f, [l, c]], i) => fc.sample(frame(f, l, c), { seed: style + i, numRuns: 1 })[0],
          );
          const text = ["Error: refused", ...frames].join("\n");
          expect(userCodeLocation(text, programDir)).toEqual({ file, line, column });
        },
      ),
      propertyParameters(100),
    );
  });

  it("generated: no location when no frame is in the program's code", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(elsewhere, position), { maxLength: 5 }), (frames) => {
        const text = ["Error: x", ...frames.map(([f, [l, c]]) => `    at fn (${f}:${l}:${c})`)].join("\n");
        expect(userCodeLocation(text, programDir)).toBeUndefined();
      }),
      propertyParameters(60),
    );
  });

  it("reads ts-node's diagnostics and Node's syntax errors", () => {
    expect(
      userCodeLocation("⨯ Unable to compile TypeScript:\nindex.ts(12,7): error TS2322: Type 'number' is not assignable", programDir),
    ).toEqual({
      file: path.join(programDir, "index.ts"),
      line: 12,
      column: 7,
    });
    expect(userCodeLocation(`${programDir}/lib/x.js:3\n  let = ;\n      ^\n\nSyntaxError: Unexpected token '='`, programDir)).toEqual({
      file: path.join(programDir, "lib", "x.js"),
      line: 3,
      column: 1,
    });
  });

  it("prints path:line:col, relative below the working directory", () => {
    expect(formatLocation({ file: "/work/acme-program/src/index.ts", line: 4, column: 2 }, "/work")).toBe(
      path.join("acme-program", "src", "index.ts") + ":4:2",
    );
    expect(formatLocation({ file: "/elsewhere/index.ts", line: 4, column: 2 }, "/work")).toBe("/elsewhere/index.ts:4:2");
  });
});

describe("where a resource was declared (declarationLocation), from its registration's positions", () => {
  const at = (file: string, line: number, column: number) => ({ uri: pathToFileURL(file).href, line, column });

  it("is the first position inside the program and outside node_modules, relative to the program, whatever comes before it (property)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            elsewhere.filter((f) => !f.startsWith("node:")),
            position,
          ),
          { maxLength: 4 },
        ),
        inProgram,
        position,
        fc.array(fc.tuple(inProgram, position), { maxLength: 2 }),
        (before, file, [line, column], after) => {
          const positions = [
            ...before.map(([f, [l, c]]) => at(f, l, c)),
            at(file, line, column),
            ...after.map(([f, [l, c]]) => at(f, l, c)),
          ];
          expect(declarationLocation(positions, programDir)).toEqual({
            path: path.relative(programDir, file).split(path.sep).join("/"),
            line,
            column,
          });
        },
      ),
      propertyParameters(200),
    );
  });

  it("names nothing outside the program, nor a URI that is not a file URL (property)", () => {
    const notFileUri = fc.oneof(
      inProgram.map((f) => path.relative(programDir, f)),
      inProgram.map((f) => `https://example.com${f}`),
      inProgram.map((f) => `${programDir}/../${path.basename(f)}`),
      inProgram,
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            elsewhere.filter((f) => !f.startsWith("node:")).map((f) => pathToFileURL(f).href),
            notFileUri,
          ),
          { maxLength: 4 },
        ),
        position,
        (uris, [line, column]) => {
          expect(
            declarationLocation(
              uris.map((uri) => ({ uri, line, column })),
              programDir,
            ),
          ).toBeUndefined();
        },
      ),
      propertyParameters(200),
    );
    // A file URL that climbs out of the program with "..": resolved first, so outside.
    expect(declarationLocation([{ uri: `file://${programDir}/../elsewhere/index.ts`, line: 3, column: 1 }], programDir)).toBeUndefined();
    expect(
      declarationLocation([{ uri: pathToFileURL(path.join(programDir, "index.ts")).href, line: 0, column: 1 }], programDir),
    ).toBeUndefined();
  });
});
