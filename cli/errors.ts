/**
 * What went wrong, as a script reading the exit code needs to know it: the user's input (exit 2) or
 * the tool itself (exit 3). Only errors of these classes are the user's; anything else that reaches
 * the top is the tool's own failure.
 */

/** How an error is reported under `--json` ({"error": {"kind", ...}}). */
export type ErrorKind = "usage" | "input" | "program" | "internal";

/** Where in the user's code a failure happened, as `path:line:column` shows it (1-based). */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Bad arguments: an option's value, a missing directory. */
export class UsageError extends Error {
  readonly kind: ErrorKind = "usage";
}

/** Bad input files: a project or stack configuration the tool cannot use as given. */
export class InputError extends Error {
  readonly kind: ErrorKind = "input";
}
