/**
 * The package finds its controls through resources/registry.ts, which `npm run generate` writes from
 * the resource files on disk (scripts/generate.ts resourceRegistrySource): nothing is listed by hand,
 * and each control's place in `allControls` (and so in every catalog and schema) is its own
 * `catalogOrder`. Adding a control is its file plus a secure sample: this suite names what is missing.
 * Whether the committed registry is current is test/generated.test.ts's "up to date" check.
 */
import * as fs from "fs";
import * as yaml from "js-yaml";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { ControlDefinition } from "../../core/control";
import * as resources from "../../resources";
import { allControls, identityVerificationSecretDefinition } from "../../resources";
import { resourceFileName, resourceRegistrySource } from "../../scripts/generate";
import { secureByControl } from "../support/fixtures";

const root = join(__dirname, "..", "..");
const resourcesDir = join(root, "resources");

describe("the resource registry", () => {
  const temporaryRoots: string[] = [];
  const packageWith = (files: readonly string[]): string => {
    const dir = mkdtempSync(join(tmpdir(), "ihc-resources-"));
    temporaryRoots.push(dir);
    for (const file of files) {
      mkdirSync(join(dir, "resources"), { recursive: true });
      writeFileSync(join(dir, "resources", file), "export {};\n");
    }
    return dir;
  };
  afterAll(() => temporaryRoots.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  const definitionsOnDisk = (): ControlDefinition[] =>
    fs
      .readdirSync(resourcesDir)
      .filter((f) => f.endsWith(".ts") && f !== "index.ts" && f !== "registry.ts")
      .flatMap((f) =>
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        Object.values(require(join(resourcesDir, f)) as Record<string, unknown>).filter(
          (v): v is ControlDefinition => typeof v === "object" && v !== null && "typeToken" in v && "schema" in v && "identityFields" in v,
        ),
      );

  it("holds every control defined in resources/, each once, and no API resource", () => {
    const controls = [...new Set(definitionsOnDisk())].filter((d) => d.catalogOrder !== undefined);
    expect(allControls.map((c) => c.name).sort()).toEqual(controls.map((c) => c.name).sort());
    expect(new Set(allControls).size).toBe(allControls.length);
    expect(identityVerificationSecretDefinition.catalogOrder).toBeUndefined();
    expect(allControls).not.toContain(identityVerificationSecretDefinition);
    // Still exported from the package's entry point, as every resource file is.
    expect(resources.IdentityVerificationSecret).toBeDefined();
  });

  it("orders the controls by their own catalogOrder, each unique; Workspace first", () => {
    const orders = allControls.map((c) => c.catalogOrder as number);
    expect(orders.every((order, i) => i === 0 || order > (orders[i - 1] as number))).toBe(true);
    expect(allControls[0]?.name).toBe("Workspace");
  });

  it("keeps each resource in the file named after it", () => {
    for (const definition of new Set(definitionsOnDisk())) {
      expect(fs.existsSync(join(resourcesDir, `${resourceFileName(definition.name)}.ts`))).toBe(true);
    }
    expect(resourceFileName("SsoEnforcement")).toBe("sso-enforcement");
    expect(resourceFileName("IpAllowlist")).toBe("ip-allowlist");
  });

  it("is written from the files on disk: one export per file, one list entry per control in catalog order", () => {
    const source = resourceRegistrySource(root);
    const files = fs.readdirSync(resourcesDir).filter((f) => f.endsWith(".ts") && f !== "index.ts" && f !== "registry.ts");
    for (const file of files) expect(source).toContain(`export * from "./${file.slice(0, -3)}";`);
    const listed = /export const allControls[^=]*= \[\n([^\]]*)\];/.exec(source)?.[1]?.trim().split(/,\s*/).filter(Boolean);
    expect(listed).toEqual(allControls.map((c) => `${c.name[0]?.toLowerCase()}${c.name.slice(1)}Control`));
  });

  const fake = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    typeToken: `pulumi-nodejs:dynamic/intercom:${name}`,
    schema: {},
    identityFields: [],
    ...extra,
  });

  it("refuses a file it cannot load, a file defining no resource or two, and a resource in a file not named after it", () => {
    expect(() => resourceRegistrySource(packageWith(["not-built-yet.ts"]))).toThrow(
      /Cannot load resources\/not-built-yet.ts \(run `npm run build` first\)/,
    );
    const dir = packageWith(["helpers.ts"]);
    const modules: Record<string, unknown> = { helpers: { helper: () => 1 } };
    const load = (module: string) => modules[module];
    expect(() => resourceRegistrySource(dir, load)).toThrow(/resources\/helpers.ts must define exactly one resource .* it defines 0/);
    modules["helpers"] = { aControl: fake("Helpers", { catalogOrder: 1 }), bControl: fake("Other", { catalogOrder: 2 }) };
    expect(() => resourceRegistrySource(dir, load)).toThrow(/it defines 2/);
    modules["helpers"] = { aControl: fake("HelperSettings", { catalogOrder: 1 }) };
    expect(() => resourceRegistrySource(dir, load)).toThrow(/defines HelperSettings: its file must be resources\/helper-settings.ts/);
  });

  it("refuses what it would otherwise leave out: a folder or a file of another kind in resources/", () => {
    const modules: Record<string, unknown> = { beta: { betaControl: fake("Beta", { catalogOrder: 10 }) } };
    const load = (module: string) => modules[module];
    for (const [entry, write] of [
      ["nested", (dir: string) => mkdirSync(join(dir, "resources", "nested", "gamma.ts"), { recursive: true })],
      ["gamma.tsx", (dir: string) => writeFileSync(join(dir, "resources", "gamma.tsx"), "export {};\n")],
      ["gamma.mts", (dir: string) => writeFileSync(join(dir, "resources", "gamma.mts"), "export {};\n")],
    ] as const) {
      const dir = packageWith(["beta.ts"]);
      expect(() => resourceRegistrySource(dir, load)).not.toThrow();
      write(dir);
      expect(() => resourceRegistrySource(dir, load)).toThrow(new RegExp(`resources/${entry.replace(".", "\\.")} is not a resource file`));
    }
  });

  it("refuses two controls in the same place, and leaves out a resource with no catalogOrder", () => {
    const dir = packageWith(["alpha-one.ts", "beta.ts", "gamma.ts"]);
    const modules: Record<string, unknown> = {
      "alpha-one": { alphaOneControl: fake("AlphaOne", { catalogOrder: 20 }) },
      beta: { betaControl: fake("Beta", { catalogOrder: 20 }) },
      gamma: { gammaDefinition: fake("Gamma") },
    };
    const load = (module: string) => modules[module];
    expect(() => resourceRegistrySource(dir, load)).toThrow(/Beta and AlphaOne have the same catalogOrder 20/);
    modules["beta"] = { betaControl: fake("Beta", { catalogOrder: 10 }) };
    const source = resourceRegistrySource(dir, load);
    expect(source).toContain("[\n  betaControl,\n  alphaOneControl,\n];");
    expect(source).toContain('export * from "./gamma";');
    expect(source).not.toContain("gammaDefinition");
  });
});

describe("a control's secure sample", () => {
  it.each(allControls.map((c) => [c.name, c] as const))(
    "%s has one in test/support/fixtures.ts (secureByControl), valid",
    (name, control) => {
      const sample = secureByControl.get(control);
      if (!sample)
        throw new Error(`${name} has no secure sample: add one to \`secure\` and \`secureByControl\` in test/support/fixtures.ts`);
      expect(control.schema.safeParse(sample).success).toBe(true);
    },
  );

  it("is in an example document: every control but the Workspace (held apart) is declared in examples/documents/", () => {
    const declared = new Set<string>();
    for (const file of ["secure-workspace.yaml", "healthcare-workspace.yaml"]) {
      const document = yaml.load(fs.readFileSync(join(root, "examples", "documents", file), "utf8")) as {
        workspaces: { controls: { type: string }[] }[];
      };
      for (const workspace of document.workspaces) for (const control of workspace.controls) declared.add(control.type);
    }
    const missing = allControls.filter((c) => c.name !== "Workspace" && !declared.has(c.name)).map((c) => c.name);
    expect({ "controls no secure example document declares": missing }).toEqual({ "controls no secure example document declares": [] });
  });

  it("is in the example program beside that document (test/cli/check-equivalence.test.ts grades the two alike)", () => {
    const programs = ["secure-workspace", "healthcare-workspace"].map((example) =>
      fs.readFileSync(join(root, "examples", example, "index.ts"), "utf8"),
    );
    const missing = allControls.filter((c) => !programs.some((program) => program.includes(`new ${c.name}(`))).map((c) => c.name);
    expect({ "controls no secure example program declares": missing }).toEqual({ "controls no secure example program declares": [] });
  });
});
