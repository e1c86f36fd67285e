import { ipAllowlistEnabled } from "../../../policies/authentication-access/ip-allowlist-enabled";
import { expectNeedsReview, expectNotApplicable, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

describe("intercom-ip-allowlist-enabled", () => {
  const base = secure.dashboardIpAllowlist;

  it("passes the secure dashboard allowlist", () => {
    expectSecure(grade(ipAllowlistEnabled, base));
  });

  it("flags a dashboard allowlist that is off", () => {
    expectNeedsReview(grade(ipAllowlistEnabled, { ...base, enabled: false }), "dashboard IP allowlist is off");
  });

  it("flags Intercom's default (off, no entries)", () => {
    expectNeedsReview(grade(ipAllowlistEnabled, { ...base, enabled: false, entries: [] }), "any address");
  });

  it("does not apply to the REST API allowlist, on or off", () => {
    expectNotApplicable(grade(ipAllowlistEnabled, secure.restApiIpAllowlist));
    expectNotApplicable(grade(ipAllowlistEnabled, { ...secure.restApiIpAllowlist, enabled: false }));
  });

  it("leaves the entries to intercom-ip-allowlist-entries: an enabled list with 0.0.0.0/0 passes here", () => {
    expectSecure(grade(ipAllowlistEnabled, { ...base, entries: ["0.0.0.0/0"] }));
  });

  describeResourcePolicyBasics(ipAllowlistEnabled, "authentication-access", base);
});
