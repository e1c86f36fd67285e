/**
 * Profiles as data (core/profiles.ts, profiles/*.json) and the tool's configuration merge
 * (cli/policy-config.ts): each profile is a valid --policy-pack-config that only tightens, and a
 * user's own settings override a profile's, per policy and per argument.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import Ajv2020 from "ajv/dist/2020";
import fc from "fast-check";
import { z } from "zod";
import { mergePolicyConfig, PolicyConfigError, resolvePolicyConfig, governedPoliciesOf } from "../../cli/policy-config";
import { governanceRefusals, levelChangesOf } from "../../core/exceptions";
import { packConfigurationRefusals } from "../../core/floors";
import { everyWorkspacePolicies, profileConfig, profileNames, strictArguments } from "../../core/profiles";
import { governedPolicy } from "../../core/policy";
import { allPolicies, findPolicy } from "../../policies";
import { propertyParameters } from "../support/property";

const root = path.resolve(__dirname, "..", "..");
const schema = JSON.parse(fs.readFileSync(path.join(root, "schemas", "policy-pack-config.schema.json"), "utf8")) as object;
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
const shipped = (name: string) =>
  JSON.parse(fs.readFileSync(path.join(root, "profiles", `${name}.json`), "utf8")) as Record<string, Record<string, unknown>>;
const asOf = new Date("2026-11-21T00:00:00Z");

describe("profiles as shipped", () => {
  describe.each(profileNames.map((name) => [name] as const))("%s", (name) => {
    const config = shipped(name);

    it("is the one generated from core/profiles.ts, with an entry for every policy", () => {
      expect(config).toEqual(profileConfig(name, allPolicies));
      expect(Object.keys(config).sort()).toEqual(allPolicies.map((p) => p.name).sort());
    });

    it("is a valid --policy-pack-config as is: the JSON Schema accepts it, no floor or governance refuses it", () => {
      expect(validate(config) ? [] : validate.errors).toEqual([]);
      expect(packConfigurationRefusals(allPolicies, config)).toEqual([]);
      expect(governanceRefusals(governedPoliciesOf(allPolicies), config, asOf)).toEqual([]);
    });

    it("only tightens: no policy below its default level, every argument one its policy takes", () => {
      expect(levelChangesOf(governedPoliciesOf(allPolicies), config)).toEqual([]);
      for (const [policyName, entry] of Object.entries(config)) {
        const { enforcementLevel: _level, ...args } = entry;
        const policy = findPolicy(policyName)!;
        expect((policy.configSchema as z.ZodObject).safeParse(args).success).toBe(true);
      }
    });
  });

  it("baseline: every policy at its default level and arguments", () => {
    for (const policy of allPolicies) {
      const { enforcementLevel, ...args } = shipped("baseline")[policy.name]!;
      expect(enforcementLevel).toBe(policy.enforcementLevel);
      expect(args).toEqual((policy.configSchema as z.ZodObject).parse({}));
    }
  });

  it("strict: every policy mandatory, the tightened arguments as documented, the others at their defaults", () => {
    const strict = shipped("strict");
    for (const [policyName, args] of Object.entries(strictArguments)) {
      expect(findPolicy(policyName)).toBeDefined();
      expect(strict[policyName]).toMatchObject(args);
    }
    for (const policy of allPolicies) {
      const { enforcementLevel, ...args } = strict[policy.name]!;
      expect(enforcementLevel).toBe("mandatory");
      expect(args).toEqual({ ...(policy.configSchema as z.ZodObject).parse({}), ...(strictArguments[policy.name] ?? {}) });
    }
    // The figures the README documents.
    expect(strict["intercom-session-length"]).toMatchObject({ maxHours: 12 });
    expect(strict["intercom-messenger-jwt-expiry"]).toMatchObject({ maxSeconds: 3600 });
    expect(strict["intercom-messenger-secret-rotation"]).toMatchObject({ maxAgeDays: 90 });
    expect(strict["intercom-ip-allowlist-entries"]).toMatchObject({ minPrefixLength: 16 });
  });

  it("hipaa: strict, and the four healthcare safeguards on every workspace", () => {
    const widened = everyWorkspacePolicies(allPolicies)
      .map((p) => p.name)
      .sort();
    expect(widened).toEqual([
      "intercom-hipaa-baa",
      "intercom-hipaa-behavioural-profiling",
      "intercom-hipaa-consent-gated-messenger",
      "intercom-hipaa-phi-safeguards",
    ]);
    const strict = shipped("strict");
    const hipaa = shipped("hipaa");
    for (const policy of allPolicies) {
      expect(hipaa[policy.name]).toEqual(
        widened.includes(policy.name) ? { ...strict[policy.name], everyWorkspace: true } : strict[policy.name],
      );
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The merge: a user's settings over a profile's.

const policyNames = ["intercom-a", "intercom-b", "intercom-c", "__proto__", "constructor"];
const argumentNames = ["maxHours", "list", "flag", "justification", "__proto__"];
const level = fc.constantFrom("advisory", "mandatory", "disabled", "remediate");
const argumentValue = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
  fc.string({ maxLength: 4 }),
);
/** Built with defineProperty: a "__proto__" key is an own key, as JSON.parse makes it. */
function own(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
  return result;
}
const objectEntry = fc
  .tuple(
    fc.option(level, { nil: undefined }),
    fc.uniqueArray(fc.tuple(fc.constantFrom(...argumentNames), argumentValue), { selector: ([k]) => k, maxLength: 4 }),
  )
  .map(([lvl, args]) => own([...(lvl ? ([["enforcementLevel", lvl]] as const) : []), ...args]));
const profileArb = fc
  .uniqueArray(
    fc.tuple(
      fc.constantFrom(...policyNames),
      fc.tuple(level, objectEntry).map(([lvl, e]) => own([...Object.entries(e), ["enforcementLevel", lvl]])),
    ),
    { selector: ([k]) => k },
  )
  .map(own);
const userArb = fc
  .tuple(
    fc.uniqueArray(fc.tuple(fc.constantFrom(...policyNames), fc.oneof(level, objectEntry)), { selector: ([k]) => k }),
    fc.option(
      fc.oneof(
        level,
        level.map((l) => ({ enforcementLevel: l })),
      ),
      { nil: undefined },
    ),
  )
  .map(([entries, all]) => own([...entries, ...(all !== undefined ? ([["all", all]] as const) : [])]));

const levelOf = (entry: unknown) =>
  typeof entry === "string" ? entry : (entry as Record<string, unknown> | undefined)?.["enforcementLevel"];
const entryOf = (config: Record<string, unknown>, name: string) => (Object.hasOwn(config, name) ? config[name] : undefined);

describe("mergePolicyConfig: a user's settings over a profile's", () => {
  it("generated: every argument the user sets wins; every other argument of the profile stays", () => {
    fc.assert(
      fc.property(profileArb, userArb, (profile, user) => {
        const merged = mergePolicyConfig(profile, user);
        expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
        expect(Object.keys(merged).sort()).toEqual([...new Set([...Object.keys(profile), ...Object.keys(user)])].sort());
        for (const name of Object.keys(merged)) {
          if (name === "all") continue;
          const result = entryOf(merged, name) as Record<string, unknown>;
          const mine = entryOf(user, name);
          const theirs = entryOf(profile, name) as Record<string, unknown> | undefined;
          if (!theirs) {
            expect(result).toEqual(mine);
            continue;
          }
          const userArgs = mine !== null && typeof mine === "object" ? (mine as Record<string, unknown>) : {};
          for (const [key, value] of Object.entries(theirs)) {
            if (key === "enforcementLevel" || Object.hasOwn(userArgs, key)) continue;
            expect(entryOf(result, key)).toEqual(value);
          }
          for (const [key, value] of Object.entries(userArgs)) expect(entryOf(result, key)).toEqual(value);
        }
      }),
      propertyParameters(300),
    );
  });

  it("generated: the level is the user's own, else the user's \"all\", else the profile's; a string entry is a level", () => {
    fc.assert(
      fc.property(profileArb, userArb, (profile, user) => {
        const merged = mergePolicyConfig(profile, user);
        const all = levelOf(entryOf(user, "all"));
        for (const name of Object.keys(profile)) {
          const expected = levelOf(entryOf(user, name)) ?? all ?? levelOf(entryOf(profile, name));
          expect(levelOf(entryOf(merged, name))).toBe(expected);
        }
        if (entryOf(user, "all") !== undefined) expect(entryOf(merged, "all")).toEqual(entryOf(user, "all"));
      }),
      propertyParameters(300),
    );
  });

  it("generated: over an empty file the profile is unchanged; with an empty profile the file is", () => {
    fc.assert(
      fc.property(profileArb, userArb, (profile, user) => {
        expect(mergePolicyConfig(profile, {})).toEqual(profile);
        expect(mergePolicyConfig({}, user)).toEqual(user);
      }),
      propertyParameters(200),
    );
  });
});

describe("resolvePolicyConfig: the configuration the tool sends", () => {
  let scratch: string;
  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ihc-profile-config-"));
  });
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
  const file = (name: string, config: unknown) => {
    const target = path.join(scratch, name);
    fs.writeFileSync(target, JSON.stringify(config));
    return target;
  };

  it("nothing given: the pack's defaults (no configuration sent)", () => {
    expect(resolvePolicyConfig({ now: asOf })).toBeUndefined();
  });

  it("a profile alone is the shipped file; the user's file goes over it", () => {
    expect(resolvePolicyConfig({ profile: "strict", now: asOf })).toEqual(shipped("strict"));
    const merged = resolvePolicyConfig({
      profile: "hipaa",
      file: file("user.json", { "intercom-session-length": { maxHours: 20 }, "intercom-hipaa-baa": "mandatory" }),
      now: asOf,
    })!;
    expect(merged["intercom-session-length"]).toEqual({ enforcementLevel: "mandatory", maxHours: 20 });
    expect(merged["intercom-hipaa-baa"]).toEqual({ enforcementLevel: "mandatory", everyWorkspace: true });
  });

  it("refuses an unknown profile, listing the profiles; a file below a floor; a SHALL policy off without accountability", () => {
    expect(() => resolvePolicyConfig({ profile: "Strict", now: asOf })).toThrow(
      new PolicyConfigError('unknown profile "Strict": the profiles are baseline, strict, hipaa'),
    );
    expect(() =>
      resolvePolicyConfig({
        profile: "strict",
        file: file("low.json", { "intercom-ip-allowlist-entries": { minPrefixLength: 4 } }),
        now: asOf,
      }),
    ).toThrow(
      /policy configuration file .*low\.json is refused:\n {2}the configuration of intercom-ip-allowlist-entries is refused: minPrefixLength is 4/,
    );
    // Every policy switched off by "all", with or without a profile: every SHALL one is refused, by name; SHOULD ones are not.
    const off = file("off.json", { all: "disabled" });
    for (const profile of [undefined, "strict"]) {
      let message = "";
      try {
        resolvePolicyConfig({ ...(profile ? { profile } : {}), file: off, now: asOf });
      } catch (error) {
        message = (error as Error).message;
      }
      const shall = allPolicies.filter((p) => p.criticality === "SHALL");
      expect(shall.filter((p) => !message.includes(`${p.name}: a SHALL policy switched off`)).map((p) => p.name)).toEqual([]);
      expect(message).not.toContain("intercom-session-length:");
      if (profile) expect(message).toMatch(/over profile strict is refused/);
    }
  });

  it("generated: refuses exactly what the pack's Configure refuses of governance, the schema policy's (unwaivable) exceptions included", () => {
    const exception = {
      urn: "urn:pulumi:dev::p::intercom:index:PanRedaction::legacy",
      justification: "Legacy widget until the migration ships",
      owner: "alice",
      approver: "bob",
      expires: "2026-12-01",
    };
    const entry = fc.constantFrom<Record<string, unknown>>(
      { exceptions: [exception] },
      { enforcementLevel: "advisory" },
      { enforcementLevel: "disabled", ...exception, urn: undefined },
      {},
    );
    const packRefusals = (config: Record<string, unknown>) =>
      governanceRefusals(allPolicies.map(governedPolicy), config, asOf).map((r) => r.policy);
    expect(packRefusals({ "intercom-control-schema": { exceptions: [exception] } })).toEqual(["intercom-control-schema"]);
    expect(() =>
      resolvePolicyConfig({ file: file("schema.json", { "intercom-control-schema": { exceptions: [exception] } }), now: asOf }),
    ).toThrow(/intercom-control-schema: its findings cannot be waived/);
    const names = fc.oneof(fc.constant("intercom-control-schema"), fc.constantFrom(...allPolicies.map((p) => p.name)));
    fc.assert(
      fc.property(fc.dictionary(names, entry, { maxKeys: 4 }), (given) => {
        const config = JSON.parse(JSON.stringify(given)) as Record<string, unknown>;
        let refused: string[] = [];
        try {
          resolvePolicyConfig({ file: file("governance.json", config), now: asOf });
        } catch (error) {
          refused = [...new Set(packRefusals(config))].filter((name) => (error as Error).message.includes(`  ${name}: `));
          expect(refused.length).toBeGreaterThan(0);
        }
        expect(refused).toEqual([...new Set(packRefusals(config))]);
      }),
      propertyParameters(40),
    );
  });
});
