/**
 * The preview tool reports PulumiPolicy.yaml's `version` in place of the pack's, as the CLI does, which
 * reads the file as YAML into a string field: so does cli/analyzer-client.ts (js-yaml, every scalar as
 * text), not a pattern over the text.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readPolicyManifestVersion } from "../../cli/analyzer-client";

describe("PulumiPolicy.yaml's version", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
  const packWith = (manifest: string, file = "PulumiPolicy.yaml"): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ihc-manifest-"));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, file), manifest);
    return dir;
  };

  it.each([
    ["runtime: nodejs\nversion: 0.1.0 # released\n", "0.1.0"],
    ['version: "1.0"\n', "1.0"],
    ["version: 1.0\n", "1.0"],
    ["version: 2\n", "2"],
    ['version: "1.0#beta"\n', "1.0#beta"],
    ["{ runtime: nodejs, version: 3.1.4 }\n", "3.1.4"],
    ["runtime: nodejs\n", undefined],
    ["description: |\n  version: 9\n", undefined],
    ["version:\n  major: 1\n", undefined],
  ])("of %j is %j", (manifest, version) => {
    expect(readPolicyManifestVersion(packWith(manifest))).toBe(version);
  });

  it("is read from PulumiPolicy.yml too, and a file that is not YAML is refused, naming it", () => {
    expect(readPolicyManifestVersion(packWith("version: 4.0.0\n", "PulumiPolicy.yml"))).toBe("4.0.0");
    expect(() => readPolicyManifestVersion(packWith("version: [1\n"))).toThrow(/PulumiPolicy.yaml is not valid YAML/);
  });
});
