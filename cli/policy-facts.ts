/**
 * A policy's facts as the pack it runs states them (GetAnalyzerInfo), never as the tool's own copy
 * of policies/ has them: a run with `--policy-pack <dir>` describes that pack. This pack encodes in
 * tags what the protocol has no field for (core/crossguard.ts tagsOf: `id:`, `section:`, `item:`,
 * `criticality:` and framework references such as `soc2:CC6.1`, read by the one tag parser,
 * report/policy-tags.ts, that the report's catalog uses too) and carries the rationale as its
 * framework's specification. A foreign pack's policies without such tags still have facts: what
 * the protocol's own fields say. Everything here is the pack's text, untrusted: outputs escape it.
 */
import { frameworkNames } from "../core/policy";
import { FrameworkKey, frameworkKeys, parsePolicyTags, PolicyExample, tagCriticalities, TagCriticality } from "../report/policy-tags";
import { EnforcementLevel, PolicyInfo, PolicyPackSession, PolicySeverity } from "./analyzer-client";

export { frameworkKeys };
export type { FrameworkKey };

/** How the tool labels the framework a tag key names (a label, not a fact of any policy). */
export const frameworkLabels: Readonly<Record<FrameworkKey, string>> = frameworkNames;

export const severities: readonly PolicySeverity[] = ["low", "medium", "high", "critical"];
export const criticalities = tagCriticalities;
export type Criticality = TagCriticality;
export const enforcementLevels: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** One argument of a policy, from its config schema. */
export interface PolicyArgument {
  readonly name: string;
  /** The JSON Schema type(s), e.g. "integer" or "string | null"; undefined when the schema states none. */
  readonly type?: string;
  readonly hasDefault: boolean;
  readonly default?: unknown;
  /** This pack's `x-floor`: how far configuration may move a SHALL policy's argument (core/floors.ts). */
  readonly floor?: { readonly direction?: string; readonly value?: unknown; readonly description?: string };
  readonly description?: string;
  readonly required: boolean;
}

export interface PolicyFacts {
  readonly name: string;
  /** The display name, or the name when the pack gave none. */
  readonly title: string;
  readonly id?: string;
  readonly section?: string;
  /** Health Check rows, in the pack's order. */
  readonly items: readonly string[];
  readonly criticality?: Criticality;
  readonly severity?: PolicySeverity;
  /** The policy's default enforcement level, as GetAnalyzerInfo states it. */
  readonly enforcementLevel: EnforcementLevel;
  readonly policyType: PolicyInfo["policyType"];
  readonly description: string;
  readonly rationale?: string;
  readonly remediationSteps: readonly string[];
  readonly helpUrl?: string;
  /** Framework references by framework; a framework the policy does not map to is absent. */
  readonly frameworks: Readonly<Partial<Record<FrameworkKey, readonly string[]>>>;
  /** The framework the protocol's own field names (name, version, reference), when the pack gave one. */
  readonly framework?: { readonly name: string; readonly version: string; readonly reference: string };
  /** A declaration that satisfies the policy, as the pack gave it (a control's name and props); explain shows it as code. */
  readonly example?: PolicyExample;
  /** Tags this parser does not read, as given. */
  readonly otherTags: readonly string[];
  readonly arguments: readonly PolicyArgument[];
}

/**
 * Reads the tags with the one parser the report uses too (report/policy-tags.ts): a single-valued
 * key given twice (two `id:` tags, say) states nothing certain, and both stay in otherTags; a
 * criticality other than SHALL or SHOULD is not one. What the report's catalog alone reads (kind,
 * scope, remediates) is known, not listed among the other tags.
 */
export function parseTags(
  tags: readonly string[],
): Pick<PolicyFacts, "id" | "section" | "items" | "criticality" | "frameworks" | "example" | "otherTags"> {
  const parsed = parsePolicyTags(tags);
  return {
    ...(parsed.id !== undefined ? { id: parsed.id } : {}),
    ...(parsed.section !== undefined ? { section: parsed.section } : {}),
    items: parsed.items,
    ...(parsed.criticality !== undefined ? { criticality: parsed.criticality } : {}),
    frameworks: parsed.frameworks,
    ...(parsed.example !== undefined ? { example: parsed.example } : {}),
    otherTags: parsed.otherTags,
  };
}

/**
 * Remediation steps as this pack writes them: "1. …\n2. …" (core/crossguard.ts). Text that is not
 * numbered 1, 2, 3, … line by line is one step, as given.
 */
export function parseRemediationSteps(text: string): string[] {
  if (text.trim() === "") return [];
  const lines = text.split("\n");
  const numbered = lines.every((line, i) => line.startsWith(`${i + 1}. `));
  return numbered ? lines.map((line, i) => line.slice(`${i + 1}. `.length)) : [text];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function typeOf(schema: Record<string, unknown>): string | undefined {
  const type = schema["type"];
  if (typeof type === "string")
    return type === "array" && isRecord(schema["items"]) && typeof schema["items"]["type"] === "string"
      ? `${type} of ${schema["items"]["type"]}`
      : type;
  if (Array.isArray(type) && type.every((t) => typeof t === "string")) return type.join(" | ");
  const alternatives = schema["anyOf"] ?? schema["oneOf"];
  if (Array.isArray(alternatives)) {
    const types = alternatives.map((a) => (isRecord(a) ? typeOf(a) : undefined));
    if (types.every((t) => t !== undefined)) return [...new Set(types)].join(" | ");
  }
  if ("const" in schema) return JSON.stringify(schema["const"]);
  if (Array.isArray(schema["enum"])) return schema["enum"].map((v) => JSON.stringify(v)).join(" | ");
  return undefined;
}

/** The arguments a config schema declares, in its order. */
export function parseArguments(configSchema: PolicyInfo["configSchema"]): PolicyArgument[] {
  if (!configSchema || !isRecord(configSchema.properties)) return [];
  const required = new Set(Array.isArray(configSchema.required) ? configSchema.required : []);
  return Object.entries(configSchema.properties).map(([name, schema]) => {
    const property = isRecord(schema) ? schema : {};
    const type = typeOf(property);
    const floor = property["x-floor"];
    return {
      name,
      ...(type !== undefined ? { type } : {}),
      hasDefault: "default" in property,
      ...("default" in property ? { default: property["default"] } : {}),
      ...(isRecord(floor)
        ? {
            floor: {
              ...(typeof floor["direction"] === "string" ? { direction: floor["direction"] } : {}),
              ...("value" in floor ? { value: floor["value"] } : {}),
              ...(typeof floor["description"] === "string" ? { description: floor["description"] } : {}),
            },
          }
        : {}),
      ...(typeof property["description"] === "string" ? { description: property["description"] } : {}),
      required: required.has(name),
    };
  });
}

/** The facts of one policy as the pack stated them. */
export function policyFactsOf(info: PolicyInfo): PolicyFacts {
  const tags = parseTags(info.tags ?? []);
  const framework = info.framework;
  return {
    name: info.name,
    title: info.displayName || info.name,
    ...(tags.id !== undefined ? { id: tags.id } : {}),
    ...(tags.section !== undefined ? { section: tags.section } : {}),
    items: tags.items,
    ...(tags.criticality !== undefined ? { criticality: tags.criticality } : {}),
    ...(info.severity !== undefined ? { severity: info.severity } : {}),
    enforcementLevel: info.enforcementLevel,
    policyType: info.policyType,
    description: info.description,
    ...(framework && framework.specification !== "" ? { rationale: framework.specification } : {}),
    remediationSteps: parseRemediationSteps(info.remediationSteps ?? ""),
    ...(info.url ? { helpUrl: info.url } : {}),
    frameworks: tags.frameworks,
    ...(tags.example !== undefined ? { example: tags.example } : {}),
    ...(framework ? { framework: { name: framework.name, version: framework.version, reference: framework.reference } } : {}),
    otherTags: tags.otherTags,
    arguments: parseArguments(info.configSchema),
  };
}

/** The pack as `list` and `explain` show it: its name, version and every policy's facts, in the pack's order. */
export interface PackFacts {
  readonly name: string;
  readonly version: string;
  readonly policies: readonly PolicyFacts[];
}

/** Launches the pack, reads GetAnalyzerInfo, and stops the pack. */
export async function readPackFacts(packDir: string): Promise<PackFacts> {
  const session = await PolicyPackSession.launch(packDir);
  try {
    const info = await session.getAnalyzerInfo();
    return { name: info.name, version: info.version, policies: info.policies.map(policyFactsOf) };
  } finally {
    await session.close();
  }
}
