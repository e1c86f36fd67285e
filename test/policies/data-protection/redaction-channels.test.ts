import { redactionChannels } from "../../../policies/data-protection/redaction-channels";
import { expectNeedsReview, expectNotApplicable, expectNotEvaluated, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

type Channel = "web" | "ios" | "android" | "email" | "phone";

describe("intercom-redaction-channels", () => {
  const base = secure.panRedaction;
  const channels = (list: Channel[], config?: unknown) => grade(redactionChannels, { ...base, channels: list }, { config });

  it("passes every channel covered", () => {
    expectSecure(grade(redactionChannels, base));
  });

  it("passes the default required channels without phone", () => {
    expectSecure(channels(["web", "ios", "android", "email"]));
  });

  it.each(["web", "ios", "android", "email"] as Channel[])("flags the missing channel %p", (missing) => {
    const rest = (["web", "ios", "android", "email", "phone"] as Channel[]).filter((c) => c !== missing);
    expectNeedsReview(channels(rest), "does not cover", missing);
  });

  it("lists every missing channel", () => {
    expectNeedsReview(channels(["web"]), "ios, android, email");
  });

  it("does not apply while redaction is off (intercom-pan-redaction reports that)", () => {
    expectNotApplicable(grade(redactionChannels, { ...base, enabled: false, channels: [] }));
  });

  it("honours requiredChannels: web only passes a web-only setup, phone required flags its absence", () => {
    expectSecure(channels(["web"], { requiredChannels: ["web"] }));
    expectNeedsReview(channels(["web", "ios", "android", "email"], { requiredChannels: ["web", "phone"] }), "phone");
  });

  it.each([[{ requiredChannels: ["fax"] }], [{ requiredChannels: "web" }]])("reports %p as an invalid configuration", (config) => {
    expectNotEvaluated(channels(["web"], config), "requiredChannels");
  });

  describeResourcePolicyBasics(redactionChannels, "data-protection", base);
});
