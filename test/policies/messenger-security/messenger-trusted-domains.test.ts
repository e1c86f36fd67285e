import { trustedDomains } from "../../../policies/messenger-security/messenger-trusted-domains";
import { expectNeedsReview, expectNotEvaluated, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

describe("intercom-messenger-trusted-domains", () => {
  const base = secure.messengerDomainRestriction;
  const domains = (...trusted: string[]) => grade(trustedDomains, { ...base, trustedDomains: trusted });

  it("passes the secure fixture (app.example.com, *.example.com)", () => {
    expectSecure(grade(trustedDomains, base));
  });

  it.each([
    "example.com",
    "*.example.com",
    "app.eu.example.com",
    "*.example.co.uk",
    "my-app.example.io",
    "EXAMPLE.COM",
    "xn--bcher-kva.de",
    "bücher.de",
    "*.x.github.io",
    "support.example.com.",
    "app.example.org",
  ])("passes the specific domain %p", (domain) => {
    expectSecure(domains(domain));
  });

  it("flags an empty list: the Messenger loads on any domain", () => {
    expectNeedsReview(domains(), "No trusted domains", "any domain");
  });

  it.each([
    ["*", "admits any domain"],
    ["*.*", "admits any domain"],
    ["*.com", "whole top-level domain"],
    ["*.co.uk", "public suffix"],
    ["*.github.io", "public suffix"],
    ["https://x.com", "scheme"],
    ["//x.com", "path"],
    ["x.com/path", "path"],
    ["x.com:8080", "port"],
    ["localhost", "localhost"],
    ["app.localhost", "localhost"],
    ["10.0.0.1", "IP address"],
    ["203.0.113.9", "IP address"],
    ["[::1]", "IP address"],
    ["::1", "IP address"],
    ["com", "not a full domain name"],
    ["intranet", "not a full domain name"],
    ["app.*.example.com", "leading label"],
    ["*example.com", "leading label"],
    ["exa_mple.com", "not a valid domain name"],
    ["github.io", "is a public suffix"],
    ["co.uk", "is a public suffix"],
    ["*.GitHub.IO.", "public suffix"],
    ["*．github。io", "public suffix"],
    ["%2A.github.io", "public suffix"],
    ["*.githu%62.io", "public suffix"],
    ["*.s3.amazonaws.com", "public suffix"],
    ["*.amazonaws.com", "public suffixes beneath it"],
    ["*.foo.ck", "public suffix"],
    ["*.公司.cn", "public suffix"],
    ["10.0.0.1.nip.io", "nip.io"],
    ["*.sslip.io", "wildcard-DNS"],
    ["app-1-2-3-4.example.com", "embeds the IP address 1.2.3.4"],
    ["c0a80001.example.com", "embeds the IP address 192.168.0.1"],
    ["fe80--1.example.com", "embeds the IP address fe80::1"],
    ["*.lvh.me", "loopback"],
    ["app.localtest.me", "loopback"],
    ["app.local", "special-use"],
    ["shop.test", "special-use"],
    ["app.corp", "not under a public suffix"],
    ["github\u00b7io.com", "dot look-alike"],
    ["user@example.com", "user information"],
    ["exa mple.com", "whitespace"],
    ["0x7f000001", "IP address"],
    ["2130706433", "IP address"],
    ["１２７.０.０.１", "IP address"],
    ["-example.com", "not a valid domain name"],
    ["", "blank"],
    ["   ", "blank"],
  ])("flags %p (%s)", (domain, reason) => {
    expectNeedsReview(domains("app.example.com", domain), reason);
  });

  // Browsers (WHATWG URL) read these as IPv4 addresses too (0x7f.0.0.1 and 0177.0.0.1 are
  // 127.0.0.1), and a name whose last label is all digits is never a domain name.
  it.each(["127.1", "0x7f.0.0.1", "0177.0.0.1", "192.168.1"])("flags the non-dotted-quad IPv4 literal %p", (entry) => {
    expectNeedsReview(domains("app.example.com", entry));
  });

  // Written out here, not read from policies/support/network.ts: dropping a name from the code's list must fail a test.
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
    ].map((d) => [d, "loopback"]),
    ...["nip.io", "sslip.io", "xip.io", "traefik.me"].map((d) => [d, "wildcard-DNS"]),
  ])("flags %p, its subdomains and a wildcard over it (%s)", (domain, reason) => {
    for (const entry of [domain, `app.${domain}`, `*.${domain}`, `*.App.${domain.toUpperCase()}`])
      expectNeedsReview(domains(entry), reason);
  });

  it("names the offending entry", () => {
    expectNeedsReview(domains("*.com"), '"*.com"');
  });

  it("reports each bad entry on its own and passes the good one", () => {
    expect(expectNeedsReview(domains("app.example.com", "*", "localhost"))).toHaveLength(2);
  });

  it("grades a non-list as not evaluated", () => {
    expectNotEvaluated(grade(trustedDomains, { ...base, trustedDomains: "example.com" as never }));
  });

  describeResourcePolicyBasics(trustedDomains, "messenger-security", base);
});

describe("intercom-messenger-trusted-domains: shared hosting suffixes", () => {
  const domains = (...trusted: string[]) => grade(trustedDomains, { ...secure.messengerDomainRestriction, trustedDomains: trusted });
  it.each(["*.amazonaws.com", "*.s3.amazonaws.com", "*.ngrok-free.app", "*.workers.dev", "*.blob.core.windows.net"])(
    "flags %p, where anyone can get a subdomain",
    (entry) => {
      expectNeedsReview(domains(entry), "public suffix");
    },
  );
});

describe("intercom-messenger-trusted-domains: the PSL data beneath names cannot be read", () => {
  // tldts's trie module is not its API (policies/support/domains.ts): when it is missing, changes
  // shape or disagrees with tldts, a wildcard cannot be checked for suffixes beneath it and is refused.
  type Trie = Record<string, unknown>;
  const realTrie = jest.requireActual<Trie>("tldts/dist/cjs/src/data/trie.js");
  const rotate = (text: string) => text.replace(/[a-z]/g, (c) => String.fromCharCode(((c.charCodeAt(0) - 97 + 1) % 26) + 97));

  function reasonsWithTrie(trie: () => Trie, entries: readonly string[]): (string | undefined)[] {
    let reasons: (string | undefined)[] = [];
    jest.isolateModules(() => {
      jest.doMock("tldts/dist/cjs/src/data/trie.js", trie);
      const { overlyBroadDomainReason } =
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require("../../../policies/support/domains") as typeof import("../../../policies/support/domains");
      reasons = entries.map((entry) => overlyBroadDomainReason(entry));
    });
    jest.dontMock("tldts/dist/cjs/src/data/trie.js");
    return reasons;
  }

  const broken: [string, () => Trie][] = [
    [
      "the module cannot be loaded",
      () => {
        throw new Error("no such module");
      },
    ],
    ...["nodeFlags", "edgeStart", "edgeLength", "edgeChild", "labelText", "rulesRoot"].map((field): [string, () => Trie] => [
      `it has no ${field}`,
      () => Object.fromEntries(Object.entries(realTrie).filter(([key]) => key !== field)),
    ]),
    ["its labelText is not text", () => ({ ...realTrie, labelText: 42 })],
    ["its rulesRoot is not a number", () => ({ ...realTrie, rulesRoot: "0" })],
    ["it holds too few rules (the exception list, read as the rules)", () => ({ ...realTrie, rulesRoot: realTrie["exceptionsRoot"] })],
    ["its labels disagree with tldts (every letter shifted)", () => ({ ...realTrie, labelText: rotate(realTrie["labelText"] as string) })],
  ];

  it.each(broken)("refuses a wildcard, and still judges bare names, when %s", (_label, trie) => {
    const [wildcard, bare, suffix] = reasonsWithTrie(trie, ["*.example.com", "example.com", "*.github.io"]);
    expect(wildcard).toMatch(/cannot be checked for public suffixes beneath it/);
    expect(bare).toBeUndefined();
    expect(suffix).toMatch(/public suffix/);
  });

  it("reads the real data (a control for the cases above)", () => {
    expect(reasonsWithTrie(() => realTrie, ["*.example.com", "*.amazonaws.com"])).toEqual([
      undefined,
      expect.stringMatching(/public suffixes beneath it/),
    ]);
  });
});
