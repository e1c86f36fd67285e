/**
 * core/exceptions.ts as an attacker would probe it: look-alike resources an exception must not
 * cover, expiry boundaries around the injected clock, one person posing as owner and approver,
 * expiries beyond the maximum, and malformed exceptions (refused with the path of the problem).
 */
import fc from "fast-check";
import {
  configuredLevel,
  exceptionCovers,
  exceptionFor,
  exceptionsOf,
  exceptionsPolicyName,
  expiryInstant,
  GovernedPolicy,
  governanceRefusals,
  hardMaxExceptionDays,
  isDowngrade,
  isExpired,
  isTooFarAhead,
  levelChangesOf,
  PolicyException,
  splitEntry,
} from "../../core/exceptions";
import { governedPolicy } from "../../core/policy";
import { allPolicies } from "../../policies";
import { propertyParameters } from "../support/property";

const dayMs = 24 * 60 * 60 * 1000;
const shall: GovernedPolicy = { name: "intercom-shall", criticality: "SHALL", defaultLevel: "mandatory" };
const should: GovernedPolicy = { name: "intercom-should", criticality: "SHOULD", defaultLevel: "advisory" };
const exceptionsPolicy: GovernedPolicy = { name: exceptionsPolicyName, criticality: "SHOULD", defaultLevel: "advisory" };
const policies = [shall, should, exceptionsPolicy];
const now = new Date("2026-06-01T12:00:00Z");

const accountable = {
  justification: "Replaced by the new channel in Q3",
  owner: "alice@example.com",
  approver: "bob@example.com",
  expires: "2026-07-01",
};
const exception = (fields: Partial<PolicyException> = {}): PolicyException => ({
  workspace: "abc123xyz",
  resource: "redaction",
  ...accountable,
  index: 0,
  ...fields,
});

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// Look-alikes

const identifier = fc.stringMatching(/^[a-z][a-z0-9-]{2,20}$/);
const invisible = fc.constantFrom("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", "\u180e");
const confusable: Record<string, string> = { a: "\u0430", e: "\u0435", o: "\u043e", c: "\u0441", p: "\u0440", x: "\u0445", i: "\u0456" };

/** Ways one identifier is spelled to look like another; every one differs from it. */
const lookAlike = (original: string): fc.Arbitrary<string> =>
  fc
    .oneof(
      fc.nat({ max: original.length - 1 }).map((i) => original.slice(0, i) + original.charAt(i).toUpperCase() + original.slice(i + 1)),
      fc.constantFrom(" ", "\t", "\u00a0", "\n").map((space) => original + space),
      fc.constantFrom(" ", "\u3000").map((space) => space + original),
      fc.tuple(fc.nat({ max: original.length }), invisible).map(([i, mark]) => original.slice(0, i) + mark + original.slice(i)),
      fc.constant([...original].map((ch) => (ch >= "!" && ch <= "~" ? String.fromCharCode(ch.charCodeAt(0) + 0xfee0) : ch)).join("")),
      fc.constant([...original].map((ch) => confusable[ch] ?? ch).join("")),
      fc.constant(original.normalize("NFD") + "\u0301"),
    )
    .filter((variant) => variant !== original);

describe("exceptionCovers: exact matches only", () => {
  it("covers the resource it names, by workspace and name or by urn", () => {
    fc.assert(
      fc.property(identifier, identifier, (workspace, name) => {
        const urn = `urn:pulumi:dev::p::t::${name}`;
        expect(exceptionCovers({ workspace, resource: name }, { urn, name, workspaceId: workspace })).toBe(true);
        expect(exceptionCovers({ urn }, { urn, name, workspaceId: workspace })).toBe(true);
      }),
      propertyParameters(50),
    );
  });

  it("never covers a look-alike name, workspace or urn (case, spaces, invisible characters, full width, confusables)", () => {
    const arbitrary = fc
      .tuple(identifier, identifier)
      .chain(([workspace, name]) => fc.tuple(fc.constant(workspace), fc.constant(name), lookAlike(workspace), lookAlike(name)));
    fc.assert(
      fc.property(arbitrary, ([workspace, name, otherWorkspace, otherName]) => {
        const urn = `urn:pulumi:dev::p::t::${name}`;
        const target = { urn, name, workspaceId: workspace };
        expect(exceptionCovers({ workspace, resource: otherName }, target)).toBe(false);
        expect(exceptionCovers({ workspace: otherWorkspace, resource: name }, target)).toBe(false);
        expect(exceptionCovers({ urn: `urn:pulumi:dev::p::t::${otherName}` }, target)).toBe(false);
      }),
      propertyParameters(200),
    );
  });

  it("never covers a target whose workspace is not known as a plain string, nor one without a urn by urn", () => {
    expect(exceptionCovers({ workspace: "abc123xyz", resource: "redaction" }, { name: "redaction" })).toBe(false);
    expect(exceptionCovers({ urn: "urn:x" }, { name: "redaction", workspaceId: "abc123xyz" })).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Expiry

const clock = fc.date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2035-12-31T00:00:00Z"), noInvalidDate: true });

describe("expiry around the injected clock", () => {
  it("a date covers that whole UTC day: active through its last millisecond, expired from the next day's first", () => {
    fc.assert(
      fc.property(clock, (day) => {
        const expires = isoDay(day);
        const end = Date.parse(`${expires}T00:00:00Z`) + dayMs;
        expect(expiryInstant(expires).getTime()).toBe(end);
        const covering = [exception({ expires })];
        const target = { name: "redaction", workspaceId: "abc123xyz" };
        expect(exceptionFor(covering, target, new Date(end - 1)).active).toBeDefined();
        expect(exceptionFor(covering, target, new Date(end)).active).toBeUndefined();
        expect(exceptionFor(covering, target, new Date(end)).expired).toEqual(covering[0]);
      }),
      propertyParameters(100),
    );
  });

  it("a date-time ends at that instant, whatever its offset", () => {
    fc.assert(
      fc.property(clock, fc.constantFrom("Z", "+02:00", "-05:30"), (instant, offset) => {
        const local = new Date(instant.getTime() + (offset === "Z" ? 0 : (offset === "+02:00" ? 120 : -330) * 60_000));
        const expires = `${local.toISOString().slice(0, 19)}${offset}`;
        const end = Date.parse(expires);
        expect(isExpired(expires, new Date(end - 1))).toBe(false);
        expect(isExpired(expires, new Date(end))).toBe(true);
      }),
      propertyParameters(100),
    );
  });

  it("waives with the active exception that runs longest; with none active, names the one that expired last", () => {
    const target = { name: "redaction", workspaceId: "abc123xyz" };
    const early = exception({ expires: "2026-06-10", index: 0 });
    const late = exception({ expires: "2026-06-20", index: 1 });
    const past = exception({ expires: "2026-05-01", index: 2 });
    const older = exception({ expires: "2026-04-01", index: 3 });
    expect(exceptionFor([early, past, late], target, now)).toEqual({ active: late });
    expect(exceptionFor([older, past], target, now)).toEqual({ expired: past });
    expect(exceptionFor([early], { name: "other", workspaceId: "abc123xyz" }, now)).toEqual({});
  });

  it("an expiry may be at most the maximum number of days ahead (a date counted in whole UTC days)", () => {
    fc.assert(
      fc.property(clock, fc.integer({ min: 1, max: hardMaxExceptionDays }), (at, maxDays) => {
        const today = Date.parse(`${isoDay(at)}T00:00:00Z`);
        expect(isTooFarAhead(isoDay(new Date(today + maxDays * dayMs)), at, maxDays)).toBe(false);
        expect(isTooFarAhead(isoDay(new Date(today + (maxDays + 1) * dayMs)), at, maxDays)).toBe(true);
        expect(isTooFarAhead(new Date(at.getTime() + maxDays * dayMs).toISOString(), at, maxDays)).toBe(false);
        expect(isTooFarAhead(new Date(at.getTime() + maxDays * dayMs + 1).toISOString(), at, maxDays)).toBe(true);
      }),
      propertyParameters(100),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Refusals

function refusalsFor(entry: unknown, extra: Record<string, unknown> = {}, at: Date = now): string[] {
  return governanceRefusals(policies, { [shall.name]: entry, ...extra }, at).map((r) => r.message);
}

const person = fc.stringMatching(/^[a-z]{3,12}@[a-z]{3,8}\.com$/);
/** The same person written another way: case, full width, spacing, invisible characters, ß for ss. */
const samePersonAs = (name: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constant(name.toUpperCase()),
    fc.constant([...name].map((ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0)).join("")),
    fc.constant(` ${name}\u00a0`),
    fc.tuple(fc.nat({ max: name.length }), invisible).map(([i, mark]) => name.slice(0, i) + mark + name.slice(i)),
  );

describe("governanceRefusals", () => {
  it("refuses an exception whose approver is its owner, however the name is written", () => {
    fc.assert(
      fc.property(
        person.chain((owner) => fc.tuple(fc.constant(owner), samePersonAs(owner))),
        ([owner, approver]) => {
          const refusals = refusalsFor({ exceptions: [{ workspace: "w", resource: "r", ...accountable, owner, approver }] });
          expect(refusals).toEqual([expect.stringContaining("exceptions[0].approver: the approver must be someone other than the owner")]);
        },
      ),
      propertyParameters(100),
    );
    expect(
      refusalsFor({
        exceptions: [
          { ...accountable, workspace: "w", resource: "r", owner: "strasse@x.com", approver: "STRASSE@X.COM".replace("SS", "ß") },
        ],
      }),
    ).toHaveLength(1);
  });

  it("accepts distinct people as owner and approver", () => {
    fc.assert(
      fc.property(person, person, (owner, approver) => {
        fc.pre(owner !== approver);
        expect(refusalsFor({ exceptions: [{ workspace: "w", resource: "r", ...accountable, owner, approver }] })).toEqual([]);
      }),
      propertyParameters(50),
    );
  });

  it("refuses an exception expiring more than the maximum ahead, with the default or a configured maximum", () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 1, max: hardMaxExceptionDays }), { nil: undefined }),
        fc.integer({ min: 0, max: 400 }),
        (configured, daysAhead) => {
          const maxDays = configured ?? 90;
          const expires = isoDay(new Date(Date.parse(`${isoDay(now)}T00:00:00Z`) + daysAhead * dayMs));
          const extra = configured === undefined ? {} : { [exceptionsPolicyName]: { maxExceptionDays: configured } };
          const refusals = refusalsFor({ exceptions: [{ workspace: "w", resource: "r", ...accountable, expires }] }, extra);
          if (daysAhead > maxDays)
            expect(refusals).toEqual([expect.stringContaining(`exceptions[0] expires ${expires}, more than ${maxDays} days ahead`)]);
          else expect(refusals).toEqual([]);
        },
      ),
      propertyParameters(150),
    );
  });

  it("refuses a maximum outside 1..365 days, whatever else is configured", () => {
    for (const maxExceptionDays of [0, -1, 366, 1.5, "90", null]) {
      expect(governanceRefusals(policies, { [exceptionsPolicyName]: { maxExceptionDays } }, now)).toEqual([
        expect.objectContaining({
          policy: exceptionsPolicyName,
          message: expect.stringContaining("maxExceptionDays must be a whole number"),
        }),
      ]);
    }
  });

  /** Malformed exceptions and the path each refusal must name. */
  const malformed = fc.oneof(
    fc.constantFrom("justification", "owner", "approver", "expires").map((field) => {
      const { [field as keyof typeof accountable]: _dropped, ...rest } = accountable;
      return { value: { workspace: "w", resource: "r", ...rest } as unknown, path: `exceptions[0].${field}` };
    }),
    fc
      .constantFrom("2026-02-30", "2026-6-1", "tomorrow", "2026-06-01T25:00:00Z", "")
      .map((expires) => ({ value: { workspace: "w", resource: "r", ...accountable, expires } as unknown, path: "exceptions[0].expires" })),
    fc.constantFrom("", "   ", "\u200b\u200b\u200b", "too short", "\u200b".repeat(20), " a b c d e f g h i ").map((justification) => ({
      value: { workspace: "w", resource: "r", ...accountable, justification } as unknown,
      path: "exceptions[0].justification",
    })),
    fc
      .constantFrom("", " ", "\u200b\u2060")
      .map((owner) => ({ value: { workspace: "w", resource: "r", ...accountable, owner } as unknown, path: "exceptions[0].owner" })),
    fc.constant({ value: { workspace: "w", ...accountable } as unknown, path: "exceptions[0].resource" }),
    fc.constant({ value: { resource: "r", ...accountable } as unknown, path: "exceptions[0].resource" }),
    fc.constant({ value: { urn: "urn:x", workspace: "w", resource: "r", ...accountable } as unknown, path: "exceptions[0].urn" }),
    fc.constant({ value: { workspace: "w", resource: "r", ...accountable, note: "extra" } as unknown, path: "exceptions[0]" }),
    fc.constant({ value: { workspace: "w", resource: 7, ...accountable } as unknown, path: "exceptions[0].resource" }),
    fc.constantFrom(null, "w/r", 42, []).map((value) => ({ value: value as unknown, path: "exceptions[0]" })),
  );

  it("refuses malformed exceptions, naming the path of each problem", () => {
    fc.assert(
      fc.property(malformed, ({ value, path }) => {
        const refusals = refusalsFor({ exceptions: [value] });
        expect(refusals.length).toBeGreaterThan(0);
        expect(refusals.join("\n")).toContain(`malformed exception: ${path}`);
        // A malformed exception waives nothing.
        expect(exceptionsOf({ exceptions: [value] })).toEqual([]);
      }),
      propertyParameters(100),
    );
    expect(refusalsFor({ exceptions: "all of them" })).toEqual([expect.stringContaining("exceptions must be a list")]);
  });

  it("refuses a SHALL policy turned off or down to advisory without accountability, in string or object form", () => {
    for (const level of ["disabled", "advisory"]) {
      expect(refusalsFor(level)).toEqual([expect.stringContaining("a SHALL policy")]);
      expect(refusalsFor({ enforcementLevel: level })).toEqual([expect.stringContaining("needs justification, owner, approver")]);
      expect(refusalsFor({ enforcementLevel: level, ...accountable, approver: "ALICE@example.com" })).toEqual([
        expect.stringContaining("approver"),
      ]);
      expect(refusalsFor({ enforcementLevel: level, ...accountable })).toEqual([]);
      expect(refusalsFor({ enforcementLevel: level, ...accountable, ticket: "SEC-1" })).toEqual([]);
    }
    // The same through "all", as the Pulumi CLI applies it to every policy without a level of its own.
    expect(governanceRefusals(policies, { all: "disabled" }, now).map((r) => r.policy)).toEqual([shall.name]);
    expect(governanceRefusals(policies, { all: "disabled", [shall.name]: { ...accountable } }, now)).toEqual([]);
    // Not a downgrade: no accountability needed.
    expect(refusalsFor("mandatory")).toEqual([]);
    expect(refusalsFor({ enforcementLevel: "remediate" })).toEqual([]);
    expect(governanceRefusals(policies, { [should.name]: "disabled" }, now)).toEqual([]);
  });

  it("refuses an approval to run a SHALL policy lower that has expired, or runs beyond the maximum", () => {
    expect(refusalsFor({ enforcementLevel: "disabled", ...accountable, expires: "2026-05-31" })).toEqual([
      expect.stringContaining("expired after 2026-05-31"),
    ]);
    expect(refusalsFor({ enforcementLevel: "disabled", ...accountable, expires: "2026-06-01" })).toEqual([]);
    expect(refusalsFor({ enforcementLevel: "disabled", ...accountable, expires: "2026-12-01" })).toEqual([
      expect.stringContaining("more than 90 days ahead"),
    ]);
  });

  it("refuses exceptions to the schema policy: a control that does not match its schema is not graded", () => {
    const schemaPolicy = governedPolicy(allPolicies.find((p) => p.kind === "schema") ?? allPolicies[0]!);
    expect(schemaPolicy.waivable).toBe(false);
    const refusals = governanceRefusals([schemaPolicy], { [schemaPolicy.name]: { exceptions: [{ urn: "urn:x", ...accountable }] } }, now);
    expect(refusals).toEqual([expect.objectContaining({ message: expect.stringContaining("cannot be waived") })]);
  });
});

describe("levels and entries", () => {
  it("splits an entry into its level, its own arguments and the governance beside them", () => {
    expect(splitEntry({ enforcementLevel: "advisory", maxHours: 4, exceptions: [], owner: "a" })).toEqual({
      level: "advisory",
      args: { maxHours: 4 },
      governance: { exceptions: [], owner: "a" },
    });
    expect(splitEntry("disabled")).toEqual({ level: "disabled", args: {}, governance: {} });
    expect(configuredLevel({ all: "advisory", x: { owner: "a" } }, "x")).toBe("advisory");
    expect(configuredLevel({ all: "advisory", x: "mandatory" }, "x")).toBe("mandatory");
  });

  it("a downgrade is a level below the default; remediate and unknown levels are not", () => {
    expect(isDowngrade("disabled", "mandatory")).toBe(true);
    expect(isDowngrade("advisory", "mandatory")).toBe(true);
    expect(isDowngrade("disabled", "advisory")).toBe(true);
    expect(isDowngrade("advisory", "advisory")).toBe(false);
    expect(isDowngrade("remediate", "mandatory")).toBe(false);
    expect(isDowngrade("toString", "mandatory")).toBe(false);
    expect(isDowngrade(undefined, "mandatory")).toBe(false);
  });

  it("lists every policy running below its default level, with its accountability when given", () => {
    expect(levelChangesOf(policies, { [shall.name]: { enforcementLevel: "advisory", ...accountable }, [should.name]: "disabled" })).toEqual(
      [
        { policy: shall.name, level: "advisory", defaultLevel: "mandatory", accountability: accountable },
        { policy: should.name, level: "disabled", defaultLevel: "advisory" },
      ],
    );
  });
});
