/**
 * Program-controlled text is escaped visibly in every output: no raw control character, escape
 * sequence, bidi override or zero-width character survives, and the escape is unambiguous.
 */
import fc from "fast-check";
import { escapeForDisplay, escapeJsonForDisplay, escapeUnsafeCharacters, hasUnsafeCharacter } from "../../core/display";
import { propertyParameters } from "../support/property";

/** Reverses escapeForDisplay: that it is a function shows the escaping loses nothing and is unambiguous. */
function unescape(text: string): string {
  return text.replace(/\\(n|r|t|\\|x[0-9a-f]{2}|u\{[0-9a-f]+\}|u[0-9a-f]{4})/g, (_match, code: string) => {
    if (code === "n") return "\n";
    if (code === "r") return "\r";
    if (code === "t") return "\t";
    if (code === "\\") return "\\";
    if (code.startsWith("x")) return String.fromCharCode(parseInt(code.slice(1), 16));
    if (code.startsWith("u{")) return String.fromCodePoint(parseInt(code.slice(2, -1), 16));
    return String.fromCharCode(parseInt(code.slice(1), 16));
  });
}

/** Characters a program could use to forge or hide text: every class the escaping must cover. */
const hostileCharacter = fc.oneof(
  fc.integer({ min: 0x00, max: 0x1f }).map((c) => String.fromCharCode(c)), // C0, with \n \r ESC
  fc.constant("\x7f"), // DEL
  fc.integer({ min: 0x80, max: 0x9f }).map((c) => String.fromCharCode(c)), // C1, with CSI U+009B and NEL
  fc.integer({ min: 0x202a, max: 0x202e }).map((c) => String.fromCharCode(c)), // bidi embeddings and overrides
  fc.integer({ min: 0x2066, max: 0x2069 }).map((c) => String.fromCharCode(c)), // bidi isolates
  fc.constantFrom("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u200f", "\u061c", "\u00ad", "\u2028", "\u2029"),
  fc.constantFrom("\x1b[31m", "\x1b[2K\r", "\x1b]0;title\x07", "\x1b]8;;https://evil.example\x1b\\", "\x9b31m", "\x1bc"),
  fc.constantFrom("\ud800", "\udfff"), // lone surrogates
  fc.constant("\\"),
);

const hostileText = fc
  .array(fc.oneof(hostileCharacter, fc.string({ unit: "grapheme", maxLength: 6 })), { maxLength: 12 })
  .map((parts) => parts.join(""));

describe("escapeForDisplay", () => {
  it("leaves no raw control, escape, bidi, zero-width or separator character, and no line break", () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const shown = escapeForDisplay(text);
        expect(hasUnsafeCharacter(shown)).toBe(false);
        for (const raw of ["\n", "\r", "\x1b", "\u2028", "\u2029", "\x85"]) expect(shown).not.toContain(raw);
      }),
      propertyParameters(500),
    );
  });

  it("is unambiguous: the original text can be read back from what is shown", () => {
    fc.assert(
      fc.property(fc.oneof(hostileText, fc.string({ unit: "binary" })), (text) => {
        expect(unescape(escapeForDisplay(text))).toBe(text);
      }),
      propertyParameters(200),
    );
  });

  it("leaves printable text, accents and emoji included, as it is", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (text) => {
        fc.pre(!hasUnsafeCharacter(text) && !text.includes("\\"));
        expect(escapeForDisplay(text)).toBe(text);
      }),
      propertyParameters(300),
    );
  });

  it("shows escapes a reader recognises", () => {
    expect(escapeForDisplay("a\nb\r\x1b[31mc\u202ed\u200be\\n")).toBe("a\\nb\\r\\x1b[31mc\\u202ed\\u200be\\\\n");
  });

  it("escapeUnsafeCharacters, the safety net, escapes the same characters without doubling backslashes", () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const shown = escapeUnsafeCharacters(text);
        expect(hasUnsafeCharacter(shown)).toBe(false);
        expect(escapeUnsafeCharacters(escapeForDisplay(text))).toBe(escapeForDisplay(text));
      }),
      propertyParameters(200),
    );
  });
});

describe("escapeJsonForDisplay", () => {
  const jsonWithHostileStrings = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: "small" },
      hostileText,
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie("value"), { maxLength: 4 }),
      fc.dictionary(hostileText, tie("value"), { maxKeys: 4 }),
    ),
  })).value;

  it("stays valid JSON with exactly the same values, and prints no unsafe character", () => {
    fc.assert(
      fc.property(jsonWithHostileStrings, (value) => {
        const json = escapeJsonForDisplay(JSON.stringify(value, null, 2));
        expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(value)));
        // Only the layout's own newlines remain raw.
        expect(hasUnsafeCharacter(json.replace(/\n/g, ""))).toBe(false);
      }),
      propertyParameters(300),
    );
  });
});
