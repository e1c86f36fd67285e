import fc from "fast-check";
import { customActionPublicEndpoint } from "../../../policies/custom-actions/custom-action-public-endpoint";
import { loopbackAliasDomains, nonPublicHostReason, wildcardDnsServices } from "../../../policies/support/network";
import { propertyParameters } from "../../support/property";
import { expectNeedsReview, expectNotApplicable, expectNotEvaluated, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

describe("intercom-custom-action-public-endpoint", () => {
  const base = secure.customAction;
  const url = (value: string) => grade(customActionPublicEndpoint, { ...base, url: value });

  it("refuses any name under a loopback alias, and under a wildcard-DNS service when it spells no address", () => {
    // A leading "q" keeps a label from spelling an address (8 hex digits, dashed quads) or punycode.
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/).map((text) => `q${text}`);
    fc.assert(
      fc.property(
        fc.array(label, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(...wildcardDnsServices, ...loopbackAliasDomains),
        fc.boolean(),
        (labels, domain, upper) => {
          const host = [...labels, domain].join(".");
          expectNeedsReview(url(`https://${upper ? host.toUpperCase() : host}/orders`), domain);
        },
      ),
      propertyParameters(100),
    );
  });

  // Written out here, not read from the code's lists: dropping a name from them must fail a test.
  it.each([
    ...[
      "localtest.me",
      "lvh.me",
      "vcap.me",
      "localhost.direct",
      "localh.st",
      "lacolhost.com",
      "fuf.me",
      "spoofed.burpcollaborator.net",
    ].map((d) => [d, "resolves to the loopback address"]),
    ...["nip.io", "sslip.io", "xip.io", "traefik.me"].map((d) => [d, "wildcard-DNS service"]),
  ])("refuses %p and names under it (%s)", (domain, reason) => {
    for (const host of [domain, `orders.${domain}`, `Orders.${domain.toUpperCase()}`])
      expectNeedsReview(url(`https://${host}/x`), domain, reason);
  });

  it("passes the secure fixture (a public host)", () => {
    expectSecure(grade(customActionPublicEndpoint, base));
  });

  it.each([
    "https://8.8.8.8/lookup",
    "https://172.32.0.1/lookup",
    "https://100.128.0.1/x",
    "https://[2001:4860:4860::8888]/x",
    "https://api.example.com:8443/x",
  ])("passes the public endpoint %p", (value) => {
    expectSecure(url(value));
  });

  it.each([
    ["localhost", "https://localhost/orders", "loopback name"],
    ["a .localhost name", "https://api.localhost/orders", "loopback name"],
    ["loopback", "https://127.0.0.1/orders", "loopback address"],
    ["10/8", "https://10.0.0.5/orders", "private-use address"],
    ["172.16/12", "https://172.31.255.255/orders", "private-use address"],
    ["192.168/16", "https://192.168.1.10/orders", "private-use address"],
    ["cloud metadata", "https://169.254.169.254/latest/meta-data", "link-local"],
    ["CGNAT", "https://100.64.0.1/orders", "carrier-grade NAT"],
    ["this network", "https://0.0.0.0/orders", "this network"],
    ["IPv6 loopback", "https://[::1]/orders", "loopback address"],
    ["IPv6 unique-local", "https://[fd00::1]/orders", "unique-local"],
    ["IPv6 link-local", "https://[fe80::1]/orders", "link-local"],
    ["IPv6 site-local", "https://[fec0::1]/orders", "site-local"],
    ["IPv4-mapped in hex", "https://[::ffff:7f00:1]/orders", "IPv4-mapped IPv6 address carrying 127.0.0.1"],
    ["6to4 of a private address", "https://[2002:a00:1::1]/orders", "6to4 address (it embeds an IPv4 address) carrying 10.0.0.1"],
    ["NAT64", "https://[64:ff9b::a9fe:a9fe]/orders", "NAT64 address (it reaches IPv4 space through a translator) carrying 169.254.169.254"],
    ["local-use NAT64", "https://[64:ff9b:1::1]/orders", "NAT64"],
    ["Teredo", "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/orders", "Teredo"],
    ["IPv6 outside 2000::/3", "https://[4000::1]/orders", "outside the global unicast space"],
    ["an internal name", "https://orders.internal/x", "internal name"],
    ["GCP metadata", "https://metadata.google.internal/x", "internal name"],
    ["a .corp name", "https://orders.corp/x", "internal name"],
    ["a .local name", "https://printer.local/x", "special-use name"],
    ["a home.arpa name", "https://nas.home.arpa/x", "special-use name"],
    ["a single-label name", "https://orders/x", "single-label"],
    ["a name embedding 10.0.0.1 with dots", "https://10.0.0.1.nip.io/x", "embeds 10.0.0.1, a private-use address"],
    ["a name embedding 10.0.0.1 with dashes", "https://app-10-0-0-1.sslip.io/x", "embeds 10.0.0.1"],
    ["a name embedding 127.0.0.1 in hex", "https://7f000001.nip.io/x", "embeds 127.0.0.1, a loopback address"],
    ["a name embedding ::1", "https://--1.sslip.io/x", "embeds ::1, a loopback address"],
    ["a loopback alias", "https://api.localtest.me/x", "resolves to the loopback address"],
  ])("flags %s (%s)", (_label, value, reason) => {
    expectNeedsReview(url(value), '"Order lookup"', reason);
  });

  // Hosts WHATWG rewrites (IPv4 shorthand, other notations, IPv6 written with dotted IPv4) are
  // refused by the CustomAction schema as ambiguous, so this policy never grades them.
  it.each([
    "https://127.1/orders",
    "https://2130706433/orders",
    "https://0x7f.0.0.1/orders",
    "https://0177.0.0.1/orders",
    "https://[::ffff:127.0.0.1]/orders",
    "https://[::10.0.0.1]/orders",
  ])("leaves %p to the schema, which refuses its notation", (value) => {
    expectNotEvaluated(url(value));
  });

  it.each(["https://1.2.3.4.nip.io/x", "https://app-8-8-8-8.sslip.io/x", "https://orders.github.io/x", "https://api.example.co.uk/x"])(
    "passes the public name %p (an embedded public address counts as that address)",
    (value) => {
      expectSecure(url(value));
    },
  );

  it("does not apply to a draft action", () => {
    expectNotApplicable(grade(customActionPublicEndpoint, { ...base, state: "draft", url: "https://10.0.0.5/orders" }));
  });

  describeResourcePolicyBasics(customActionPublicEndpoint, "custom-actions", base);
});

describe("intercom-custom-action-public-endpoint: the reasons given", () => {
  // A transition form names the IPv4 address it carries, and that address's own range when it has one.
  it.each([
    ["[::1]", "a loopback address"],
    ["[fe80::1]", "a link-local address (where cloud metadata services answer)"],
    ["[::ffff:8.8.8.8]", "an IPv4-mapped IPv6 address carrying 8.8.8.8"],
    [
      "[2001:0:4136:e378:8000:63bf:3fff:fdd2]",
      "a Teredo tunnel address carrying 192.0.2.45, a reserved, documentation or IETF protocol address",
    ],
    ["[::8.8.8.8]", "an IPv4-compatible IPv6 address carrying 8.8.8.8"],
    ["[4000::1]", "an IPv6 address outside the global unicast space 2000::/3"],
    ["services.arpa", "a name in .arpa, the infrastructure domain no service is hosted in"],
    ["co.uk", "a public suffix, not a host name"],
    ["exa mple.com", "a host that is not a valid host name"],
    ["api.localtest.me.", "a name under localtest.me, which resolves to the loopback address"],
  ])("%p is %p", (host, reason) => {
    expect(nonPublicHostReason(host)).toBe(reason);
  });
});

describe("intercom-custom-action-public-endpoint: special-purpose ranges", () => {
  it.each(["https://192.0.0.8/x", "https://198.18.0.1/x", "https://203.0.113.5/x", "https://[64:ff9b::7f00:1]/x"])("flags %p", (url) => {
    expectNeedsReview(grade(customActionPublicEndpoint, { ...secure.customAction, url }));
  });
});
