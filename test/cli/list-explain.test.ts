/**
 * `list` and `explain` through the compiled tool (`dist/cli/main.js`; `npm test` builds first): every fact comes from
 * the pack the tool launched (GetAnalyzerInfo), so on this pack the facts equal the policies' own metadata (read here,
 * in the test, from allPolicies; the tool never imports it for these commands), a foreign pack lists and explains with
 * what it states, and a foreign pack's hostile metadata is escaped. The runs start together in one beforeAll.
 */
import * as fs from "fs";
import * as path from "path";
import { expectExitCode, ProcessRun, runNode } from "../support/node-process";
import fc from "fast-check";
import type { z } from "zod";
import { FilterName, ListFilter, matchesFilter } from "../../cli/list";
import type { PolicyFacts } from "../../cli/policy-facts";
import { FrameworkMappings, frameworkNames } from "../../core/policy";
import { healthCheckSections } from "../../core/health-check";
import { allPolicies } from "../../policies";
import { propertyParameters, sampleOf } from "../support/property";

const repoRoot = path.resolve(__dirname, "..", "..");
const cliPath = path.join(repoRoot, "dist", "cli", "main.js");
const foreignPack = path.join(repoRoot, "test", "fixtures", "foreign-pack");
const runTimeoutMs = 120_000;

type Run = ProcessRun;

function cli(args: readonly string[]): Promise<Run> {
  if (!fs.existsSync(cliPath)) throw new Error(`${cliPath} is missing: run \`npm run build\` first.`);
  return runNode([cliPath, ...args], { cwd: repoRoot, timeoutMs: runTimeoutMs });
}

/** At most `limit` runs at once: each launches a pack, and the machine has two cores. */
async function runAll(argsList: readonly (readonly string[])[], limit = 4): Promise<Run[]> {
  const results: Run[] = new Array<Run>(argsList.length);
  let next = 0;
  const worker = async () => {
    while (next < argsList.length) {
      const index = next++;
      results[index] = await cli(argsList[index] as readonly string[]);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

const frameworkKeys = Object.keys(frameworkNames) as (keyof FrameworkMappings)[];
const sectionIds = healthCheckSections.map((s) => s.id);

/** The oracle: the policy's own metadata, for the filters. */
type Policy = (typeof allPolicies)[number];
function metadataValues(policy: Policy, name: FilterName): string[] {
  switch (name) {
    case "section":
      return [policy.section];
    case "severity":
      return [policy.severity];
    case "criticality":
      return [policy.criticality];
    case "framework":
      return frameworkKeys.filter((key) => (policy.frameworks[key] ?? []).length > 0);
    case "enforcement":
      return [policy.enforcementLevel];
  }
}
function satisfiesByMetadata(policy: Policy, filter: ListFilter): boolean {
  return (Object.keys(filter) as FilterName[]).every((name) => metadataValues(policy, name).some((v) => (filter[name] ?? []).includes(v)));
}

const filterArbitrary: fc.Arbitrary<ListFilter> = fc.record(
  {
    section: fc.uniqueArray(fc.constantFrom(...sectionIds), { minLength: 1, maxLength: 2 }),
    severity: fc.uniqueArray(fc.constantFrom("low", "medium", "high", "critical"), { minLength: 1, maxLength: 2 }),
    criticality: fc.uniqueArray(fc.constantFrom("SHALL", "SHOULD"), { minLength: 1, maxLength: 1 }),
    framework: fc.uniqueArray(fc.constantFrom(...frameworkKeys), { minLength: 1, maxLength: 2 }),
    enforcement: fc.uniqueArray(fc.constantFrom("advisory", "mandatory", "remediate", "disabled"), { minLength: 1, maxLength: 2 }),
  },
  { requiredKeys: [] },
);

function filterArgs(filter: ListFilter): string[] {
  return (Object.keys(filter) as FilterName[]).flatMap((name) => (filter[name] ?? []).flatMap((value) => [`--${name}`, value]));
}

const ESC = "\u001b";
const RLO = "\u202e";

describe("list and explain, through the compiled tool", () => {
  const toolFilters = sampleOf(filterArbitrary, 5);
  const explained = ["intercom-sso-required", "intercom-control-schema"];
  let listJson: Run;
  let listText: Run;
  let filtered: Run[];
  let explainJson: Run[];
  let explainText: Run;
  let explainById: Run;
  let unknownFilter: Run;
  let unknownFilterJson: Run;
  let unknownPolicy: Run;
  let foreignList: Run;
  let foreignListText: Run;
  let foreignExplain: Run;
  let foreignExplainText: Run;
  let facts: PolicyFacts[];

  beforeAll(async () => {
    const runs = await runAll([
      ["list", "--json"],
      ["list"],
      ["explain", "intercom-ip-allowlist-entries"],
      ["explain", "ihc.auth.06", "--json"],
      ["list", "--severity", "severe"],
      ["list", "--framework", "nist", "--json"],
      ["explain", "intercom-sso-requierd"],
      ["list", "--policy-pack", foreignPack, "--json"],
      ["list", "--policy-pack", foreignPack],
      ["explain", "hostile-widget-check", "--policy-pack", foreignPack, "--json"],
      ["explain", "hostile-widget-check", "--policy-pack", foreignPack],
      ...explained.map((name) => ["explain", name, "--json"]),
      ...toolFilters.map((filter) => ["list", "--json", ...filterArgs(filter)]),
    ]);
    [
      listJson,
      listText,
      explainText,
      explainById,
      unknownFilter,
      unknownFilterJson,
      unknownPolicy,
      foreignList,
      foreignListText,
      foreignExplain,
      foreignExplainText,
    ] = runs as [Run, Run, Run, Run, Run, Run, Run, Run, Run, Run, Run];
    explainJson = runs.slice(11, 11 + explained.length);
    filtered = runs.slice(11 + explained.length);
    facts = JSON.parse(listJson.stdout) as PolicyFacts[];
  }, 300_000);

  it("lists every policy of the pack once, with exit 0", () => {
    expectExitCode(listJson, 0);
    expect(facts.map((f) => f.name).sort()).toEqual(allPolicies.map((p) => p.name).sort());
  });

  it.each(allPolicies.map((p) => [p.name, p] as const))("%s: the facts listed are the policy's own metadata", (name, policy) => {
    const fact = facts.find((f) => f.name === name) as PolicyFacts;
    const frameworks: Partial<Record<keyof FrameworkMappings, readonly string[]>> = {};
    for (const key of frameworkKeys)
      if ((policy.frameworks[key] ?? []).length > 0) frameworks[key] = policy.frameworks[key] as readonly string[];
    expect(fact).toMatchObject({
      name: policy.name,
      title: policy.title,
      id: policy.id,
      section: policy.section,
      items: policy.items,
      criticality: policy.criticality,
      severity: policy.severity,
      enforcementLevel: policy.enforcementLevel,
      description: policy.description,
      rationale: policy.rationale,
      remediationSteps: policy.remediation,
      helpUrl: policy.helpUrl,
      frameworks,
      otherTags: [],
    });
    const shape = (policy.configSchema as z.ZodObject).shape as Record<string, z.ZodType>;
    for (const [argument, schema] of Object.entries(shape)) {
      const listed = fact.arguments.find((a) => a.name === argument);
      expect(listed).toMatchObject({ hasDefault: true, default: schema.parse(undefined), required: false });
      if (policy.criticality === "SHALL") expect(listed?.floor?.value).toEqual(schema.parse(undefined));
      else expect(listed?.floor).toBeUndefined();
    }
  });

  it("prints one line per policy in text, with id, name, section, severity, enforcement and SHALL/SHOULD", () => {
    expectExitCode(listText, 0);
    for (const policy of allPolicies) {
      const line = listText.stdout.split("\n").find((l) => l.split(/\s+/)[1] === policy.name) ?? "";
      expect(line.split(/\s+/).slice(0, 6)).toEqual([
        policy.id,
        policy.name,
        policy.section,
        policy.severity,
        policy.enforcementLevel,
        policy.criticality,
      ]);
    }
  });

  it("filters: a policy is listed exactly when it satisfies every filter given (property, pure)", () => {
    fc.assert(
      fc.property(filterArbitrary, (filter) => {
        for (const policy of allPolicies) {
          const fact = facts.find((f) => f.name === policy.name) as PolicyFacts;
          expect(matchesFilter(fact, filter)).toBe(satisfiesByMetadata(policy, filter));
        }
      }),
      propertyParameters(200),
    );
  });

  it("filters through the tool: every listed policy satisfies the filter, every unlisted one violates it", () => {
    const counts = toolFilters.map((filter, i) => {
      const run = filtered[i] as Run;
      expectExitCode(run, 0);
      const listed = (JSON.parse(run.stdout) as PolicyFacts[]).map((f) => f.name).sort();
      expect({ filter, listed }).toEqual({
        filter,
        listed: allPolicies
          .filter((p) => satisfiesByMetadata(p, filter))
          .map((p) => p.name)
          .sort(),
      });
      return listed.length;
    });
    // The sample is not vacuous: some filter keeps some policies and drops others.
    expect(counts.some((n) => n > 0 && n < allPolicies.length)).toBe(true);
  });

  it("refuses an unknown filter value as a usage error listing the allowed values", () => {
    expectExitCode(unknownFilter, 2);
    expect(unknownFilter.stderr).toContain("--severity severe is not one of: low, medium, high, critical");
    expectExitCode(unknownFilterJson, 2);
    const error = (JSON.parse(unknownFilterJson.stdout) as { error: { kind: string; message: string } }).error;
    expect(error.kind).toBe("usage");
    expect(error.message).toContain("soc2, hipaa, iso27001, pciDss");
  });

  it("explains a policy with the same facts as list, by name or by catalog id", () => {
    explained.forEach((name, i) => {
      const run = explainJson[i] as Run;
      expectExitCode(run, 0);
      const shown = JSON.parse(run.stdout) as { pack: { name: string }; policy: PolicyFacts };
      expect(shown.pack.name).toBe("intercom-security-health-check");
      expect(shown.policy).toEqual(facts.find((f) => f.name === name));
    });
    expectExitCode(explainById, 0);
    expect((JSON.parse(explainById.stdout) as { policy: PolicyFacts }).policy.name).toBe("intercom-ip-allowlist-entries");
  });

  it("explains in text: rows, level, rationale, remediation, help link, arguments with floors, mappings", () => {
    expectExitCode(explainText, 0);
    const policy = allPolicies.find((p) => p.name === "intercom-ip-allowlist-entries") as Policy;
    const text = explainText.stdout;
    for (const expected of [
      policy.title,
      policy.id,
      policy.items[0] as string,
      `${policy.criticality} (a requirement)`,
      policy.rationale,
      policy.helpUrl,
      ...policy.remediation.map((step, i) => `${i + 1}. ${step}`),
      "minPrefixLength (integer, default 8, floor 8 (may only rise))",
      `SOC 2: ${(policy.frameworks.soc2 ?? []).join(", ")}`,
      `NIST SP 800-53 Rev. 5: ${(policy.frameworks.nist80053 ?? []).join(", ")}`,
      // The example fix, from the pack, as code (test/engine/policy-examples.test.ts proves it passes).
      'import { IpAllowlist } from "intercom-security-health-check/resources";',
      'new IpAllowlist("example", {',
      '    "203.0.113.0/24",',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it("refuses an unknown policy as a usage error naming the closest", () => {
    expectExitCode(unknownPolicy, 2);
    expect(unknownPolicy.stderr).toMatch(/no policy intercom-sso-requierd; the closest: intercom-sso-required/);
  });

  it("lists and explains a foreign pack's policies with what the pack states", () => {
    expectExitCode(foreignList, 0);
    const [plain, hostile] = JSON.parse(foreignList.stdout) as PolicyFacts[];
    expect(plain).toEqual({
      name: "plain-widget-check",
      title: "plain-widget-check",
      items: [],
      enforcementLevel: "advisory",
      policyType: "resource",
      description: "Widgets must be plain.",
      remediationSteps: [],
      frameworks: {},
      otherTags: [],
      arguments: [],
    });
    // Exact values in JSON; two criticality tags state none.
    expect(hostile).toMatchObject({
      id: "FOREIGN.01",
      section: `widgets${ESC}[0m`,
      description: `Looks fine.\nNothing blocks.${ESC}[31m red ${RLO}txet desrever`,
      rationale: `Because\r\nreasons ${RLO}.`,
      remediationSteps: ["Do this.", `Then ${ESC}[8mhidden${ESC}[0m that.`],
      frameworks: { soc2: [`CC9.9${RLO}`] },
      otherTags: ["vendor:acme", "criticality:SHALL", "criticality:MAYBE"],
      arguments: [
        {
          name: `limit${ESC}[1m`,
          type: "integer",
          hasDefault: true,
          default: 3,
          description: `The limit\nof widgets ${RLO}`,
          required: false,
        },
      ],
    });
    expect(hostile?.criticality).toBeUndefined();
    expectExitCode(foreignExplain, 0);
    expect((JSON.parse(foreignExplain.stdout) as { policy: PolicyFacts }).policy).toEqual(hostile);
    expectExitCode(foreignListText, 0);
    expect(foreignListText.stdout).toMatch(/^-\s+plain-widget-check\s+-\s+-\s+advisory\s+-\s+-$/m);
  });

  it("escapes a foreign pack's hostile metadata in every output", () => {
    for (const run of [foreignList, foreignListText, foreignExplain, foreignExplainText]) {
      // No raw escape, carriage return or bidi override reaches the terminal; JSON keeps them as \u escapes.
      for (const raw of [ESC, "\r", RLO]) expect(run.stdout).not.toContain(raw);
      expect(run.stdout.split("\n")).not.toContain("Nothing blocks.");
    }
    expect(foreignExplainText.stdout).toContain("Looks fine.\\nNothing blocks.\\x1b[31m red \\u202etxet desrever");
    expect(foreignExplainText.stdout).toContain("limit\\x1b[1m (integer, default 3): The limit\\nof widgets \\u202e");
    expect(foreignExplainText.stdout).toContain("Because\\r\\nreasons \\u202e.");
  });
});
