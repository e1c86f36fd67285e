import { panRedaction } from "../../../policies/data-protection/pan-redaction";
import { expectNeedsReview, expectNotEvaluated, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

describe("intercom-pan-redaction", () => {
  const base = secure.panRedaction;

  it("passes redaction on with the credit-card rule", () => {
    expectSecure(grade(panRedaction, base));
  });

  it("passes the credit-card rule alone (SSNs and custom rules are optional here)", () => {
    expectSecure(grade(panRedaction, { ...base, socialSecurityNumbers: false, customRules: undefined }));
  });

  it("flags redaction off", () => {
    expectNeedsReview(grade(panRedaction, { ...base, enabled: false }), "redaction is off", "card numbers");
  });

  it("flags redaction on without the credit-card rule", () => {
    expectNeedsReview(grade(panRedaction, { ...base, creditCards: false }), "credit-card", "off");
  });

  it("flags redaction on with only custom rules, even one that looks like a card pattern", () => {
    const findings = grade(panRedaction, { ...base, creditCards: false, customRules: [{ name: "Cards", pattern: "\\d{16}" }] });
    expectNeedsReview(findings, "credit-card");
  });

  it.each([
    ["an uncompilable custom rule", { customRules: [{ name: "Broken", pattern: "([" }] }],
    ["more than 10 custom rules", { customRules: Array.from({ length: 11 }, (_, i) => ({ name: `r${i}`, pattern: "x" })) }],
    ["a rule name over 100 characters", { customRules: [{ name: "n".repeat(101), pattern: "x" }] }],
    ["an unknown channel", { channels: ["fax"] }],
  ])("grades %s as not evaluated", (_label, patch) => {
    expectNotEvaluated(grade(panRedaction, { ...base, ...(patch as object) }));
  });

  describeResourcePolicyBasics(panRedaction, "data-protection", base);
});

describe("intercom-pan-redaction: channels", () => {
  it("flags redaction that is on but applies to no channel: nothing is redacted", () => {
    expectNeedsReview(grade(panRedaction, { ...secure.panRedaction, channels: [] }), "no channel");
  });
});
