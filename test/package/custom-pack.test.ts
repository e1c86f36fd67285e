/**
 * examples/custom-pack, a user's own policy pack: this pack's policies plus one of its own (workspace names start with
 * "Acme "), built from the package's root export. Installed as `npm install` installs its `file:../..` dependency (a
 * symlink), started by run-policy-pack as Pulumi starts a TypeScript pack (ts-node, type-checked), and spoken to over
 * the Analyzer protocol with the three example programs.
 */
import * as fs from "fs";
import * as path from "path";
import { CapturedResource, PolicyPackSession } from "../../cli/analyzer-client";
import { allPolicies } from "../../policies";
import {
  analyzeEverything,
  captureExample,
  configureWithoutValidation,
  controlType,
  examplesDir,
  mandatory,
  PINNED_AS_OF,
  SETUP_TIMEOUT_MS,
  summarize,
} from "../support/engine";
import { linkInstall, removeDir, tempDir } from "../support/package";

const CUSTOM_POLICY = "intercom-acme-workspace-name-prefix";
const CUSTOM_PACK_NAME = "acme-intercom-policies";

describe("examples/custom-pack: this pack's policies and a user's own, in one pack", () => {
  let dir: string | undefined;
  let session: PolicyPackSession | undefined;
  const examples: Partial<Record<"secure" | "healthcare" | "insecure", CapturedResource[]>> = {};

  beforeAll(async () => {
    dir = tempDir("ihc-custom-pack-");
    for (const file of fs.readdirSync(path.join(examplesDir, "custom-pack"))) {
      fs.copyFileSync(path.join(examplesDir, "custom-pack", file), path.join(dir, file));
    }
    // What its package.json asks for; the pack's own dependencies come with the package (dist/ must be built).
    linkInstall(dir, ["@pulumi/policy", "@pulumi/pulumi", "typescript", "ts-node", "@types/node"]);
    const [launched, secure, healthcare, insecure] = await Promise.all([
      PolicyPackSession.launch(dir, { env: { INTERCOM_HEALTH_CHECK_AS_OF: PINNED_AS_OF } }),
      captureExample("secure-workspace"),
      captureExample("healthcare-workspace"),
      captureExample("insecure-workspace"),
    ]);
    session = launched;
    Object.assign(examples, { secure, healthcare, insecure });
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await session?.close();
    removeDir(dir);
  });

  function pack(): PolicyPackSession {
    if (!session) throw new Error("setup failed");
    return session;
  }

  it("announces itself with every policy of this pack and its own", async () => {
    const info = await pack().getAnalyzerInfo();
    expect(info.name).toBe(CUSTOM_PACK_NAME);
    expect(info.policies.map((p) => p.name)).toEqual([...allPolicies.map((p) => p.name), CUSTOM_POLICY]);
    expect(info.policies.find((p) => p.name === CUSTOM_POLICY)).toMatchObject({ enforcementLevel: "mandatory" });
  });

  it('passes the secure workspace (named "Acme Support") with no diagnostic at all', async () => {
    const verdict = await analyzeEverything(pack(), examples.secure ?? []);
    expect(summarize(verdict.all)).toEqual([]);
  });

  it("blocks the healthcare workspace on its own rule alone: every Health Check policy passes it", async () => {
    const resources = examples.healthcare ?? [];
    const workspace = resources.find((r) => r.type === controlType("Workspace"));
    const verdict = await analyzeEverything(pack(), resources);
    expect(verdict.all).toEqual([
      expect.objectContaining({
        policyName: CUSTOM_POLICY,
        policyPackName: CUSTOM_PACK_NAME,
        enforcementLevel: "mandatory",
        urn: workspace?.urn,
        message: expect.stringContaining(`The workspace's name does not start with "Acme ".`),
      }),
    ]);
  });

  it("blocks the insecure workspace on both its own rule and this pack's", async () => {
    const blocking = new Set(mandatory((await analyzeEverything(pack(), examples.insecure ?? [])).all).map((d) => d.policyName));
    for (const policyName of [CUSTOM_POLICY, "intercom-sso-required", "intercom-pan-redaction", "intercom-custom-action-https"]) {
      expect(blocking).toContain(policyName);
    }
  });

  it("refuses configuration below a SHALL policy's floor, as this pack does", async () => {
    // Straight over gRPC, past the client's schema check: the pack's own Configure refuses it.
    const refusal = configureWithoutValidation(pack(), {
      "intercom-ip-allowlist-entries": { enforcementLevel: "mandatory", properties: { minPrefixLength: 4 } },
    });
    await expect(refusal).rejects.toThrow(/INVALID_ARGUMENT/);
    await expect(refusal).rejects.toThrow(/the configuration of intercom-ip-allowlist-entries is refused: minPrefixLength is /);
    await pack().configure({});
  });
});
