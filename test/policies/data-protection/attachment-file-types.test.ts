import fc from "fast-check";
import { attachmentFileTypes, knownSafeFileTypes, normaliseExtension } from "../../../policies/data-protection/attachment-file-types";
import { expectNeedsReview, expectNotApplicable, expectNotEvaluated, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";
import {
  casings,
  fullWidth,
  notKnownSafeExtension as notKnownSafe,
  notSafeSample as notSafe,
  oddNotation,
  safeSpelling,
  safeType as safe,
} from "../../support/file-types";
import { propertyParameters } from "../../support/property";

describe("intercom-attachment-file-types", () => {
  const base = secure.attachmentPolicy;
  const types = (allowedFileTypes: string[], config?: unknown) => grade(attachmentFileTypes, { ...base, allowedFileTypes }, { config });
  /** The check alone, on entries the schema would refuse: what it does with them matters to a caller that skips the schema. */
  const check = (allowedFileTypes: string[], safeFileTypes: readonly string[] = knownSafeFileTypes) =>
    attachmentFileTypes.check(
      { ...base, allowedFileTypes },
      // As outside the pack: nothing arrived as a secret, no pack-wide configuration.
      {
        config: { safeFileTypes: safeFileTypes.map(normaliseExtension) },
        now: new Date(),
        sentAsSecret: () => false,
        packConfig: {},
        policies: [],
      },
    );

  it("passes the secure fixture (pdf, png, jpg for users)", () => {
    expectSecure(grade(attachmentFileTypes, base));
  });

  it("passes safe types open to everyone (intercom-attachment-audience owns the audience)", () => {
    expectSecure(grade(attachmentFileTypes, { ...base, customerUploads: "everyone" }));
  });

  it("flags an empty list, which allows any type", () => {
    expectNeedsReview(types([]), "any type", "allowedFileTypes is empty");
  });

  it("passes every known-safe type, and the whole safe set at once", () => {
    for (const type of knownSafeFileTypes) expectSecure(types([type]));
    expectSecure(types([...knownSafeFileTypes]));
  });

  it("safe set: no active markup, macro format, archive or executable is in it", () => {
    for (const type of notSafe) expect(knownSafeFileTypes).not.toContain(type);
  });

  it("generated: a list with any type not known to be safe needs review, naming each such type once", () => {
    fc.assert(
      fc.property(
        fc.array(safe, { maxLength: 4 }),
        fc.uniqueArray(notKnownSafe, { minLength: 1, maxLength: 3 }),
        (safeOnes, unsafeOnes) => {
          const findings = types([...safeOnes, ...unsafeOnes, ...unsafeOnes]);
          const [finding, ...rest] = expectNeedsReview(findings, "not known to be safe");
          expect(rest).toEqual([]);
          for (const t of unsafeOnes) expect(finding?.message.split(`"${t}"`)).toHaveLength(2);
          for (const t of new Set(safeOnes)) expect(finding?.message).not.toContain(`"${t}"`);
        },
      ),
      propertyParameters(300),
    );
  });

  it("generated: any list of known-safe types, in any casing, passes", () => {
    fc.assert(
      fc.property(fc.array(safe.chain(casings), { minLength: 1, maxLength: 8 }), (list) => {
        expectSecure(types(list));
      }),
      propertyParameters(200),
    );
  });

  it("generated: the check itself refuses what is not exactly a safe type once normalised (double extensions, *, MIME types, look-alikes)", () => {
    fc.assert(
      fc.property(fc.array(safe, { maxLength: 3 }), oddNotation, (safeOnes, odd) => {
        const messages = check([...safeOnes, odd]);
        expect(messages).toHaveLength(1);
        expect(messages[0]).toContain("not known to be safe");
      }),
      propertyParameters(300),
    );
  });

  it("generated: the check passes every spelling that normalises to a safe type (case, dots, spaces, full width)", () => {
    fc.assert(
      fc.property(fc.array(safeSpelling, { minLength: 1, maxLength: 5 }), (list) => {
        expect(check(list)).toEqual([]);
      }),
      propertyParameters(200),
    );
  });

  it("grades entries the control's schema refuses (pdf.exe, .exe, *, image/png, full width) as not evaluated, never secure", () => {
    for (const odd of ["pdf.exe", ".exe", "*", "image/png", "", fullWidth("exe"), "exe."]) expectNotEvaluated(types(["pdf", odd]));
  });

  it("normaliseExtension folds case, width, leading dots and trailing dots or spaces, and nothing else", () => {
    expect(normaliseExtension(" .PDF. ")).toBe("pdf");
    expect(normaliseExtension(fullWidth("Docx"))).toBe("docx");
    expect(normaliseExtension("pdf.exe")).toBe("pdf.exe");
    expect(normaliseExtension("p\u0440f")).toBe("p\u0440f"); // Cyrillic er is not p
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 12 }), (text) => {
        const once = normaliseExtension(text);
        expect(normaliseExtension(once)).toBe(once);
      }),
      propertyParameters(300),
    );
  });

  it("flags uploads limited to users too: an identified user can still upload an executable", () => {
    expectNeedsReview(grade(attachmentFileTypes, { ...base, customerUploads: "users_only", allowedFileTypes: ["exe"] }), '"exe"');
  });

  it("does not apply when uploads are disabled, whatever the list", () => {
    expectNotApplicable(grade(attachmentFileTypes, { ...base, customerUploads: "disabled", allowedFileTypes: [] }));
    expectNotApplicable(grade(attachmentFileTypes, { ...base, customerUploads: "disabled", allowedFileTypes: ["exe"] }));
  });

  describe("safeFileTypes: configurable only downwards", () => {
    it("generated: a subset of the safe set (any spelling) narrows what passes", () => {
      fc.assert(
        fc.property(fc.subarray([...knownSafeFileTypes]), safe, (subset, probe) => {
          const config = { safeFileTypes: subset.map((t) => t.toUpperCase()) };
          const findings = types([probe], config);
          if (subset.includes(probe)) expectSecure(findings);
          else expectNeedsReview(findings, `"${probe}"`, "not known to be safe");
        }),
        propertyParameters(200),
      );
    });

    it("an empty safe set refuses every upload type (tighter, not looser)", () => {
      expectNeedsReview(types(["pdf"], { safeFileTypes: [] }), '"pdf"', "safeFileTypes is empty");
      expectNeedsReview(types([], { safeFileTypes: [] }), "any type");
    });

    it("generated: adding any type beyond the safe set is refused (not evaluated), naming the argument, the type and the floor", () => {
      fc.assert(
        fc.property(fc.subarray([...knownSafeFileTypes]), fc.oneof(notKnownSafe, oddNotation), (subset, extra) => {
          const findings = types(["pdf"], { safeFileTypes: [...subset, extra] });
          expectNotEvaluated(findings, "intercom-attachment-file-types", "safeFileTypes", "not in its floor", '"png","jpg"');
        }),
        propertyParameters(200),
      );
    });

    it.each([[{ safeFileTypes: "pdf" }], [{ safeFileTypes: [1] }], [{ blockedFileTypes: ["exe"] }]])(
      "reports %p as an invalid configuration",
      (config) => {
        expectNotEvaluated(types(["pdf"], config), "configuration", "refused");
      },
    );
  });

  describeResourcePolicyBasics(attachmentFileTypes, "data-protection", base);
});
