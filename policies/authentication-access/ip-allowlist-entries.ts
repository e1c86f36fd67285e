import { z } from "zod";
import { defineResourcePolicy } from "../../core/policy";
import { mayOnlyRise } from "../../core/floors";
import { helpLinks } from "../../core/help-links";
import { show } from "../../core/redaction";
import { ipAllowlistControl } from "../../resources/ip-allowlist";
import { frameworks } from "../support/frameworks";
import { countIpv4Addresses, Ipv4Range, parseIpv4Range } from "../support/network";

export const ipAllowlistEntries = defineResourcePolicy({
  name: "intercom-ip-allowlist-entries",
  id: "IHC.AUTH.06",
  title: "IP allowlist admits only listed networks",
  description:
    "An IP allowlist lists only well-formed IPv4 addresses or ranges and, when enabled, all its entries together admit no more addresses than one range of the minimum prefix length.",
  items: ["auth.ip-allowlist"],
  severity: "critical",
  criticality: "SHALL",
  rationale:
    "An enabled allowlist that is empty or contains 0.0.0.0/0 admits every address while looking like a control, and many small ranges admit as much as one large one; a malformed entry is rejected or misread by Intercom.",
  remediation: [
    "List your office, VPN or egress addresses as dotted-decimal IPv4 addresses or CIDR ranges (IPv6 is not supported).",
    "Keep what all entries admit together within one range of the configured minimum prefix length (one /8 by default): remove 0.0.0.0/0 and large blocks, whole or split into smaller ranges.",
  ],
  helpUrl: helpLinks.ipRestrictions,
  frameworks: { ...frameworks.networkRestriction, nist80053: ["AC-17", "SC-7"] },
  control: ipAllowlistControl,
  example: { workspaceId: "abc12345", scope: "dashboard", enabled: true, entries: ["203.0.113.0/24", "198.51.100.7"] },
  configSchema: z.strictObject({
    minPrefixLength: mayOnlyRise(
      8,
      z.number().int().max(32),
      "Together the entries may admit at most as many addresses as one range of this prefix length (8: one /8, 16,777,216 addresses).",
    ),
  }),
  // Entry by entry: a malformed entry is refused alone; the union only grows with entries.
  independentEntries: ["entries"],
  // Never remediated: changing the entries changes who can reach the workspace and can lock people out.
  check: (allowlist, { config }) => {
    const scope = allowlist.scope === "dashboard" ? "dashboard" : "REST API";
    if (allowlist.enabled && allowlist.entries.length === 0) {
      return [`The ${scope} IP allowlist is enabled with no entries, which admits everyone.`];
    }
    const ranges: { entry: string; range: Ipv4Range }[] = [];
    const malformed: string[] = [];
    for (const entry of allowlist.entries) {
      const range = parseIpv4Range(entry);
      // Malformed entries count even while the list is off: turning it on would apply them.
      if (range) ranges.push({ entry, range });
      else malformed.push(`${scope} allowlist entry ${show(entry)} is not an IPv4 address or IPv4 CIDR range in dotted-decimal notation.`);
    }
    if (!allowlist.enabled) return malformed;
    return [...malformed, ...unionProblems(scope, ranges, config.minPrefixLength)];
  },
});

/**
 * The rule on what a scope's entries admit together: overlapping entries count once, and the union
 * may admit at most 2^(32 - minPrefixLength) addresses, as many as one range of that prefix length
 * (16,777,216 for the default /8). Splitting a large block into many small entries changes nothing.
 */
function unionProblems(scope: string, ranges: readonly { entry: string; range: Ipv4Range }[], minPrefixLength: number): string[] {
  const admitted = countIpv4Addresses(ranges.map((r) => r.range));
  const limit = 2 ** (32 - minPrefixLength);
  if (admitted <= limit) return [];
  // An entry that alone admits everyone is named as such: no need to add up the others.
  const everyone = ranges.filter((r) => r.range.prefixLength === 0);
  if (everyone.length > 0) return everyone.map((r) => `${scope} allowlist entry ${show(r.entry)} admits every address.`);
  const broadest = [...ranges].sort((a, b) => a.range.prefixLength - b.range.prefixLength);
  const named = broadest
    .slice(0, 5)
    .map((r) => show(r.entry))
    .join(", ");
  const more = broadest.length > 5 ? ` and ${broadest.length - 5} more` : "";
  const what = admitted === 2 ** 32 ? "every address" : `${admitted.toLocaleString("en-US")} addresses`;
  return [
    `The ${scope} IP allowlist's entries together admit ${what}, more than one /${minPrefixLength} range ` +
      `(${limit.toLocaleString("en-US")}): ${named}${more}.`,
  ];
}
