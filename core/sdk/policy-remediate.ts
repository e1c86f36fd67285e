/**
 * The policy SDK's side of a remediation. Its Remediate hands a policy the properties behind two
 * proxies (one throwing on unknowns, one unwrapping secrets), with each value that arrived secret
 * held in the SDK's `Secret` class; what the policy returns replaces the resource's properties
 * whole, and each `Secret` in it is sent back as a secret. So the result is the properties as they
 * arrived, secrets still wrapped, with only the fixed fields replaced, and a fixed field that was
 * secret (or held a secret) stays secret. A resource whose finding is waived by an unexpired
 * exception (core/exceptions.ts) is left as it is.
 */
import type { ResourceValidationArgs } from "@pulumi/policy";
import { EvaluationOptions } from "../evaluate";
import { exceptionFor, exceptionsOf, splitEntry } from "../exceptions";
import { ResourcePolicy } from "../policy";
import { remediationOf } from "../remediation";
import { isSecretEnvelope, secretPathsIn, secretSignature, signatureKey } from "../secret-envelope";
import { sdkProxyTarget } from "./policy-proxy";

/** The SDK's secret wrapper (`@pulumi/policy`'s `Secret`), loaded from the copy its server uses. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Secret } = require("@pulumi/policy/policy") as { Secret: new (value: unknown) => { value: unknown } };

/** The object behind however many of the SDK's proxies wrap it. */
function innermost(props: object): Record<string, unknown> {
  let current: object = props;
  for (let target = sdkProxyTarget(current); target; target = sdkProxyTarget(current)) current = target;
  return current as Record<string, unknown>;
}

/**
 * The properties in Pulumi's wire form: each SDK `Secret` as a secret envelope (so the pack's
 * helpers for the wire form apply), iteratively and bounded like the schema check.
 */
function wireForm(value: unknown, depth = 0): unknown {
  if (value instanceof Secret) return { [signatureKey]: secretSignature, value: wireForm(value.value, depth + 1) };
  if (depth > 64 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((element) => wireForm(element, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, element]) => [key, wireForm(element, depth + 1)]));
}

/** The plain value: secret envelopes unwrapped in place. */
function plainForm(value: unknown, depth = 0): unknown {
  if (isSecretEnvelope(value)) return plainForm(value.value, depth + 1);
  if (depth > 64 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((element) => plainForm(element, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, element]) => [key, plainForm(element, depth + 1)]));
}

/**
 * The policy's `remediateResource`: the resource's whole properties with the fix applied, or
 * undefined (nothing to fix, or no fix that is safe to make). Reads nothing through the SDK's
 * proxies, so a value not known yet never throws; the pure decision refuses to fix on one.
 */
export function remediateWithSdk(
  policy: ResourcePolicy,
  args: ResourceValidationArgs,
  options: Pick<EvaluationOptions, "now" | "preview">,
): Record<string, unknown> | undefined {
  const arrived = innermost(args.props as object);
  const wire = wireForm(arrived) as Record<string, unknown>;
  const sentAsSecret = secretPathsIn(wire);
  const entry = args.getConfig();
  // An accepted risk is a decision people made about this resource: it is not overridden.
  const workspaceId = wire["workspaceId"];
  const target = { urn: args.urn, name: args.name, ...(typeof workspaceId === "string" ? { workspaceId } : {}) };
  if (exceptionFor(exceptionsOf(entry), target, options.now ?? new Date()).active) return undefined;
  const changes = remediationOf(policy, plainForm(wire) as Record<string, unknown>, {
    ...options,
    config: splitEntry(entry).args,
    sentAsSecret,
  });
  if (!changes) return undefined;
  const result: Record<string, unknown> = { ...arrived };
  for (const [field, value] of Object.entries(changes)) {
    const wasSecret = sentAsSecret.some((path) => path.length > 0 && String(path[0]) === field);
    Object.defineProperty(result, field, {
      value: wasSecret ? new Secret(value) : value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return result;
}
