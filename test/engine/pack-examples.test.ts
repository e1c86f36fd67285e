/**
 * The three example programs through the real compiled pack, as `pulumi preview --policy-pack .` would run them:
 * Analyze for every resource, then AnalyzeStack. The secure and healthcare workspaces pass everything; the insecure
 * one is blocked in every Health Check section it misconfigures.
 */
import { CapturedResource, PolicyPackSession } from "../../cli/analyzer-client";
import { AnyPolicy } from "../../core/policy";
import { allPolicies } from "../../policies";
import {
  analyzeEverything,
  captureExample,
  controlType,
  launchPinnedPack,
  mandatory,
  PACK_NAME,
  PACK_VERSION,
  SETUP_TIMEOUT_MS,
  summarize,
  Verdict,
} from "../support/engine";

const policiesByName = new Map<string, AnyPolicy>(allPolicies.map((p) => [p.name, p]));

describe("the example programs through the compiled pack", () => {
  let session: PolicyPackSession | undefined;
  const examples: Partial<Record<"secure" | "healthcare" | "insecure", CapturedResource[]>> = {};

  beforeAll(async () => {
    const [launched, secure, healthcare, insecure] = await Promise.all([
      launchPinnedPack(),
      captureExample("secure-workspace"),
      captureExample("healthcare-workspace"),
      captureExample("insecure-workspace"),
    ]);
    session = launched;
    Object.assign(examples, { secure, healthcare, insecure });
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await session?.close();
  });

  async function verdictOf(example: keyof typeof examples): Promise<Verdict> {
    const resources = examples[example];
    if (!session || !resources) {
      throw new Error("setup failed");
    }
    return analyzeEverything(session, resources);
  }

  it.each(["secure", "healthcare"] as const)(
    "the %s workspace gets no diagnostic at all, from Analyze or AnalyzeStack",
    async (example) => {
      const resources = examples[example] ?? [];
      // It really is the example: a workspace and the controls the Health Check grades.
      expect(resources.filter((r) => r.type === controlType("Workspace"))).toHaveLength(1);
      expect(resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/intercom:")).length).toBeGreaterThan(10);
      const verdict = await verdictOf(example);
      expect(summarize(verdict.analyze)).toEqual([]);
      expect(summarize(verdict.stack)).toEqual([]);
    },
  );

  describe("the insecure workspace", () => {
    let verdict: Verdict;

    beforeAll(async () => {
      verdict = await verdictOf("insecure");
    });

    it.each(["authentication-access", "messenger-security", "data-protection", "mobile-sdks", "custom-actions"])(
      "is blocked (a mandatory diagnostic) in section %s",
      (section) => {
        const blockingSections = mandatory(verdict.all).map((d) => policiesByName.get(d.policyName)?.section);
        expect(blockingSections).toContain(section);
      },
    );

    it("is blocked for the reasons its comments give", () => {
      const blocking = new Set(mandatory(verdict.all).map((d) => d.policyName));
      for (const policyName of [
        "intercom-sso-required",
        "intercom-email-password-sign-in-disabled",
        "intercom-ip-allowlist-entries",
        "intercom-web-identity-verification",
        "intercom-messenger-trusted-domains",
        "intercom-mobile-api-endpoint",
        "intercom-mobile-identity-verification",
        "intercom-mobile-platform-verified",
        "intercom-pan-redaction",
        "intercom-attachment-file-types",
        "intercom-protected-identity-attributes",
        "intercom-custom-action-https",
        "intercom-custom-action-public-endpoint",
        "intercom-custom-action-no-literal-credentials",
        "intercom-custom-action-identity-match",
        "intercom-custom-action-response-mapping",
        "intercom-custom-action-verified-audiences",
        "intercom-custom-action-protected-match",
      ]) {
        expect(blocking).toContain(policyName);
      }
    });

    it("grades the undeclared DataAttributeSettings on Intercom's default (Needs review, advisory)", () => {
      expect(verdict.stack).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            policyName: "intercom-data-attribute-settings-declared",
            enforcementLevel: "advisory",
            message: expect.stringMatching(/declares no DataAttributeSettings/),
          }),
        ]),
      );
    });

    it("reports only the pack's own policies, with the pack's name, version and each policy's severity", () => {
      expect(verdict.all.length).toBeGreaterThan(0);
      for (const diagnostic of verdict.all) {
        const policy = policiesByName.get(diagnostic.policyName);
        expect(policy).toBeDefined();
        expect(diagnostic).toMatchObject({ policyPackName: PACK_NAME, policyPackVersion: PACK_VERSION, severity: policy?.severity });
        // Only policies whose default level is mandatory (SHALL, unless a policy states otherwise) block by default.
        const level = policy?.enforcementLevel;
        expect(`${diagnostic.policyName}: ${diagnostic.enforcementLevel}`).toBe(`${diagnostic.policyName}: ${level}`);
      }
    });

    it("files every Analyze diagnostic under a resource of the stack, and every stack diagnostic too", () => {
      const urns = new Set((examples.insecure ?? []).map((r) => r.urn));
      for (const diagnostic of verdict.all) {
        expect(urns).toContain(diagnostic.urn);
      }
    });
  });
});
