/**
 * One batch of generated controls for the library-backed rules (issue 5, item 2): trusted domains,
 * link safety, Custom Action endpoints and IP allowlists, unsafe and safe members of each class,
 * drawn with the fixed seed. The engine suite sends them over the Analyzer protocol, the CLI suite
 * through `preview` in one run; both hold each control to the same expectation.
 */
import { ipAllowlistEntries } from "../../policies/authentication-access/ip-allowlist-entries";
import { urlAmbiguity } from "../../core/unambiguous-url";
import { customActionPublicEndpoint } from "../../policies/custom-actions/custom-action-public-endpoint";
import { linkSafetyDomains } from "../../policies/data-protection/link-safety-domains";
import { trustedDomains } from "../../policies/messenger-security/messenger-trusted-domains";
import { secure } from "./fixtures";
import {
  endpointUrl,
  misreadableEntry,
  safeDomainEntry,
  safeEndpointHost,
  tooBroadTogether,
  unsafeDomainEntry,
  unsafeEndpointHost,
  withinLimit,
} from "./network-classes";
import { sampleOf } from "./property";

export interface LibraryClassCase {
  /** The contract's control name. */
  readonly control: string;
  /** The resource name: unique in the batch. */
  readonly name: string;
  readonly props: Record<string, unknown>;
  readonly policy: string;
  /** Whether the policy blocks (SHALL) or only advises (SHOULD) when it finds a problem. */
  readonly blocks: boolean;
  /** A problem must be reported (matching `message`), or none at all. */
  readonly expect: { readonly unsafe: true; readonly message: RegExp } | { readonly unsafe: false };
  /** The class and value drawn, for failure messages. */
  readonly drawn: string;
}

/** Default configuration everywhere: the allowlist limit is one /8. */
const DEFAULT_MIN_PREFIX = 8;

export function libraryClassBatch(counts: { perClass: number }): LibraryClassCase[] {
  const n = counts.perClass;
  const cases: LibraryClassCase[] = [];
  const add = (c: Omit<LibraryClassCase, "name">) => cases.push({ ...c, name: `${c.control.toLowerCase()}-${cases.length}` });

  for (const { kind, value } of sampleOf(unsafeDomainEntry, n)) {
    add({
      control: "MessengerDomainRestriction",
      props: { ...secure.messengerDomainRestriction, trustedDomains: ["app.example.com", value] },
      policy: trustedDomains.name,
      blocks: true,
      expect: { unsafe: true, message: /^Trusted domain .+\.$/s },
      drawn: `${kind}: ${JSON.stringify(value)}`,
    });
    add({
      control: "LinkSafety",
      props: { ...secure.linkSafety, trustedDomains: ["example.com", value] },
      policy: linkSafetyDomains.name,
      blocks: false,
      expect: { unsafe: true, message: /^Trusted link domain .+\.$/s },
      drawn: `${kind}: ${JSON.stringify(value)}`,
    });
  }
  for (const { kind, value } of sampleOf(safeDomainEntry, n)) {
    add({
      control: "MessengerDomainRestriction",
      props: { ...secure.messengerDomainRestriction, trustedDomains: [value] },
      policy: trustedDomains.name,
      blocks: true,
      expect: { unsafe: false },
      drawn: `${kind}: ${JSON.stringify(value)}`,
    });
    add({
      control: "LinkSafety",
      props: { ...secure.linkSafety, trustedDomains: [value], blockedDomains: [] },
      policy: linkSafetyDomains.name,
      blocks: false,
      expect: { unsafe: false },
      drawn: `${kind}: ${JSON.stringify(value)}`,
    });
  }
  // A host written in a notation WHATWG rewrites (IPv4 shorthand, IPv6 with dotted IPv4 or not
  // compressed) is refused by the CustomAction schema as ambiguous, public or not: that is its report.
  const refusedAsAmbiguous = {
    policy: "intercom-control-schema",
    blocks: true,
    expect: { unsafe: true, message: /field url: a URL every client reads alike/ },
  } as const;
  for (const { kind, value } of sampleOf(unsafeEndpointHost, 2 * n)) {
    const url = endpointUrl(value);
    add({
      control: "CustomAction",
      props: { ...secure.customAction, url },
      policy: customActionPublicEndpoint.name,
      blocks: true,
      expect: { unsafe: true, message: /^Custom Action "Order lookup" targets / },
      ...(urlAmbiguity(url) === undefined ? {} : refusedAsAmbiguous),
      drawn: `${kind}: ${JSON.stringify(value)}`,
    });
  }
  for (const { kind, value } of sampleOf(safeEndpointHost, n)) {
    const url = endpointUrl(value);
    add({
      control: "CustomAction",
      props: { ...secure.customAction, url },
      policy: customActionPublicEndpoint.name,
      blocks: true,
      expect: { unsafe: false },
      ...(urlAmbiguity(url) === undefined ? {} : refusedAsAmbiguous),
      drawn: `${kind}: ${JSON.stringify(value)}`,
    });
  }
  for (const list of sampleOf(tooBroadTogether(DEFAULT_MIN_PREFIX), Math.ceil(n / 2))) {
    add({
      control: "IpAllowlist",
      props: { ...secure.dashboardIpAllowlist, entries: [...list.entries] },
      policy: ipAllowlistEntries.name,
      blocks: true,
      expect: { unsafe: true, message: /entries together admit .+ more than one \/8 range/s },
      drawn: `${list.kind} (${list.entries.length} entries)`,
    });
  }
  for (const list of sampleOf(withinLimit(DEFAULT_MIN_PREFIX), Math.ceil(n / 2))) {
    add({
      control: "IpAllowlist",
      props: { ...secure.dashboardIpAllowlist, entries: [...list.entries] },
      policy: ipAllowlistEntries.name,
      blocks: true,
      expect: { unsafe: false },
      drawn: `${list.kind} (${list.entries.length} entries)`,
    });
  }
  for (const { kind, value } of sampleOf(misreadableEntry, Math.ceil(n / 2))) {
    add({
      control: "IpAllowlist",
      props: { ...secure.dashboardIpAllowlist, entries: ["203.0.113.0/24", value] },
      policy: ipAllowlistEntries.name,
      blocks: true,
      expect: { unsafe: true, message: /is not an IPv4 address or IPv4 CIDR range/ },
      drawn: `${kind}: ${JSON.stringify(value)}`,
    });
  }
  return cases;
}
