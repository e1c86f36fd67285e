import * as path from "path";
import { escapeForDisplay as shown } from "../core/display";

/**
 * Another pack's findings as `pulumi preview --policy-pack <dir>` prints them at the end of a run, so that CI logs and
 * the substring checks written against the CLI's output read the same. The layout is the CLI's
 * (pkg/backend/display/progress.go printPolicies, diff.go renderDiffPolicyViolationEvent): a "Policies:" heading; per
 * pack a status mark (✅ no violation, ⚠️ advisory ones only, ❌ a mandatory one), `<name>@v<version>` and
 * `(local: <path>)`; per violation, sorted by enforcement level, severity, policy name and URN,
 * `- [<level>] [severity: <severity>]  <policy>  (<type>: <name>)` and the pack's message below it, each line indented.
 * No colour. Every text of the pack or the program is escaped (core/display.ts), line by line: a message cannot forge
 * a line of its own.
 */

/** One diagnostic, as cli/analyzer-client.ts reports it. */
export interface PolicyViolation {
  readonly policyName: string;
  readonly policyPackName: string;
  readonly policyPackVersion: string;
  readonly message: string;
  readonly enforcementLevel: string;
  readonly urn: string;
  readonly severity?: string;
}

export interface PolicyPackRun {
  readonly name: string;
  readonly version: string;
  /** The pack's directory as `--policy-pack` named it. */
  readonly localPath: string;
  readonly violations: readonly PolicyViolation[];
}

const enforcementRanks: Readonly<Record<string, number>> = { remediate: 0, mandatory: 1, advisory: 2, disabled: 3 };
const severityRanks: Readonly<Record<string, number>> = { critical: 0, high: 1, medium: 2, low: 3 };

/** The "Policies:" section's lines, the trailing blank line included. */
export function pulumiPolicyLines(run: PolicyPackRun): string[] {
  const byPack = new Map<string, PolicyViolation[]>([[`${run.name}@v${run.version}`, []]]);
  for (const violation of run.violations) {
    const key = `${violation.policyPackName}@v${violation.policyPackVersion}`;
    byPack.set(key, [...(byPack.get(key) ?? []), violation]);
  }
  const lines = ["Policies:"];
  for (const key of [...byPack.keys()].sort(compareBytes)) {
    const violations = [...(byPack.get(key) ?? [])].sort(compareViolations);
    const mark = violations.some((v) => v.enforcementLevel === "mandatory") ? "❌" : violations.length > 0 ? "⚠️" : "✅";
    const local = key === `${run.name}@v${run.version}` ? ` (local: ${shown(abbreviateFilePath(run.localPath))})` : "";
    lines.push(`    ${mark} ${shown(key)}${local}`);
    for (const violation of violations) {
      const severity = violation.severity ? ` [severity: ${shown(violation.severity)}]` : "";
      lines.push(
        `        - [${shown(violation.enforcementLevel)}]${severity}  ${shown(violation.policyName)}${resourceClause(violation.urn)}`,
      );
      // The engine ends the message with a newline, and the display trims one.
      for (const line of violation.message.replace(/\n$/, "").split("\n")) lines.push(`          ${shown(line)}`);
    }
  }
  lines.push("");
  return lines;
}

function compareViolations(a: PolicyViolation, b: PolicyViolation): number {
  return (
    (enforcementRanks[a.enforcementLevel] ?? 99) - (enforcementRanks[b.enforcementLevel] ?? 99) ||
    (a.severity ? (severityRanks[a.severity] ?? 99) : 4) - (b.severity ? (severityRanks[b.severity] ?? 99) : 4) ||
    compareBytes(a.policyName, b.policyName) ||
    compareBytes(a.urn, b.urn)
  );
}

/** `  (<type>: <name>)` for a resource's URN (policyResourceClause); nothing for a stack policy's (no URN). */
function resourceClause(urn: string): string {
  const parts = urn.split("::");
  if (!urn.startsWith("urn:pulumi:") || parts.length < 4) return "";
  const type = (parts[2] ?? "").split("$").pop() ?? "";
  return `  (${shown(displayTypeName(type))}: ${shown(parts.slice(3).join("::"))})`;
}

/** tokens.Type.DisplayName: `pkg:module/file:Name` reads `pkg:module:Name` when `file` is `Name` with a lower-case first letter. */
export function displayTypeName(type: string): string {
  const components = type.split(":");
  if (components.length !== 3) return type;
  const [pkg, module, name] = components as [string, string, string];
  if (name.length === 0) return type;
  const lastSlash = module.lastIndexOf("/");
  if (lastSlash < 0) return type;
  const file = module.slice(lastSlash + 1);
  const [first = ""] = [...name];
  if (file !== first.toLowerCase() + name.slice(first.length)) return type;
  return `${pkg}:${module.slice(0, lastSlash)}:${name}`;
}

/** The engine's abbreviateFilePath: a path over 75 characters keeps its first two and last two parts. */
export function abbreviateFilePath(given: string): string {
  // filepath.Clean first.
  const filePath = given === "" ? "." : path.normalize(given).replace(/(.)[/\\]$/, "$1");
  if (filePath.length <= 75) return filePath;
  let separator = "/";
  let dirs = filePath.split(separator);
  if (dirs.length === 1) {
    separator = "\\";
    dirs = filePath.split(separator);
  }
  if (dirs.length > 4) dirs = [...dirs.slice(0, 2), "...", ...dirs.slice(-2)];
  return dirs.join(separator);
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}
