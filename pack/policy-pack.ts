/**
 * The pack as functions, so that loading it starts nothing: pack/index.ts (the entry Pulumi loads)
 * calls {@link startPolicyPack}, and a policy pack of your own calls it with your policies added
 * to this pack's (the package's root export, lib/index.ts, exports these).
 */
import { PolicyPack, PolicyPackArgs } from "@pulumi/policy";
import { toCrossGuardPolicy } from "../core/crossguard";
import { packClock } from "../core/clock";
import { governanceRefusals } from "../core/exceptions";
import { packConfigurationRefusals } from "../core/floors";
import { AnyPolicy, governedPolicy } from "../core/policy";
import { ignoreInspectorSignal } from "../core/process-hardening";
import { installSecretTracking } from "../core/sdk/policy-deserialize";
import { assertSupportedSdkVersions } from "../core/sdk/versions";
import { analyzerServiceWrapped, installServerSeam, onConfigure } from "../core/sdk/policy-server";
import { allPolicies } from "../policies";
import { allControls } from "../resources";

export const policyPackName = "intercom-security-health-check";

export interface PolicyPackOptions {
  /** The policies the pack runs. Default: this pack's ({@link allPolicies}); to add your own, pass `[...allPolicies, ...yours]`. */
  readonly policies?: readonly AnyPolicy[];
  /** The clock date-based rules read. Default: the real time, or INTERCOM_HEALTH_CHECK_AS_OF when set. */
  readonly now?: () => Date;
  readonly displayName?: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  /** The whole configuration Configure last accepted (the SDK gives each policy only its own entry). */
  readonly packConfig?: () => Readonly<Record<string, unknown>>;
}

/**
 * The arguments of the pack's `PolicyPack`, with every policy adapted to CrossGuard. Pure: builds
 * objects, starts nothing. Construct the pack with {@link startPolicyPack}, which installs the
 * seams the policies rely on (secret tracking, preview detection, Configure refusals) first; in a
 * `new PolicyPack(name, policyPackArgs())` the policies refuse to run (core/crossguard.ts).
 */
export function policyPackArgs(options: PolicyPackOptions = {}): PolicyPackArgs {
  const policies = options.policies ?? allPolicies;
  const seen = new Set<string>();
  for (const policy of policies) {
    if (seen.has(policy.name)) throw new Error(`Duplicate policy name ${policy.name}: each policy of a pack needs its own`);
    seen.add(policy.name);
  }
  const now = options.now ?? packClock(process.env);
  return {
    displayName: options.displayName ?? "Intercom Security Health Check",
    description:
      options.description ??
      "Intercom's Security Health Check as code: blocks unsafe Intercom workspace security settings at preview and update.",
    tags: [...(options.tags ?? ["intercom", "security", "health-check", "soc2", "hipaa", "iso27001", "pci-dss"])],
    policies: policies.map((policy) =>
      toCrossGuardPolicy(policy, {
        controls: allControls,
        now,
        policies,
        ...(options.packConfig ? { packConfig: options.packConfig } : {}),
      }),
    ),
  };
}

let started = false;

/**
 * Starts the policy pack's Analyzer server (what `pulumi preview --policy-pack` talks to) and
 * prints its port: call it once, from a pack's entry point.
 */
export function startPolicyPack(name: string = policyPackName, options: PolicyPackOptions = {}): PolicyPack {
  if (started) throw new Error("startPolicyPack was already called: one process serves one policy pack");
  started = true;
  // Before anything reaches into the SDKs: a version the seam was not written for may lack what it wraps.
  assertSupportedSdkVersions();
  ignoreInspectorSignal();
  installSecretTracking();
  installServerSeam();
  const policies = options.policies ?? allPolicies;

  const now = options.now ?? packClock(process.env);
  let packConfig: Readonly<Record<string, unknown>> = {};

  // Configuration may tighten a SHALL policy, never switch it off unaccounted for: Configure refuses
  // any argument below its floor, a malformed exception or one expiring too far ahead, and a SHALL
  // policy turned off or down to advisory without justification, owner, approver and expiry
  // (gRPC INVALID_ARGUMENT, which fails `pulumi preview` / `pulumi up`).
  onConfigure((config) => {
    const refusals = [...packConfigurationRefusals(policies, config), ...governanceRefusals(policies.map(governedPolicy), config, now())];
    if (refusals.length > 0) throw new Error(refusals.map((r) => r.message).join("\n"));
    packConfig = config;
  });

  const pack = new PolicyPack(name, policyPackArgs({ ...options, policies, now, packConfig: () => packConfig }));

  // The SDK registers its Analyzer service while constructing the pack; without the seam the pack
  // could not tell preview from update nor refuse a weakening configuration, so it does not run.
  if (!analyzerServiceWrapped()) {
    throw new Error("The policy SDK did not register its Analyzer service through the pack's seam: refusing to start");
  }
  return pack;
}
