/** The two packs the bench compares: this repository's compiled pack and the trivial `@pulumi/policy` pack. */
import * as fs from "fs";
import * as path from "path";
import { PolicyPackSession } from "../cli/analyzer-client";
import { asOfVariable } from "../core/clock";
import { repositoryRoot } from "./workload";

/** The clock the real pack is pinned to, as in the engine tests: no figure depends on today's date. */
const PINNED_AS_OF = "2026-11-21T00:00:00Z";

/** The trivial pack's directory (dist/bench/trivial-pack), with the manifest and package.json the CLI needs. */
export function trivialPackDir(): string {
  const dir = path.join(__dirname, "trivial-pack");
  if (!fs.existsSync(path.join(dir, "index.js"))) {
    throw new Error(`${dir}/index.js is missing: run \`npm run build\` (npm run bench does).`);
  }
  fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\ndescription: The bench's floor, a trivial policy pack.\n");
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "bench-trivial-pack", version: "0.0.0", main: "index.js" }, null, 2),
  );
  return dir;
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
