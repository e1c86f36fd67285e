import * as fs from "fs";
import * as path from "path";
import { UsageError } from "./errors";

/** The pack directory an option names, resolved; refused (exit 2) without a PulumiPolicy.yaml, as the Pulumi CLI refuses it. */
export function checkPackDir(packDir: string): string {
  const resolved = path.resolve(packDir);
  if (!fs.existsSync(path.join(resolved, "PulumiPolicy.yaml"))) {
    throw new UsageError(`${packDir} is not a policy pack: it has no PulumiPolicy.yaml`);
  }
  return resolved;
}
