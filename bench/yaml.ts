/** js-yaml as cli/documents.ts reads documents (its core schema). js-yaml ships no type declarations. */
interface YamlModule {
  load(text: string, options: { schema: unknown }): unknown;
  CORE_SCHEMA: unknown;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require("js-yaml") as YamlModule;

export function loadYaml(text: string): unknown {
  return yaml.load(text, { schema: yaml.CORE_SCHEMA });
}
