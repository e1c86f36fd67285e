import fc from "fast-check";
import { domainToASCII, domainToUnicode } from "url";
import { isPublicKey, secretTextsOf, secretValuesOf } from "../../core/control";
import { isValidIsoDate } from "../../core/fields";
import { edgeLength, innerLength, redactSecrets, redacted, secretRedactor, show } from "../../core/redaction";
import { customActionControl, messengerSecurityControl, ssoEnforcementControl } from "../../resources";
import { canary, canaryKinds, leaksOf, recase } from "../support/canary";
import { propertyParameters } from "../support/property";

describe("redactSecrets", () => {
  it("removes every occurrence of a secret, longest first", () => {
    expect(redactSecrets("token abcd1234 and abcd1234-extended", ["abcd1234", "abcd1234-extended"])).toBe(
      `token ${redacted} and ${redacted}`,
    );
  });

  it("removes a part of a secret a message names on its own, such as a secret URL's host", () => {
    const message = 'host "canary-host.example.net" is not an Intercom host';
    expect(redactSecrets(message, ["https://canary-host.example.net/sdk"])).not.toContain("canary-host");
  });

  it("hides the words of a secret phrase together, as a prefix, never one by one", () => {
    const secret = "Business Associate Agreement v2";
    expect(redactSecrets("Associate and Agreement are ordinary words", [secret])).toBe("Associate and Agreement are ordinary words");
    // Its first word is a prefix of it, long enough to be a truncated quote: hidden.
    expect(redactSecrets("Business is an ordinary word", [secret])).toBe(`${redacted} is an ordinary word`);
    // A prefix of the secret that starts a token is a truncated quote of it: hidden.
    expect(redactSecrets("its Business Associate Agreement is not signed", [secret])).toBe(`its ${redacted} is not signed`);
  });

  it("hides a short value only where it stands as a whole token", () => {
    expect(redactSecrets("uses http", ["htt"])).toBe("uses http");
  });
});

describe("show", () => {
  it("quotes strings whole: a cut value would no longer match the secret it came from", () => {
    const long = "x".repeat(200);
    expect(show(long)).toBe(`"${long}"`);
  });

  it("masks a URL's user-info and query values, which may be credentials", () => {
    expect(show("https://svc:hunter2@api.example.com/x?api_key=abc&page=2")).toBe('"https://***@api.example.com/x?api_key=***&page=***"');
  });
});

describe("isValidIsoDate", () => {
  it.each(["2026-01-31", "2026-01-31T09:00:00Z", "2026-01-31T09:00+02:00"])("accepts %p", (value) => {
    expect(isValidIsoDate(value)).toBe(true);
  });
  it.each(["2026-02-30", "2026-02-30T00:00:00Z", "2026-13-01", "2026-01-31T25:00:00Z", "31/01/2026", "next tuesday"])(
    "rejects %p",
    (value) => {
      expect(isValidIsoDate(value)).toBe(false);
    },
  );
});

/** Whole segments (a base character and its combining marks) of a text, so a cut never splits one. */
function segments(text: string): string[] {
  return text.match(/\P{M}\p{M}*|\p{M}+/gu) ?? [];
}

/** The secret as a date, when it is one (an ISO date, as date fields hold them). */
function asDate(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function parsedUrl(text: string): URL | undefined {
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`);
  } catch {
    return undefined;
  }
}

/**
 * Texts a policy, the SDK or a serializer could derive from a secret and print: written here
 * independently of core/redaction.ts, so a derivation it forgot shows up as a leak.
 */
const derivations: Record<string, (secret: string) => string | undefined> = {
  "as given": (s) => s,
  "lower-cased": (s) => s.toLowerCase(),
  "upper-cased": (s) => s.toUpperCase(),
  "locale upper-cased (Turkish)": (s) => s.toLocaleUpperCase("tr"),
  NFKC: (s) => s.normalize("NFKC"),
  NFD: (s) => s.normalize("NFD"),
  "NFKD, lower-cased": (s) => s.normalize("NFKD").toLowerCase(),
  "with a zero-width space inside": (s) => {
    const parts = segments(s);
    return [...parts.slice(0, 3), "\u200b", ...parts.slice(3)].join("");
  },
  punycoded: (s) => domainToASCII(s) || undefined,
  "punycoded host": (s) => {
    const host = parsedUrl(s)?.hostname;
    return host ? domainToASCII(host) || host : undefined;
  },
  "host in Unicode": (s) => {
    const host = parsedUrl(s)?.hostname;
    return host ? domainToUnicode(host) : undefined;
  },
  "decoded from punycode": (s) => domainToUnicode(domainToASCII(s)) || undefined,
  "URL parser's href": (s) => parsedUrl(s)?.href,
  "URL path": (s) => {
    const url = parsedUrl(s);
    return url && url.pathname.length > 1 ? url.pathname : undefined;
  },
  "URL query value": (s) => {
    const url = parsedUrl(s);
    return url ? [...url.searchParams.values()][0] : undefined;
  },
  "URL user-info": (s) => parsedUrl(s)?.username || undefined,
  "email domain": (s) => (s.includes("@") ? s.slice(s.lastIndexOf("@") + 1) : undefined),
  "percent-encoded": (s) => encodeURIComponent(s),
  "percent-encoded as a URI": (s) => encodeURI(s),
  "form-encoded": (s) => new URLSearchParams({ v: s }).toString().slice(2),
  "JSON-escaped": (s) => JSON.stringify(s),
  "JSON-escaped to ASCII": (s) =>
    JSON.stringify(s).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`),
  "ISO date": (s) => asDate(s)?.toISOString(),
  "date only": (s) => asDate(s)?.toISOString().slice(0, 10),
  "UTC date": (s) => asDate(s)?.toUTCString(),
  "date string": (s) => asDate(s)?.toDateString(),
  "US locale date": (s) => asDate(s)?.toLocaleDateString("en-US"),
  "epoch milliseconds": (s) => {
    const time = asDate(s)?.getTime();
    return time === undefined ? undefined : String(time);
  },
  "truncated with an ellipsis": (s) => {
    const p = segments(s);
    return p.length > edgeLength + 2 ? `${p.slice(0, Math.max(edgeLength, Math.ceil(p.length / 2))).join("")}…` : undefined;
  },
  "its tail after an ellipsis": (s) => {
    const p = segments(s);
    return p.length > edgeLength + 2 ? `…${p.slice(-Math.max(edgeLength, Math.ceil(p.length / 2))).join("")}` : undefined;
  },
  "a slice from the middle": (s) => {
    const p = segments(s);
    return p.length >= innerLength + 4 ? p.slice(2, 2 + innerLength + 1).join("") : undefined;
  },
};

const templates = fc.tuple(
  fc.constantFrom("Trusted domain", 'Custom Action "orders" calls', "field saml.idpSsoUrl: got string", "The entry", ""),
  fc.constantFrom("is not allowed.", "admits any domain.", "which identity verification does not vouch for.", ""),
);

/** Derivations that only apply to some kinds of secret draw from those kinds (in random casing). */
const recased = (arbitrary: fc.Arbitrary<string>) => fc.tuple(arbitrary, fc.integer()).map(([text, seed]) => recase(text, seed));
const urlLike = recased(fc.oneof(canaryKinds.url, canaryKinds.host, canaryKinds.email));
const drawnFrom: Record<string, fc.Arbitrary<string>> = {
  "punycoded host": urlLike,
  "host in Unicode": urlLike,
  "URL parser's href": recased(canaryKinds.url),
  "URL path": recased(canaryKinds.url),
  "URL query value": recased(canaryKinds.url),
  "URL user-info": recased(canaryKinds.url),
  "email domain": recased(canaryKinds.email),
  "ISO date": canaryKinds.date,
  "date only": canaryKinds.date,
  "UTC date": canaryKinds.date,
  "date string": canaryKinds.date,
  "US locale date": canaryKinds.date,
  "epoch milliseconds": canaryKinds.date,
};

describe("redactSecrets: whatever is derived from a secret (generated)", () => {
  for (const [name, derive] of Object.entries(derivations)) {
    it(`hides the secret ${name}, keeping the rest of the message`, () => {
      fc.assert(
        fc.property(drawnFrom[name] ?? canary, templates, (secret, [before, after]) => {
          const derived = derive(secret);
          fc.pre(derived !== undefined && derived.length > 0);
          const message = `${before} "${derived}" ${after}`;
          const result = redactSecrets(message, [secret]);
          expect(leaksOf(result, secret)).toEqual([]);
          expect(result).toContain(redacted);
          expect(result.startsWith(`${before} "`)).toBe(true);
          expect(result.endsWith(`" ${after}`)).toBe(true);
        }),
        propertyParameters(60),
      );
    });
  }

  it("only ever replaces parts of a message with the placeholder", () => {
    fc.assert(
      fc.property(fc.array(canary, { maxLength: 3 }), fc.string({ unit: "grapheme", maxLength: 80 }), canary, (secrets, noise, other) => {
        const message = `${noise} "${other}" ${noise}`;
        const result = redactSecrets(message, secrets);
        // What is left are pieces of the message, in order.
        let from = 0;
        for (const piece of result.split(redacted)) {
          const at = message.indexOf(piece, from);
          expect(at).toBeGreaterThanOrEqual(0);
          from = at + piece.length;
        }
      }),
      propertyParameters(200),
    );
  });

  it("leaves a message that shows no secret unchanged", () => {
    fc.assert(
      fc.property(
        fc.array(canaryKinds.token, { minLength: 1, maxLength: 4 }),
        fc.array(canaryKinds.token, { maxLength: 4 }),
        (secrets, others) => {
          fc.pre(others.every((o) => secrets.every((s) => !o.toLowerCase().includes(s.toLowerCase().slice(0, edgeLength)))));
          const message = `Custom Action "${others.join('" and "')}" is not tested.`;
          expect(redactSecrets(message, secrets)).toBe(message);
        },
      ),
      propertyParameters(100),
    );
  });
});

describe("redactSecrets: the rules, by example", () => {
  it("maps a normalised match back to the original characters, however they were written", () => {
    // Fullwidth letters, a ligature, decomposed accents and a zero-width space all fold to the secret.
    expect(redactSecrets('got "ＣＡＮＡＲＹ-ﬁle-cafe\u0301\u200b-42" here', ["canary-file-café-42"])).toBe(`got "${redacted}" here`);
  });

  it("hides a short secret only as a whole token, of any length", () => {
    expect(redactSecrets('Trusted domain "*" admits any domain.', ["*"])).toBe(`Trusted domain "${redacted}" admits any domain.`);
    expect(redactSecrets("at the start, a word", ["a"])).toBe(`at the start, ${redacted} word`);
    expect(redactSecrets("x.y uses http", ["htt", "."])).toBe("x.y uses http");
  });

  it("hides a URL secret's host, punycoded or not, and its query values, but not a public suffix", () => {
    const secret = "https://user:pw-8c1d@Bücher-Intern.zzacme.co.uk/hooks/9f3e2a7b?token=Q7f3k9a1b2c4#x";
    const result = redactSecrets(
      'host "xn--bcher-intern-dlb.zzacme.co.uk" (bücher-intern.zzacme.co.uk), domain zzacme.co.uk, token "Q7f3k9a1b2c4", suffix co.uk',
      [secret],
    );
    expect(result).toBe(`host "${redacted}" (${redacted}), domain ${redacted}, token "${redacted}", suffix co.uk`);
  });

  it("hides a date secret in its other renderings", () => {
    const result = redactSecrets("rotated Tue, 02 Mar 1999 00:00:00 GMT (1999-03-02T00:00:00.000Z, 3/2/1999)", ["1999-03-02"]);
    expect(result).toBe(`rotated ${redacted} (${redacted}, ${redacted})`);
  });

  it("hides the secret behind percent-encoding and string escapes in the message", () => {
    expect(redactSecrets('a=caf%C3%A9-secret-77 b="caf\\u00e9-secret-77"', ["CAFÉ-SECRET-77"])).toBe(`a=${redacted} b="${redacted}"`);
  });

  it("builds once, redacts many messages", () => {
    const redact = secretRedactor(["canary-value-1234"]);
    expect(["a canary-value-1234", "b CANARY-VALUE-1234", "c"].map(redact)).toEqual([`a ${redacted}`, `b ${redacted}`, "c"]);
  });
});

describe("secret texts of a control", () => {
  it("hides keys nested under a secret value, not the names a `*` path selects", () => {
    const props = { headers: { Authorization: "Bearer abc", "X-Nested": { innerKey: "v" } as unknown as string } };
    const found = secretValuesOf(customActionControl, props);
    expect(found).toEqual(expect.arrayContaining(["Bearer abc", "innerKey", "v"]));
    expect(found).not.toContain("Authorization");
    expect(found).not.toContain("X-Nested");
    expect(isPublicKey(customActionControl, ["headers"], "Authorization")).toBe(true);
  });

  it("hides everything at a secret path whether or not it was marked secret, and declared field names are names", () => {
    expect(secretValuesOf(messengerSecurityControl, { apiSecret: { someKey: 12345 } })).toEqual(
      expect.arrayContaining(["someKey", "12345"]),
    );
    expect(secretValuesOf(ssoEnforcementControl, { saml: { idpEntityId: "public", idpCertificate: "pem-text" } })).toEqual(["pem-text"]);
  });

  it("in the engine's wire form: secret-path values, and values and non-name keys inside Pulumi secrets", () => {
    const envelope = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });
    const wire = {
      headers: envelope({ Authorization: "Bearer abc" }),
      name: envelope("secret-name"),
      responseMappings: envelope([{ from: "a", toAttribute: "b", canaryKey: "c" }]),
    };
    const found = secretTextsOf(customActionControl, wire);
    expect(found).toEqual(expect.arrayContaining(["Bearer abc", "secret-name", "a", "b", "canaryKey", "c"]));
    expect(found).not.toEqual(expect.arrayContaining(["Authorization"]));
    expect(found).not.toEqual(expect.arrayContaining(["from"]));
  });

  it("walks absurdly deep values without overflowing the stack", () => {
    let deep: unknown = "bottom-secret";
    for (let i = 0; i < 100_000; i++) deep = { [`k${i % 3}`]: deep };
    expect(secretValuesOf(messengerSecurityControl, { apiSecret: deep })).toContain("bottom-secret");
  });
});
