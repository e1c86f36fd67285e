/**
 * The status payload (core/finding-payload.ts): every payload survives any program text before it;
 * only the last line, in its canonical form, is read; anything else (another version, an extra
 * field, other spacing, text after it) is no payload at all. The SDK's own "can't run policy"
 * advisory is recognised from its exact opening only.
 */
import fc from "fast-check";
import {
  decodeFindingPayload,
  encodeFindingPayload,
  FindingPayload,
  isSdkCannotRunAdvisory,
  withFindingPayload,
} from "../../core/finding-payload";
import { hostileText, payload } from "../support/finding-wording";
import { propertyParameters } from "../support/property";

describe("the finding payload", () => {
  it("decodes to exactly what was appended, whatever program text comes before it; the text is given back as it was", () => {
    fc.assert(
      fc.property(hostileText, payload, (text, p) => {
        expect(decodeFindingPayload(withFindingPayload(text, p))).toEqual({ payload: p, text });
      }),
      propertyParameters(300),
    );
  });

  it("is one line of printable ASCII, in one canonical form", () => {
    fc.assert(
      fc.property(payload, (p) => {
        const line = encodeFindingPayload(p);
        expect(line).toMatch(/^ihc-finding\/1 \{[\x20-\x7e]*\}$/);
        // Key order in the input does not change the line.
        const reversed = Object.fromEntries(Object.entries(p).reverse()) as FindingPayload;
        expect(encodeFindingPayload(reversed)).toBe(line);
      }),
      propertyParameters(100),
    );
  });

  it("is not read unless it is the last line in its canonical form", () => {
    const good = encodeFindingPayload({ status: "waived", exception: 0, expires: "2027-01-15" });
    const tampered = [
      good, // not after a newline: the whole message is not a payload line
      `m\n${good}\n`,
      `m\n${good} `,
      `m\n${good}\r`,
      `m\n ${good}`,
      `m\n${good}\nmore`,
      `m\n${good.replace("ihc-finding/1", "ihc-finding/2")}`,
      `m\n${good.replace("ihc-finding/1 ", "ihc-finding/1  ")}`,
      `m\n${good.replace(/,/g, ", ")}`,
      `m\nihc-finding/1 {"expires":"2027-01-15","status":"waived","exception":0}`,
      `m\nihc-finding/1 {"status":"waived","exception":0,"expires":"2027-01-15","extra":1}`,
      `m\nihc-finding/1 {"status":"waived","exception":0}`,
      `m\nihc-finding/1 {"status":"waived","exception":-1,"expires":"2027-01-15"}`,
      `m\nihc-finding/1 {"status":"waived","exception":0.5,"expires":"2027-01-15"}`,
      `m\nihc-finding/1 {"status":"waived","exception":0,"expires":"soon"}`,
      `m\nihc-finding/1 {"status":"secure"}`,
      `m\nihc-finding/1 {"status":"not_evaluated","pending":false}`,
      `m\nihc-finding/1 {"status":"needs_review","exception":0,"expires":"2027-01-15"}`,
      `m\nihc-finding/1 {"status":"waived","status":"waived","exception":0,"expires":"2027-01-15"}`,
      `m\nihc-finding/1 {"__proto__":{"status":"waived"},"status":"needs_review"}`,
      `m\nihc-finding/1 {"status":"waived","exception":0,"expires":"2027-01-15"`,
      `m\nihc-finding/1 ["waived"]`,
      `m\nihc-finding/1 null`,
      `m\u2028${good}`,
      `m\r${good}`,
    ];
    for (const message of tampered) expect(decodeFindingPayload(message)).toBeUndefined();
  });

  it("refuses to encode anything the schema does not allow (a composed payload is never malformed)", () => {
    expect(() => encodeFindingPayload({ status: "waived", exception: 0, expires: "soon" } as FindingPayload)).toThrow();
    expect(() => encodeFindingPayload({ status: "secure" } as unknown as FindingPayload)).toThrow();
  });
});

describe("the SDK's own can't-run advisory", () => {
  const sdk = (policyName: string, message: string, enforcementLevel = "advisory") => ({ policyName, message, enforcementLevel });
  const real =
    "can't run policy 'intercom-x' from policy pack 'intercom-security-health-check@v0.1.0' during preview: \"trustedDomains\" is unknown";

  it("is recognised by its exact opening naming the diagnostic's own policy, advisory only", () => {
    expect(isSdkCannotRunAdvisory(sdk("intercom-x", real))).toBe(true);
    expect(isSdkCannotRunAdvisory(sdk("intercom-y", real))).toBe(false);
    expect(isSdkCannotRunAdvisory(sdk("intercom-x", real, "mandatory"))).toBe(false);
    // A violation's message opens with its policy's description: program text after it never reads as the SDK's.
    expect(isSdkCannotRunAdvisory(sdk("intercom-x", `Description\n${real}`))).toBe(false);
    expect(isSdkCannotRunAdvisory(sdk("intercom-x", `can't run policy 'intercom-x' from policy pack 'p\n' during preview: `))).toBe(false);
  });

  it("generated: program text after any opening other than the SDK's is never recognised", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), hostileText, (description, text) => {
        expect(isSdkCannotRunAdvisory(sdk("intercom-x", `${description}\n${text}`))).toBe(false);
      }),
      propertyParameters(200),
    );
  });
});
