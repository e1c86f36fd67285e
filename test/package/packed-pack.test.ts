/**
 * The path `pulumi policy publish` takes: `npm pack` (what publish uploads), unpacked into a fresh folder, production
 * dependencies installed there and nothing else, then started with run-policy-pack and given the example programs.
 * Its verdicts must be the working tree's pack's, diagnostic for diagnostic.
 *
 * The install runs offline from the npm cache `npm ci` filled. npm pack leaves the lockfile out, and without one npm
 * resolves the whole tree, devDependencies included, from registry metadata that `npm ci` never fetched (ENOTCACHED).
 * So the repository's package-lock.json is placed beside the unpacked package.json: the same versions CI tests, all
 * within the package's declared ranges; a registry install resolves those ranges afresh.
 */
import * as fs from "fs";
import * as path from "path";
import { CapturedResource, PolicyPackSession } from "../../cli/analyzer-client";
import {
  analyzeEverything,
  captureExample,
  ExampleName,
  launchPinnedPack,
  mandatory,
  PACK_NAME,
  PACK_VERSION,
  packDir,
  PINNED_AS_OF,
  SETUP_TIMEOUT_MS,
  summarize,
} from "../support/engine";
import { npmPack, PACKAGE_NAME, PackedTarball, removeDir, run, runChecked, tempDir } from "../support/package";

const EXAMPLES: readonly ExampleName[] = ["secure-workspace", "healthcare-workspace", "insecure-workspace"];

describe("the packed tarball, installed with production dependencies only, as a published pack", () => {
  let workDir: string | undefined;
  let installedDir = "";
  let packed: PackedTarball = { tarball: "", files: [] };
  let publishedPack: PolicyPackSession | undefined;
  let workingTreePack: PolicyPackSession | undefined;
  const examples = new Map<ExampleName, CapturedResource[]>();

  beforeAll(async () => {
    workDir = tempDir("ihc-packed-");
    packed = npmPack(workDir);
    const unpacked = path.join(workDir, "unpacked");
    fs.mkdirSync(unpacked);
    runChecked("tar", ["-xzf", packed.tarball, "-C", unpacked], { cwd: workDir });
    installedDir = path.join(unpacked, "package");
    fs.copyFileSync(path.join(packDir, "package-lock.json"), path.join(installedDir, "package-lock.json"));
    runChecked("npm", ["install", "--omit=dev", "--ignore-scripts", "--offline", "--no-audit", "--no-fund"], {
      cwd: installedDir,
      timeoutMs: 120_000,
    });

    const env = { INTERCOM_HEALTH_CHECK_AS_OF: PINNED_AS_OF };
    const [published, workingTree, ...captured] = await Promise.all([
      PolicyPackSession.launch(installedDir, { env }),
      launchPinnedPack(),
      ...EXAMPLES.map((name) => captureExample(name)),
    ]);
    publishedPack = published;
    workingTreePack = workingTree;
    EXAMPLES.forEach((name, i) => examples.set(name, captured[i] ?? []));
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all([publishedPack?.close(), workingTreePack?.close()]);
    removeDir(workDir);
  });

  function sessions(): { published: PolicyPackSession; workingTree: PolicyPackSession } {
    if (!publishedPack || !workingTreePack) throw new Error("setup failed");
    return { published: publishedPack, workingTree: workingTreePack };
  }

  it("installs production dependencies only, offline", () => {
    const installed = fs.readdirSync(path.join(installedDir, "node_modules"));
    expect(installed).toEqual(expect.arrayContaining(["zod", "tldts", "ajv", "commander", "@pulumi"]));
    for (const devOnly of ["jest", "eslint", "fast-check", "@stryker-mutator", "ts-jest"]) {
      expect(installed).not.toContain(devOnly);
    }
  });

  it("runs its own installed run-policy-pack and SDK, not the repository's", () => {
    const sdk = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [installedDir] });
    expect(sdk.startsWith(path.join(installedDir, "node_modules") + path.sep)).toBe(true);
  });

  it("announces the pack's name, version and every policy, as the working tree's pack does", async () => {
    const { published, workingTree } = sessions();
    const [info, expected] = await Promise.all([published.getAnalyzerInfo(), workingTree.getAnalyzerInfo()]);
    expect(info.name).toBe(PACK_NAME);
    expect(info.version).toBe(PACK_VERSION);
    expect(info).toEqual(expected);
  });

  it.each(EXAMPLES)("gives %s exactly the working tree's pack's diagnostics", async (name) => {
    const { published, workingTree } = sessions();
    const resources = examples.get(name) ?? [];
    const [got, expected] = [await analyzeEverything(published, resources), await analyzeEverything(workingTree, resources)];
    expect(got.analyze).toEqual(expected.analyze);
    expect(got.stack).toEqual(expected.stack);
    if (name === "insecure-workspace") {
      expect(mandatory(got.all).map((d) => d.policyName)).toEqual(
        expect.arrayContaining(["intercom-sso-required", "intercom-pan-redaction"]),
      );
    } else {
      expect(summarize(got.all)).toEqual([]);
    }
  });

  it("ships the pack, the library, the tool, the schemas, the profiles and the LICENSE, and no tests or sources", () => {
    const files = packed.files;
    for (const required of [
      "package.json",
      "PulumiPolicy.yaml",
      "README.md",
      "LICENSE",
      "dist/pack/index.js",
      "dist/lib/index.js",
      "dist/lib/index.d.ts",
      "dist/cli/main.js",
      "dist/resources/index.d.ts",
      ...fs.readdirSync(path.join(packDir, "schemas")).map((f) => `schemas/${f}`),
      // The profiles, for `pulumi preview --policy-pack-config node_modules/<package>/profiles/<name>.json` (README).
      ...fs.readdirSync(path.join(packDir, "profiles")).map((f) => `profiles/${f}`),
    ]) {
      expect(files).toContain(required);
    }
    const unwanted = files.filter(
      (f) =>
        /(^|\/)(test|tests|__tests__|examples|node_modules|scripts|\.ci|\.github)\//.test(f) ||
        /\.test\.(js|ts)$/.test(f) ||
        (f.endsWith(".ts") && !f.endsWith(".d.ts")) ||
        /^(tsconfig.*\.json|eslint\.config\.js|jest\.config\.js|stryker\.config\.mjs|package-lock\.json|\.gitignore)$/.test(f),
    );
    expect(unwanted).toEqual([]);
  });

  it("gives the library, not the pack, to a program that requires it by name", () => {
    const consumer = path.join(workDir as string, "consumer");
    fs.mkdirSync(path.join(consumer, "node_modules"), { recursive: true });
    fs.symlinkSync(installedDir, path.join(consumer, "node_modules", PACKAGE_NAME), "junction");
    const script = `const lib = require(${JSON.stringify(PACKAGE_NAME)}); process.stdout.write(JSON.stringify(lib.schemaNames().length));`;
    const result = run(process.execPath, ["-e", script], { cwd: consumer, timeoutMs: 30_000 });
    expect({ status: result.status, stdout: result.stdout }).toEqual({
      status: 0,
      stdout: String(fs.readdirSync(path.join(packDir, "schemas")).filter((f) => f.endsWith(".schema.json")).length),
    });
  });

  it("runs the bundled tool from the installed package", () => {
    const result = run(process.execPath, [path.join(installedDir, "dist", "cli", "main.js"), "--help"], {
      cwd: installedDir,
      timeoutMs: 30_000,
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("intercom-health-check");
  });
});
