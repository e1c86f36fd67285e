import { redactSecrets, redacted, show } from "../../core/redaction";
import { isValidIsoDate } from "../../core/fields";

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
