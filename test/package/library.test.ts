/**
 * The package's root export is the library: requiring it by name (package.json `exports`) gives the building blocks
 * and starts nothing, while the directory Pulumi loads (package.json `main`, which run-policy-pack reaches by
 * requiring the directory) is still the pack.
 */
import * as fs from "fs";
import * as path from "path";
import { PolicyPackSession } from "../../cli/analyzer-client";
import * as library from "../../lib";
import { allPolicies } from "../../policies";
import { launchPinnedPack, PACK_NAME, packDir, SETUP_TIMEOUT_MS } from "../support/engine";
import { linkInstall, PACKAGE_NAME, removeDir, run, tempDir } from "../support/package";

const manifest = JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8")) as Record<string, unknown>;

describe("require('intercom-security-health-check') from another folder", () => {
  let dir: string | undefined;

  beforeAll(() => {
    dir = tempDir("ihc-require-");
    linkInstall(dir, []);
  });
  afterAll(() => removeDir(dir));

  it("returns the library and exits on its own: no server listening, no port printed", () => {
    // The child's only output is this JSON: the pack would print its port on stdout and keep the process alive.
    const script = `
            const lib = require(${JSON.stringify(PACKAGE_NAME)});
            const args = lib.policyPackArgs();
            process.stdout.write(JSON.stringify({
                entry: require.resolve(${JSON.stringify(PACKAGE_NAME)}),
                directoryEntry: require.resolve(${JSON.stringify(packDir)}),
                schema: require.resolve(${JSON.stringify(`${PACKAGE_NAME}/schemas/Workspace.schema.json`)}),
                startPolicyPack: typeof lib.startPolicyPack,
                policies: args.policies.map((p) => p.name),
            }));`;
    const result = run(process.execPath, ["-e", script], { cwd: dir as string, timeoutMs: 30_000 });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
    expect(JSON.parse(result.stdout)).toEqual({
      entry: path.join(packDir, "dist", "lib", "index.js"),
      // What run-policy-pack requires: the directory, through `main`.
      directoryEntry: path.join(packDir, "dist", "pack", "index.js"),
      schema: path.join(packDir, "schemas", "Workspace.schema.json"),
      startPolicyPack: "function",
      policies: allPolicies.map((p) => p.name),
    });
  });

  it("points types and exports at the library, main at the pack", () => {
    expect(manifest).toMatchObject({
      main: "dist/pack/index.js",
      types: "dist/lib/index.d.ts",
      exports: { ".": { types: "./dist/lib/index.d.ts", default: "./dist/lib/index.js" }, "./schemas/*": "./schemas/*" },
    });
  });
});

describe("run-policy-pack on the package's directory", () => {
  let session: PolicyPackSession | undefined;
  beforeAll(async () => {
    session = await launchPinnedPack();
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await session?.close();
  });

  it("still starts the pack, with every policy", async () => {
    const info = await (session as PolicyPackSession).getAnalyzerInfo();
    expect(info.name).toBe(PACK_NAME);
    expect(info.policies.map((p) => p.name)).toEqual(allPolicies.map((p) => p.name));
  });
});

describe("the library's exports", () => {
  it("export every policy by name, except those generated per control (reachable through allPolicies)", () => {
    const exported = new Set<unknown>(Object.values(library));
    const missing = allPolicies.filter((p) => !exported.has(p)).map((p) => p.id);
    // undeclaredControlPolicy makes one per control graded on Intercom's defaults: ids IHC.DEF.<Control>.
    expect(missing.filter((id) => !id.startsWith("IHC.DEF."))).toEqual([]);
    expect(library.allPolicies).toBe(allPolicies);
  });

  it("build the pack's PolicyPack arguments: every policy, adapted to CrossGuard; a duplicate name is refused", () => {
    const args = library.policyPackArgs();
    expect(args.policies.map((p) => p.name)).toEqual(allPolicies.map((p) => p.name));
    expect(args.policies.every((p) => "validateResource" in p || "validateStack" in p)).toBe(true);
    const [first] = allPolicies;
    expect(() => library.policyPackArgs({ policies: [...allPolicies, first as library.AnyPolicy] })).toThrow(/Duplicate policy name/);
  });

  it("adapt policies that refuse to run in a pack not started by startPolicyPack (no secret redaction, no Configure refusals there)", () => {
    // `new PolicyPack(name, policyPackArgs())` is the SDK's usual idiom; without startPolicyPack's seams the policies
    // would echo secret values unredacted and the pack would accept a SHALL policy switched off unaccounted for.
    const args = library.policyPackArgs();
    const ran: string[] = [];
    for (const policy of args.policies) {
      const type = "validateStack" in policy ? undefined : "pulumi-nodejs:dynamic/intercom:PanRedaction";
      const calls: (() => unknown)[] = [];
      const resourceArgs = {
        type,
        name: "cards",
        urn: `urn:pulumi:dev::p::${type}::cards`,
        props: { workspaceId: "abc123xyz", enabled: true, creditCards: false, channels: ["conversations"] },
        getConfig: () => ({}),
        notApplicable: () => undefined,
      };
      if ("validateResource" in policy && typeof policy.validateResource === "function") {
        const validate = policy.validateResource;
        calls.push(() => validate(resourceArgs as never, () => undefined));
      }
      if ("remediateResource" in policy && typeof policy.remediateResource === "function") {
        const remediate = policy.remediateResource;
        calls.push(() => remediate(resourceArgs as never));
      }
      if ("validateStack" in policy && typeof policy.validateStack === "function") {
        const validate = policy.validateStack;
        calls.push(() => validate({ resources: [], getConfig: () => ({}) } as never, () => undefined));
      }
      for (const call of calls) {
        try {
          call();
          ran.push(policy.name);
        } catch (error) {
          if (!/startPolicyPack/.test(String(error))) ran.push(`${policy.name}: ${String(error)}`);
        }
      }
    }
    expect(ran).toEqual([]);
  });

  it("give the JSON Schemas: every file in schemas/, by name, and no path outside it", () => {
    const files = fs.readdirSync(path.join(packDir, "schemas")).filter((f) => f.endsWith(".schema.json"));
    expect(library.schemaNames()).toEqual(files.map((f) => f.slice(0, -".schema.json".length)).sort());
    expect(library.schemaNames()).toEqual(expect.arrayContaining(["Workspace", "policy-pack-config", "workspace-document"]));
    for (const name of library.schemaNames()) {
      expect(library.schemaPath(name)).toBe(path.join(packDir, "schemas", `${name}.schema.json`));
      expect(library.readSchema(`${name}.schema.json`)).toEqual(JSON.parse(fs.readFileSync(library.schemaPath(name), "utf8")));
    }
    for (const outside of ["../package", "../package.json", "/etc/passwd", "", "Workspace.schema"]) {
      expect(() => library.schemaPath(outside)).toThrow(/No JSON Schema named/);
    }
  });
});

describe("licence and metadata", () => {
  it("ships the full Apache-2.0 text that `license` names", () => {
    const text = fs.readFileSync(path.join(packDir, "LICENSE"), "utf8");
    expect(manifest["license"]).toBe("Apache-2.0");
    expect(text).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    // All nine sections and the end of the terms: the whole licence, not a header.
    for (const section of [
      "1. Definitions.",
      "4. Redistribution.",
      "9. Accepting Warranty or Additional Liability.",
      "END OF TERMS AND CONDITIONS",
    ]) {
      expect(text).toContain(section);
    }
    expect(manifest["files"]).toContain("LICENSE");
  });

  it("sets repository, homepage, bugs and keywords", () => {
    expect(manifest).toMatchObject({
      repository: { type: "git", url: expect.stringMatching(/^git\+https:\/\/github\.com\/.+\.git$/) },
      homepage: expect.stringMatching(/^https:\/\//),
      bugs: { url: expect.stringMatching(/^https:\/\/.+\/issues$/) },
    });
    expect(manifest["keywords"]).toEqual(expect.arrayContaining(["intercom", "pulumi", "policy-pack"]));
  });
});
