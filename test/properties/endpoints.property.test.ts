/**
 * Custom Action endpoints over generated classes: every address of every IANA special-purpose
 * range (the registries as written in test/support/network-classes.ts, not ipaddr.js's table) in
 * every notation a URL host is read in, inside the IPv6 transition forms and inside names that
 * embed it; names outside the public DNS. Each is refused; public addresses and names pass.
 */
import fc from "fast-check";
import { customActionPublicEndpoint } from "../../policies/custom-actions/custom-action-public-endpoint";
import { embeddedAddresses, nonPublicHostReason } from "../../policies/support/network";
import { urlAmbiguity } from "../../core/unambiguous-url";
import { expectNeedsReview, expectNotEvaluated, expectSecure, grade, secure } from "../support/fixtures";
import { propertyParameters } from "../support/property";
import {
  endpointUrl,
  ipv4EmbeddingName,
  ipv4HostNotation,
  ipv4InIpv6Notation,
  ipv6EmbeddingName,
  ipv6HostNotation,
  publicSuffix,
  safeEndpointHost,
  specialIpv4Address,
  specialIpv6Address,
  unsafeEndpointHost,
} from "../support/network-classes";

const gradeUrl = (url: string) => grade(customActionPublicEndpoint, { ...secure.customAction, url });

describe("custom action endpoints: generated non-public hosts are refused", () => {
  it("refuses every special-purpose IPv4 address in every URL-host notation", () => {
    fc.assert(
      fc.property(
        specialIpv4Address.chain(({ value }) => ipv4HostNotation(value)),
        ({ value }) => {
          expect(nonPublicHostReason(new URL(endpointUrl(value)).hostname)).toBeDefined();
        },
      ),
      propertyParameters(400),
    );
  });

  it("refuses every IPv4 address, public or not, in an IPv6 transition form (mapped, compatible, 6to4, NAT64)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }).chain(ipv4InIpv6Notation), ({ value }) => {
        expect(nonPublicHostReason(new URL(endpointUrl(value)).hostname)).toBeDefined();
      }),
      propertyParameters(300),
    );
  });

  it("refuses every special-purpose IPv6 address (and any outside 2000::/3), written plainly or embedded in a name", () => {
    fc.assert(
      fc.property(
        specialIpv6Address.chain(({ value }) => fc.oneof(ipv6HostNotation(value), ipv6EmbeddingName(value))),
        ({ value }) => {
          expect(nonPublicHostReason(new URL(endpointUrl(value)).hostname)).toBeDefined();
        },
      ),
      propertyParameters(400),
    );
  });

  it("refuses names that embed a special-purpose IPv4 address, naming the address", () => {
    fc.assert(
      fc.property(
        specialIpv4Address.chain(({ value }) => ipv4EmbeddingName(value).map((name) => ({ name, value }))),
        ({ name }) => {
          expect(nonPublicHostReason(new URL(endpointUrl(name.value)).hostname)).toMatch(/embeds/);
        },
      ),
      propertyParameters(300),
    );
  });

  it("flags every generated non-public host through the policy", () => {
    fc.assert(
      fc.property(unsafeEndpointHost, ({ value }) => {
        const url = endpointUrl(value);
        // A notation WHATWG rewrites is refused by the schema (ambiguous), so no policy grades it.
        if (urlAmbiguity(url) !== undefined) expectNotEvaluated(gradeUrl(url));
        else expectNeedsReview(gradeUrl(url), '"Order lookup"', "targets");
      }),
      propertyParameters(400),
    );
  });
});

describe("custom action endpoints: generated public hosts pass", () => {
  it("passes public IPv4 addresses in every notation (and names embedding one), public IPv6 and names under ICANN suffixes", () => {
    fc.assert(
      fc.property(safeEndpointHost, ({ value }) => {
        const url = endpointUrl(value);
        expect(nonPublicHostReason(new URL(url).hostname)).toBeUndefined();
        if (urlAmbiguity(url) !== undefined) expectNotEvaluated(gradeUrl(url));
        else expectSecure(gradeUrl(url));
      }),
      propertyParameters(400),
    );
  });
});

describe("custom action endpoints: notations that must change nothing", () => {
  const hostOf = (value: string) => new URL(endpointUrl(value)).hostname;

  it("a trailing dot (the DNS root) neither hides a non-public name nor refuses a public one", () => {
    const named = (host: { value: string }) => !host.value.startsWith("[") && !host.value.endsWith(".");
    fc.assert(
      fc.property(unsafeEndpointHost.filter(named), ({ value }) => {
        expect(nonPublicHostReason(hostOf(`${value}.`))).toBeDefined();
      }),
      propertyParameters(200),
    );
    fc.assert(
      fc.property(safeEndpointHost.filter(named), ({ value }) => {
        expect(nonPublicHostReason(hostOf(`${value}.`))).toBeUndefined();
      }),
      propertyParameters(100),
    );
  });

  it("refuses every ICANN public suffix of the PSL as a host: it names no one's server", () => {
    fc.assert(
      fc.property(
        publicSuffix.filter(({ section }) => section === "icann"),
        ({ suffix }) => {
          expect(nonPublicHostReason(hostOf(suffix))).toMatch(/public suffix|single-label|\.arpa|special-use/);
        },
      ),
      propertyParameters(200),
    );
  });
});

describe("names that embed an address: only what a wildcard-DNS service could read", () => {
  it("never fails on names made of digit runs, hex words and dashes: no out-of-range octet, short run or longer word reaches the address parser", () => {
    const token = fc.oneof(fc.stringMatching(/^[0-9]{1,4}$/), fc.stringMatching(/^[0-9a-f]{1,9}$/), fc.constantFrom("xn", "", "app"));
    const label = fc.array(token, { minLength: 1, maxLength: 9 }).map((tokens) => tokens.join("-"));
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 6 }), (labels) => {
        expect(() => embeddedAddresses(labels.join("."))).not.toThrow();
      }),
      propertyParameters(300),
    );
  });

  it.each<[string, string[]]>([
    ["app-1-2-3-4.example.com", ["1.2.3.4"]],
    ["1-2-3.example.com", []],
    ["a.b-1-2-3", []],
    ["app-1-2-3-999.example.com", []],
    ["app-0127-0-0-1.example.com", []],
    ["10.0.xn--p1ai.0.1", []],
    ["xn--7f000001.example.com", []],
    ["xn---1.example.com", []],
    ["app-x7f000001.example.com", []],
    ["7f000001x.example.com", []],
    ["7F000001.EXAMPLE.COM", ["127.0.0.1"]],
    ["app-fe80--1.example.com", ["fe80::1"]],
    ["APP-FE80--1-X.example.com", ["fe80::1"]],
  ])("reads %p as %p", (name, addresses) => {
    expect(embeddedAddresses(name).map(String)).toEqual(addresses);
  });
});
