/**
 * A SARIF result's message is plain text in which SARIF 2.1.0 (3.11.6) reads `[text](target)` as
 * an embedded link, which viewers render as one: program text in a finding (a resource name, a
 * value) must not become a link in a code scanning alert. Literal brackets (and backslashes) are
 * escaped with a backslash, and the message reads back as the finding's text.
 */
import fc from "fast-check";
import { sarifLog } from "../../report/sarif";
import { context, hostile, hostileFields, hostileReport } from "./audit-fixtures";
import { propertyParameters } from "../support/property";

/** A SARIF message's text as a viewer reads it: the literal text, and whether an embedded link opened anywhere. */
function readMessage(text: string): { literal: string; opensLink: boolean } {
  let literal = "";
  let opensLink = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === "\\" && i + 1 < text.length && "\\[]".includes(text[i + 1] as string)) {
      literal += text[++i];
    } else {
      if (c === "[") opensLink = true;
      literal += c;
    }
  }
  return { literal, opensLink };
}

describe("SARIF result messages", () => {
  it("carry program text as literal text, never an embedded link", () => {
    fc.assert(
      fc.property(hostileFields, fc.oneof(hostile, fc.string()), (fields, message) => {
        const { report } = hostileReport({ ...fields, message: `${message}[x](https://evil.example) \\[y\\](1)` });
        const log = sarifLog(report, { toolName: context.toolName, toolVersion: context.toolVersion });
        const results = log.runs[0]?.results ?? [];
        expect(results.length).toBeGreaterThan(0);
        for (const result of results) {
          const read = readMessage(result.message.text as string);
          expect(read.opensLink).toBe(false);
          expect(read.literal).toContain(`${message}[x](https://evil.example) \\[y\\](1)`);
        }
      }),
      propertyParameters(50),
    );
  });
});
