/**
 * The policy SDK unwraps Pulumi secrets before a policy sees them, so a policy cannot tell a
 * secret value from any other and could echo it in a message. This hook records, for each
 * properties object the SDK deserializes, the values that arrived in Pulumi's secret form, so
 * the adapter can redact them from every message, whichever field they were in.
 *
 * It wraps the SDK's own `deserializeProperties` (its server calls it through the module
 * object). If a future SDK moves it, the pack refuses to start rather than run without it.
 */
const secretSignatureKey = "4dabf18193072939515e22adb298388d";
const secretSignature = "1b47061264138c4ac30d75fd1eb44270";
const specialProxyTarget = "__getSpecialProxyTarget";

const secretsByProperties = new WeakMap<object, string[]>();
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
    const properties = original(struct, proxySecrets);
    secretsByProperties.set(properties, collectSecrets(struct.toJavaScript(), false, []));
    return properties;
  };
  installed = true;
}

/** Values that arrived as secrets in these properties (the SDK's proxy, or the object itself). */
export function secretsSentWith(properties: unknown): string[] {
  if (!properties || typeof properties !== "object") return [];
  const target = (properties as Record<string, unknown>)[specialProxyTarget] ?? properties;
  return secretsByProperties.get(target as object) ?? [];
}

function collectSecrets(value: unknown, inSecret: boolean, found: string[]): string[] {
  if (Array.isArray(value)) value.forEach((v) => collectSecrets(v, inSecret, found));
  else if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record[secretSignatureKey] === secretSignature) return collectSecrets(record["value"], true, found);
    Object.values(record).forEach((v) => collectSecrets(v, inSecret, found));
  } else if (inSecret && (typeof value === "string" || typeof value === "number")) {
    found.push(String(value));
  }
  return found;
}
