/**
 * The generated JSON Schemas (schemas/), for tools outside TypeScript: one per control, the
 * workspace document and the policy-pack configuration. They ship beside dist/ and are also
 * reachable as `intercom-security-health-check/schemas/<file>` through the package's exports.
 */
import * as fs from "fs";
import * as path from "path";

const packageName = "intercom-security-health-check";
const schemaSuffix = ".schema.json";

/** The package's root: the nearest package.json upwards naming this package (from lib/ or dist/lib/). */
function packageRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string }).name === packageName) {
      return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`No package.json of ${packageName} above ${__dirname}`);
  }
}

/** The directory holding the JSON Schemas. */
export function schemasDirectory(): string {
  return path.join(packageRoot(), "schemas");
}

/** The schemas' names, e.g. "Workspace", "SsoEnforcement", "policy-pack-config", "workspace-document". */
export function schemaNames(): string[] {
  return fs
    .readdirSync(schemasDirectory())
    .filter((file) => file.endsWith(schemaSuffix))
    .map((file) => file.slice(0, -schemaSuffix.length))
    .sort();
}

/** The file of one schema by name (with or without ".schema.json"); only names {@link schemaNames} lists. */
export function schemaPath(name: string): string {
  const bare = name.endsWith(schemaSuffix) ? name.slice(0, -schemaSuffix.length) : name;
  // Only listed names: a name is never a path (no "../" out of the schemas directory).
  if (!schemaNames().includes(bare)) throw new Error(`No JSON Schema named ${JSON.stringify(name)}; known: ${schemaNames().join(", ")}`);
  return path.join(schemasDirectory(), `${bare}${schemaSuffix}`);
}

/** One schema, parsed. */
export function readSchema(name: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(schemaPath(name), "utf8")) as Record<string, unknown>;
}
