/**
 * `explain <policy>`: one policy of the launched pack in full. Every fact comes from the pack
 * (cli/policy-facts.ts); every text from it is escaped before it is printed.
 */
import { escapeForDisplay, escapeJsonForDisplay } from "../core/display";
import { governanceKeys } from "../core/exceptions";
import { healthCheckSections } from "../core/health-check";
import { UsageError } from "./errors";
import type { PolicyExample } from "../report/policy-tags";
import { frameworkKeys, frameworkLabels, PackFacts, PolicyArgument, PolicyFacts } from "./policy-facts";

/** Edit distance, for suggesting the policy meant. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** The policy named (by name, or by catalog id in any case); unknown: a usage error naming the closest policies. */
export function findPolicy(pack: PackFacts, wanted: string): PolicyFacts {
  const found =
    pack.policies.find((p) => p.name === wanted) ??
    pack.policies.find((p) => p.id !== undefined && p.id.toLowerCase() === wanted.toLowerCase());
  if (found) return found;
  const key = wanted.toLowerCase();
  const closest = pack.policies
    .map((p) => ({
      name: p.name,
      score: Math.min(distance(key, p.name.toLowerCase()), p.id ? distance(key, p.id.toLowerCase()) : Infinity),
    }))
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, 3)
    .map((p) => p.name);
  const suggestion = closest.length > 0 ? `; the closest: ${closest.join(", ")} (see \`list\`)` : "";
  throw new UsageError(`policy pack ${pack.name} has no policy ${wanted}${suggestion}`);
}

const sectionTitles = new Map<string, string>(healthCheckSections.map((s) => [s.id, s.title]));
const itemTitles = new Map<string, string>(healthCheckSections.flatMap((s) => s.items.map((i) => [i.id, i.title] as const)));

/** An id with the Health Check's title for it, when the tool's layout knows the id. */
function withTitle(id: string, titles: ReadonlyMap<string, string>): string {
  const title = titles.get(id);
  return title === undefined ? escapeForDisplay(id) : `${escapeForDisplay(id)} (${escapeForDisplay(title)})`;
}

function shown(value: unknown): string {
  return escapeForDisplay(JSON.stringify(value) ?? String(value));
}

function argumentLine(argument: PolicyArgument): string {
  const details = [
    argument.type !== undefined ? escapeForDisplay(argument.type) : undefined,
    argument.required ? "required" : undefined,
    argument.hasDefault ? `default ${shown(argument.default)}` : undefined,
    argument.floor?.value !== undefined
      ? `floor ${shown(argument.floor.value)}${argument.floor.direction ? ` (may only ${escapeForDisplay(argument.floor.direction)})` : ""}`
      : undefined,
  ].filter((d) => d !== undefined);
  const description = argument.description !== undefined ? `: ${escapeForDisplay(argument.description)}` : "";
  return `  ${escapeForDisplay(argument.name)}${details.length > 0 ? ` (${details.join(", ")})` : ""}${description}`;
}

/**
 * The pack's example as TypeScript: the control's class from the package's resources (a name the
 * parser allows only letters and digits in) and its props (JSON is a valid object literal). The
 * props are the pack's text: JSON.stringify escapes their control characters, and every other
 * unsafe one (bidi, zero-width) is written as \uXXXX escapes (escapeJsonForDisplay), which in a
 * string literal are the same characters, so the code stays exact and no raw one reaches the terminal.
 */
function exampleCode(example: PolicyExample): string[] {
  return [
    `import { ${example.control} } from "intercom-security-health-check/resources";`,
    "",
    ...`new ${example.control}("example", ${escapeJsonForDisplay(JSON.stringify(example.props, null, 2))});`.split("\n"),
  ];
}

const criticalityMeaning = { SHALL: "a requirement", SHOULD: "a recommendation" } as const;
const notStated = "not stated by the pack";

export function renderExplainText(pack: PackFacts, policy: PolicyFacts): string {
  const lines: string[] = [];
  lines.push(escapeForDisplay(policy.title), "");
  lines.push(`  Policy:               ${escapeForDisplay(policy.name)}`);
  lines.push(`  ID:                   ${policy.id !== undefined ? escapeForDisplay(policy.id) : notStated}`);
  lines.push(`  Section:              ${policy.section !== undefined ? withTitle(policy.section, sectionTitles) : notStated}`);
  lines.push(
    `  Health Check rows:    ${policy.items.length > 0 ? policy.items.map((i) => withTitle(i, itemTitles)).join(", ") : notStated}`,
  );
  lines.push(
    `  Level:                ${policy.criticality !== undefined ? `${policy.criticality} (${criticalityMeaning[policy.criticality]})` : notStated}`,
  );
  lines.push(`  Severity:             ${policy.severity ?? notStated}`);
  lines.push(`  Default enforcement:  ${policy.enforcementLevel}`);
  lines.push(`  Policy pack:          ${escapeForDisplay(pack.name)} ${escapeForDisplay(pack.version)}`);
  lines.push("", "Description", `  ${escapeForDisplay(policy.description)}`);
  lines.push("", "Rationale", `  ${policy.rationale !== undefined ? escapeForDisplay(policy.rationale) : notStated}`);
  lines.push("", "Remediation");
  if (policy.remediationSteps.length === 0) lines.push(`  ${notStated}`);
  policy.remediationSteps.forEach((step, i) => lines.push(`  ${i + 1}. ${escapeForDisplay(step)}`));
  lines.push("", `Help: ${policy.helpUrl !== undefined ? escapeForDisplay(policy.helpUrl) : notStated}`);
  // This pack lets every policy's entry carry governance beside its arguments (core/exceptions.ts): shown apart.
  const isGovernance = (a: PolicyArgument) => (governanceKeys as readonly string[]).includes(a.name);
  const own = policy.arguments.filter((a) => !isGovernance(a));
  const governance = policy.arguments.filter(isGovernance);
  lines.push("", "Arguments");
  if (own.length === 0) lines.push("  none");
  lines.push(...own.map(argumentLine));
  if (governance.length > 0)
    lines.push("", "Governance (exceptions, and accountability for running below the default level)", ...governance.map(argumentLine));
  lines.push("", "Framework mappings");
  const mapped = frameworkKeys.filter((key) => (policy.frameworks[key] ?? []).length > 0);
  if (mapped.length === 0 && policy.framework === undefined) lines.push("  none stated by the pack");
  for (const key of mapped) lines.push(`  ${frameworkLabels[key]}: ${(policy.frameworks[key] ?? []).map(escapeForDisplay).join(", ")}`);
  // A foreign pack may name its framework only in the protocol's own field.
  if (mapped.length === 0 && policy.framework !== undefined) {
    const { name, version, reference } = policy.framework;
    lines.push(`  ${escapeForDisplay([name, version].filter((t) => t !== "").join(" "))}: ${escapeForDisplay(reference)}`);
  }
  if (policy.example !== undefined)
    lines.push(
      "",
      "Example fix (a declaration that satisfies the policy)",
      ...exampleCode(policy.example).map((line) => (line === "" ? "" : `  ${line}`)),
    );
  if (policy.otherTags.length > 0) lines.push("", `Other tags: ${policy.otherTags.map(escapeForDisplay).join(", ")}`);
  return `${lines.join("\n")}\n`;
}

/** `--json`: the policy's facts and the pack's name and version; exact values, every unsafe character a \u escape. */
export function renderExplainJson(pack: PackFacts, policy: PolicyFacts): string {
  return `${escapeJsonForDisplay(JSON.stringify({ pack: { name: pack.name, version: pack.version }, policy }, null, 2))}\n`;
}
