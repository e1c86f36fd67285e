/**
 * How a finding's message reads to a person (`pulumi preview` shows it as is): tests check the
 * wording with these. No code of the tool or the pack decides a status from the wording; the
 * status travels as data (core/finding-payload.ts).
 */
import { notEvaluatedOpenings, waivedOpeningPrefix } from "../../core/evaluate";
import { isoDatePattern } from "../../core/fields";

/** Opens with the fixed wording of a not-evaluated finding, or the SDK's "can't run policy" advisory. */
export function readsNotEvaluated(message: string): boolean {
  return notEvaluatedOpenings.some((opening) => message.startsWith(opening)) || /^can't run policy '[^'\n]*' from policy pack '[^'\n]*' during preview: /.test(message);
}

/** Opens with the fixed wording of a waived finding: `Waived until <date> (<policy> exceptions[<i>]): `. */
export function readsWaived(message: string): boolean {
  const date = isoDatePattern.source.replace(/^\^|\$$/g, "");
  return new RegExp(`^${waivedOpeningPrefix}(${date}) \\([A-Za-z0-9._-]+ exceptions\\[\\d+\\]\\): `).test(message);
}
