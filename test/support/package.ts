/**
 * Helpers for test/package/: the package as its users get it. `npm pack` (what `pulumi policy publish` uploads),
 * a folder where the package is installed, and a child process that requires it by name.
 */
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { packDir } from "./engine";

export const PACKAGE_NAME = "intercom-security-health-check";

/** A fresh temporary directory, removed by {@link removeDir}. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string | undefined): void {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

export interface CommandResult {
  status: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/** Runs a command to completion (no shell); never throws on a non-zero exit. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): CommandResult {
  const started = Date.now();
  const result = childProcess.spawnSync(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    encoding: "utf8",
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, durationMs: Date.now() - started };
}

/** Throws, with the command's output, unless it exited 0. */
export function runChecked(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): CommandResult {
  const result = run(command, args, options);
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} (in ${options.cwd}) exited ${String(result.status)}:\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result;
}

export interface PackedTarball {
  tarball: string;
  /** Paths inside the package, as npm pack lists them. */
  files: string[];
}

/** `npm pack` of the repository into `destination`, without lifecycle scripts: dist/ is what `npm run build` left. */
export function npmPack(destination: string): PackedTarball {
  const { stdout } = runChecked("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", destination], { cwd: packDir });
  const [entry] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  if (!entry) throw new Error(`npm pack printed no tarball: ${stdout}`);
  return { tarball: path.join(destination, entry.filename), files: entry.files.map((f) => f.path) };
}

/**
 * A folder where the package is installed as `npm install file:<repository>` installs it (a symlink), with the
 * packages a policy pack depends on linked from the repository's node_modules: no network, no npm.
 */
export function linkInstall(dir: string, packages: readonly string[]): void {
  fs.mkdirSync(path.join(dir, "node_modules"), { recursive: true });
  const link = (name: string, target: string) => {
    const at = path.join(dir, "node_modules", name);
    fs.mkdirSync(path.dirname(at), { recursive: true });
    fs.symlinkSync(target, at, "junction");
  };
  link(PACKAGE_NAME, packDir);
  for (const name of packages) link(name, fs.realpathSync(path.join(packDir, "node_modules", name)));
}
