/**
 * The one reader of the pack's policy tags (report/policy-tags.ts) against the one writer
 * (core/crossguard.ts tagsOf, kindTagsOf), and the two readers built on it agreeing: whatever tags a
 * pack sends, `list`/`explain` (cli/policy-facts.ts) and the report (report/catalog.ts) state the same
 * id, section, rows, criticality and framework references, or the report leaves the policy out.
 */
import fc from "fast-check";
import type { PolicyInfo } from "../../cli/analyzer-client";
import { renderExplainText } from "../../cli/explain";
import { policyFactsOf } from "../../cli/policy-facts";
import { kindTagsOf, tagsOf } from "../../core/crossguard";
import { frameworkNames } from "../../core/policy";
import { allPolicies } from "../../policies";
import { reportPolicyOf, reportPolicyOfLibrary } from "../../report/catalog";
import { frameworkKeys, parsePolicyTags } from "../../report/policy-tags";
import { propertyParameters } from "../support/property";

type Policy = (typeof allPolicies)[number];

/** What this pack sends for a policy, as far as the readers look (the encoder's tags, CrossGuard's fields). */
function infoOf(policy: Policy, tags: readonly string[] = [...tagsOf(policy), ...kindTagsOf(policy)]): PolicyInfo {
  return {
    name: policy.name,
    displayName: policy.title,
    description: policy.description,
    message: "",
    enforcementLevel: policy.enforcementLevel,
    policyType: policy.kind === "stack" ? "stack" : "resource",
    severity: policy.severity,
    tags: [...tags],
    remediationSteps: policy.remediation.map((step, i) => `${i + 1}. ${step}`).join("\n"),
    url: policy.helpUrl,
    ...(Object.values(policy.frameworks).some((refs) => (refs ?? []).length > 0)
      ? { framework: { name: "", version: "", reference: "", specification: policy.rationale } }
      : {}),
  };
}

describe("the policy tags, written by core/crossguard.ts and read by report/policy-tags.ts", () => {
  it("covers every framework core/policy.ts names, in its order", () => {
    expect(frameworkKeys).toEqual(Object.keys(frameworkNames));
  });

  it("carries NIST SP 800-53 Rev. 5 references as control ids (AC-2, IA-2(1)), for most but not every policy", () => {
    const mapped = allPolicies.filter((p) => (p.frameworks.nist80053 ?? []).length > 0);
    for (const policy of mapped)
      for (const ref of policy.frameworks.nist80053 ?? []) expect(ref).toMatch(/^(AC|CM|IA|PT|SA|SC|SI)-\d{1,2}(\(\d{1,2}\))?$/);
    expect(mapped.length).toBeGreaterThan(allPolicies.length / 2);
    expect(mapped.length).toBeLessThan(allPolicies.length);
    const twoFactor = allPolicies.find((p) => p.name === "intercom-two-factor-required");
    expect(parsePolicyTags(tagsOf(twoFactor!)).frameworks.nist80053).toEqual(["IA-2(1)", "IA-2(2)"]);
  });

  it.each(allPolicies.map((p) => [p.name, p] as const))("%s: reads back what was written", (_name, policy) => {
    const parsed = parsePolicyTags([...tagsOf(policy), ...kindTagsOf(policy)]);
    const frameworks = Object.fromEntries(
      frameworkKeys.filter((k) => (policy.frameworks[k] ?? []).length > 0).map((k) => [k, policy.frameworks[k]]),
    );
    expect(parsed).toEqual({
      id: policy.id,
      section: policy.section,
      items: policy.items,
      criticality: policy.criticality,
      kind: policy.kind,
      ...(policy.kind === "stack" ? { scope: typeof policy.scope === "string" ? policy.scope : policy.scope.typeToken } : {}),
      remediates: policy.kind === "resource" && policy.remediate ? policy.remediates : [],
      ...(policy.kind === "resource" && policy.example !== undefined
        ? { example: { control: policy.control.name, props: policy.example } }
        : {}),
      frameworks,
      repeated: [],
      otherTags: [],
    });
    expect(reportPolicyOf(infoOf(policy))).toEqual(reportPolicyOfLibrary(policy));
  });
});

describe("an example the pack states, shown by explain as code", () => {
  const base = allPolicies.find((p) => p.kind === "resource" && p.example !== undefined)!;
  const hostileText = fc.string({ unit: "binary", maxLength: 12 }).map((s) => `${s}\u202e\u001b[2J\n\\"`);
  const props = fc.dictionary(hostileText, fc.oneof(hostileText, fc.integer(), fc.boolean(), fc.array(hostileText, { maxLength: 3 })), {
    maxKeys: 4,
  });

  it("prints no unsafe character, and the code's props are exactly the pack's (property)", () => {
    fc.assert(
      fc.property(props, (given) => {
        const tags = [
          ...tagsOf(base),
          ...kindTagsOf(base).filter((t) => !t.startsWith("example:")),
          `example:${JSON.stringify({ control: "SsoEnforcement", props: given })}`,
        ];
        const facts = policyFactsOf(infoOf(base, tags));
        expect(facts.example).toEqual({ control: "SsoEnforcement", props: given });
        const text = renderExplainText({ name: "p", version: "1", policies: [facts] }, facts);
        expect([...text].filter((c) => c !== "\n" && /^[\p{Cc}\p{Cf}\uD800-\uDFFF]$/u.test(c))).toEqual([]);
        const start = text.indexOf('new SsoEnforcement("example", ') + 'new SsoEnforcement("example", '.length;
        const code = text.slice(start, text.lastIndexOf(");"));
        expect(
          JSON.parse(
            code
              .split("\n")
              .map((line) => line.replace(/^ {2}/, ""))
              .join("\n"),
          ),
        ).toEqual(given);
      }),
      propertyParameters(200),
    );
  });

  it("states none when the tag is not a control's props, or names a control that is no identifier", () => {
    for (const value of [
      "{",
      "[]",
      "null",
      JSON.stringify({ control: "Sso Enforcement", props: {} }),
      JSON.stringify({ control: "SsoEnforcement", props: [] }),
    ]) {
      const parsed = parsePolicyTags([`example:${value}`]);
      expect(parsed.example).toBeUndefined();
      expect(parsed.otherTags).toEqual([`example:${value}`]);
    }
  });
});

describe("list/explain and the report read the same tags the same way", () => {
  const knownKeys = ["id", "section", "item", "criticality", "kind", "scope", "remediates", ...frameworkKeys];
  /** Edits a pack could make to a policy's tags: repeat one, empty one, drop one, add junk or another key's value. */
  const edit = (tags: readonly string[]) =>
    fc.oneof(
      fc.nat().map((i) => (tags.length === 0 ? [] : [...tags, tags[i % tags.length] as string])),
      fc.nat().map((i) => tags.filter((_, j) => tags.length === 0 || j !== i % tags.length)),
      fc.constantFrom(...knownKeys).map((key) => [...tags, `${key}:`]),
      fc.tuple(fc.constantFrom(...knownKeys), fc.string({ maxLength: 8 })).map(([key, value]) => [...tags, `${key}:${value}`]),
      fc.string({ maxLength: 12 }).map((junk) => [...tags, junk]),
      fc.string({ maxLength: 12 }).map((junk) => [junk, ...tags]),
    );
  const editedTags = fc.tuple(fc.constantFrom(...allPolicies), fc.integer({ min: 1, max: 3 })).chain(([policy, rounds]) => {
    let arb: fc.Arbitrary<readonly string[]> = fc.constant([...tagsOf(policy), ...kindTagsOf(policy)]);
    for (let i = 0; i < rounds; i++) arb = arb.chain(edit);
    return arb.map((tags) => [policy, tags] as const);
  });

  it("states the same facts, or the report leaves the policy out (property)", () => {
    let placed = 0;
    let leftOut = 0;
    fc.assert(
      fc.property(editedTags, ([policy, tags]) => {
        const info = infoOf(policy, tags);
        const facts = policyFactsOf(info);
        const reported = reportPolicyOf(info);
        if (reported === undefined) {
          leftOut++;
          return;
        }
        placed++;
        expect({
          id: facts.id,
          section: facts.section,
          items: facts.items,
          criticality: facts.criticality,
          frameworks: facts.frameworks,
        }).toEqual({
          id: reported.id,
          section: reported.section,
          items: reported.items,
          criticality: reported.criticality,
          frameworks: reported.frameworks,
        });
      }),
      propertyParameters(400),
    );
    // The sample is not vacuous: edits both keep policies in the report and take them out.
    expect(placed).toBeGreaterThan(0);
    expect(leftOut).toBeGreaterThan(0);
  });

  it("a fact list/explain does not state (missing, repeated or not SHALL/SHOULD) keeps the policy out of the report (property)", () => {
    fc.assert(
      fc.property(editedTags, ([policy, tags]) => {
        const facts = policyFactsOf(infoOf(policy, tags));
        if (facts.id === undefined || facts.section === undefined || facts.criticality === undefined || facts.items.length === 0) {
          expect(reportPolicyOf(infoOf(policy, tags))).toBeUndefined();
        }
      }),
      propertyParameters(400),
    );
  });
});
