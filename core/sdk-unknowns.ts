/**
 * During a preview the policy SDK hands policies a proxy that throws its UnknownValueError on a
 * value not known until the update, which would make every policy on the control "can't run
 * during preview". The pack never reads through that proxy: it grades the raw properties behind
 * it, where unknowns are sentinel strings, field by field (core/unknowns.ts).
 */
import { specialProxyTarget } from "./secret-envelope";

/** The raw properties behind the SDK's proxy, where unknowns are the SDK's sentinel strings. */
export function rawProperties(props: Record<string, unknown>): Record<string, unknown> {
  const target = props[specialProxyTarget];
  return target && typeof target === "object" ? (target as Record<string, unknown>) : props;
}
