/**
 * Pulumi's wire form of a secret: `{ [signatureKey]: secretSignature, value }`. The program
 * runner captures properties in this form and the policy SDK receives them so; both the pack
 * and the tool need to find the values inside.
 */
export const signatureKey = "4dabf18193072939515e22adb298388d";
export const secretSignature = "1b47061264138c4ac30d75fd1eb44270";

export function isSecretEnvelope(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[signatureKey] === secretSignature;
}

/** Every string (and number) inside a secret envelope anywhere in the properties. */
export function secretValuesIn(properties: unknown, insideSecret = false, found: string[] = []): string[] {
  if (isSecretEnvelope(properties)) return secretValuesIn(properties.value, true, found);
  if (Array.isArray(properties)) properties.forEach((v) => secretValuesIn(v, insideSecret, found));
  else if (properties && typeof properties === "object") {
    Object.values(properties).forEach((v) => secretValuesIn(v, insideSecret, found));
  } else if (insideSecret && (typeof properties === "string" || typeof properties === "number")) {
    found.push(String(properties));
  }
  return found;
}

/** The plain value behind a property, and whether it was secret. */
export function unwrapSecret(value: unknown): { value: unknown; secret: boolean } {
  return isSecretEnvelope(value) ? { value: unwrapSecret(value.value).value, secret: true } : { value, secret: false };
}

/** The SDK's proxies answer this key with the object they wrap. */
export const specialProxyTarget = "__getSpecialProxyTarget";
