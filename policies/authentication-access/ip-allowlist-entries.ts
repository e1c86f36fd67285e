import { z } from "zod";
import { defineResourcePolicy } from "../../core/policy";
import { mayOnlyRise } from "../../core/floors";
import { helpLinks } from "../../core/help-links";
import { show } from "../../core/redaction";
import { ipAllowlistControl } from "../../resources/ip-allowlist";
import { frameworks } from "../support/frameworks";
import { parseIpv4Range } from "../support/network";

export const ipAllowlistEntries = defineResourcePolicy({
  name: "intercom-ip-allowlist-entries",
  id: "IHC.AUTH.06",
  title: "IP allowlist admits only listed networks",
  description: "An IP allowlist lists only well-formed IPv4 addresses or ranges and, when enabled, none of them admits everyone.",
  section: "authentication-access",
  items: ["auth.ip-allowlist"],
  severity: "critical",
  criticality: "SHALL",
  rationale:
    "An enabled allowlist that is empty or contains 0.0.0.0/0 admits every address while looking like a control; a malformed entry is rejected or misread by Intercom.",
  remediation: [
    "List your office, VPN or egress addresses as IPv4 addresses or CIDR ranges (IPv6 is not supported).",
    "Remove 0.0.0.0/0 and ranges broader than the configured minimum prefix length.",
  ],
  helpUrl: helpLinks.ipRestrictions,
  frameworks: frameworks.networkRestriction,
  control: ipAllowlistControl,
  configSchema: z.strictObject({
    minPrefixLength: mayOnlyRise(
      8,
      z.number().int().max(32),
      "Ranges broader than this prefix length (e.g. /4) are treated as admitting everyone.",
    ),
  }),
  check: (allowlist, { config }) => {
    const scope = allowlist.scope === "dashboard" ? "dashboard" : "REST API";
    if (allowlist.enabled && allowlist.entries.length === 0) {
      return [`The ${scope} IP allowlist is enabled with no entries, which admits everyone.`];
    }
    return allowlist.entries.flatMap((entry) => {
      const range = parseIpv4Range(entry);
      // Malformed entries count even while the list is off: turning it on would apply them.
      if (!range) return [`${scope} allowlist entry ${show(entry)} is not an IPv4 address or IPv4 CIDR range.`];
      if (!allowlist.enabled) return [];
      if (range.prefixLength === 0) return [`${scope} allowlist entry ${show(entry)} admits every address.`];
      if (range.prefixLength < config.minPrefixLength) {
        return [`${scope} allowlist entry ${show(entry)} is broader than /${config.minPrefixLength}.`];
      }
      return [];
    });
  },
});
