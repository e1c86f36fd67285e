/**
 * Where a failed program's error happened in the user's own code: the first stack frame inside the program's
 * directory and outside any node_modules (ts-node maps frames to the TypeScript source), or the position a
 * TypeScript or syntax error names. Text only: the error was raised in the program's process, which may print
 * anything, so the result is shown escaped and never trusted for more than a hint.
 */
import * as fs from "fs";
import * as path from "path";
import { fileURLToPath } from "url";
import type { SourceLocation } from "./errors";

/** `    at fn (file:line:col)`, `    at file:line:col`, `    at async fn (file:line:col)`. */
const stackFrame = /^\s*at (?:.*?\()?((?:file:\/\/)?[^()\s][^()]*?):(\d+):(\d+)\)?\s*$/;
/** ts-node's diagnostics: `index.ts(12,5): error TS2322: …`, relative to the program's directory. */
const typeScriptDiagnostic = /^(.+?\.(?:[cm]?tsx?|[cm]?jsx?))\((\d+),(\d+)\): error TS\d+:/;
/** Node's syntax errors open with `file:line`, then the line and a caret. */
const syntaxErrorHeader = /^((?:file:\/\/)?\/.+?|[A-Za-z]:\\.+?):(\d+)$/;

export function userCodeLocation(text: string, programDir: string): SourceLocation | undefined {
  const root = path.resolve(programDir);
  // Frames name absolute paths or file URLs (`node:internal/…` and `<anonymous>` are not files); only
  // diagnostics are relative, to the program's directory.
  const inProgram = (file: string, relativeAllowed: boolean): string | undefined => {
    if (!relativeAllowed && !file.startsWith("file://") && !path.isAbsolute(file)) return undefined;
    let absolute: string;
    try {
      absolute = file.startsWith("file://") ? fileURLToPath(file) : path.resolve(root, file);
    } catch {
      return undefined;
    }
    const relative = path.relative(root, absolute);
    if (!isBelow(relative)) return undefined;
    return relative.split(path.sep).includes("node_modules") ? undefined : absolute;
  };
  for (const line of text.split("\n")) {
    for (const pattern of [typeScriptDiagnostic, stackFrame]) {
      const match = pattern.exec(line);
      const file = match?.[1] && inProgram(match[1], pattern === typeScriptDiagnostic);
      if (match && file) return { file, line: Number(match[2]), column: Number(match[3]) };
    }
    const header = syntaxErrorHeader.exec(line.trim());
    const file = header?.[1] && inProgram(header[1], false);
    if (header && file) return { file, line: Number(header[2]), column: 1 };
  }
  return undefined;
}

/** Where the program declared a resource, relative to the program's directory ("/"-separated). */
export interface DeclarationLocation {
  readonly path: string;
  readonly line: number;
  readonly column: number;
}

/**
 * The first of a registration's positions (the SDK's source position, then its stack, innermost first) that is a
 * file:// URI inside the program's directory and outside any node_modules, relative to that directory: the user's
 * line, past the resource classes of a package. None when no position qualifies: nothing outside the directory,
 * nor any relative or non-file URI (which the program's process could have made up), is named.
 */
export function declarationLocation(
  positions: readonly { readonly uri: string; readonly line: number; readonly column: number }[],
  programDir: string,
): DeclarationLocation | undefined {
  const roots = [path.resolve(programDir)];
  try {
    roots.push(fs.realpathSync(programDir));
  } catch {
    // Not there any more: the resolved path alone.
  }
  for (const position of positions) {
    if (!position.uri.startsWith("file://") || !Number.isSafeInteger(position.line) || position.line < 1) continue;
    let absolute: string;
    try {
      absolute = fileURLToPath(position.uri);
    } catch {
      continue;
    }
    for (const root of roots) {
      const relative = path.relative(root, absolute);
      if (!isBelow(relative) || relative.split(path.sep).includes("node_modules")) continue;
      const column = Number.isSafeInteger(position.column) && position.column >= 1 ? position.column : 1;
      return { path: relative.split(path.sep).join("/"), line: position.line, column };
    }
  }
  return undefined;
}

/** `path:line:col`, as compilers print it. */
export function formatLocation(location: SourceLocation, cwd: string = process.cwd()): string {
  return `${displayPath(location.file, cwd)}:${location.line}:${location.column}`;
}

/** Relative to the working directory when the file lies below it, else absolute. */
export function displayPath(file: string, cwd: string = process.cwd()): string {
  const relative = path.relative(cwd, file);
  return isBelow(relative) ? relative : file;
}

/** A path.relative result naming something strictly below its base (`..x` is a name, `../x` is not below). */
function isBelow(relative: string): boolean {
  return relative !== "" && relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}
