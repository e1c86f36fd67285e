/**
 * The policy SDK unwraps Pulumi secrets before a policy sees them, so a policy cannot tell a
 * secret value from any other and could echo it in a message. This hook records, for each
 * properties object the SDK deserializes, the values that arrived in Pulumi's secret form, so
 * the adapter can redact them from every message, whichever field they were in.
 *
 * It wraps the SDK's own `deserializeProperties` (its server calls it through the module
 * object). If a future SDK moves it, the pack refuses to start rather than run without it.
 */
import { ControlDefinition, isPublicKey } from "../control";
import { PropertyPath, secretPathsIn, secretValuesIn } from "../secret-envelope";
import { sdkProxyTarget } from "./policy-proxy";

/**
 * The Struct each properties object was deserialized from: its wire form (secrets still in their
 * envelopes) is read from it when first asked for and not kept, so a stack's resources are not
 * held twice; what is found in it is kept below.
 */
const structByProperties = new WeakMap<object, StructLike>();
/** What {@link secretPathsSentWith} found, per properties object. */
const secretPathsByProperties = new WeakMap<object, PropertyPath[]>();
/**
 * What the SDK deserialized from each wire Struct for Analyze and AnalyzeStack. The SDK
 * deserializes a request's properties afresh for every policy it runs (every stack policy
 * deserializes every resource of the stack); the Struct is the request's own object and never
 * changes, so the same Struct gives the same properties, and the pack's adapter only reads them.
 * Keyed by identity, never by content: another resource, or another request, is another Struct,
 * and entries go with their request. Remediate (`proxySecrets`) is left alone: there, one policy's
 * changes are meant to reach the next.
 */
const analyzedPropertiesByStruct = new WeakMap<object, object>();
/** What {@link secretsSentWith} found, per properties object and control. */
const secretsByProperties = new WeakMap<object, Map<string, string[]>>();
let installed = false;

interface StructLike {
  toJavaScript(): unknown;
}

export function installSecretTracking(): void {
  if (installed) return;
  // The module object itself, not an import copy: the SDK's server reads the function from it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const deserialize = require("@pulumi/policy/deserialize") as {
    deserializeProperties?: (struct: StructLike, proxySecrets: boolean) => object;
  };
  const original = deserialize.deserializeProperties;
  if (typeof original !== "function") {
    throw new Error("@pulumi/policy no longer exposes deserializeProperties: secret redaction cannot be guaranteed");
  }
  deserialize.deserializeProperties = function trackSecrets(struct: StructLike, proxySecrets: boolean) {
    const cacheable = proxySecrets === false && struct !== null && typeof struct === "object";
    const known = cacheable ? analyzedPropertiesByStruct.get(struct) : undefined;
    if (known) return known;
    const properties = original(struct, proxySecrets);
    structByProperties.set(properties, struct);
    if (cacheable) analyzedPropertiesByStruct.set(struct, properties);
    return properties;
  };
  installed = true;
}

/** Whether {@link installSecretTracking} ran (startPolicyPack installs it before the pack starts). */
export function secretTrackingInstalled(): boolean {
  return installed;
}

/**
 * Values that arrived as secrets in these properties (the SDK's proxy, or the object itself), and
 * the keys of objects inside a secret that are not names of the given control (see
 * `isPublicKey`; without a control, keys are not collected).
 */
export function secretsSentWith(properties: unknown, definition?: ControlDefinition): string[] {
  if (!properties || typeof properties !== "object") return [];
  const target = sdkProxyTarget(properties) ?? properties;
  const struct = structByProperties.get(target);
  if (!struct) return [];
  let cached = secretsByProperties.get(target);
  if (!cached) {
    cached = new Map();
    secretsByProperties.set(target, cached);
  }
  const key = definition?.name ?? "";
  let found = cached.get(key);
  if (!found) {
    found = secretValuesIn(struct.toJavaScript(), definition ? (parentPath, name) => isPublicKey(definition, parentPath, name) : undefined);
    cached.set(key, found);
  }
  return found;
}

/**
 * Where values arrived in Pulumi's secret form in these properties: a rule may treat a value the
 * program gave as a secret differently from a literal written in code (see RuleContext).
 * Nothing recorded (properties the SDK did not deserialize) means nothing arrived secret.
 */
export function secretPathsSentWith(properties: unknown): readonly PropertyPath[] {
  if (!properties || typeof properties !== "object") return [];
  const target = sdkProxyTarget(properties) ?? properties;
  const struct = structByProperties.get(target);
  if (!struct) return [];
  let found = secretPathsByProperties.get(target);
  if (!found) secretPathsByProperties.set(target, (found = secretPathsIn(struct.toJavaScript())));
  return found;
}
