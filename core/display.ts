/**
 * Program-controlled text (resource names, URNs, field values, header names, messages quoting
 * them) is shown to people: in the text report, in CI logs, on stderr. A newline, a carriage
 * return, a terminal escape sequence or a bidi override in it could forge a line ("Nothing
 * blocks."), recolour or hide text, or reorder what a reader sees. Outputs pass such text through
 * these functions, which show every such character as a visible escape instead.
 */

/**
 * Characters that never reach an output raw: C0 controls (newline, carriage return, ESC, ...),
 * DEL, C1 controls (including the 8-bit CSI U+009B and NEL U+0085), every format character
 * (bidi embeddings, overrides and isolates U+202A-U+202E and U+2066-U+2069, marks such as
 * U+200E, zero-width characters U+200B-U+200D and U+2060, the BOM U+FEFF, ...), the line and
 * paragraph separators U+2028/U+2029, other default-ignorable code points (which render as
 * nothing), and lone surrogates.
 */
const unsafeCharacter =
  // With the u flag, a surrogate range matches only a lone surrogate, never half of a pair.
  /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\uD800-\uDFFF]/gu;

const namedEscapes: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, "0");
}

function visibleEscape(character: string): string {
  const named = namedEscapes[character];
  if (named) return named;
  const code = character.codePointAt(0) as number;
  if (code <= 0xff) return `\\x${hex(code, 2)}`;
  if (code <= 0xffff) return `\\u${hex(code, 4)}`;
  return `\\u{${hex(code, 1)}}`;
}

/**
 * The text with every unsafe character shown as an escape (`\n`, `\x1b`, `\u202e`), and every
 * backslash doubled, so an escape the program wrote itself (the two characters `\` `n`) cannot
 * pass for one this function wrote. Printable text, including non-ASCII letters, is unchanged.
 * The result is one line: it never contains a raw newline, carriage return or escape character.
 */
export function escapeForDisplay(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(unsafeCharacter, visibleEscape);
}

/**
 * The text with every unsafe character escaped but backslashes kept: a last safety net over
 * text that was already escaped field by field (escaping it again would double backslashes).
 */
export function escapeUnsafeCharacters(text: string): string {
  return text.replace(unsafeCharacter, visibleEscape);
}

/**
 * JSON text (from JSON.stringify, which already escapes C0 controls inside strings; a raw newline
 * is its own indentation and stays) in which every unsafe character inside a string is written as
 * a `\uXXXX` escape. The parsed values are exactly the same (these are JSON's own escapes), so
 * machines read the exact data, while printing the JSON (`cat`, a CI log) shows no raw control
 * character, escape sequence or bidi override.
 */
export function escapeJsonForDisplay(json: string): string {
  return json.replace(unsafeCharacter, (character) => {
    // JSON.stringify escapes C0 controls inside strings, so a raw newline is its own layout.
    if (character === "\n") return character;
    let escaped = "";
    for (let i = 0; i < character.length; i++) escaped += `\\u${hex(character.charCodeAt(i), 4)}`;
    return escaped;
  });
}

/** Whether the text contains a character {@link escapeForDisplay} would escape (other than `\`). */
export function hasUnsafeCharacter(text: string): boolean {
  unsafeCharacter.lastIndex = 0;
  const found = unsafeCharacter.test(text);
  unsafeCharacter.lastIndex = 0;
  return found;
}
