/**
 * GetAnalyzerInfo of the real compiled pack, as the Pulumi CLI asks for it at launch: every policy of the catalog, with
 * the metadata and enforcement level the engine shows and enforces.
 */
import type { z } from "zod";
import { AnalyzerInfo, PolicyInfo, PolicyPackSession } from "../../cli/analyzer-client";
import { configSchemaOf } from "../../core/crossguard";
import { governanceKeys } from "../../core/exceptions";
import { AnyPolicy } from "../../core/policy";
import { allPolicies } from "../../policies";
import { launchPinnedPack, PACK_NAME, PACK_VERSION, SETUP_TIMEOUT_MS } from "../support/engine";

describe("the compiled pack's GetAnalyzerInfo", () => {
  let session: PolicyPackSession | undefined;
  let info: AnalyzerInfo;

  beforeAll(async () => {
    session = await launchPinnedPack();
    info = await session.getAnalyzerInfo();
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await session?.close();
  });

  function reported(policy: AnyPolicy): PolicyInfo {
    const found = info.policies.filter((p) => p.name === policy.name);
    expect(found).toHaveLength(1);
    return found[0] as PolicyInfo;
  }

  it("names the pack and takes its version from package.json", () => {
    expect(info.name).toBe(PACK_NAME);
    expect(info.version).toBe(PACK_VERSION);
    expect(info.supportsConfig).toBe(true);
  });

  it("lists every policy of allPolicies, once, and nothing else", () => {
    const names = info.policies.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(allPolicies.map((p) => p.name).sort());
  });

  it.each(allPolicies.map((policy) => [policy.name, policy] as const))("%s: display name, description and severity", (_name, policy) => {
    const shown = reported(policy);
    expect(shown.displayName).toBe(policy.title);
    expect(shown.description).toBe(policy.description);
    expect(shown.severity).toBe(policy.severity);
  });

  it.each(allPolicies.map((policy) => [policy.name, policy] as const))(
    "%s: at the default level its file gives it (SHALL mandatory, SHOULD advisory, unless stated)",
    (_name, policy) => {
      expect(reported(policy).enforcementLevel).toBe(policy.enforcementLevel);
    },
  );

  it.each(allPolicies.map((policy) => [policy.name, policy] as const))("%s: policy type", (_name, policy) => {
    // The schema policy checks one resource at a time, like the resource policies.
    expect(reported(policy).policyType).toBe(policy.kind === "stack" ? "stack" : "resource");
  });

  it.each(allPolicies.map((policy) => [policy.name, policy] as const))("%s: config schema", (_name, policy) => {
    const shown = reported(policy);
    const fields = Object.keys((policy.configSchema as z.ZodObject).shape);
    // Every policy's entry may carry exceptions and the accountability for a lower level beside its arguments,
    // so the Pulumi CLI's validation against this schema accepts them.
    expect(shown.configSchema).toBeDefined();
    expect(Object.keys(shown.configSchema?.properties ?? {}).sort()).toEqual([...fields, ...governanceKeys].sort());
    // Every argument has a default, so the pack runs with no config at all; none is required.
    expect(shown.configSchema?.required).toEqual([]);
    for (const field of fields) {
      expect(shown.configSchema?.properties[field]).toHaveProperty("default");
    }
    // What crossed the wire is the JSON Schema of the policy's typed arguments, unchanged.
    expect(shown.configSchema).toEqual(configSchemaOf(policy.configSchema as z.ZodObject));
  });

  it("is configured at launch, as by the CLI, with each policy's severity-derived level and its argument defaults", async () => {
    // With no user config the CLI reconciles the pack's defaults and initial config; so does the session.
    const sent = await (session as PolicyPackSession).configure({});
    expect(Object.keys(sent).sort()).toEqual(allPolicies.map((p) => p.name).sort());
    for (const policy of allPolicies) {
      expect(sent[policy.name]?.enforcementLevel).toBe(policy.enforcementLevel);
      const defaults = (policy.configSchema as z.ZodObject).parse({});
      expect(sent[policy.name]?.properties).toEqual(defaults);
    }
  });
});
