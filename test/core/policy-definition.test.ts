/**
 * What a policy file states and what follows from it (core/policy.ts): its section from its first
 * Health Check row, its id checked against that section, its default enforcement from its
 * criticality unless it states its own. Every wrong definition fails loudly when it is loaded.
 */
import fc from "fast-check";
import { toCrossGuardPolicy } from "../../core/crossguard";
import { healthCheckSections } from "../../core/health-check";
import {
  Criticality,
  defaultEnforcementFor,
  defineResourcePolicy,
  defineSchemaPolicy,
  defineStackPolicy,
  Severity,
} from "../../core/policy";
import { allPolicies } from "../../policies";
import { allControls, sessionPolicyControl } from "../../resources";
import { propertyParameters } from "../support/property";

const metadata = {
  name: "intercom-test-definition",
  id: "TEST.AUTH.01",
  title: "A test policy",
  description: "For the definition checks.",
  items: ["auth.session-length"] as const,
  severity: "medium" as const,
  criticality: "SHOULD" as const,
  rationale: "A rationale for the metadata checks.",
  remediation: ["Fix it."],
  helpUrl: "https://www.intercom.com/help/en/",
  frameworks: {},
};
const resourcePolicy = { ...metadata, control: sessionPolicyControl, check: () => [] };
const stackPolicy = { ...metadata, reads: [], scope: "every-workspace" as const, check: () => [] };

const allItems = healthCheckSections.flatMap((section) => section.items.map((item) => ({ item: item.id, section })));
const severities: readonly Severity[] = ["low", "medium", "high", "critical"];
const criticalities: readonly Criticality[] = ["SHALL", "SHOULD"];

describe("a policy's section follows from its Health Check rows", () => {
  it("is the section of its first row, for every row, every kind of policy, whatever rows follow", () => {
    fc.assert(
      fc.property(fc.constantFrom(...allItems), fc.array(fc.constantFrom(...allItems), { maxLength: 3 }), (first, rest) => {
        const items = [first.item, ...rest.map((r) => r.item)];
        const id = `TEST.${first.section.idPrefix}.01`;
        const resource = defineResourcePolicy({ ...resourcePolicy, id, items });
        const stack = defineStackPolicy({ ...stackPolicy, id, items });
        const schema = defineSchemaPolicy({ ...metadata, id, items });
        expect([resource.section, stack.section, schema.section]).toEqual([first.section.id, first.section.id, first.section.id]);
      }),
      propertyParameters(50),
    );
  });

  it("is never stated; a stated one (a JavaScript caller, a copy of a defined policy) must be that same section", () => {
    const stated = (section: string) => ({ ...resourcePolicy, section }) as typeof resourcePolicy;
    expect(() => defineResourcePolicy(stated("messenger-security"))).toThrow(
      /intercom-test-definition states section messenger-security, but its first Health Check item auth.session-length is in authentication-access/,
    );
    const defined = defineResourcePolicy(resourcePolicy);
    expect(defineResourcePolicy({ ...defined, name: "intercom-test-copy" }).section).toBe("authentication-access");
    expect(() =>
      defineResourcePolicy({ ...defined, name: "intercom-test-moved", items: ["data.attachments"], id: "TEST.DATA.01" }),
    ).toThrow(/states section authentication-access, but its first Health Check item data.attachments is in data-protection/);
  });

  it("a policy that grades no row, or an unknown row, does not load", () => {
    expect(() => defineResourcePolicy({ ...resourcePolicy, items: [] })).toThrow(/grades no Health Check item/);
    expect(() => defineResourcePolicy({ ...resourcePolicy, items: ["auth.nothing" as "auth.two-factor"] })).toThrow(
      /Unknown Health Check item "auth.nothing"/,
    );
  });

  it("every section has its own id prefix", () => {
    const prefixes = healthCheckSections.map((s) => s.idPrefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const prefix of prefixes) expect(prefix).toMatch(/^[A-Z]+$/);
  });
});

describe("a policy's id is checked against its section", () => {
  it("an id naming any other section's prefix does not load, and says what was expected", () => {
    fc.assert(
      fc.property(fc.constantFrom(...allItems), fc.constantFrom(...healthCheckSections), (row, other) => {
        fc.pre(other.id !== row.section.id);
        const id = `IHC.${other.idPrefix}.01`;
        expect(() => defineResourcePolicy({ ...resourcePolicy, id, items: [row.item] })).toThrow(
          `Policy intercom-test-definition: id ${id} does not fit its section ${row.section.id} (its first item is ${row.item}): expected <owner>.${row.section.idPrefix}.<two digits>`,
        );
      }),
      propertyParameters(50),
    );
  });

  it.each(["IHC.AUTH.1", "IHC.AUTH.001", "IHC.AUTH.01.", "ihc.AUTH.01", "IHC.auth.01", "AUTH.01", "IHC.AUTH.DEF", "IHC.DEF.SessionPolicy"])(
    "a malformed id %s does not load",
    (id) => {
      expect(() => defineResourcePolicy({ ...resourcePolicy, id })).toThrow(/does not fit its section authentication-access/);
    },
  );

  it("an id is free in its owner's prefix, so a pack of one's own keeps its ids", () => {
    expect(defineResourcePolicy({ ...resourcePolicy, id: "ACME.AUTH.07" }).id).toBe("ACME.AUTH.07");
  });

  it("a policy grading a workspace that declares no control has exactly IHC.DEF.<control>, and only it", () => {
    const rule = { gradesDefaultOf: sessionPolicyControl };
    expect(defineStackPolicy({ ...stackPolicy, id: "IHC.DEF.SessionPolicy" }, rule).id).toBe("IHC.DEF.SessionPolicy");
    expect(() => defineStackPolicy({ ...stackPolicy, id: "IHC.DEF.PanRedaction" }, rule)).toThrow(/expected IHC\.DEF\.SessionPolicy/);
    expect(() => defineStackPolicy({ ...stackPolicy, id: "IHC.AUTH.01" }, rule)).toThrow(/expected IHC\.DEF\.SessionPolicy/);
  });

  it("every policy of the pack has an IHC id in its section, or IHC.DEF.<control> for a generated one", () => {
    const controlNames = new Set(allControls.map((c) => c.name));
    const misfits = allPolicies.filter((policy) => {
      const section = healthCheckSections.find((s) => s.id === policy.section);
      const generated = /^IHC\.DEF\.(\w+)$/.exec(policy.id);
      return generated ? !controlNames.has(generated[1] as string) : !new RegExp(`^IHC\\.${section?.idPrefix}\\.\\d{2}$`).test(policy.id);
    });
    expect(misfits.map((p) => `${p.name}: ${p.id}`)).toEqual([]);
  });
});

describe("a policy's default enforcement", () => {
  it("is mandatory for SHALL and advisory for SHOULD, whatever the severity, unless the policy states its own", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...severities),
        fc.constantFrom(...criticalities),
        fc.option(fc.constantFrom("advisory" as const, "mandatory" as const), { nil: undefined }),
        (severity, criticality, stated) => {
          const policy = defineResourcePolicy({
            ...resourcePolicy,
            severity,
            criticality,
            ...(stated !== undefined ? { enforcementLevel: stated } : {}),
          });
          expect(policy.enforcementLevel).toBe(stated ?? (criticality === "SHALL" ? "mandatory" : "advisory"));
          expect(policy.enforcementLevel).toBe(stated ?? defaultEnforcementFor(criticality));
        },
      ),
      propertyParameters(40),
    );
  });

  it("a high-severity advisory policy can be expressed, and the pack runs it at that level", () => {
    const policy = defineResourcePolicy({ ...resourcePolicy, severity: "critical", criticality: "SHOULD" });
    const adapted = toCrossGuardPolicy(policy, { controls: allControls, now: () => new Date(0), policies: [policy] });
    expect([policy.enforcementLevel, adapted.enforcementLevel]).toEqual(["advisory", "advisory"]);
    const blocking = defineResourcePolicy({ ...resourcePolicy, severity: "low", enforcementLevel: "mandatory" });
    expect(toCrossGuardPolicy(blocking, { controls: allControls, now: () => new Date(0), policies: [blocking] }).enforcementLevel).toBe(
      "mandatory",
    );
  });

  it("a stated level other than advisory or mandatory does not load", () => {
    expect(() => defineResourcePolicy({ ...resourcePolicy, enforcementLevel: "disabled" as "advisory" })).toThrow(
      /default enforcement level disabled is neither advisory nor mandatory/,
    );
  });

  it("is what it was when severity decided it, for every policy of the pack (no policy states its own yet)", () => {
    // critical and high blocked, medium and low reported: the levels before they were explicit.
    const changed = allPolicies.filter(
      (p) => p.enforcementLevel !== (p.severity === "critical" || p.severity === "high" ? "mandatory" : "advisory"),
    );
    expect(changed.map((p) => `${p.name}: ${p.enforcementLevel} (${p.severity}, ${p.criticality})`)).toEqual([]);
  });
});
