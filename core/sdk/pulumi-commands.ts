/**
 * The launchers `@pulumi/pulumi` ships in `cmd/`, which the Pulumi CLI's language host and plugin
 * layer run: a program (`run`), a policy pack (`run-policy-pack`), the dynamic provider
 * (`dynamic-provider`). The CLI runs the copy found from the program's or pack's directory; without
 * one, this package's copy is used.
 */
import * as path from "path";

export type SdkCommand = "run" | "run-policy-pack" | "dynamic-provider";

/** The launcher's script, from `from` (a program's or pack's directory) when it has its own SDK, else this package's. */
export function resolveSdkCommand(command: SdkCommand, from?: string): string {
  const request = `@pulumi/pulumi/cmd/${command}`;
  if (from !== undefined) {
    try {
      return require.resolve(request, { paths: [from] });
    } catch {
      // No SDK of its own there: this package's.
    }
  }
  return require.resolve(request);
}

/** The root folder of this package's `@pulumi/pulumi`. */
export function sdkPackageRoot(): string {
  return path.dirname(require.resolve("@pulumi/pulumi/package.json"));
}

/** Whether a program in `dir` has its own `@pulumi/pulumi` installed. */
export function sdkInstalledFrom(dir: string): boolean {
  try {
    require.resolve("@pulumi/pulumi/package.json", { paths: [dir] });
    return true;
  } catch {
    return false;
  }
}

/** TypeScript `paths` that map `@pulumi/pulumi` and its subpaths to this package's copy, for a program without one. */
export function sdkTypePaths(): Record<string, string[]> {
  const root = sdkPackageRoot();
  return { "@pulumi/pulumi": [path.join(root, "index.d.ts")], "@pulumi/pulumi/*": [path.join(root, "*")] };
}
