/**
 * Holes found in grading values not known until the update, generated as classes:
 *
 * - A not-evaluated verdict's status never depends on text redaction can change: a secret equal
 *   to any piece of the fixed wording ("Not", "evaluated", …, in any case) leaves the finding not
 *   evaluated, and the report decides what the preview cannot vouch for from data, whatever the
 *   message says (redacted, forged or empty).
 * - Program text (a resource name containing "Not evaluated" or "can't run policy") never turns a
 *   violation into a not-evaluated verdict.
 * - An unknown entry of a list judged entry by entry (`independentEntries`) hides no known unsafe
 *   entry: at every index, beside every class of unsafe entry, the known one is reported as a
 *   violation at the policy's level; beside only safe entries the policy stays not evaluated.
 */
import fc from "fast-check";
import { verdictClassifier } from "../../cli/preview";
import { evaluateResourcePolicy, Finding, notEvaluatedOpenings } from "../../core/evaluate";
import { findingPayloadOf, FindingPayload, withFindingPayload } from "../../core/finding-payload";
import { defineResourcePolicy, ResourcePolicy } from "../../core/policy";
import { redactSecrets } from "../../core/redaction";
import { trustedDomains as trustedDomainsPolicy } from "../../policies/messenger-security/messenger-trusted-domains";
import { buildReport } from "../../report/model";
import { messengerDomainRestrictionControl } from "../../resources";
import { now, secureSample } from "../support/fixtures";
import { readsNotEvaluated } from "../support/finding-wording";
import { propertyParameters } from "../support/property";
import { UNKNOWN } from "../support/unknowns";
import { entryClasses, withEntries } from "../support/unknown-entries";
import { appliedTo, control, policy as reportPolicy, verdict, workspace } from "../report/fixtures";

const grade = (policy: ResourcePolicy, props: Record<string, unknown>, options: { preview: boolean; secrets?: string[]; name?: string }) =>
  evaluateResourcePolicy(policy, { name: options.name ?? "generated", urn: "urn:generated", props }, { now, ...options });

/** Any piece of the fixed not-evaluated wording, in any case: what a short secret may equal. */
const wordingPiece: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...notEvaluatedOpenings, "can't run policy"), fc.nat(), fc.nat(), fc.boolean())
  .map(([text, a, b, upper]) => {
    const start = a % (text.length - 1);
    const piece = text.slice(start, start + 1 + (b % (text.length - start))).trim() || "Not";
    return upper ? piece.toUpperCase() : piece;
  });

describe("a not-evaluated verdict whose text a secret matches", () => {
  const definition = messengerDomainRestrictionControl;
  const withUnknown = { ...secureSample(definition), trustedDomains: [UNKNOWN, "app.example.com"] };

  it("stays not evaluated, its fixed opening intact, whatever piece of the wording the secret is", () => {
    fc.assert(
      fc.property(wordingPiece, fc.boolean(), (secret, preview) => {
        const findings = grade(trustedDomainsPolicy, withUnknown, { preview, secrets: [secret] }) ?? [];
        expect(findings.map((f) => f.status)).toEqual(["not_evaluated"]);
        expect(readsNotEvaluated(findings[0]?.message ?? "")).toBe(true);
      }),
      propertyParameters(200),
    );
  });

  it("is counted as blocked by unknowns from data: an advisory verdict of a blocking SHALL policy about a control with unknowns, whatever its message", () => {
    const ws = workspace("ws1", "main");
    const domains = control("MessengerDomainRestriction", "domains", "ws1");
    const other = control("MessengerDomainRestriction", "other", "ws1");
    const shall = reportPolicy("intercom-test-shall", ["messenger.domain-restrictions"], { severity: "critical" });
    const stackShall = reportPolicy("intercom-test-stack", ["config.workspace"], { kind: "stack" });
    const policies = [shall, stackShall];
    const resources = [ws, domains, other];
    const message = fc.oneof(
      fc.string(),
      fc.constantFrom("Needs review: looks fine", ""),
      wordingPiece.map((secret) =>
        redactSecrets(`${notEvaluatedOpenings[0]}MessengerDomainRestriction "domains" needs trustedDomains.0.`, [secret]),
      ),
    );
    fc.assert(
      fc.property(message, message, (resourceMessage, stackMessage) => {
        const report = buildReport({
          policies,
          resources,
          applied: appliedTo(resources, policies),
          unknownValues: [{ urn: domains.urn, resourceName: domains.name, type: domains.type, paths: ["trustedDomains.0"] }],
          verdicts: [
            verdict(shall.name, domains.urn, resourceMessage, "advisory"),
            verdict(stackShall.name, other.urn, stackMessage, "advisory"),
            // About a control with every value known: not the preview's doing.
            verdict(shall.name, other.urn, resourceMessage, "advisory"),
          ],
        });
        expect(report.blockedByUnknowns.map((f) => `${f.policyName} ${f.urn}`).sort()).toEqual(
          [`${shall.name} ${domains.urn}`, `${stackShall.name} ${other.urn}`].sort(),
        );
      }),
      propertyParameters(150),
    );
  });
});

describe("program text in a violation", () => {
  const phrase = fc.constantFrom(...notEvaluatedOpenings, "can't run policy 'x' from policy pack 'p@v1' during preview: ", "Not evaluated");

  it("never makes it read as not evaluated, anywhere in the message, opening included", () => {
    // A rule whose message opens with program text: the worst case for a classifier.
    const echo = defineResourcePolicy({
      ...trustedDomainsPolicy,
      name: "intercom-test-echo",
      check: (restriction) => restriction.trustedDomains.map((domain) => `${domain} is listed.`),
    });
    fc.assert(
      fc.property(fc.string(), phrase, fc.string(), fc.boolean(), (before, inside, after, atStart) => {
        const text = atStart ? `${inside}${after}` : `${before}${inside}${after}`;
        const props = { ...secureSample(messengerDomainRestrictionControl), trustedDomains: [text] };
        const findings = grade(echo, props, { preview: true, name: text }) ?? [];
        expect(findings.map((f) => f.status)).toEqual(["needs_review"]);
        expect(readsNotEvaluated(findings[0]?.message ?? "")).toBe(false);
        // The tool classifies the message as the pack reports it (its payload appended) the same way.
        const ws = workspace("ws1", "main");
        const domains = control("MessengerDomainRestriction", text, "ws1");
        const shall = reportPolicy("intercom-test-shall", ["messenger.domain-restrictions"], { severity: "critical" });
        const reported = withFindingPayload(findings[0]?.message ?? "", findingPayloadOf(findings[0] as Finding) as FindingPayload);
        const classified = verdictClassifier(
          {},
          new Map(),
          now,
          [],
          new Set([shall.name]),
        )({
          policyName: shall.name,
          policyPackName: "p",
          policyPackVersion: "1",
          description: "d",
          message: `d\n${reported}`,
          enforcementLevel: "advisory",
          urn: domains.urn,
        });
        expect(classified.message).toBe(findings[0]?.message);
        const report = buildReport({
          policies: [shall],
          resources: [ws, domains],
          applied: appliedTo([ws, domains], [shall]),
          verdicts: [classified],
        });
        const item = report.workspaces[0]?.sections.flatMap((s) => s.items).find((i) => i.findings.length > 0);
        expect(item?.findings.map((f) => f.status)).toEqual(["needs_review"]);
      }),
      propertyParameters(150),
    );
  });
});

describe("an unknown entry of a list judged entry by entry", () => {
  it("covers every list field a policy declares", () => {
    const declared = entryClasses.flatMap((c) => c.policy.independentEntries?.map((f) => `${c.policy.name} ${f}`) ?? []);
    expect(new Set(entryClasses.map((c) => `${c.policy.name} ${c.field}`))).toEqual(new Set(declared));
  });

  it("hides no known unsafe entry, at any index; beside only safe entries the policy stays not evaluated", () => {
    const seen = { unsafe: 0, safe: 0 };
    for (const entryClass of entryClasses) {
      fc.assert(
        fc.property(entryClass.caseArbitrary, fc.boolean(), ({ entries, unsafe }, preview) => {
          const props = withEntries(entryClass, entries);
          const findings = grade(entryClass.policy, props, { preview }) ?? [];
          const known = entries.filter((e) => e !== UNKNOWN);
          // The oracle: the policy itself on the known entries alone, fully known.
          const knownVerdict = grade(entryClass.policy, withEntries(entryClass, known), { preview });
          expect(knownVerdict?.some((f) => f.status === "needs_review")).toBe(unsafe);
          const violations = findings.filter((f) => f.status === "needs_review");
          expect(findings.filter((f) => f.status === "not_evaluated")).toHaveLength(1);
          if (unsafe) {
            seen.unsafe += 1;
            expect(violations.length).toBeGreaterThan(0);
            // A real violation at the policy's level: never pending, never advisory for the unknown.
            for (const v of violations) expect(v.pendingUntilUpdate).toBeUndefined();
          } else {
            seen.safe += 1;
            expect(violations).toEqual([]);
          }
        }),
        propertyParameters(60),
      );
    }
    expect(seen.unsafe).toBeGreaterThan(100);
    expect(seen.safe).toBeGreaterThan(50);
  });
});
