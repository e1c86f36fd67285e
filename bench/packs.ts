/** The packs the bench compares: this repository's compiled pack, the trivial `@pulumi/policy` pack and the mirror pack. */
import * as fs from "fs";
import * as path from "path";
import { PolicyPackSession } from "../cli/analyzer-client";
import { asOfVariable } from "../core/clock";
import { allPolicies } from "../policies";
import type { SurfacePolicy } from "./mirror-pack";
import { repositoryRoot } from "./workload";

/** The clock the real pack is pinned to, as in the engine tests: no figure depends on today's date. */
const PINNED_AS_OF = "2026-11-21T00:00:00Z";

/**
 * A floor pack's compiled directory (dist/bench/<folder>), with the manifest and package.json the CLI needs written
 * beside its index.js at run time (dist/ holds only what tsc emits).
 */
function floorPackDir(folder: string, description: string): string {
  const dir = path.join(__dirname, folder);
  if (!fs.existsSync(path.join(dir, "index.js"))) {
    throw new Error(`${dir}/index.js is missing: run \`npm run build\` (npm run bench does).`);
  }
  fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), `runtime: nodejs\ndescription: ${description}\n`);
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: `bench-${folder}`, version: "0.0.0", main: "index.js" }, null, 2),
  );
  return dir;
}

/** The trivial pack's directory (dist/bench/trivial-pack). */
export function trivialPackDir(): string {
  return floorPackDir("trivial-pack", "The bench's floor, a trivial policy pack.");
}

export function launchRealPack(): Promise<PolicyPackSession> {
  if (!fs.existsSync(path.join(repositoryRoot, "dist", "pack", "index.js"))) {
    throw new Error("dist/pack/index.js is missing: run `npm run build` (npm run bench does).");
  }
  return PolicyPackSession.launch(repositoryRoot, { env: { [asOfVariable]: PINNED_AS_OF } });
}

export function launchTrivialPack(): Promise<PolicyPackSession> {
  return PolicyPackSession.launch(trivialPackDir());
}

/**
 * The mirror pack's directory (dist/bench/mirror-pack): this pack's surface, read from its GetAnalyzerInfo (`real`)
 * and its policies' control types, written beside the compiled mirror with the manifest and package.json the CLI needs.
 */
export async function mirrorPackDir(real: PolicyPackSession): Promise<string> {
  const dir = floorPackDir("mirror-pack", "The bench's floor with this pack's surface.");
  const info = await real.getAnalyzerInfo();
  const typeTokens = new Map(allPolicies.flatMap((p) => (p.kind === "resource" ? [[p.name, p.control.typeToken] as const] : [])));
  const surface: SurfacePolicy[] = info.policies.map((policy) => {
    if (policy.policyType === "unknown") throw new Error(`${policy.name}: the pack reported no policy type`);
    const typeToken = typeTokens.get(policy.name);
    return {
      name: policy.name,
      displayName: policy.displayName,
      description: policy.description,
      enforcementLevel: policy.enforcementLevel,
      policyType: policy.policyType,
      ...(policy.severity ? { severity: policy.severity } : {}),
      ...(policy.configSchema ? { configSchema: policy.configSchema as SurfacePolicy["configSchema"] } : {}),
      tags: policy.tags,
      remediationSteps: policy.remediationSteps,
      url: policy.url,
      ...(policy.framework ? { framework: policy.framework } : {}),
      ...(typeToken ? { typeToken } : {}),
    };
  });
  fs.writeFileSync(path.join(dir, "surface.json"), JSON.stringify(surface));
  // A floor only if it is the same surface: the mirror must report the very policies this pack reports.
  const mirror = await launchMirrorPack(dir);
  try {
    const mirrored = (await mirror.getAnalyzerInfo()).policies;
    if (JSON.stringify(mirrored) !== JSON.stringify(info.policies)) {
      throw new Error("bench/mirror-pack does not report the policies this pack reports: fix bench/packs.ts mirrorPackDir");
    }
  } finally {
    await mirror.close();
  }
  return dir;
}

export function launchMirrorPack(dir: string): Promise<PolicyPackSession> {
  return PolicyPackSession.launch(dir);
}
