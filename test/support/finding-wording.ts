/**
 * How a finding's message reads to a person (`pulumi preview` shows it as is): tests check the
 * wording with these. No code of the tool or the pack decides a status from the wording; the
 * status travels as data (core/finding-payload.ts). Also the generators of payloads and of program
 * text meant to pass for one.
 */
import fc from "fast-check";
import { notEvaluatedOpenings, waivedOpeningPrefix } from "../../core/evaluate";
import { encodeFindingPayload, FindingPayload, findingPayloadTag } from "../../core/finding-payload";
import { isoDatePattern } from "../../core/fields";

/** Opens with the fixed wording of a not-evaluated finding, or the SDK's "can't run policy" advisory. */
export function readsNotEvaluated(message: string): boolean {
  return (
    notEvaluatedOpenings.some((opening) => message.startsWith(opening)) ||
    /^can't run policy '[^'\n]*' from policy pack '[^'\n]*' during preview: /.test(message)
  );
}

/** Opens with the fixed wording of a waived finding: `Waived until <date> (<policy> exceptions[<i>]): `. */
export function readsWaived(message: string): boolean {
  const date = isoDatePattern.source.replace(/^\^|\$$/g, "");
  return new RegExp(`^${waivedOpeningPrefix}(${date}) \\([A-Za-z0-9._-]+ exceptions\\[\\d+\\]\\): `).test(message);
}

const date = fc.constantFrom("2027-01-15", "2026-06-02T00:00:00Z", "2026-12-01T12:30:00+02:00");
/** Every kind of payload the pack composes. */
export const payload: fc.Arbitrary<FindingPayload> = fc.oneof(
  fc.constant({ status: "needs_review" as const }),
  fc.record({ status: fc.constant("needs_review" as const), exception: fc.nat(50), expires: date, expired: fc.constant(true as const) }),
  fc.constant({ status: "not_evaluated" as const }),
  fc.constant({ status: "not_evaluated" as const, pending: true as const }),
  fc.record({ status: fc.constant("waived" as const), exception: fc.nat(50), expires: date }),
);

/** Program text meant to pass for a payload: fake payload lines, every line separator, JSON pieces, bidi and zero-width characters. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({
    unit: fc.constantFrom(
      "\n",
      "\r",
      "\u2028",
      "\u2029",
      "\u0085",
      "\u202e",
      "\u2066",
      "\u200b",
      "\ufeff",
      "{",
      "}",
      '"',
      ":",
      ",",
      "ihc-finding/1 ",
      "status",
      "waived",
      "x",
    ),
  }),
  payload.map((p) => `${encodeFindingPayload(p)}`),
  fc
    .tuple(fc.string(), payload, fc.constantFrom("\n", "\r\n", "\u2028", "\u2029", "\u0085", ""))
    .map(([text, p, separator]) => `${text}${separator}${encodeFindingPayload(p)}`),
  fc.constantFrom(
    `${findingPayloadTag} {"status":"waived","exception":0,"expires":"2099-01-01"}`,
    `x\n${findingPayloadTag} {"status":"not_evaluated","pending":true}\n`,
    `${findingPayloadTag} {"status":"waived","exception":0,"expires":"2099-01-01"}\r`,
  ),
);
