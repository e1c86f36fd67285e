import { frameworkNames, FrameworkMappings } from "../core/policy";

/**
 * The one reader of the tags this pack puts on each policy in GetAnalyzerInfo (core/crossguard.ts
 * tagsOf and kindTagsOf are the one writer): `list`/`explain` (cli/policy-facts.ts) and the report
 * (report/catalog.ts) both read tags here, so they cannot disagree on what a pack said. The tags
 * are the pack's text, untrusted: nothing here trusts their shape.
 */

export type FrameworkKey = keyof FrameworkMappings;
/** Every framework a tag may name, in the order outputs show them (core/policy.ts frameworkNames). */
export const frameworkKeys = Object.keys(frameworkNames) as readonly FrameworkKey[];

export const tagCriticalities = ["SHALL", "SHOULD"] as const;
export type TagCriticality = (typeof tagCriticalities)[number];

/** Keys a policy states once: given twice (or more), the key states nothing certain. */
export const singleValuedTagKeys = ["id", "section", "criticality", "kind", "scope"] as const;
export type SingleValuedTagKey = (typeof singleValuedTagKeys)[number];

export interface PolicyTags {
  readonly id?: string;
  readonly section?: string;
  /** Health Check rows, in the pack's order. */
  readonly items: readonly string[];
  readonly criticality?: TagCriticality;
  /** The policy's kind as this pack states it (resource, stack or schema); any other text as given. */
  readonly kind?: string;
  /** A stack policy's scope as given (every-workspace, phi-workspaces or a type token). */
  readonly scope?: string;
  /** The fields a remediating resource policy may change. */
  readonly remediates: readonly string[];
  /** Framework references by framework; a framework without a reference is absent. */
  readonly frameworks: Readonly<Partial<Record<FrameworkKey, readonly string[]>>>;
  /** Single-valued keys given more than once (neither value is taken). */
  readonly repeated: readonly SingleValuedTagKey[];
  /**
   * Tags that state no fact read here, as given: unknown keys, no key or no value, a repeated
   * single-valued key, a criticality other than SHALL or SHOULD.
   */
  readonly otherTags: readonly string[];
}

function isFrameworkKey(key: string): key is FrameworkKey {
  return (frameworkKeys as readonly string[]).includes(key);
}

function isSingleValued(key: string): key is SingleValuedTagKey {
  return (singleValuedTagKeys as readonly string[]).includes(key);
}

/** Reads the tags: `key:value`, split at the first colon; a tag with no key or no value states nothing. */
export function parsePolicyTags(tags: readonly string[]): PolicyTags {
  const single = new Map<SingleValuedTagKey, string[]>();
  const items: string[] = [];
  const remediates: string[] = [];
  const frameworks: Partial<Record<FrameworkKey, string[]>> = {};
  const otherTags: string[] = [];
  for (const tag of tags) {
    const colon = tag.indexOf(":");
    const key = colon <= 0 ? "" : tag.slice(0, colon);
    const value = colon <= 0 ? "" : tag.slice(colon + 1);
    if (key === "" || value === "") otherTags.push(tag);
    else if (isSingleValued(key)) single.set(key, [...(single.get(key) ?? []), tag]);
    else if (key === "item") items.push(value);
    else if (key === "remediates") remediates.push(value);
    else if (isFrameworkKey(key)) frameworks[key] = [...(frameworks[key] ?? []), value];
    else otherTags.push(tag);
  }
  const taken: Partial<Record<SingleValuedTagKey, string>> = {};
  const repeated: SingleValuedTagKey[] = [];
  for (const key of singleValuedTagKeys) {
    const given = single.get(key) ?? [];
    if (given.length > 1) repeated.push(key);
    const value = given.length === 1 ? (given[0] as string).slice(key.length + 1) : undefined;
    if (value !== undefined && (key !== "criticality" || (tagCriticalities as readonly string[]).includes(value))) taken[key] = value;
    else otherTags.push(...given);
  }
  return {
    ...(taken.id !== undefined ? { id: taken.id } : {}),
    ...(taken.section !== undefined ? { section: taken.section } : {}),
    items,
    ...(taken.criticality !== undefined ? { criticality: taken.criticality as TagCriticality } : {}),
    ...(taken.kind !== undefined ? { kind: taken.kind } : {}),
    ...(taken.scope !== undefined ? { scope: taken.scope } : {}),
    remediates,
    frameworks,
    repeated,
    otherTags,
  };
}
