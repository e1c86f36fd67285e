/**
 * Trusted-domain lists (Messenger trusted domains, link safety) over generated classes: wildcards
 * and bare entries over suffixes drawn from the Public Suffix List itself, in every notation a
 * browser reads the same; names embedding addresses; IP literals; loopback aliases. Each unsafe
 * member is refused, each registrable domain passes, whatever its notation.
 */
import fc from "fast-check";
import { linkSafetyDomains } from "../../policies/data-protection/link-safety-domains";
import { trustedDomains } from "../../policies/messenger-security/trusted-domains";
import { overlyBroadDomainReason } from "../../policies/support/domains";
import { expectNeedsReview, expectSecure, grade, secure } from "../support/fixtures";
import { propertyParameters } from "../support/property";
import { publicSuffixRules } from "../support/public-suffix-list";
import {
  inDomainNotation,
  ipv4EmbeddingName,
  ipv4HostNotation,
  ipv4InIpv6Notation,
  ipv6HostNotation,
  publicIpv4Address,
  publicIpv6Address,
  publicSuffix,
  domainsWithSuffixesBeneath,
  registrableDomain,
  specialIpv4Address,
  unsafeDomainEntry,
} from "../support/network-classes";

describe("the PSL the generators draw from", () => {
  it("holds both sections, multi-label and wildcard rules (a guard against drawing from a near-empty list)", () => {
    expect(publicSuffixRules.length).toBeGreaterThan(9000);
    const icann = publicSuffixRules.filter((r) => r.section === "icann");
    const hosting = publicSuffixRules.filter((r) => r.section === "private");
    expect(icann.length).toBeGreaterThan(5000);
    expect(hosting.length).toBeGreaterThan(2000);
    expect(publicSuffixRules.map((r) => r.rule)).toEqual(expect.arrayContaining(["co.uk", "github.io", "s3.amazonaws.com", "*.ck"]));
  });
});

describe("trusted domains: generated unsafe entries are refused", () => {
  it("refuses a wildcard over any public suffix of the PSL, ICANN or private, in any notation", () => {
    fc.assert(
      fc.property(
        publicSuffix.chain(({ suffix, section }) => inDomainNotation(suffix, true).map((entry) => ({ entry, section }))),
        ({ entry }) => {
          expect(overlyBroadDomainReason(entry)).toMatch(/public suffix|top-level domain/);
        },
      ),
      propertyParameters(400),
    );
  });

  it("refuses a public suffix listed bare (not a registrable domain), in any notation", () => {
    fc.assert(
      fc.property(
        publicSuffix.chain(({ suffix }) => inDomainNotation(suffix, false)),
        (entry) => {
          expect(overlyBroadDomainReason(entry)).toMatch(/public suffix|not a full domain name/);
        },
      ),
      propertyParameters(300),
    );
  });

  it("refuses a wildcard over a domain with public suffixes beneath it (*.amazonaws.com covers s3.amazonaws.com)", () => {
    expect(domainsWithSuffixesBeneath.length).toBeGreaterThan(100);
    fc.assert(
      fc.property(fc.constantFrom(...domainsWithSuffixesBeneath).chain((parent) => inDomainNotation(parent, true)), (entry) => {
        expect(overlyBroadDomainReason(entry)).toMatch(/public suffix/);
      }),
      propertyParameters(200),
    );
  });

  it("refuses names that embed an IPv4 address (dotted, dashed, hex), under any domain", () => {
    fc.assert(
      fc.property(
        fc.oneof(specialIpv4Address.map((a) => a.value), publicIpv4Address).chain((value) => ipv4EmbeddingName(value)),
        ({ value }) => {
          expect(overlyBroadDomainReason(value)).toMatch(/embeds the IP address|wildcard-DNS/);
        },
      ),
      propertyParameters(200),
    );
  });

  it("refuses IP literals in every notation (dotted, hex, octal, integer, short, IPv6)", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.oneof(specialIpv4Address.map((a) => a.value), publicIpv4Address).chain((value) => fc.oneof(ipv4HostNotation(value), ipv4InIpv6Notation(value))),
          publicIpv6Address.chain((value) => ipv6HostNotation(value)),
        ),
        ({ value }) => {
          expect(overlyBroadDomainReason(value)).toMatch(/IP address/);
        },
      ),
      propertyParameters(300),
    );
  });

  it("refuses every generated unsafe entry (all classes) through the Messenger and link-safety policies, naming the entry", () => {
    fc.assert(
      fc.property(unsafeDomainEntry, ({ value }) => {
        const messenger = expectNeedsReview(grade(trustedDomains, { ...secure.messengerDomainRestriction, trustedDomains: ["app.example.com", value] }));
        expect(messenger).toHaveLength(1);
        expectNeedsReview(grade(linkSafetyDomains, { ...secure.linkSafety, trustedDomains: ["example.com", value] }), "Trusted link domain");
      }),
      propertyParameters(300),
    );
  });
});

describe("trusted domains: generated registrable domains pass", () => {
  it("passes a registrable domain under any public suffix, with or without a leading *., in any notation", () => {
    fc.assert(
      fc.property(
        fc.tuple(registrableDomain, fc.boolean()).chain(([name, wildcard]) => inDomainNotation(name, wildcard).map((entry) => ({ name, entry }))),
        ({ entry }) => {
          expect(overlyBroadDomainReason(entry)).toBeUndefined();
          expectSecure(grade(trustedDomains, { ...secure.messengerDomainRestriction, trustedDomains: [entry] }));
        },
      ),
      propertyParameters(400),
    );
  });

  it("finds a trusted domain blocked in another notation", () => {
    fc.assert(
      fc.property(
        registrableDomain.chain((name) => fc.tuple(inDomainNotation(name, false), inDomainNotation(name, false))),
        ([trustedAs, blockedAs]) => {
          expectNeedsReview(grade(linkSafetyDomains, { ...secure.linkSafety, trustedDomains: [trustedAs], blockedDomains: [blockedAs] }), "both trusted and blocked");
        },
      ),
      propertyParameters(100),
    );
  });
});
