/**
 * During a preview the policy SDK hands policies a proxy that throws its UnknownValueError on a
 * value not known until the update, which would make every policy on the control "can't run
 * during preview". The pack never reads through that proxy: it grades the raw properties behind
 * it, where unknowns are sentinel strings, field by field (core/unknowns.ts).
 */
import { types } from "util";
import { specialProxyTarget } from "../secret-envelope";

/** The SDK's proxies answer this key with `true` (`@pulumi/policy/proxy`'s isSpecialProxy). */
const specialProxyMark = "__isSpecialProxy";

/**
 * The object behind the SDK's proxy, or undefined when `props` is not one. Only a real Proxy that
 * answers the SDK's keys is followed: plain properties (the tool's captured wire form, or props
 * whose program gave them a `__getSpecialProxyTarget` key of its own) are their own target.
 */
export function sdkProxyTarget(props: object): object | undefined {
  if (!types.isProxy(props)) return undefined;
  const record = props as Record<string, unknown>;
  if (record[specialProxyMark] !== true) return undefined;
  const target = record[specialProxyTarget];
  return target !== null && typeof target === "object" && target !== props ? target : undefined;
}

/** The raw properties behind the SDK's proxy, where unknowns are the SDK's sentinel strings. */
export function rawProperties(props: Record<string, unknown>): Record<string, unknown> {
  return (sdkProxyTarget(props) as Record<string, unknown> | undefined) ?? props;
}

/**
 * The unknown sentinels the installed policy SDK names (`@pulumi/policy/proxy`'s unknown*Value), or
 * none when it cannot be loaded: core/unknowns.ts lists every released one itself and adds these.
 */
export function sdkUnknownSentinels(): string[] {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an internal of the SDK, when installed
    const proxy = require("@pulumi/policy/proxy") as Record<string, unknown>;
    return Object.entries(proxy)
      .filter(([name, value]) => /^unknown\w+Value$/.test(name) && typeof value === "string")
      .map(([, value]) => value as string);
  } catch {
    return [];
  }
}
