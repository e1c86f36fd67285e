/**
 * Which secret values a rule read. Redaction hides the texts of a secret, but a rule can derive
 * text a secret never contained: a date's age in days, an address decoded from a hostname, the
 * size of a secret network. No list of renderings can cover every computation, so the settings a
 * rule sees record every value it reads, and a message of a rule that read a secret value is not
 * shown (core/evaluate.ts replaces it with one naming the fields, never anything of their values).
 *
 * Separate from the unknown-value tracking (core/unknowns.ts): this proxy wraps whatever settings
 * the rule would see, that tracking proxy included, so both record their reads independently.
 */
import { ControlDefinition } from "./control";
import { PropertyPath } from "./secret-envelope";

/**
 * Every dot path (with `*` segments) whose values a message may not derive anything from: the
 * control's secret paths and, when the control declares them, its redaction-sensitive paths.
 */
export function hiddenPathsOf(definition: ControlDefinition): string[] {
  const sensitive = (definition as { readonly sensitivePaths?: readonly string[] }).sensitivePaths ?? [];
  return [...definition.secretPaths, ...sensitive];
}

/** Whether `path` is at or under one of the dot paths (`*` matches any one segment). */
export function isAtOrUnder(dotPaths: readonly string[], path: PropertyPath): boolean {
  return dotPaths.some((dotPath) => {
    const parts = dotPath.split(".");
    return parts.length <= path.length && parts.every((part, i) => part === "*" || part === String(path[i]));
  });
}

export interface SecretReadTracking<T> {
  /** The settings to give the rule. */
  readonly settings: T;
  /** The secret paths read so far, in order of first read. */
  readonly reads: () => readonly PropertyPath[];
}

/**
 * Parsed settings hold plain objects and arrays only. Anything else (a Date, say) would not work
 * behind a proxy: it is handed over as it is, and counts as read whole.
 */
function isPlainContainer(value: unknown): value is object {
  if (value === null || typeof value !== "object") return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return Array.isArray(value) || prototype === Object.prototype || prototype === null;
}

function pathStep(target: object, key: string): string | number {
  return Array.isArray(target) && /^(0|[1-9]\d*)$/.test(key) ? Number(key) : key;
}

/**
 * Settings that record each read of a value at a secret location (`isSecret`): a leaf value, a
 * list's length, the keys of an object. Reading an object only to reach into it records nothing,
 * nor do the keys of an object that is merely a parent of secrets (a record of headers: the
 * header names are names). Inherited members (array methods) read as usual.
 */
export function trackSecretReads<T extends object>(settings: T, isSecret: (path: PropertyPath) => boolean): SecretReadTracking<T> {
  const reads: PropertyPath[] = [];
  const seen = new Set<string>();
  const record = (path: PropertyPath) => {
    const key = JSON.stringify(path);
    if (seen.has(key)) return;
    seen.add(key);
    reads.push(path);
  };
  const proxies = new WeakMap<object, object>();
  const wrap = (target: object, path: PropertyPath): object => {
    const existing = proxies.get(target);
    if (existing) return existing;
    const child = (value: unknown, childPath: PropertyPath): unknown => {
      if (isPlainContainer(value)) return wrap(value, childPath);
      if (value !== undefined && typeof value !== "function" && isSecret(childPath)) record(childPath);
      return value;
    };
    const proxy = new Proxy(target, {
      get(object, key, receiver) {
        const value: unknown = Reflect.get(object, key, receiver);
        if (typeof key === "symbol" || !Object.hasOwn(object, key)) return value;
        const descriptor = Reflect.getOwnPropertyDescriptor(object, key);
        // A list's length is a fact of the list.
        const childPath = Array.isArray(object) && key === "length" ? path : [...path, pathStep(object, key)];
        // A frozen property must read as itself (a Proxy invariant): still recorded.
        if (descriptor && "value" in descriptor && !descriptor.configurable && !descriptor.writable) {
          if (value !== undefined && isSecret(childPath)) record(childPath);
          return value;
        }
        return child(value, childPath);
      },
      getOwnPropertyDescriptor(object, key) {
        const descriptor = Reflect.getOwnPropertyDescriptor(object, key);
        if (!descriptor || typeof key === "symbol" || !descriptor.configurable) return descriptor;
        const childPath = [...path, pathStep(object, key)];
        // Object.keys asks for descriptors too: only reading the value counts as reading it.
        const { enumerable, configurable } = descriptor;
        if ("value" in descriptor) {
          const value: unknown = descriptor.value;
          if (isPlainContainer(value)) return { ...descriptor, value: wrap(value, childPath) };
          return { enumerable, configurable, get: () => child(value, childPath) };
        }
        const getter = descriptor.get;
        return getter ? { enumerable, configurable, get: () => child(getter.call(object), childPath) } : descriptor;
      },
      ownKeys(object) {
        const keys = Reflect.ownKeys(object);
        // The keys of an object inside a secret value are part of it; a list's indexes say its length.
        if (isSecret(path)) record(path);
        return keys;
      },
    });
    proxies.set(target, proxy);
    return proxy;
  };
  return { settings: wrap(settings, []) as T, reads: () => [...reads] };
}

/**
 * The field a secret read is named by: cut at the outermost place the value arrived secret
 * (keys under a secret value may be secret themselves), before a key a hidden path's `*`
 * selects (a header's name may itself be a pasted token) and before the first list index.
 */
export function fieldOfSecretRead(path: PropertyPath, sentAsSecret: readonly PropertyPath[], hiddenPaths: readonly string[]): PropertyPath {
  const cuts = [path.length];
  for (const secretPath of sentAsSecret) {
    if (secretPath.length <= path.length && secretPath.every((part, i) => String(part) === String(path[i]))) cuts.push(secretPath.length);
  }
  for (const hiddenPath of hiddenPaths) {
    const parts = hiddenPath.split(".");
    const star = parts.indexOf("*");
    if (star >= 0 && star < path.length && parts.slice(0, star).every((part, i) => part === String(path[i]))) cuts.push(star);
  }
  const index = path.findIndex((step) => typeof step === "number");
  if (index >= 0) cuts.push(index);
  return path.slice(0, Math.max(1, Math.min(...cuts)));
}
