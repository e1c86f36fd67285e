import { ipAllowlistEntries } from "../../../policies/authentication-access/ip-allowlist-entries";
import { expectNeedsReview, expectNotEvaluated, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

describe("intercom-ip-allowlist-entries", () => {
  const base = secure.dashboardIpAllowlist;
  const withEntries = (...entries: string[]) => grade(ipAllowlistEntries, { ...base, entries });

  it("passes the secure dashboard and REST API allowlists", () => {
    expectSecure(grade(ipAllowlistEntries, base));
    expectSecure(grade(ipAllowlistEntries, secure.restApiIpAllowlist));
  });

  it("flags an enabled list with no entries, which admits everyone", () => {
    expectNeedsReview(withEntries(), "no entries", "admits everyone");
  });

  it("flags 0.0.0.0/0 and any /0 range as admitting every address", () => {
    expectNeedsReview(withEntries("203.0.113.0/24", "0.0.0.0/0"), '"0.0.0.0/0"', "every address");
    expectNeedsReview(withEntries("10.1.2.3/0"), "every address");
  });

  it("flags 0.0.0.0/0 on the REST API allowlist too, naming that scope", () => {
    expectNeedsReview(grade(ipAllowlistEntries, { ...secure.restApiIpAllowlist, entries: ["0.0.0.0/0"] }), "REST API", "every address");
  });

  it("passes a /8 range and flags a /7 at the default minimum prefix length", () => {
    expectSecure(withEntries("10.0.0.0/8"));
    expectNeedsReview(withEntries("10.0.0.0/7"), '"10.0.0.0/7"', "33,554,432 addresses", "more than one /8 range (16,777,216)");
  });

  it("passes single addresses and /32 ranges", () => {
    expectSecure(withEntries("198.51.100.7", "198.51.100.8/32", "255.255.255.255"));
  });

  it.each([
    ["an octet over 255", "256.1.1.1"],
    ["a prefix over 32", "10.0.0.0/33"],
    ["a leading zero", "010.0.0.1"],
    ["a zero-padded prefix", "10.0.0.0/08"],
    ["three octets", "10.0.0"],
    ["an IPv6 address", "2001:db8::1"],
    ["an IPv6 range", "::/0"],
    ["a hostname", "office.example.com"],
    ["a dash range", "10.0.0.1-10.0.0.9"],
    ["an empty string", ""],
    ["a short form Intercom could read as 10.0.0.1", "10.1"],
    ["a hex octet", "0x0a.0.0.1"],
    ["one integer", "167772161"],
    ["an octal-looking octet", "10.0.0.010"],
    ["surrounding whitespace", " 10.0.0.1"],
    ["a full-width digit", "１0.0.0.1"],
    ["a netmask instead of a prefix", "10.0.0.0/255.0.0.0"],
    ["an empty prefix", "10.0.0.0/"],
  ])("flags a malformed entry: %s (%s)", (_label, entry) => {
    expectNeedsReview(withEntries("203.0.113.0/24", entry), "not an IPv4 address or IPv4 CIDR range");
  });

  it("reports each malformed entry on its own and what the rest admit together once", () => {
    const findings = expectNeedsReview(withEntries("0.0.0.0/0", "bad", "10.0.0.0/4", "worse"));
    expect(findings).toHaveLength(3);
  });

  it("adds up entries that together cover everything without a /0", () => {
    expectNeedsReview(withEntries("0.0.0.0/1", "128.0.0.0/1"), "entries together admit every address", '"0.0.0.0/1"', '"128.0.0.0/1"');
  });

  it("judges the union: two /9s make a /8 (passes), three /9s are more (flagged, naming them)", () => {
    expectSecure(withEntries("10.0.0.0/9", "10.128.0.0/9"));
    expectNeedsReview(withEntries("10.0.0.0/9", "10.128.0.0/9", "11.0.0.0/9"), '"10.0.0.0/9"', '"11.0.0.0/9"', "25,165,824 addresses");
  });

  it("counts overlapping and repeated entries once", () => {
    expectSecure(withEntries("10.0.0.0/8", "10.1.0.0/16", "10.1.2.3", "10.0.0.0/8"));
  });

  it("flags 257 /16s together (more than a /8) though each is small, naming the first five and counting the rest", () => {
    const entries = Array.from({ length: 257 }, (_, i) => `${20 + Math.floor(i / 256)}.${i % 256}.0.0/16`);
    expectNeedsReview(withEntries(...entries), "16,842,752 addresses", "and 252 more");
    expectSecure(withEntries(...entries.slice(0, 256)));
  });

  it("reads a range with host bits set as the whole network it names", () => {
    expectNeedsReview(withEntries("10.1.2.3/7"), "33,554,432 addresses");
  });

  it("lets a disabled allowlist list broad ranges (it restricts nothing yet) but flags its malformed entries", () => {
    expectSecure(grade(ipAllowlistEntries, { ...base, enabled: false, entries: ["0.0.0.0/0"] }));
    expectSecure(grade(ipAllowlistEntries, { ...base, enabled: false, entries: [] }));
    expectNeedsReview(grade(ipAllowlistEntries, { ...base, enabled: false, entries: ["10.0.0.300"] }), '"10.0.0.300"');
  });

  it("honours minPrefixLength: /16 then flags a /8 and passes a /16", () => {
    const config = { minPrefixLength: 16 };
    expectNeedsReview(grade(ipAllowlistEntries, { ...base, entries: ["10.0.0.0/8"] }, { config }), "more than one /16 range");
    expectNeedsReview(
      grade(ipAllowlistEntries, { ...base, entries: ["10.1.0.0/17", "10.2.0.0/17", "10.3.0.0/32"] }, { config }),
      "65,537 addresses",
    );
    expectSecure(grade(ipAllowlistEntries, { ...base, entries: ["10.1.0.0/16"] }, { config }));
  });

  it("refuses a looser minPrefixLength (below the floor 8): not evaluated, naming the argument, the value and the floor", () => {
    const findings = grade(ipAllowlistEntries, { ...base, entries: ["10.0.0.0/7"] }, { config: { minPrefixLength: 4 } });
    expectNotEvaluated(findings, "intercom-ip-allowlist-entries", "minPrefixLength is 4", "below its floor 8");
  });

  it.each([[0], [7], [33], ["8"], [8.5], [-0]])("reports minPrefixLength %p as an invalid configuration", (minPrefixLength) => {
    expectNotEvaluated(grade(ipAllowlistEntries, base, { config: { minPrefixLength } }), "minPrefixLength");
  });

  it("grades entries that are not strings as not evaluated", () => {
    expectNotEvaluated(grade(ipAllowlistEntries, { ...base, entries: [10 as never] }));
  });

  describeResourcePolicyBasics(ipAllowlistEntries, "authentication-access", base);
});
