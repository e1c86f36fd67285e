/**
 * The tool's report on the examples shows each policy's facts (which rows it grades, its title,
 * remediation and help link) as the library defines them, though the tool takes them from the
 * pack it launched (GetAnalyzerInfo; report/catalog.ts), never from its own import of policies/.
 * Needs a build (`npm test` builds first).
 */
import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import { findItem, HealthCheckItemId } from "../../core/health-check";
import { allPolicies } from "../../policies";

const repoRoot = path.resolve(__dirname, "..", "..");
const cliPath = path.join(repoRoot, "dist", "cli", "main.js");
// The insecure example fails most rows (remediation shown), the healthcare one brings in the PHI
// rows; each run costs seconds, so the secure example (rows checked by these too) is left out.
const examples = ["insecure-workspace", "healthcare-workspace"] as const;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function preview(example: string, ...extra: string[]): Promise<Run> {
  if (!fs.existsSync(cliPath)) throw new Error(`${cliPath} is missing: run \`npm run build\` first.`);
  return new Promise((resolve, reject) => {
    const child = childProcess.spawn(
      process.execPath,
      [cliPath, "preview", path.join("examples", example), "--as-of", "2026-11-21", ...extra],
      {
        cwd: repoRoot,
        env: { ...process.env, PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

interface JsonItem {
  readonly id: HealthCheckItemId;
  readonly title: string;
  readonly status: string;
  readonly policies: string[];
  readonly disabledPolicies: string[];
  readonly findings: { readonly policy: string }[];
}
interface JsonReport {
  readonly workspaces: { readonly sections: { readonly items: JsonItem[] }[] }[];
}

const policiesOf = (itemId: string) => allPolicies.filter((p) => (p.items as readonly string[]).includes(itemId));

describe.each(examples)("preview examples/%s: policy facts as the library defines them", (example) => {
  let text: Run;
  let json: Run;
  let items: JsonItem[];

  beforeAll(async () => {
    [text, json] = await Promise.all([preview(example), preview(example, "--json")]);
    expect(json.stderr).toBe("");
    items = (JSON.parse(json.stdout) as JsonReport).workspaces.flatMap((w) => w.sections.flatMap((s) => s.items));
  }, 180_000);

  it("lists, for every row, the policies that grade it, in the library's order", () => {
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect({ item: item.id, policies: [...item.policies, ...item.disabledPolicies].sort() }).toEqual({
        item: item.id,
        policies: policiesOf(item.id)
          .map((p) => p.name)
          .sort(),
      });
      const order = policiesOf(item.id)
        .map((p) => p.name)
        .filter((name) => item.policies.includes(name));
      expect(item.policies).toEqual(order);
    }
  });

  it("shows what was checked by the library's titles, and each failing policy's remediation and help link", () => {
    const lines = text.stdout.split("\n");
    for (const item of items) {
      const { item: row } = findItem(item.id);
      if (item.status === "Secure" || item.status === "Not in use" || item.findings.length === 0) {
        const titles = policiesOf(item.id)
          .filter((p) => item.policies.includes(p.name))
          .map((p) => p.title);
        if (titles.length > 0) {
          expect(lines).toContain(`         ${item.status === "Not in use" ? "Nothing declared for" : "Checked"}: ${titles.join("; ")}`);
        }
        continue;
      }
      for (const name of new Set(item.findings.map((f) => f.policy))) {
        const policy = allPolicies.find((p) => p.name === name);
        if (!policy) throw new Error(`${name} is not a library policy`);
        const block = [
          ...policy.remediation.map((step, i) => `           ${i === 0 ? "Fix:" : "    "} ${step}`),
          `           ${row.action}: ${policy.helpUrl}`,
        ].join("\n");
        expect(text.stdout).toContain(block);
      }
    }
  });
});
