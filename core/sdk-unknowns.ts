/**
 * During a preview the policy SDK hands policies a proxy that throws its UnknownValueError on a
 * value not known until the update. A stack policy must not let one such control silence it for
 * the whole stack, so the stack model recognises the error per control.
 */
import { specialProxyTarget } from "./secret-envelope";

interface ProxyModule {
  UnknownValueError: new (...args: never[]) => Error;
  [sentinel: string]: unknown;
}

function proxyModule(): ProxyModule | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an internal of the SDK, loaded only when needed
    return require("@pulumi/policy/proxy") as ProxyModule;
  } catch {
    return undefined;
  }
}

export function isUnknownValueError(error: unknown): error is Error {
  const module = proxyModule();
  return module !== undefined && error instanceof module.UnknownValueError;
}

/** The raw properties behind the SDK's proxy, where unknowns are the SDK's sentinel strings. */
export function rawProperties(props: Record<string, unknown>): Record<string, unknown> {
  const target = props[specialProxyTarget];
  return target && typeof target === "object" ? (target as Record<string, unknown>) : props;
}

/** Whether a raw value is one of the SDK's unknown-value sentinels. */
export function isUnknownSentinel(value: unknown): boolean {
  const module = proxyModule();
  if (!module || typeof value !== "string") return false;
  return Object.entries(module).some(([name, sentinel]) => /^unknown\w+Value$/.test(name) && sentinel === value);
}
