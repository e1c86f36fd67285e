/**
 * The pack finds its policies through policies/registry.ts, which `npm run generate` writes from
 * the policy files on disk (scripts/generate.ts policyRegistrySource): nothing is listed by hand.
 * Whether the committed registry is current is test/generated.test.ts's "up to date" check.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { allPolicies } from "../../policies";
import * as registry from "../../policies/registry";
import { policyRegistrySource } from "../../scripts/generate";

const root = join(__dirname, "..", "..");

describe("the policy registry", () => {
  const temporaryRoots: string[] = [];
  const packageWith = (files: Record<string, string>): string => {
    const dir = mkdtempSync(join(tmpdir(), "ihc-registry-"));
    temporaryRoots.push(dir);
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(join(dir, file, ".."), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    return dir;
  };
  afterAll(() => temporaryRoots.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it("holds every policy of the pack that is not generated for an undeclared control, each once", () => {
    const listed = Object.values(registry).map((policy) => policy.name);
    const authored = allPolicies.filter((policy) => !policy.id.startsWith("IHC.DEF.")).map((policy) => policy.name);
    expect([...listed].sort()).toEqual([...authored].sort());
    expect(new Set(listed).size).toBe(listed.length);
  });

  it("is written from the files on disk, one export line per policy file, by section then file name", () => {
    const lines = policyRegistrySource(root)
      .split("\n")
      .filter((line) => line.startsWith("export "));
    expect(lines).toContain('export { ssoRequired } from "./authentication-access/sso-required";');
    expect(lines).toContain('export { customActionHttps } from "./custom-actions/custom-action-https";');
    expect(lines.length).toBe(Object.keys(registry).length);
    const files = lines.map((line) => /from "\.\/(.+)";$/.exec(line)?.[1] ?? "");
    expect(files.findIndex((f) => f.startsWith("messenger-security/"))).toBeGreaterThan(
      files.findIndex((f) => f.startsWith("authentication-access/")),
    );
  });

  it("refuses a folder that is no Health Check section, rather than missing the policies in it", () => {
    const dir = packageWith({ "policies/misc/some-policy.ts": "export {};\n" });
    expect(() => policyRegistrySource(dir)).toThrow(/policies\/misc is not a Health Check section/);
  });

  it("refuses a policy file it cannot load (not built yet), naming it", () => {
    const dir = packageWith({ "policies/authentication-access/not-built-yet.ts": "export {};\n" });
    expect(() => policyRegistrySource(dir)).toThrow(
      /Cannot load policies\/authentication-access\/not-built-yet.ts \(run `npm run build` first\)/,
    );
  });

  it("refuses a file in a section folder that defines no policy, and lists each policy a file exports", () => {
    const dir = packageWith({ "policies/configuration/helpers.ts": "", "policies/healthcare/two.ts": "" });
    const modules: Record<string, unknown> = {
      "configuration/helpers": { helper: () => 1, notAPolicy: { kind: "other", name: "x" } },
      "healthcare/two": { second: { kind: "stack", name: "intercom-b" }, first: { kind: "resource", name: "intercom-a" }, other: 1 },
    };
    const load = (module: string) => modules[module];
    expect(() => policyRegistrySource(dir, load)).toThrow(/policies\/configuration\/helpers.ts exports no policy/);
    rmSync(join(dir, "policies", "configuration", "helpers.ts"));
    expect(policyRegistrySource(dir, load).split("\n")).toContain('export { first, second } from "./healthcare/two";');
  });
});
