/**
 * Node opens its inspector when it receives SIGUSR1 unless a JavaScript listener handles the
 * signal; through the inspector a program running as the same user could evaluate code in the
 * tool or the pack and change the verdict or the exit code. Both processes take the signal and
 * ignore it. (This does not sandbox the checked program: see the README's limits.)
 */
export function ignoreInspectorSignal(): void {
  if (process.platform === "win32") return;
  process.on("SIGUSR1", () => undefined);
}
