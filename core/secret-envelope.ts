/**
 * Pulumi's wire form of a secret: `{ [signatureKey]: secretSignature, value }`. The program
 * runner captures properties in this form and the policy SDK receives them so; both the pack
 * and the tool need to find the values inside.
 */
import { secretSignature, signatureKey } from "./wire-form";

export { secretSignature, signatureKey };

export function isSecretEnvelope(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[signatureKey] === secretSignature;
}

/**
 * Every string (and number) inside a secret envelope anywhere in the properties, and the keys of
 * objects inside one unless `isPublicKey` says the key at that place is a name (a declared field,
 * a header's name). Without `isPublicKey`, keys are not collected. Iterative: a deeply nested
 * value cannot overflow the stack.
 */
export function secretValuesIn(
  properties: unknown,
  isPublicKey?: (parentPath: readonly (string | number)[], key: string) => boolean,
): string[] {
  const found: string[] = [];
  // Paths are kept only as deep as a key can be a name (see control.ts): deeper, copying them
  // would make a deep value quadratic to walk, and no key there is a name.
  type Path = readonly (string | number)[] | undefined;
  const child = (path: Path, segment: string | number): Path => (path !== undefined && path.length < 32 ? [...path, segment] : undefined);
  const pending: Array<{ value: unknown; path: Path; insideSecret: boolean }> = [{ value: properties, path: [], insideSecret: false }];
  const seen = new Set<object>();
  for (let item = pending.pop(); item; item = pending.pop()) {
    const { value, path } = item;
    if (isSecretEnvelope(value)) {
      pending.push({ value: value.value, path, insideSecret: true });
    } else if (Array.isArray(value)) {
      if (seen.has(value)) continue;
      seen.add(value);
      value.forEach((element, i) => pending.push({ value: element, path: child(path, i), insideSecret: item.insideSecret }));
    } else if (value && typeof value === "object") {
      if (seen.has(value)) continue;
      seen.add(value);
      for (const [key, element] of Object.entries(value)) {
        if (item.insideSecret && isPublicKey && (path === undefined || !isPublicKey(path, key))) found.push(key);
        pending.push({ value: element, path: child(path, key), insideSecret: item.insideSecret });
      }
    } else if (item.insideSecret && (typeof value === "string" || typeof value === "number" || typeof value === "bigint")) {
      found.push(String(value));
    }
  }
  return found;
}

/** A property path: object keys and array indexes from the top of a control's properties. */
export type PropertyPath = readonly (string | number)[];

/**
 * Where secret envelopes sit in a wire form: the path of each outermost envelope (everything
 * under it arrived secret). Iterative, and bounded in depth like the schema check.
 */
export function secretPathsIn(properties: unknown, maxDepth = 32): PropertyPath[] {
  const found: PropertyPath[] = [];
  const pending: Array<{ value: unknown; path: PropertyPath }> = [{ value: properties, path: [] }];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const { value, path } = item;
    if (isSecretEnvelope(value)) {
      found.push(path);
    } else if (path.length < maxDepth && Array.isArray(value)) {
      value.forEach((element, i) => pending.push({ value: element, path: [...path, i] }));
    } else if (path.length < maxDepth && value && typeof value === "object") {
      for (const [key, element] of Object.entries(value)) pending.push({ value: element, path: [...path, key] });
    }
  }
  return found;
}

/** Whether the value at `path` arrived as a secret: an envelope sat there or at one of its parents. */
export function arrivedSecretAt(secretPaths: readonly PropertyPath[], path: PropertyPath): boolean {
  return secretPaths.some(
    (secretPath) => secretPath.length <= path.length && secretPath.every((part, i) => String(part) === String(path[i])),
  );
}

/** The plain value behind a property, and whether it was secret. */
export function unwrapSecret(value: unknown): { value: unknown; secret: boolean } {
  let current = value;
  let secret = false;
  while (isSecretEnvelope(current)) {
    current = current.value;
    secret = true;
  }
  return { value: current, secret };
}

/** The SDK's proxies answer this key with the object they wrap. */
export const specialProxyTarget = "__getSpecialProxyTarget";
