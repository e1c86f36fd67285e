import { z } from "zod";
import type { Finding } from "./evaluate";
import { isoDatePattern } from "./fields";

/**
 * The status of a finding as data, carried by every violation this pack reports: its message's
 * LAST line is `ihc-finding/1 ` and a compact JSON object, e.g.
 *
 *     ihc-finding/1 {"status":"needs_review"}
 *     ihc-finding/1 {"status":"not_evaluated","pending":true}
 *     ihc-finding/1 {"status":"waived","exception":0,"expires":"2027-01-15"}
 *     ihc-finding/1 {"status":"needs_review","exception":2,"expires":"2026-06-10","expired":true}
 *
 * - `status`: needs_review (a problem found), not_evaluated (the policy could not grade it), waived
 *   (a needs-review finding an active exception covers; advisory).
 * - `pending`: not evaluated only because a value is not known until the update (it is graded then).
 * - `exception`, `expires`: the covering exception's position in the policy's `exceptions` list and
 *   its expiry as configured; with `expired` on a needs-review finding whose only covering
 *   exception has expired (it blocks again).
 *
 * The pack composes it from the evaluation's own data (a status, a position and a validated date
 * from configuration), never from program text, and appends it after everything else, so the
 * program text before it (which may hold newlines, U+2028, fake payload lines) cannot change it.
 * A reader decodes only the last line, after the last `\n`, and accepts it only in exactly the
 * canonical form {@link encodeFindingPayload} writes; the tool reads it only from its pack's Health
 * Check policies (cli/preview.ts verdictClassifier). A Secure finding is never reported, so it has
 * no payload. The version in the tag changes whenever the meaning of a field does.
 */
export const findingPayloadTag = "ihc-finding/1";

const isoDate = z.string().regex(isoDatePattern);

/** The payload's fields; every variant strict, so an unknown field is a tampered payload. */
export const findingPayloadSchema = z.union([
  z.strictObject({ status: z.literal("needs_review") }),
  z.strictObject({
    status: z.literal("needs_review"),
    exception: z.int().nonnegative(),
    expires: isoDate,
    expired: z.literal(true),
  }),
  z.strictObject({ status: z.literal("not_evaluated") }),
  z.strictObject({ status: z.literal("not_evaluated"), pending: z.literal(true) }),
  z.strictObject({ status: z.literal("waived"), exception: z.int().nonnegative(), expires: isoDate }),
]);

export type FindingPayload = z.infer<typeof findingPayloadSchema>;

/** The payload line, without a newline: its fields in one fixed order, so it has one canonical form. */
export function encodeFindingPayload(payload: FindingPayload): string {
  const parsed = findingPayloadSchema.parse(payload);
  const ordered = {
    status: parsed.status,
    ...("pending" in parsed ? { pending: parsed.pending } : {}),
    ...("exception" in parsed ? { exception: parsed.exception, expires: parsed.expires } : {}),
    ...("expired" in parsed ? { expired: parsed.expired } : {}),
  };
  return `${findingPayloadTag} ${JSON.stringify(ordered)}`;
}

/**
 * What a finding reports as data, from the finding's own fields (set by core/evaluate.ts from the
 * evaluation and the configured exceptions); undefined for a Secure finding, which is not reported.
 */
export function findingPayloadOf(finding: Finding): FindingPayload | undefined {
  switch (finding.status) {
    case "secure":
      return undefined;
    case "not_evaluated":
      return finding.pendingUntilUpdate ? { status: "not_evaluated", pending: true } : { status: "not_evaluated" };
    case "waived":
      // A waived finding always carries its exception (core/evaluate.ts withExceptions); without one it is not waived.
      return finding.waiver
        ? { status: "waived", exception: finding.waiver.index, expires: finding.waiver.expires }
        : { status: "needs_review" };
    case "needs_review":
      return finding.expiredWaiver
        ? { status: "needs_review", exception: finding.expiredWaiver.index, expires: finding.expiredWaiver.expires, expired: true }
        : { status: "needs_review" };
  }
}

/** A message with its payload appended as the last line. */
export function withFindingPayload(message: string, payload: FindingPayload): string {
  return `${message}\n${encodeFindingPayload(payload)}`;
}

export interface DecodedFinding {
  readonly payload: FindingPayload;
  /** The message without its payload line (and the newline before it). */
  readonly text: string;
}

/**
 * The payload of a message's last line, with the text before it; undefined when the last line is
 * not a payload in its canonical form (a foreign pack's message, or a tampered one).
 */
export function decodeFindingPayload(message: string): DecodedFinding | undefined {
  const newline = message.lastIndexOf("\n");
  if (newline < 0) return undefined;
  const line = message.slice(newline + 1);
  if (!line.startsWith(`${findingPayloadTag} `)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(line.slice(findingPayloadTag.length + 1));
  } catch {
    return undefined;
  }
  const parsed = findingPayloadSchema.safeParse(json);
  if (!parsed.success || encodeFindingPayload(parsed.data) !== line) return undefined;
  return { payload: parsed.data, text: message.slice(0, newline) };
}

/**
 * Whether a diagnostic is the policy SDK's own advisory for a policy that read a value not known
 * yet through its proxy: `can't run policy '<name>' from policy pack '<pack>@v<version>' during
 * preview: ...`. The one status still read from text: the SDK composes it (no payload; the
 * protocol has no field for it) and sends it advisory, without the description it prefixes to
 * every violation. Recognised only as the whole message's opening, naming the diagnostic's own
 * policy; the pack version is not compared (the tool reports PulumiPolicy.yaml's).
 */
export function isSdkCannotRunAdvisory(diagnostic: { policyName: string; message: string; enforcementLevel: string }): boolean {
  const opening = `can't run policy '${diagnostic.policyName}' from policy pack '`;
  if (diagnostic.enforcementLevel !== "advisory" || !diagnostic.message.startsWith(opening)) return false;
  return /^[^'\n]*' during preview: /.test(diagnostic.message.slice(opening.length));
}
