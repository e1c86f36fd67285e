/**
 * The report's policy catalog (report/catalog.ts), built from what the launched pack says in
 * GetAnalyzerInfo: for this pack it equals the library's own policies, fact for fact; a policy
 * the pack does not describe as a Health Check policy is left out of it (its findings are filed
 * under "other"), never guessed.
 */
import fc from "fast-check";
import { AnalyzerInfo, PolicyInfo, PolicyPackSession } from "../../cli/analyzer-client";
import { governedPolicy } from "../../core/policy";
import { everyWorkspacePolicies } from "../../core/profiles";
import { allPolicies } from "../../policies";
import {
  everyWorkspaceCapable,
  governedPoliciesOfPack,
  reportCatalogOf,
  reportPolicyOf,
  remediatingPolicyNames,
  reportPolicyOfLibrary,
} from "../../report/catalog";
import { remediatingPolicies } from "../../core/remediation";
import { buildReport } from "../../report/model";
import { launchPinnedPack, SETUP_TIMEOUT_MS } from "../support/engine";
import { propertyParameters } from "../support/property";
import { urnOf } from "./fixtures";

const byName = <T extends { name: string }>(list: readonly T[]) => [...list].sort((a, b) => a.name.localeCompare(b.name));

describe("the report catalog from the compiled pack's GetAnalyzerInfo", () => {
  let session: PolicyPackSession | undefined;
  let info: AnalyzerInfo;

  beforeAll(async () => {
    session = await launchPinnedPack();
    info = await session.getAnalyzerInfo();
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await session?.close();
  });

  it("places every policy of the pack, each exactly as the library defines it", () => {
    expect(byName(reportCatalogOf(info.policies))).toEqual(byName(allPolicies.map(reportPolicyOfLibrary)));
  });

  it("gives governance each policy's criticality, default level and whether it may be waived, as the library does", () => {
    expect(byName(governedPoliciesOfPack(reportCatalogOf(info.policies), info.policies))).toEqual(byName(allPolicies.map(governedPolicy)));
  });

  it("finds the healthcare policies that may grade every workspace, as the library does", () => {
    const fromPack = everyWorkspaceCapable(reportCatalogOf(info.policies), info.policies).map((p) => p.name).sort();
    expect(fromPack).toEqual(everyWorkspacePolicies(allPolicies).map((p) => p.name).sort());
    expect(fromPack.length).toBeGreaterThan(0);
  });

  it("names the policies that remediate, as the library does", () => {
    const fromPack = remediatingPolicyNames(reportCatalogOf(info.policies), info.policies);
    expect(fromPack).toEqual(remediatingPolicies(allPolicies).map((p) => p.name));
    expect(fromPack.length).toBeGreaterThan(0);
  });

  const factTags = ["id", "section", "criticality", "kind", "item"];

  it("leaves out a policy whose Health Check tags are missing or repeated, whatever else it says", () => {
    const policies = info.policies;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: policies.length - 1 }),
        fc.constantFrom(...factTags),
        fc.boolean(),
        (index, key, repeat) => {
          const policy = policies[index] as PolicyInfo;
          const own = policy.tags.filter((t) => t.startsWith(`${key}:`));
          // An item may be listed many times (a policy grading several rows): only dropping them all is a gap.
          const tags = repeat && key !== "item" ? [...policy.tags, `${key}:${own[0]}x`] : policy.tags.filter((t) => !t.startsWith(`${key}:`));
          expect(reportPolicyOf({ ...policy, tags })).toBeUndefined();
        },
      ),
      propertyParameters(100),
    );
  });

  it("leaves out a policy whose tags name a section, row, criticality or severity the tool does not know", () => {
    const policies = info.policies;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: policies.length - 1 }),
        fc.constantFrom("section", "item", "criticality", "severity"),
        fc.string({ minLength: 1, maxLength: 12 }).map((s) => `unknown-${s}`),
        (index, key, value) => {
          const policy = policies[index] as PolicyInfo;
          const changed =
            key === "severity"
              ? { ...policy, severity: value as never }
              : { ...policy, tags: policy.tags.map((t) => (t.startsWith(`${key}:`) ? `${key}:${value}` : t)) };
          expect(reportPolicyOf(changed)).toBeUndefined();
        },
      ),
      propertyParameters(100),
    );
  });

  it("reads remediation steps back exactly as the pack numbered them, multi-line steps included", () => {
    const policy = info.policies[0] as PolicyInfo;
    fc.assert(
      fc.property(fc.array(
          fc
            .array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 3 })
            .map((lines) => lines.join("\n"))
            .filter((step) => !/\n\d+\. /.test(`\n${step}`)),
          { minLength: 1, maxLength: 6 },
        ), (steps) => {
        const remediationSteps = steps.map((step, i) => `${i + 1}. ${step}`).join("\n");
        expect(reportPolicyOf({ ...policy, remediationSteps })?.remediation).toEqual(steps);
      }),
      propertyParameters(200),
    );
  });
});

describe("a foreign pack's policy", () => {
  const foreign = {
    name: "acme-bucket-private",
    displayName: "Buckets are private",
    description: "No public bucket.",
    enforcementLevel: "mandatory",
    policyType: "resource",
    severity: "high",
    tags: [],
    remediationSteps: "",
    url: "",
  };

  it("is not in the catalog, and no tag-like junk puts it there", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 20 }), { maxLength: 8 }), (tags) => {
        expect(reportPolicyOf({ ...foreign, tags })).toBeUndefined();
      }),
      propertyParameters(200),
    );
  });

  it("is reported under other, with its name and message, even about a workspace's control", () => {
    const ws = { urn: urnOf("Workspace", "ws"), name: "ws", type: "x", workspaceId: "ws1", workspace: { name: "W" } };
    const report = buildReport({
      policies: reportCatalogOf([foreign]),
      resources: [ws],
      verdicts: [{ policyName: foreign.name, message: "Bucket is public.", enforcementLevel: "mandatory", urn: ws.urn }],
      applied: new Set(),
    });
    expect(report.other).toEqual([expect.objectContaining({ policyName: foreign.name, message: "Bucket is public.", blocking: true, policy: undefined })]);
    expect(report.blocking).toBe(true);
  });
});
