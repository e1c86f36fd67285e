/**
 * Runs a Node.js script in a child process and collects what it printed: the one way the CLI specs
 * run the compiled tool (and the README's command lines), so each spec states only its arguments.
 */
import * as childProcess from "child_process";

export interface ProcessRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ProcessOptions {
  readonly cwd: string;
  /** Added to this process's environment. */
  readonly env?: NodeJS.ProcessEnv;
  /** The child is killed (SIGKILL) after this long; its run then ends with code null. */
  readonly timeoutMs: number;
}

/** `node <args…>`, resolved when the child has closed its output. */
export function runNode(args: readonly string[], options: ProcessOptions): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = childProcess.spawn(process.execPath, [...args], { cwd: options.cwd, env: { ...process.env, ...options.env } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A run's exit code and output, for an assertion's message. */
export function describedRun(run: ProcessRun): string {
  return `exit ${run.code}\n--- stdout ---\n${run.stdout}\n--- stderr ---\n${run.stderr}`;
}

/** Asserts the exit code, showing the whole output when it differs. */
export function expectExitCode(run: ProcessRun, code: number): void {
  expect({ code: run.code, output: run.code === code ? "" : describedRun(run) }).toEqual({ code, output: "" });
}
