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
import { renderText } from "../../report/text";
import { launchPinnedPack, SETUP_TIMEOUT_MS } from "../support/engine";
import { propertyParameters } from "../support/property";
import { control, urnOf, verdict, workspace } from "./fixtures";

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
    const fromPack = everyWorkspaceCapable(reportCatalogOf(info.policies), info.policies)
      .map((p) => p.name)
      .sort();
    expect(fromPack).toEqual(
      everyWorkspacePolicies(allPolicies)
        .map((p) => p.name)
        .sort(),
    );
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
      fc.property(fc.integer({ min: 0, max: policies.length - 1 }), fc.constantFrom(...factTags), fc.boolean(), (index, key, repeat) => {
        const policy = policies[index] as PolicyInfo;
        const own = policy.tags.filter((t) => t.startsWith(`${key}:`));
        // An item may be listed many times (a policy grading several rows): only dropping them all is a gap.
        const tags = repeat && key !== "item" ? [...policy.tags, `${key}:${own[0]}x`] : policy.tags.filter((t) => !t.startsWith(`${key}:`));
        expect(reportPolicyOf({ ...policy, tags })).toBeUndefined();
      }),
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
      fc.property(
        fc.array(
          fc
            .array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 3 })
            .map((lines) => lines.join("\n"))
            .filter((step) => !/\n\d+\. /.test(`\n${step}`)),
          { minLength: 1, maxLength: 6 },
        ),
        (steps) => {
          const remediationSteps = steps.map((step, i) => `${i + 1}. ${step}`).join("\n");
          expect(reportPolicyOf({ ...policy, remediationSteps })?.remediation).toEqual(steps);
        },
      ),
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
      verdicts: [
        { policyName: foreign.name, message: "Bucket is public.", enforcementLevel: "mandatory", urn: ws.urn, status: "needs_review" },
      ],
      applied: new Set(),
    });
    expect(report.other).toEqual([
      expect.objectContaining({ policyName: foreign.name, message: "Bucket is public.", blocking: true, policy: undefined }),
    ]);
    expect(report.blocking).toBe(true);
  });
});

describe("a pack's policy text in the terminal report", () => {
  // The pack is another process the user named (--policy-pack): its titles, steps and links are
  // shown escaped, like program text, so none can forge a line of the report or drive the terminal.
  const hostile = fc.string({ unit: "binary", minLength: 1, maxLength: 16 }).map((s) => `${s}\n\u001b[2J\u202e`);

  it("cannot forge a line or carry a control character", () => {
    const ws = workspace("ws1", "ws");
    const sso = control("SsoEnforcement", "sso", "ws1");
    fc.assert(
      fc.property(hostile, hostile, hostile, (title, step, url) => {
        const policy = reportPolicyOf({
          name: "intercom-hostile",
          displayName: title,
          description: "d",
          enforcementLevel: "mandatory",
          policyType: "resource",
          severity: "high",
          tags: ["id:X.1", "section:authentication-access", "item:auth.sign-in-methods", "criticality:SHALL", "kind:resource"],
          remediationSteps: `1. ${step}`,
          url,
        });
        expect(policy).toBeDefined();
        const base = { policies: [policy!], resources: [ws, sso], applied: new Set([`${sso.urn} intercom-hostile`]) };
        for (const verdicts of [[], [verdict("intercom-hostile", sso.urn, "m", "mandatory")]]) {
          const text = renderText(buildReport({ ...base, verdicts }), { subject: "s", packName: "p", packVersion: "1" });
          const lines = text.split("\n");
          expect(lines.filter((l) => l.startsWith("Summary:"))).toHaveLength(1);
          const unsafe = [...text].filter((c) => c !== "\n" && (c.charCodeAt(0) < 0x20 || c === "\u007f" || c === "\u202e"));
          expect(unsafe).toEqual([]);
          expect(text).toContain(verdicts.length === 0 ? "Checked: " : "Fix: ");
        }
      }),
      propertyParameters(50),
    );
  });
});
