/**
 * The Pulumi SDK versions this seam (core/sdk/) was written against. Everything here reaches into
 * internals neither SDK promises to keep (module paths, private handlers, generated stubs), so a
 * version outside these ranges is refused rather than trusted: the pack would otherwise run with a
 * check silently missing. package.json states the same ranges (test/core/sdk-versions.test.ts holds
 * the two equal). A range is `~MAJOR.MINOR.PATCH`: that minor version, at that patch or later.
 */
import * as path from "path";
import * as fs from "fs";

export const supportedSdkVersions = {
  "@pulumi/policy": "~1.21.0",
  "@pulumi/pulumi": "~3.248.0",
} as const;

export type SdkPackage = keyof typeof supportedSdkVersions;

const versionPattern = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;
const tildeRangePattern = /^~(\d+)\.(\d+)\.(\d+)$/;

/**
 * Whether `version` (as a package.json states it; @pulumi/policy writes a leading "v") is in the
 * tilde range: same major and minor, patch at least the range's. A pre-release is outside, as npm
 * has it for a range without one. Anything unparsable is outside.
 */
export function inTildeRange(version: string, range: string): boolean {
  const v = versionPattern.exec(version.trim());
  const r = tildeRangePattern.exec(range);
  if (!v || !r) return false;
  if (v[4] !== undefined) return false;
  return Number(v[1]) === Number(r[1]) && Number(v[2]) === Number(r[2]) && Number(v[3]) >= Number(r[3]);
}

/**
 * The version of each SDK as installed where this package resolves it from `fromDir` (default: the
 * seam itself): `@pulumi/policy`, and the `@pulumi/pulumi` that `@pulumi/policy` loads.
 */
export function installedSdkVersions(fromDir: string = __dirname): Record<SdkPackage, string> {
  const policyManifest = require.resolve("@pulumi/policy/package.json", { paths: [fromDir] });
  const pulumiManifest = require.resolve("@pulumi/pulumi/package.json", { paths: [path.dirname(policyManifest)] });
  const versionOf = (manifest: string) => String((JSON.parse(fs.readFileSync(manifest, "utf8")) as { version?: unknown }).version);
  return { "@pulumi/policy": versionOf(policyManifest), "@pulumi/pulumi": versionOf(pulumiManifest) };
}

/** Each installed SDK outside its supported range, in words; empty when all are supported. */
export function unsupportedSdkVersions(installed: Record<SdkPackage, string>): string[] {
  return (Object.keys(supportedSdkVersions) as SdkPackage[])
    .filter((name) => !inTildeRange(installed[name], supportedSdkVersions[name]))
    .map((name) => `${name} ${installed[name]} is installed; this pack supports ${supportedSdkVersions[name]}`);
}

/** Throws, naming each SDK outside its range, unless every installed SDK is one the seam was written against. */
export function assertSupportedSdkVersions(fromDir?: string): void {
  const problems = unsupportedSdkVersions(installedSdkVersions(fromDir));
  if (problems.length > 0) {
    throw new Error(
      `intercom-security-health-check refuses to start: ${problems.join("; ")}. Its SDK seam (core/sdk/) uses internals of these ` +
        "versions only; install a supported version (npm install) or a release of this pack written for yours.",
    );
  }
}
