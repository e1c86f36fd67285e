/**
 * eslint.config.js keeps the Pulumi SDKs' internals in core/sdk/ (the seam pinned to core/sdk/versions.ts). A guard for
 * the project's own authors, not a boundary against an adversary: a path built at run time ("@pulumi/" + "policy/x")
 * is not caught, and cannot be by a syntax rule. What it must catch is every literal way of naming a path below either
 * package, including through node_modules.
 */
import { Linter } from "eslint";
import * as path from "path";

const root = path.resolve(__dirname, "..", "..");
const seamMessage = /Pulumi SDK internals/;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the project's own configuration, as npm run lint uses it
const config = require(path.join(root, "eslint.config.js")) as Linter.Config[];

function seamErrors(source: string, file: string): number {
  const linter = new Linter({ cwd: root, configType: "flat" });
  const messages = linter.verify(source, config, { filename: path.join(root, file) });
  return messages.filter((m) => seamMessage.test(m.message)).length;
}

describe("the SDK seam lint rule", () => {
  it.each([
    ['import { serve } from "@pulumi/policy/server";', "import"],
    ['export { x } from "@pulumi/pulumi/proto/analyzer_pb";', "re-export"],
    ['require("@pulumi/policy/deserialize");', "require"],
    ['require.resolve("@pulumi/pulumi/cmd/run-policy-pack");', "require.resolve"],
    ["require(`@pulumi/policy/${name}`);", "template"],
    ['require("../node_modules/@pulumi/policy/server");', "a relative path through node_modules"],
    ['require("/opt/tool/node_modules/@pulumi/pulumi/proto/x");', "an absolute path through node_modules"],
  ])("refuses %s (%s) outside core/sdk/", (source) => {
    expect(seamErrors(`const name = "x";\n${source}\n`, "cli/probe.ts")).toBe(1);
    expect(seamErrors(`const name = "x";\n${source}\n`, "core/sdk/probe.ts")).toBe(0);
  });

  it.each([
    'import { PolicyPack } from "@pulumi/policy";',
    'import * as pulumi from "@pulumi/pulumi";',
    'const message = "@pulumi/policy no longer exposes serve";',
    'require("@pulumi/policy-extra/x");',
  ])("allows %s: the public entry points, and text that names no path below them", (source) => {
    expect(seamErrors(`${source}\n`, "cli/probe.ts")).toBe(0);
  });
});
