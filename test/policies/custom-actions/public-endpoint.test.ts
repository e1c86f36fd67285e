import { customActionPublicEndpoint } from "../../../policies/custom-actions/public-endpoint";
import { expectNeedsReview, expectNotApplicable, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

describe("intercom-custom-action-public-endpoint", () => {
  const base = secure.customAction;
  const url = (value: string) => grade(customActionPublicEndpoint, { ...base, url: value });

  it("passes the secure fixture (a public host)", () => {
    expectSecure(grade(customActionPublicEndpoint, base));
  });

  it.each(["https://8.8.8.8/lookup", "https://172.32.0.1/lookup", "https://100.128.0.1/x", "https://[2001:4860:4860::8888]/x", "https://api.example.com:8443/x"])(
    "passes the public endpoint %p",
    (value) => {
      expectSecure(url(value));
    },
  );

  it.each([
    ["localhost", "https://localhost/orders", "loopback name"],
    ["a .localhost name", "https://api.localhost/orders", "loopback name"],
    ["loopback", "https://127.0.0.1/orders", "private, loopback or link-local"],
    ["loopback in shorthand", "https://127.1/orders", "private, loopback or link-local"],
    ["loopback as one number", "https://2130706433/orders", "private, loopback or link-local"],
    ["10/8", "https://10.0.0.5/orders", "private"],
    ["172.16/12", "https://172.31.255.255/orders", "private"],
    ["192.168/16", "https://192.168.1.10/orders", "private"],
    ["cloud metadata", "https://169.254.169.254/latest/meta-data", "link-local"],
    ["CGNAT", "https://100.64.0.1/orders", "private"],
    ["this network", "https://0.0.0.0/orders", "private"],
    ["IPv6 loopback", "https://[::1]/orders", "private, loopback or link-local"],
    ["IPv6 unique-local", "https://[fd00::1]/orders", "private"],
    ["IPv6 link-local", "https://[fe80::1]/orders", "link-local"],
    ["IPv4-mapped loopback", "https://[::ffff:127.0.0.1]/orders", "private"],
    ["an internal name", "https://orders.internal/x", "internal name"],
    ["GCP metadata", "https://metadata.google.internal/x", "internal name"],
    ["a .local name", "https://printer.local/x", "internal name"],
    ["a single-label name", "https://orders/x", "single-label"],
  ])("flags %s (%s)", (_label, value, reason) => {
    expectNeedsReview(url(value), '"Order lookup"', reason);
  });

  it("does not apply to a draft action", () => {
    expectNotApplicable(grade(customActionPublicEndpoint, { ...base, state: "draft", url: "https://10.0.0.5/orders" }));
  });

  describeResourcePolicyBasics(customActionPublicEndpoint, "custom-actions", base);
});

describe("intercom-custom-action-public-endpoint: special-purpose ranges", () => {
  it.each(["https://192.0.0.8/x", "https://198.18.0.1/x", "https://203.0.113.5/x", "https://[64:ff9b::7f00:1]/x"])(
    "flags %p",
    (url) => {
      expectNeedsReview(grade(customActionPublicEndpoint, { ...secure.customAction, url }));
    },
  );
});
