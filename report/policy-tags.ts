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
export const singleValuedTagKeys = ["id", "section", "criticality", "kind", "scope", "example"] as const;
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
  /** A declaration of a control that satisfies the policy: the control's name and props, as the pack gave them. */
  readonly example?: PolicyExample;
  /** Framework references by framework; a framework without a reference is absent. */
  readonly frameworks: Readonly<Partial<Record<FrameworkKey, readonly string[]>>>;
  /** Single-valued keys given more than once (neither value is taken). */
  readonly repeated: readonly SingleValuedTagKey[];
  /**
   * Tags that state no fact read here, as given: unknown keys, no key or no value, a repeated
   * single-valued key, a criticality other than SHALL or SHOULD, an example that is not a control's props.
   */
  readonly otherTags: readonly string[];
}

export interface PolicyExample {
  readonly control: string;
  readonly props: Readonly<Record<string, unknown>>;
}

/** An `example:` tag's JSON, when it is an object naming a control and its props; anything else states no example. */
function exampleOf(json: string): PolicyExample | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
  const { control, props } = parsed as Record<string, unknown>;
  if (typeof control !== "string" || !/^[A-Za-z][A-Za-z0-9]*$/.test(control)) return undefined;
  if (typeof props !== "object" || props === null || Array.isArray(props)) return undefined;
  return { control, props: props as Record<string, unknown> };
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
    const valid =
      key === "criticality"
        ? (tagCriticalities as readonly string[]).includes(value ?? "")
        : key === "example"
          ? exampleOf(value ?? "") !== undefined
          : true;
    if (value !== undefined && valid) taken[key] = value;
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
    ...(taken.example !== undefined ? { example: exampleOf(taken.example) as PolicyExample } : {}),
    frameworks,
    repeated,
    otherTags,
  };
}
