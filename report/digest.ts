import { createHash } from "crypto";

/**
 * Canonical JSON and SHA-256 for evidence and the report's digest: the same value always gives the
 * same text, whatever the order its object keys were built in. Object keys are sorted by UTF-16
 * code units (as JCS, RFC 8785), arrays keep their order, no whitespace; strings and numbers are
 * written as JSON.stringify writes them. An undefined property is left out, as JSON.stringify
 * does; a value JSON cannot hold (a function, a symbol, a bigint, a non-finite number) is refused
 * rather than silently hashed as something else.
 */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  write(value, parts, 0);
  return parts.join("");
}

/** Deeper than any report or control: a cycle or absurd nesting is refused, not walked forever. */
const maxDepth = 256;

function write(value: unknown, parts: string[], depth: number): void {
  if (depth > maxDepth) throw new Error("canonicalJson: value nested too deeply");
  if (value === null) {
    parts.push("null");
  } else if (typeof value === "string" || typeof value === "boolean") {
    parts.push(JSON.stringify(value));
  } else if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error("canonicalJson: a non-finite number has no JSON form");
    parts.push(JSON.stringify(value));
  } else if (Array.isArray(value)) {
    parts.push("[");
    value.forEach((element, i) => {
      if (i > 0) parts.push(",");
      // As JSON.stringify: an array element JSON cannot hold is null.
      write(element === undefined ? null : element, parts, depth + 1);
    });
    parts.push("]");
  } else if (typeof value === "object") {
    const keys = Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    parts.push("{");
    keys.forEach((key, i) => {
      if (i > 0) parts.push(",");
      parts.push(JSON.stringify(key), ":");
      write((value as Record<string, unknown>)[key], parts, depth + 1);
    });
    parts.push("}");
  } else {
    throw new Error(`canonicalJson: a ${typeof value} has no JSON form`);
  }
}

/** SHA-256 of a text (UTF-8), lower-case hex. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** SHA-256 of a value's canonical JSON. */
export function canonicalSha256(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
