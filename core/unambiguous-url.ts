import { z } from "zod";

/**
 * URLs that every parser reads the same way. WHATWG (Node's URL, browsers) turns `\` into `/`,
 * strips tabs and newlines, decodes and IDNA-maps the host and rewrites IPv4 shorthand; curl,
 * Python's urllib and Ruby's URI do not all do the same. `https://api.example.com\@127.0.0.1/`
 * is api.example.com to WHATWG and 127.0.0.1 to curl. A policy that reads the WHATWG host cannot
 * vouch for the host another client calls, so such URLs are refused where the URL enters the
 * model (the control's schema), once, and no policy grades them.
 */

/** Characters no parser agrees on: `\`, whitespace and control characters anywhere. */
const disputedCharacter = /[\\\p{White_Space}\p{Cc}]/u;

/** Percent-escapes that decode to authority delimiters (`\`, `/`, `@`, `:`). */
const encodedDelimiter = /%(5c|2f|40|3a)/i;

const defaultPorts: Readonly<Record<string, string>> = { "http:": "80", "https:": "443", "ws:": "80", "wss:": "443", "ftp:": "21" };

/**
 * Why a URL may be read differently by different parsers, in words without any part of it, or
 * undefined when it is unambiguous. A URL WHATWG cannot parse is left to the caller (the schema's
 * URL check, or the policy that reads it).
 */
export function urlAmbiguity(text: string): string | undefined {
  if (disputedCharacter.test(text)) {
    return "it contains a backslash, whitespace or a control character, which URL parsers read differently";
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  const written = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(text);
  if (!written) return "it does not start with scheme:// and a host, so parsers disagree on where the host is";
  const authority = written[1] as string;
  if ((authority.match(/@/g) ?? []).length > 1) return "its authority holds more than one @, so parsers disagree on where the host starts";
  if (encodedDelimiter.test(authority)) {
    return "its authority holds a percent-encoded \\, /, @ or :, which some parsers decode before finding the host";
  }
  const userinfo = url.username !== "" || url.password !== "" ? `${url.username}${url.password !== "" ? `:${url.password}` : ""}@` : "";
  const parsed = `${userinfo}${url.host}`.toLowerCase();
  const asWritten = authority.toLowerCase();
  const defaultPort = defaultPorts[url.protocol];
  // An explicit default port (`:443` on https) is dropped by WHATWG and means the same everywhere.
  const withoutDefaultPort =
    defaultPort !== undefined && url.port === "" ? asWritten.replace(new RegExp(`:${defaultPort}$`), "") : asWritten;
  if (parsed !== asWritten && parsed !== withoutDefaultPort) {
    return "its authority does not read back as written (a host in another notation, Unicode or encoded characters, or stray delimiters): write the host as plain lower-case ASCII (xn-- for international names), and any IP address in its usual form";
  }
  return undefined;
}

/**
 * A string refused when it is an ambiguous URL (see urlAmbiguity). The message says why, never
 * the URL: it may hold a credential. Checked on the text as given, before anything trims it.
 */
export const unambiguousText = z.string().superRefine((text, context) => {
  const ambiguity = urlAmbiguity(text);
  if (ambiguity) context.addIssue({ code: "custom", message: `a URL every client reads alike; ${ambiguity}` });
});

/**
 * A URL every parser reads alike. zod's URL check trims the value and strips tabs and newlines
 * before the next check sees it, so the ambiguity check runs first, on the text as given.
 */
export const unambiguousUrl = unambiguousText.pipe(z.url()).meta({ format: "uri" });
