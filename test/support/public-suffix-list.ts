/**
 * The Public Suffix List as the tests draw from it. tldts exports no list, but ships the whole PSL
 * (ICANN and private sections) as a flat trie in its data module; this walks that trie on its own
 * (no code from policies/) and keeps only the rules tldts's public API itself reports as public
 * suffixes, with the section it reports. Wildcard rules (`*.ck`) are kept with their `*` for the
 * generators to fill in.
 */
import * as path from "path";
import { getPublicSuffix, parse } from "tldts";

export interface PublicSuffixRule {
  /** The rule as the PSL writes it, in ASCII (punycode) or Unicode, possibly starting with `*.`. */
  readonly rule: string;
  readonly section: "icann" | "private";
}

interface TrieData {
  nodeFlags: ArrayLike<number>;
  edgeStart: ArrayLike<number>;
  edgeLength: ArrayLike<number>;
  edgeChild: ArrayLike<number>;
  labelText: string;
  rulesRoot: number;
}

function readTrie(): TrieData {
  const tldtsMain = require.resolve("tldts");
  const dataModule = path.join(path.dirname(tldtsMain), "src", "data", "trie.js");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(dataModule) as TrieData;
}

function enumerate(): PublicSuffixRule[] {
  const trie = readTrie();
  const offsets: number[] = [];
  for (let edge = 0, offset = 0; edge < trie.edgeLength.length; edge += 1) {
    offsets.push(offset);
    offset += trie.edgeLength[edge] as number;
  }
  const rules: PublicSuffixRule[] = [];
  const stack: [number, string][] = [[trie.rulesRoot, ""]];
  while (stack.length > 0) {
    const [node, suffix] = stack.pop() as [number, string];
    for (let edge = trie.edgeStart[node] as number; edge < (trie.edgeStart[node + 1] as number); edge += 1) {
      const label = trie.labelText.slice(offsets[edge], (offsets[edge] as number) + (trie.edgeLength[edge] as number));
      const rule = suffix === "" ? label : `${label}.${suffix}`;
      const child = trie.edgeChild[edge] as number;
      if (((trie.nodeFlags[child] as number) & 3) !== 0) {
        // Kept only when tldts's public API agrees it is a public suffix, in that section.
        const probe = rule.replace(/\*/g, "probe");
        if (getPublicSuffix(probe, { allowPrivateDomains: true }) === probe) {
          const parsed = parse(`x.${probe}`, { allowPrivateDomains: true });
          rules.push({ rule, section: parsed.isPrivate ? "private" : "icann" });
        }
      }
      stack.push([child, rule]);
    }
  }
  return rules.sort((a, b) => (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
}

/** Every PSL rule tldts knows, sorted (so a fixed seed draws the same ones). */
export const publicSuffixRules: readonly PublicSuffixRule[] = enumerate();

/** The rules' names, for "is anything beneath this name a public suffix" oracles. */
export const publicSuffixNames: ReadonlySet<string> = new Set(publicSuffixRules.map((r) => r.rule));
