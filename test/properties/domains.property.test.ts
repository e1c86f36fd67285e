/**
 * Trusted-domain lists (Messenger trusted domains, link safety) over generated classes: wildcards
 * and bare entries over suffixes drawn from the Public Suffix List itself, in every notation a
 * browser reads the same; names embedding addresses; IP literals; loopback aliases. Each unsafe
 * member is refused, each registrable domain passes, whatever its notation.
 */
import fc from "fast-check";
import { getPublicSuffix } from "tldts";
import { domainToASCII } from "url";
import { linkSafetyDomains } from "../../policies/data-protection/link-safety-domains";
import { trustedDomains } from "../../policies/messenger-security/messenger-trusted-domains";
import { comparableDomain, overlyBroadDomainReason, publicSuffixesBeneath } from "../../policies/support/domains";
import { expectNeedsReview, expectSecure, grade, secure } from "../support/fixtures";
import { propertyParameters } from "../support/property";
import { publicSuffixRules } from "../support/public-suffix-list";
import {
  inDomainNotation,
  ipv4EmbeddingName,
  ipv4HostNotation,
  ipv4InIpv6Notation,
  ipv6HostNotation,
  letterLabel,
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
      fc.property(
        fc.constantFrom(...domainsWithSuffixesBeneath).chain((parent) => inDomainNotation(parent, true)),
        (entry) => {
          expect(overlyBroadDomainReason(entry)).toMatch(/public suffix/);
        },
      ),
      propertyParameters(200),
    );
  });

  it("refuses names that embed an IPv4 address (dotted, dashed, hex), under any domain", () => {
    fc.assert(
      fc.property(
        fc
          .oneof(
            specialIpv4Address.map((a) => a.value),
            publicIpv4Address,
          )
          .chain((value) => ipv4EmbeddingName(value)),
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
          fc
            .oneof(
              specialIpv4Address.map((a) => a.value),
              publicIpv4Address,
            )
            .chain((value) => fc.oneof(ipv4HostNotation(value), ipv4InIpv6Notation(value))),
          publicIpv6Address.chain((value) => ipv6HostNotation(value)),
        ),
        ({ value }) => {
          // Refused as an address, not merely as a name that embeds one.
          expect(overlyBroadDomainReason(value)).toBe("is an IP address, not a domain");
        },
      ),
      propertyParameters(300),
    );
  });

  it("refuses every generated unsafe entry (all classes) through the Messenger and link-safety policies, naming the entry", () => {
    fc.assert(
      fc.property(unsafeDomainEntry, ({ value }) => {
        const messenger = expectNeedsReview(
          grade(trustedDomains, { ...secure.messengerDomainRestriction, trustedDomains: ["app.example.com", value] }),
        );
        expect(messenger).toHaveLength(1);
        expectNeedsReview(
          grade(linkSafetyDomains, { ...secure.linkSafety, trustedDomains: ["example.com", value] }),
          "Trusted link domain",
        );
      }),
      propertyParameters(300),
    );
  });
});

describe("trusted domains: generated entries a URL parser reads as no domain name", () => {
  const numberLabel = fc.oneof(fc.stringMatching(/^[0-9]{1,12}$/), fc.stringMatching(/^0[xX][0-9a-fA-F]{0,8}$/));
  const anyLabel = fc.oneof(letterLabel, numberLabel);

  it("refuses as an IP address any entry whose last label is a number (decimal or 0x hex), whatever precedes it, root dot or not", () => {
    fc.assert(
      fc.property(fc.array(anyLabel, { maxLength: 4 }), numberLabel, fc.boolean(), (before, last, rooted) => {
        const entry = `${[...before, last].join(".")}${rooted ? "." : ""}`;
        expect(overlyBroadDomainReason(entry)).toBe("is an IP address, not a domain");
      }),
      propertyParameters(200),
    );
  });

  it("refuses as no valid domain name an entry with a character no host may hold, even when its last label ends in a digit", () => {
    fc.assert(
      fc.property(
        letterLabel,
        fc.constantFrom("<", ">", "^", "|", "[", "]", "%zz"),
        letterLabel,
        fc.stringMatching(/^[a-z]{1,5}[0-9]{1,3}$/),
        (a, bad, b, last) => {
          expect(overlyBroadDomainReason(`${a}${bad}${b}.${last}`)).toBe("is not a valid domain name");
        },
      ),
      propertyParameters(100),
    );
  });

  it("refuses a name longer than 253 characters and passes one of exactly 253, root dot or not", () => {
    const labelsOfLength = (length: number) => {
      // Labels of 1 to 63 letters under example.com, filling `length` exactly.
      const labels: string[] = [];
      let left = length - "example.com".length;
      while (left > 0) {
        const size = Math.min(63, left - 1);
        labels.push("q".repeat(Math.max(1, size)));
        left -= Math.max(1, size) + 1;
      }
      return [...labels, "example.com"].join(".");
    };
    fc.assert(
      fc.property(fc.integer({ min: 254, max: 320 }), fc.boolean(), (length, rooted) => {
        const name = labelsOfLength(length);
        fc.pre(name.length === length);
        expect(overlyBroadDomainReason(`${name}${rooted ? "." : ""}`)).toBe("is not a valid domain name");
      }),
      propertyParameters(50),
    );
    const longest = labelsOfLength(253);
    expect(longest).toHaveLength(253);
    expect(overlyBroadDomainReason(longest)).toBeUndefined();
    expect(overlyBroadDomainReason(`${longest}.`)).toBeUndefined();
  });
});

describe("trusted domains: what the reasons and compared forms say", () => {
  it("names a bare public suffix of the PSL's private section as a hosting domain, and one of the ICANN section not", () => {
    fc.assert(
      fc.property(
        publicSuffix.filter(({ suffix }) => suffix.includes(".")),
        ({ suffix, section }) => {
          const reason = overlyBroadDomainReason(suffix) ?? "";
          expect(reason).toMatch(/^is a public suffix/);
          expect(reason.includes(", a hosting domain,")).toBe(section === "private");
        },
      ),
      propertyParameters(200),
    );
  });

  it("says localhost, a name under it and a wildcard over it are localhost", () => {
    for (const entry of ["localhost", "LOCALHOST.", "app.localhost", "*.localhost", "*.app.localhost"])
      expect(overlyBroadDomainReason(entry)).toBe("is localhost");
  });

  it("passes a domain with public suffixes beneath it when listed bare (it admits only itself; * is needed for subdomains)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...domainsWithSuffixesBeneath).filter((name) => getPublicSuffix(name, { allowPrivateDomains: true }) !== name),
        (name) => {
          expect(overlyBroadDomainReason(`*.${name}`)).toMatch(/public suffix/);
          expect(overlyBroadDomainReason(name)).toBeUndefined();
        },
      ),
      propertyParameters(50),
    );
  });

  it("lists the public suffixes beneath a domain: each beneath it, each a public suffix to tldts, at most `limit` of them", () => {
    fc.assert(
      fc.property(fc.constantFrom(...domainsWithSuffixesBeneath), fc.integer({ min: 1, max: 4 }), (parent, limit) => {
        const all = publicSuffixesBeneath(parent, Infinity) ?? [];
        expect(all.length).toBeGreaterThan(0);
        for (const suffix of all) {
          expect(suffix.endsWith(`.${parent}`)).toBe(true);
          expect(getPublicSuffix(suffix.replace(/\*/g, "x"), { allowPrivateDomains: true })).toBe(suffix.replace(/\*/g, "x"));
        }
        expect(publicSuffixesBeneath(parent, limit)).toEqual(all.slice(0, limit));
      }),
      propertyParameters(50),
    );
    expect(publicSuffixesBeneath("example.com")).toEqual([]);
  });

  it("compares entries in one form: a leading *. kept, case, width and the root dot folded; other text trimmed and lower-cased", () => {
    fc.assert(
      fc.property(
        registrableDomain.chain((name) =>
          fc
            .tuple(fc.constant(name), fc.boolean())
            .chain(([n, wildcard]) => inDomainNotation(n, wildcard).map((entry) => ({ name: n, wildcard, entry }))),
        ),
        ({ name, wildcard, entry }) => {
          expect(comparableDomain(entry)).toBe(`${wildcard ? "*." : ""}${domainToASCII(name)}`);
        },
      ),
      propertyParameters(100),
    );
    expect(comparableDomain("  HTTPS://Example.COM/Path ")).toBe("https://example.com/path");
  });
});

describe("trusted domains: generated registrable domains pass", () => {
  it("passes a registrable domain under any public suffix, with or without a leading *., in any notation", () => {
    fc.assert(
      fc.property(
        fc
          .tuple(registrableDomain, fc.boolean())
          .chain(([name, wildcard]) => inDomainNotation(name, wildcard).map((entry) => ({ name, entry }))),
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
          expectNeedsReview(
            grade(linkSafetyDomains, { ...secure.linkSafety, trustedDomains: [trustedAs], blockedDomains: [blockedAs] }),
            "both trusted and blocked",
          );
        },
      ),
      propertyParameters(100),
    );
  });
});
