/**
 * The SDK seam (core/sdk/) reaches into internals of @pulumi/policy and @pulumi/pulumi, so it states
 * the versions it was written against (core/sdk/versions.ts) and the pack refuses to start with any
 * other. These specs hold the range check to npm's tilde semantics, package.json and the lockfile to
 * the same ranges, and the compiled pack to its refusal.
 */
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import {
  assertSupportedSdkVersions,
  inTildeRange,
  installedSdkVersions,
  SdkPackage,
  supportedSdkVersions,
  unsupportedSdkVersions,
} from "../../core/sdk/versions";
import { propertyParameters } from "../support/property";

const root = path.join(__dirname, "..", "..");
const sdkPackages = Object.keys(supportedSdkVersions) as SdkPackage[];

describe("a tilde range", () => {
  const part = fc.integer({ min: 0, max: 400 });

  it("holds a version exactly when major and minor are equal and the patch is at least the range's", () => {
    fc.assert(
      fc.property(part, part, part, part, part, part, fc.boolean(), (major, minor, patch, rMajor, rMinor, rPatch, leadingV) => {
        // Half the time the same major and minor, so both sides of the rule are exercised.
        const [a, b] = leadingV ? [rMajor, rMinor] : [major, minor];
        const version = `${leadingV ? "v" : ""}${a}.${b}.${patch}`;
        expect(inTildeRange(version, `~${rMajor}.${rMinor}.${rPatch}`)).toBe(a === rMajor && b === rMinor && patch >= rPatch);
      }),
      propertyParameters(300),
    );
  });

  it("leaves out pre-releases, malformed versions and ranges of another form", () => {
    expect(inTildeRange("1.21.0", "~1.21.0")).toBe(true);
    expect(inTildeRange("v1.21.3+build.7", "~1.21.0")).toBe(true);
    for (const version of ["1.21.1-alpha.1", "1.21", "1.21.x", "", "01.21.0x", "1.21.0.0"])
      expect(inTildeRange(version, "~1.21.0")).toBe(false);
    for (const range of ["^1.21.0", "1.21.0", ">=1.21.0", "~1.21"]) expect(inTildeRange("1.21.0", range)).toBe(false);
  });
});

describe("the supported SDK versions", () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8")) as {
    packages: Record<string, { version?: string; dependencies?: Record<string, string> }>;
  };

  it.each(sdkPackages)("%s: package.json and the lockfile state the seam's range, and the locked version is in it", (name) => {
    expect(manifest.dependencies[name]).toBe(supportedSdkVersions[name]);
    expect(lock.packages[""]?.dependencies?.[name]).toBe(supportedSdkVersions[name]);
    expect(inTildeRange(lock.packages[`node_modules/${name}`]?.version ?? "", supportedSdkVersions[name])).toBe(true);
  });

  it("include the installed ones, so the pack starts here", () => {
    expect(unsupportedSdkVersions(installedSdkVersions())).toEqual([]);
    expect(() => assertSupportedSdkVersions()).not.toThrow();
  });

  it("name each SDK outside its range, with what is installed and what is supported", () => {
    expect(unsupportedSdkVersions({ "@pulumi/policy": "v1.22.0", "@pulumi/pulumi": "3.249.1" })).toEqual([
      "@pulumi/policy v1.22.0 is installed; this pack supports ~1.21.0",
      "@pulumi/pulumi 3.249.1 is installed; this pack supports ~3.248.0",
    ]);
  });
});

describe("the compiled pack, with an SDK outside the seam's range installed", () => {
  const temporaryRoots: string[] = [];
  afterAll(() => temporaryRoots.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  /** A copy of the built package whose node_modules are this one's, but for `fake`, whose package.json states `version`. */
  function packageWithSdk(fake: SdkPackage, version: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ihc-sdk-version-"));
    temporaryRoots.push(dir);
    fs.cpSync(path.join(root, "dist"), path.join(dir, "dist"), { recursive: true });
    fs.copyFileSync(path.join(root, "package.json"), path.join(dir, "package.json"));
    const realModules = path.join(root, "node_modules");
    const modules = path.join(dir, "node_modules");
    fs.mkdirSync(path.join(modules, "@pulumi"), { recursive: true });
    for (const entry of fs.readdirSync(realModules)) {
      if (entry !== "@pulumi") fs.symlinkSync(path.join(realModules, entry), path.join(modules, entry), "junction");
    }
    for (const entry of fs.readdirSync(path.join(realModules, "@pulumi"))) {
      const real = path.join(realModules, "@pulumi", entry);
      const copy = path.join(modules, "@pulumi", entry);
      if (!sdkPackages.includes(`@pulumi/${entry}` as SdkPackage)) {
        fs.symlinkSync(real, copy, "junction");
        continue;
      }
      // The same SDK, file for file, with its own package.json (so @pulumi/pulumi is found beside this
      // @pulumi/policy, not beside the real one); the fake's states `version`.
      fs.mkdirSync(copy);
      for (const file of fs.readdirSync(real)) {
        if (file !== "package.json") fs.symlinkSync(path.join(real, file), path.join(copy, file));
      }
      const sdkManifest = JSON.parse(fs.readFileSync(path.join(real, "package.json"), "utf8")) as Record<string, unknown>;
      fs.writeFileSync(
        path.join(copy, "package.json"),
        JSON.stringify(`@pulumi/${entry}` === fake ? { ...sdkManifest, version } : sdkManifest),
      );
    }
    return dir;
  }

  it.each([
    ["@pulumi/policy", "1.22.0"],
    ["@pulumi/pulumi", "3.250.0"],
  ] as const)("refuses to start, loudly, when %s is %s", (name, version) => {
    const dir = packageWithSdk(name, version);
    const run = childProcess.spawnSync(process.execPath, [path.join(dir, "dist", "pack", "index.js")], {
      cwd: dir,
      encoding: "utf8",
      // A pack that starts waits for its engine: it did not refuse.
      timeout: 30_000,
    });
    expect(run.status).not.toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(
      `intercom-security-health-check refuses to start: ${name} ${version} is installed; this pack supports ${supportedSdkVersions[name]}.`,
    );
  });
});
