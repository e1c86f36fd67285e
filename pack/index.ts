/**
 * The policy pack's entry point: package.json `main` points at its compiled form, so
 * `pulumi preview --policy-pack <this package>` starts it without compiling TypeScript.
 */
import { PolicyPack } from "@pulumi/policy";
import { toCrossGuardPolicy } from "../core/crossguard";
import { packClock } from "../core/clock";
import { governanceRefusals } from "../core/exceptions";
import { packConfigurationRefusals } from "../core/floors";
import { governedPolicy } from "../core/policy";
import { ignoreInspectorSignal } from "../core/process-hardening";
import { installSecretTracking } from "../core/sdk-secrets";
import { analyzerServiceWrapped, installServerSeam, onConfigure } from "../core/sdk-server";
import { allPolicies } from "../policies";
import { allControls } from "../resources";

export const policyPackName = "intercom-security-health-check";

ignoreInspectorSignal();
installSecretTracking();
installServerSeam();
const now = packClock(process.env);
/** The configuration Configure last accepted, whole: the SDK gives each policy only its own entry. */
let packConfig: Readonly<Record<string, unknown>> = {};

// Configuration may tighten a SHALL policy, never switch it off unaccounted for: Configure refuses
// any argument below its floor, a malformed exception or one expiring too far ahead, and a SHALL
// policy turned off or down to advisory without justification, owner, approver and expiry
// (gRPC INVALID_ARGUMENT, which fails `pulumi preview` / `pulumi up`).
onConfigure((config) => {
  const refusals = [
    ...packConfigurationRefusals(allPolicies, config),
    ...governanceRefusals(allPolicies.map(governedPolicy), config, now()),
  ];
  if (refusals.length > 0) throw new Error(refusals.map((r) => r.message).join("\n"));
  packConfig = config;
});

new PolicyPack(policyPackName, {
  displayName: "Intercom Security Health Check",
  description:
    "Intercom's Security Health Check as code: blocks unsafe Intercom workspace security settings at preview and update.",
  tags: ["intercom", "security", "health-check", "soc2", "hipaa", "iso27001", "pci-dss"],
  policies: allPolicies.map((policy) =>
    toCrossGuardPolicy(policy, { controls: allControls, now, packConfig: () => packConfig, policies: allPolicies }),
  ),
});

// The SDK registers its Analyzer service while constructing the pack; without the seam the pack
// could not tell preview from update nor refuse a weakening configuration, so it does not run.
if (!analyzerServiceWrapped()) {
  throw new Error("The policy SDK did not register its Analyzer service through the pack's seam: refusing to start");
}
