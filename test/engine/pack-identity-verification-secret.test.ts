/**
 * IdentityVerificationSecret through the compiled pack over the Analyzer protocol. It registers in this
 * package's type namespace but is not a Health Check control: every resource policy answers "not
 * applicable", adding it changes no verdict of the stack, and its material (a secret output) appears in
 * no diagnostic. What the pack grades is the MessengerSecurity fed from its outputs.
 */
import { AnalyzerDiagnostic, CapturedResource, PolicyPackSession } from "../../cli/analyzer-client";
import { allPolicies } from "../../policies";
import { IdentityVerificationSecret } from "../../resources";
import {
  analyzeEverything,
  captureExample,
  launchPinnedPack,
  mutateResource,
  newResource,
  secret,
  SETUP_TIMEOUT_MS,
  violationMessage,
} from "../support/engine";

const MATERIAL = "canary-identity-verification-material-Qm3x";

let session: PolicyPackSession;
let example: CapturedResource[];
beforeAll(async () => {
  [session, example] = await Promise.all([launchPinnedPack(), captureExample("secure-workspace")]);
}, SETUP_TIMEOUT_MS);
afterAll(async () => {
  await session?.close();
});

/** The resource's outputs as the engine sends them after an update: `secret` in Pulumi's secret form. */
function secretResource(resources: readonly CapturedResource[], createdAt: string): CapturedResource {
  return newResource(resources, IdentityVerificationSecret.__pulumiType, "web-secret", {
    workspaceId: "ab12cd34ef", // the secure example's workspace
    name: "Production web",
    platforms: ["web"],
    rotation: "2026-11",
    secretId: "103",
    createdAt,
    secret: secret(MATERIAL),
    appliedThrough: "api",
  });
}

const verdictOf = (diagnostics: readonly AnalyzerDiagnostic[]) =>
  diagnostics.map((d) => `${d.policyName} ${d.enforcementLevel} ${d.urn ?? ""} ${d.message}`).sort();

describe("IdentityVerificationSecret in the pack", () => {
  it("is not graded: every resource policy is not applicable to it, and it changes no verdict of the stack", async () => {
    const resource = secretResource(example, "2026-11-01T00:00:00.000Z");
    const detailed = await session.analyzeDetailed(resource);
    expect(detailed.diagnostics).toEqual([]);
    const resourcePolicies = allPolicies.filter((p) => p.kind !== "stack").map((p) => p.name);
    expect(detailed.notApplicable.map((n) => n.policyName).sort()).toEqual([...resourcePolicies].sort());

    const without = await analyzeEverything(session, example);
    const withSecret = await analyzeEverything(session, [...example, resource]);
    expect(verdictOf(withSecret.all)).toEqual(verdictOf(without.all));
    expect(JSON.stringify(withSecret.all)).not.toContain(MATERIAL);
  });

  it("grades the MessengerSecurity it feeds: an old creation date as secretRotatedAt fails secret rotation, with no material shown", async () => {
    const createdAt = new Date(1734537500 * 1000).toISOString(); // Intercom's example: 2024-12-18, over 365 days before the pinned clock
    const changed = mutateResource(example, { control: "MessengerSecurity", name: "acme-messenger-web" }, (p) => {
      p["apiSecret"] = secret(MATERIAL);
      p["secretRotatedAt"] = createdAt;
    });
    const resources = [...changed.resources, secretResource(changed.resources, createdAt)];
    const verdict = await analyzeEverything(session, resources);
    const rotation = verdict.all.filter((d) => d.policyName === "intercom-messenger-secret-rotation");
    expect(rotation).toHaveLength(1);
    expect(rotation[0]!.urn).toBe(changed.resource.urn);
    expect(violationMessage(rotation[0]!)).toMatch(/web Messenger API secret was last rotated \d+ days ago \(2024-12-18\)/);
    expect(JSON.stringify(verdict.all)).not.toContain(MATERIAL);
  });
});
