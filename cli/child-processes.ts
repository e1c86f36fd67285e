import type * as childProcess from "child_process";

/** Children still running, each with how to kill it, killed if this process exits first. */
const liveChildren = new Map<childProcess.ChildProcess, (child: childProcess.ChildProcess) => void>();
let exitHookInstalled = false;

/** Kills `child` (SIGKILL, unless `kill` says how) if this process exits while it still runs. */
export function killOnExit(
  child: childProcess.ChildProcess,
  kill: (child: childProcess.ChildProcess) => void = (c) => c.kill("SIGKILL"),
): void {
  liveChildren.set(child, kill);
  child.once("exit", () => liveChildren.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", () => {
      for (const [live, killLive] of liveChildren) killLive(live);
    });
  }
}
