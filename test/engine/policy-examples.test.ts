/**
 * `explain`'s example fix: each resource policy's example (policies/, beside the policy) travels in
 * the pack's GetAnalyzerInfo as data, and what the tool reads back from the pack, rendered as code,
 * is a declaration the pack really passes: sent to the compiled pack, neither the policy nor the
 * control's schema reports anything, and the policy applies to it (it is not skipped as out of scope).
 */
import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import { AnalyzerInfo, PolicyPackSession } from "../../cli/analyzer-client";
import { renderExplainText } from "../../cli/explain";
import { policyFactsOf, PolicyFacts } from "../../cli/policy-facts";
import { ResourcePolicy } from "../../core/policy";
import { allPolicies } from "../../policies";
import { CONTROL_SCHEMA_POLICY, controlType, launchPinnedPack, SETUP_TIMEOUT_MS } from "../support/engine";

const withExample = allPolicies.filter((p): p is ResourcePolicy => p.kind === "resource" && p.example !== undefined);

describe("each policy's example fix, as the pack states it", () => {
  let session: PolicyPackSession | undefined;
  let info: AnalyzerInfo;
  let facts: Map<string, PolicyFacts>;

  beforeAll(async () => {
    session = await launchPinnedPack();
    info = await session.getAnalyzerInfo();
    facts = new Map(info.policies.map((p) => [p.name, policyFactsOf(p)]));
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await session?.close();
  });

  it("several policies state one, and only the ones whose metadata has one", () => {
    expect(withExample.length).toBeGreaterThanOrEqual(8);
    const stated = [...facts.values()]
      .filter((f) => f.example !== undefined)
      .map((f) => f.name)
      .sort();
    expect(stated).toEqual(withExample.map((p) => p.name).sort());
  });

  it("every example explain prints type-checks as a declaration of its control's class (tsc, strict)", () => {
    const resourcesDir = path.resolve(__dirname, "..", "..", "resources");
    const dir = fs.mkdtempSync(path.join(__dirname, "..", ".generated", "examples-"));
    try {
      // Each example's code as explain prints it, the package import pointed at this repository's resources.
      const blocks = withExample.map((policy) => {
        const text = renderExplainText({ name: info.name, version: info.version, policies: [...facts.values()] }, facts.get(policy.name)!);
        const code = text
          .slice(text.indexOf("Example fix"))
          .split("\n")
          .slice(1)
          .filter((l) => l.startsWith("  ") || l === "")
          .map((l) => l.slice(2))
          .join("\n");
        return code.replace('"intercom-security-health-check/resources"', JSON.stringify(resourcesDir));
      });
      const imports = blocks.flatMap((b) => b.split("\n").filter((l) => l.startsWith("import ")));
      const bodies = blocks.map(
        (b) =>
          `{\n${b
            .split("\n")
            .filter((l) => !l.startsWith("import "))
            .join("\n")}\n}`,
      );
      // Not vacuous: each block declares its control.
      withExample.forEach((policy, i) => expect(bodies[i]).toContain(`new ${policy.control.name}("example", {`));
      const file = path.join(dir, "examples.ts");
      fs.writeFileSync(file, `${[...new Set(imports)].join("\n")}\n${bodies.join("\n")}\n`);
      const tsc = require.resolve("typescript/bin/tsc");
      const result = childProcess.spawnSync(
        process.execPath,
        [
          tsc,
          "--noEmit",
          "--strict",
          "--skipLibCheck",
          "--target",
          "es2022",
          "--module",
          "commonjs",
          "--moduleResolution",
          "node",
          "--types",
          "node",
          file,
        ],
        { encoding: "utf8" },
      );
      expect({ status: result.status, output: result.stdout }).toEqual({ status: 0, output: "" });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it.each(withExample.map((p) => [p.name, p] as const))(
    "%s: the example the pack sends passes the policy and the schema",
    async (name, policy) => {
      const example = facts.get(name)?.example;
      expect(example).toEqual({ control: policy.control.name, props: policy.example });
      // What explain prints is the control's class and these props, as code.
      const text = renderExplainText({ name: info.name, version: info.version, policies: [...facts.values()] }, facts.get(name)!);
      expect(text).toContain(`import { ${example!.control} } from "intercom-security-health-check/resources";`);
      expect(text).toContain(`new ${example!.control}("example", {`);
      const code = text.slice(
        text.indexOf(`new ${example!.control}("example", `) + `new ${example!.control}("example", `.length,
        text.indexOf("});") + 1,
      );
      const propsShown = JSON.parse(
        code
          .split("\n")
          .map((line) => line.replace(/^ {2}/, ""))
          .join("\n"),
      ) as Record<string, unknown>;
      expect(propsShown).toEqual(example!.props);
      // Sent to the pack as a program would declare it.
      const type = controlType(example!.control);
      const result = await session!.analyzeDetailed({
        type,
        name: `example-${name}`,
        urn: `urn:pulumi:dev::examples::${type}::example-${name}`,
        properties: { ...propsShown },
      });
      expect(result.diagnostics.filter((d) => d.policyName === name || d.policyName === CONTROL_SCHEMA_POLICY)).toEqual([]);
      expect(result.notApplicable.map((n) => n.policyName)).not.toContain(name);
    },
  );
});
