import { panRedaction } from "../../../policies/data-protection/pan-redaction";
import { PanRedactionSettings } from "../../../resources/pan-redaction";
import { expectNeedsReview, expectNotEvaluated, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";
import { remediate } from "../../support/remediation";
import { UNKNOWN } from "../../support/unknowns";

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

describe("intercom-pan-redaction: remediation", () => {
  const base = secure.panRedaction;

  // Every combination of the fields the decision reads: the card rule is turned on exactly when
  // redaction is already on without it; redaction itself and its channels are never chosen.
  const channelSets: PanRedactionSettings["channels"][] = [[], ["web"], ["web", "email"]];
  const cases = [true, false].flatMap((enabled) =>
    [true, false].flatMap((creditCards) => channelSets.map((channels) => ({ enabled, creditCards, channels }))),
  );
  it.each(cases)("remediates only the card rule where redaction is on: %j", (patch) => {
    const props = { ...base, ...patch };
    const fix = remediate(panRedaction, props);
    if (patch.enabled && !patch.creditCards) {
      expect(fix).toEqual({ creditCards: true });
      // Fixed: the card-rule finding is gone; a channel finding stays for people to fix.
      const after = grade(panRedaction, { ...props, ...fix });
      expect(after?.some((f) => /credit-card/.test(f.message))).toBe(false);
      if (patch.channels.length > 0) expectSecure(after);
    } else {
      expect(fix).toBeUndefined();
    }
  });

  it("makes no fix on a value not known yet", () => {
    expect(remediate(panRedaction, { ...base, creditCards: UNKNOWN })).toBeUndefined();
    expect(remediate(panRedaction, { ...base, creditCards: false, enabled: UNKNOWN })).toBeUndefined();
    expect(remediate(panRedaction, { ...base, creditCards: false, channels: [UNKNOWN] })).toBeUndefined();
  });

  it("makes no fix on settings that do not match the schema", () => {
    expect(remediate(panRedaction, { ...base, creditCards: false, notAField: 1 })).toBeUndefined();
  });
});
