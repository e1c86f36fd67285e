/**
 * IP allowlists over generated classes: what all entries admit together is held against the limit
 * (2^(32 - minPrefixLength) addresses). Large blocks split into many harmless-looking ranges, and
 * ranges far apart that add up, are refused; any number of entries within the limit passes; every
 * notation Intercom could misread is refused as malformed, enabled or not.
 */
import fc from "fast-check";
import { ipAllowlistEntries } from "../../policies/authentication-access/ip-allowlist-entries";
import * as ipaddr from "ipaddr.js";
import { countIpv4Addresses, ipv4Interval, isFourPartDecimalIpv4, mergeIpv4Ranges, parseIpv4Range } from "../../policies/support/network";
import { expectNeedsReview, expectSecure, grade, secure } from "../support/fixtures";
import { propertyParameters } from "../support/property";
import { ipv4HostNotation, misreadableEntry, tooBroadTogether, withinLimit } from "../support/network-classes";

const base = secure.dashboardIpAllowlist;
/** Tightening only: another rule refuses a minimum prefix length broader than the default /8. */
const minPrefixLength = fc.integer({ min: 8, max: 32 });

describe("IP allowlists: the union of the entries is judged", () => {
  it("counts what generated entries admit together exactly as constructed", () => {
    fc.assert(
      fc.property(
        minPrefixLength.chain((min) => fc.oneof(tooBroadTogether(min), withinLimit(min))),
        (list) => {
          const ranges = list.entries.map((entry) => parseIpv4Range(entry));
          expect(ranges.every((r) => r !== undefined)).toBe(true);
          expect(countIpv4Addresses(ranges as NonNullable<(typeof ranges)[number]>[])).toBe(list.admitted);
        },
      ),
      propertyParameters(200),
    );
  });

  it("merges ranges into sorted, disjoint intervals with a gap between neighbours, covering exactly what the ranges cover", () => {
    const range = fc.record({ address: fc.integer({ min: 0, max: 2 ** 32 - 1 }), prefixLength: fc.integer({ min: 16, max: 32 }) });
    fc.assert(
      fc.property(fc.array(range, { maxLength: 12 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (ranges, probe) => {
        const merged = mergeIpv4Ranges(ranges);
        merged.forEach(([first, last], i) => {
          expect(first).toBeLessThanOrEqual(last);
          const next = merged[i + 1];
          // Touching neighbours (10.0.0.0/25 and 10.0.0.128/25) are one interval.
          if (next) expect(next[0]).toBeGreaterThan(last + 1);
        });
        const inRanges = (value: number) =>
          ranges.some((r) => {
            const [a, b] = ipv4Interval(r);
            return a <= value && value <= b;
          });
        const inMerged = (value: number) => merged.some(([a, b]) => a <= value && value <= b);
        for (const value of [
          probe,
          ...ranges.flatMap((r) => {
            const [a, b] = ipv4Interval(r);
            return [a - 1, a, b, b + 1];
          }),
        ])
          expect(inMerged(value)).toBe(inRanges(value));
      }),
      propertyParameters(200),
    );
  });

  it("refuses entries that each admit at most the limit but together admit more", () => {
    fc.assert(
      fc.property(
        minPrefixLength.chain((min) => tooBroadTogether(min).map((list) => ({ min, list }))),
        ({ min, list }) => {
          expect(list.admitted).toBeGreaterThan(2 ** (32 - min));
          const findings = expectNeedsReview(
            grade(ipAllowlistEntries, { ...base, entries: [...list.entries] }, { config: { minPrefixLength: min } }),
            `more than one /${min} range`,
          );
          expect(findings).toHaveLength(1);
        },
      ),
      propertyParameters(200),
    );
  });

  it("passes any number of entries that together admit no more than the limit", () => {
    fc.assert(
      fc.property(
        minPrefixLength.chain((min) => withinLimit(min).map((list) => ({ min, list }))),
        ({ min, list }) => {
          expectSecure(grade(ipAllowlistEntries, { ...base, entries: [...list.entries] }, { config: { minPrefixLength: min } }));
        },
      ),
      propertyParameters(200),
    );
  });

  it("refuses entries in any notation Intercom could misread, whether or not the list is enabled", () => {
    fc.assert(
      fc.property(misreadableEntry, fc.boolean(), ({ value }, enabled) => {
        expectNeedsReview(
          grade(ipAllowlistEntries, { ...base, enabled, entries: ["203.0.113.0/24", value] }),
          "not an IPv4 address or IPv4 CIDR range",
        );
      }),
      propertyParameters(300),
    );
  });
});

describe("the four-part IPv4 test", () => {
  it("generated: answers as ipaddr.js's isValidFourPartDecimal for every notation, near-miss and other text", () => {
    const octetText = fc.oneof(fc.nat(300).map(String), fc.constantFrom("0", "00", "01", "255", "256", "0x1f", "1e2", "", " 1", "-1"));
    const text = fc.oneof(
      fc.nat(2 ** 32 - 1).chain((value) => ipv4HostNotation(value).map((d) => d.value)),
      fc.array(octetText, { minLength: 1, maxLength: 6 }).map((parts) => parts.join(".")),
      fc.string({ unit: fc.constantFrom("0", "1", "9", ".", "x", "a", ":", " ", "\n") }),
      fc.string(),
    );
    fc.assert(
      fc.property(text, (t) => expect(isFourPartDecimalIpv4(t)).toBe(ipaddr.IPv4.isValidFourPartDecimal(t))),
      propertyParameters(400),
    );
    // Both answers occur: the property compares more than "false" with "false".
    expect(["10.0.0.1", "010.0.0.1", "10.0.0", "1.2.3.256"].map(isFourPartDecimalIpv4)).toEqual([true, false, false, false]);
  });
});
