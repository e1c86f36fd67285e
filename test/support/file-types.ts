/**
 * Generated attachment file-type lists (policies/data-protection/attachment-file-types.ts): lists
 * holding some type not known to be safe, and lists of known-safe types only, in the spellings a
 * program or an attacker might use. Shared by the policy spec, the protocol suite and the preview suite.
 */
import fc from "fast-check";
import { knownSafeFileTypes, normaliseExtension } from "../../policies/data-protection/attachment-file-types";

/** Executables, scripts, active markup, macro formats and archives: a sample of what is not safe, never the definition. */
export const notSafeSample = [
  "exe",
  "dll",
  "scr",
  "msi",
  "bat",
  "cmd",
  "ps1",
  "vbs",
  "js",
  "jse",
  "wsf",
  "hta",
  "jar",
  "sh",
  "py",
  "php",
  "lnk",
  "html",
  "htm",
  "svg",
  "svgz",
  "xml",
  "xhtml",
  "mht",
  "docm",
  "xlsm",
  "pptm",
  "doc",
  "xls",
  "ppt",
  "rtf",
  "odt",
  "ods",
  "odp",
  "zip",
  "rar",
  "7z",
  "tar",
  "gz",
  "iso",
  "img",
  "dmg",
  "apk",
  "ipa",
  "eml",
  "msg",
  "one",
  "chm",
  "reg",
  "url",
];

/** Case variants of a string, letter by letter. */
export function casings(text: string): fc.Arbitrary<string> {
  return fc.tuple(...[...text].map((c) => fc.constantFrom(c.toLowerCase(), c.toUpperCase())), fc.constant("")).map((cs) => cs.join(""));
}

/** Full-width forms (NFKC folds them to ASCII). */
export function fullWidth(text: string): string {
  return [...text].map((c) => (/[!-~]/.test(c) ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join("");
}

export const safeType = fc.constantFrom(...knownSafeFileTypes);

/** Letters and digits, as the control's schema admits, not a known-safe type: random extensions and unsafe ones in any casing. */
export const notKnownSafeExtension = fc
  .oneof(fc.stringMatching(/^[A-Za-z0-9]{1,16}$/), fc.constantFrom(...notSafeSample).chain(casings))
  .filter((t) => !knownSafeFileTypes.includes(t.toLowerCase()));

/** What a hand-written list may hold that the control's schema refuses; the check judges it all the same. */
export const oddNotation = fc
  .oneof(
    fc.tuple(safeType, fc.constantFrom(...notSafeSample)).map(([a, b]) => `${a}.${b}`), // pdf.exe
    fc.tuple(fc.constantFrom(...notSafeSample), safeType).map(([a, b]) => `${a}.${b}`), // exe.pdf: not exactly a safe type either
    fc.constantFrom("*", "*.*", "", " ", ".", "..", "*.pdf", "image/png", "application/pdf", "image/*", "pdf\u200b", "p\u0440f"),
    fc.constantFrom(...notSafeSample).map(fullWidth),
    fc.constantFrom(...notSafeSample).map((t) => `${t}. `), // Windows strips trailing dots and spaces: still exe
    fc.constantFrom(...notSafeSample).map((t) => `.${t}`),
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 8 }),
  )
  .filter((t) => !knownSafeFileTypes.includes(normaliseExtension(t)));

/** Spellings of a safe type that normalise to it: case, leading dot, spaces, trailing dots, full width. */
export const safeSpelling = fc
  .tuple(safeType, fc.constantFrom("", ".", " ", " ."), fc.constantFrom("", ".", " ", ". "), fc.boolean())
  .chain(([t, before, after, wide]) => casings(t).map((c) => `${before}${wide ? fullWidth(c) : c}${after}`));

/** An upload list with at least one type not known to be safe, among safe ones; `odd` adds notations the schema refuses. */
export function unsafeUploadList(options: { odd: boolean }): fc.Arbitrary<string[]> {
  const unsafe = options.odd ? fc.oneof(notKnownSafeExtension, oddNotation) : notKnownSafeExtension;
  return fc
    .tuple(fc.array(safeType, { maxLength: 4 }), fc.array(unsafe, { minLength: 1, maxLength: 3 }))
    .chain(([safe, bad]) => fc.shuffledSubarray([...safe, ...bad], { minLength: safe.length + bad.length }));
}

/** A non-empty list of known-safe types in any casing (duplicates allowed). */
export const safeUploadList = fc.array(safeType.chain(casings), { minLength: 1, maxLength: 8 });
