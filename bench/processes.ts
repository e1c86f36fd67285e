/**
 * Processes the bench starts and their memory. Peak memory is the kernel's high-water mark (VmHWM in
 * /proc/<pid>/status), which Linux can reset (writing 5 to /proc/<pid>/clear_refs) so one process can be measured
 * workload by workload.
 */
import * as childProcess from "child_process";
import * as fs from "fs";
import type { PolicyPackSession } from "../cli/analyzer-client";
import { elapsedMs } from "./stats";

/** The pack process behind a session. Reaches into the session's private `child`; fails loudly if it is renamed. */
export function packPid(session: PolicyPackSession): number {
  const child = (session as unknown as { child?: childProcess.ChildProcess }).child;
  if (!child || typeof child.pid !== "number") {
    throw new Error("PolicyPackSession no longer keeps its process in `child`: update bench/processes.ts.");
  }
  return child.pid;
}

/** The process's peak resident memory in MB (VmHWM), or undefined once it has exited. */
export function peakMemoryMb(pid: number): number | undefined {
  let status: string;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return undefined;
  }
  const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) / 1024 : undefined;
}

/** Starts a new high-water mark for the process (Linux ≥ 4.0); false when the kernel does not allow it. */
export function resetPeakMemory(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

/** The process's children, grandchildren and so on (from /proc/<pid>/stat's parent field). */
function descendants(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command name is in parentheses and may hold spaces: the fields after its closing parenthesis are fixed.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parentOf.set(Number(entry), Number(fields[1]));
    } catch {
      // The process ended while the list was read.
    }
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift() as number;
    for (const [pid, ppid] of parentOf) {
      if (ppid === parent) {
        found.push(pid);
        queue.push(pid);
      }
    }
  }
  return found;
}

export interface ProcessRun {
  readonly ms: number;
  readonly exitCode: number | null;
  /** The sum of each process's peak (the process and every descendant seen): an upper bound of the tree's peak. */
  readonly peakTreeMemoryMb: number;
  readonly stderr: string;
}

const SAMPLE_INTERVAL_MS = 50;

/**
 * Runs `node args…` to its end, timing it and sampling the peak memory of it and its descendants every 50 ms (a
 * process's own peak is exact up to its last sample; growth in its final 50 ms is missed).
 */
export function runNode(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = childProcess.spawn(process.execPath, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    const peaks = new Map<number, number>();
    const sample = (): void => {
      if (child.pid === undefined) return;
      for (const pid of [child.pid, ...descendants(child.pid)]) {
        const peak = peakMemoryMb(pid);
        if (peak !== undefined) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, peak));
      }
    };
    const timer = setInterval(sample, SAMPLE_INTERVAL_MS);
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-8192);
    });
    child.once("error", (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.once("close", (code) => {
      clearInterval(timer);
      const ms = elapsedMs(start);
      resolve({ ms, exitCode: code, peakTreeMemoryMb: [...peaks.values()].reduce((a, b) => a + b, 0), stderr });
    });
  });
}
