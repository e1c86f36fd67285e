/**
 * Lists with one entry not known until the update, for every list field a policy judges entry by
 * entry (`independentEntries`): known safe entries, at most one known unsafe entry of the field's
 * class, and the unknown entry at any index. Shared by the in-process suite and the preview suite.
 */
import fc from "fast-check";
import { ResourcePolicy } from "../../core/policy";
import { ipAllowlistEntries } from "../../policies/authentication-access/ip-allowlist-entries";
import { customActionResponseMapping } from "../../policies/custom-actions/custom-action-response-mapping";
import { customActionVerifiedAudiences } from "../../policies/custom-actions/custom-action-verified-audiences";
import { attachmentFileTypes } from "../../policies/data-protection/attachment-file-types";
import { linkSafetyDomains } from "../../policies/data-protection/link-safety-domains";
import { trustedDomains } from "../../policies/messenger-security/messenger-trusted-domains";
import { identityAttributes } from "../../policies/support/identity-attributes";
import { notKnownSafeExtension, safeUploadList } from "./file-types";
import { secure } from "./fixtures";
import { publicSuffixRules } from "./public-suffix-list";
import { UNKNOWN } from "./unknowns";

export interface EntryCase {
  /** The list as registered: known entries and {@link UNKNOWN} at some index. */
  readonly entries: readonly unknown[];
  /** Whether a known entry is unsafe (the policy's own verdict on the known entries alone says so too). */
  readonly unsafe: boolean;
}

export interface EntryClass {
  readonly policy: ResourcePolicy;
  readonly field: string;
  /** Secure settings the list goes into. */
  readonly base: Record<string, unknown>;
  readonly caseArbitrary: fc.Arbitrary<EntryCase>;
}

/** The base settings with the list in place. */
export function withEntries(entryClass: EntryClass, entries: readonly unknown[]): Record<string, unknown> {
  return { ...entryClass.base, [entryClass.field]: [...entries] };
}

/** Safe entries (at least one when no unsafe entry), maybe one unsafe entry, shuffled, and the unknown at any index. */
function cases(safe: fc.Arbitrary<unknown[]>, unsafe: fc.Arbitrary<unknown>): fc.Arbitrary<EntryCase> {
  return fc
    .tuple(safe, fc.option(unsafe, { nil: undefined, freq: 2 }), fc.nat())
    .filter(([known, bad]) => known.length > 0 || bad !== undefined)
    .chain(([known, bad, where]) =>
      fc
        .shuffledSubarray(bad === undefined ? known : [...known, bad], { minLength: known.length + (bad === undefined ? 0 : 1) })
        .map((shuffled) => {
          const index = where % (shuffled.length + 1);
          return { entries: [...shuffled.slice(0, index), UNKNOWN, ...shuffled.slice(index)], unsafe: bad !== undefined };
        }),
    );
}

const label = fc.stringMatching(/^[a-z][a-z0-9]{1,10}$/);
/** Names under the fixtures' own domain. */
const ownDomains = fc.array(
  fc.oneof(
    label.map((l) => `${l}.example.com`),
    fc.constantFrom("example.com", "*.example.com", "app.example.com"),
  ),
  {
    minLength: 0,
    maxLength: 3,
  },
);
const simpleSuffixes = publicSuffixRules.map((r) => r.rule).filter((rule) => /^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(rule));
/** Wildcards over public suffixes (ICANN and private sections), everything, loopback and IP-embedding names. */
const overlyBroadDomain = fc.oneof(
  fc.constantFrom(...simpleSuffixes).map((suffix) => `*.${suffix}`),
  fc.constantFrom("*", "localhost", "127.0.0.1", "*.localhost", "10.0.0.1.nip.io"),
);

const host = fc.integer({ min: 1, max: 254 });

export const entryClasses: readonly EntryClass[] = [
  {
    policy: attachmentFileTypes,
    field: "allowedFileTypes",
    base: secure.attachmentPolicy,
    caseArbitrary: cases(
      safeUploadList.map((l) => l.slice(0, 3)),
      notKnownSafeExtension,
    ),
  },
  {
    policy: trustedDomains,
    field: "trustedDomains",
    base: secure.messengerDomainRestriction,
    caseArbitrary: cases(ownDomains, overlyBroadDomain),
  },
  {
    policy: linkSafetyDomains,
    field: "trustedDomains",
    base: secure.linkSafety,
    caseArbitrary: cases(ownDomains, overlyBroadDomain),
  },
  {
    policy: linkSafetyDomains,
    field: "blockedDomains",
    base: { ...secure.linkSafety, trustedDomains: ["example.com", "*.example.com"] },
    // Blocking a trusted domain (in any case) is the unsafe entry here.
    caseArbitrary: cases(
      fc.array(
        label.map((l) => `${l}.malware.example.net`),
        { maxLength: 3 },
      ),
      fc.constantFrom("example.com", "EXAMPLE.com", "*.example.com"),
    ),
  },
  {
    policy: ipAllowlistEntries,
    field: "entries",
    base: secure.dashboardIpAllowlist,
    caseArbitrary: cases(
      fc.array(
        fc.tuple(host, fc.boolean()).map(([h, cidr]) => `203.0.113.${h}${cidr ? "/32" : ""}`),
        { maxLength: 3 },
      ),
      fc.oneof(
        // Broader than the default limit (one /8) on its own, or not an IPv4 address at all.
        fc.tuple(fc.integer({ min: 1, max: 223 }), fc.integer({ min: 0, max: 7 })).map(([a, p]) => `${p === 0 ? 0 : a}.0.0.0/${p}`),
        fc.constantFrom("256.0.0.1", "host.example.com", "::1", "10.0.0.0/33", "1.2.3"),
      ),
    ),
  },
  {
    policy: customActionVerifiedAudiences,
    field: "audiences",
    base: secure.customAction,
    caseArbitrary: cases(fc.array(fc.constant("users"), { maxLength: 2 }), fc.constantFrom("leads", "visitors")),
  },
  {
    policy: customActionResponseMapping,
    field: "responseMappings",
    base: secure.customAction,
    caseArbitrary: cases(
      fc.array(
        label.map((l) => ({ from: `order.${l}`, toAttribute: `order_${l}` })),
        { maxLength: 3 },
      ),
      fc.tuple(label, fc.constantFrom(...identityAttributes), fc.boolean()).map(([l, attribute, upper]) => ({
        from: `order.${l}`,
        toAttribute: upper ? attribute.toUpperCase() : attribute,
      })),
    ),
  },
];
