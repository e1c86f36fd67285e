/**
 * The evidence's pure parts: canonical JSON and its hash, the secret-free normalised input, and
 * the framework table, over generated values, resources and reports.
 */
import { isDeepStrictEqual } from "util";
import fc from "fast-check";
import { hiddenPathsOf } from "../../core/control";
import { healthCheckSections, HealthCheckItemId } from "../../core/health-check";
import { AnyPolicy, FrameworkMappings, frameworkNames } from "../../core/policy";
import { secretRedactor } from "../../core/redaction";
import { secretSignature, signatureKey } from "../../core/secret-envelope";
import { reportPolicyOfLibrary } from "../../report/catalog";
import { canonicalJson, canonicalSha256 } from "../../report/digest";
import { FrameworkStatus, frameworkTable, GradedResource, inputSha256, normalisedInput, unknownMarker } from "../../report/evidence";
import { buildReport, HealthCheckReport, ItemStatus, Verdict } from "../../report/model";
import { allControls } from "../../resources";
import { secureSample } from "../support/fixtures";
import { propertyParameters } from "../support/property";
import { control, policy, urnOf, workspace } from "./fixtures";

const noSecrets = (text: string) => text;
/** Through JSON, as a document is read back: undefined properties gone, -0 written as 0. */
const viaJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

/** Each object with its keys in reverse order, recursively. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reversedKeys(v)]),
    );
  }
  return value;
}

describe("canonical JSON", () => {
  it("reads back as the value, whatever the order its keys were built in", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(JSON.parse(text)).toEqual(viaJson(value));
        expect(canonicalJson(reversedKeys(value))).toBe(text);
        expect(canonicalSha256(reversedKeys(value))).toBe(canonicalSha256(value));
      }),
      propertyParameters(300),
    );
  });

  it("two values have the same text exactly when they are equal as JSON", () => {
    const small = fc.jsonValue({ maxDepth: 2 });
    fc.assert(
      fc.property(small, small, (a, b) => {
        expect(canonicalJson(a) === canonicalJson(b)).toBe(isDeepStrictEqual(viaJson(a), viaJson(b)));
      }),
      propertyParameters(300),
    );
  });

  it("refuses what JSON cannot hold instead of hashing it as something else", () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, () => 1, Symbol("s"), BigInt(1)]) {
      expect(() => canonicalJson({ value })).toThrow(/canonicalJson/);
    }
  });
});

/** A token no other value of a sample contains by chance. */
const secretText = fc.stringMatching(/^[A-Za-z0-9]{14,24}$/).map((s) => `zq${s}`);
const controlArb = fc.constantFrom(...allControls);

/** A control's secure sample with some top-level fields sent as secrets (their values replaced by generated tokens). */
const resourceWithSecrets = fc
  .record({
    control: controlArb,
    secrets: fc.array(secretText, { minLength: 1, maxLength: 6 }),
    name: fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/),
  })
  .map(({ control: definition, secrets, name }) => {
    const props: Record<string, unknown> = { ...secureSample(definition), workspaceId: "ws-evidence" };
    const keys = Object.keys(props).filter((k) => k !== "workspaceId");
    // Each secret goes in a field of its own, or under a field named for it when there are not enough.
    secrets.forEach((secret, i) => {
      const key = keys[i] ?? `extra${i}`;
      props[key] = { [signatureKey]: secretSignature, value: i % 2 === 0 ? secret : { nested: [secret, { deeper: secret }] } };
    });
    const resource: GradedResource = {
      type: definition.typeToken,
      name,
      urn: `urn:pulumi:dev::evidence::${definition.typeToken}::${name}`,
      properties: props,
    };
    return { resource, secrets, definition };
  });

describe("the normalised input", () => {
  it("holds no secret value, and the hash does not change when a secret does", () => {
    fc.assert(
      fc.property(resourceWithSecrets, fc.array(secretText, { minLength: 6, maxLength: 6 }), ({ resource, secrets }, others) => {
        const text = canonicalJson(normalisedInput([resource], noSecrets));
        for (const secret of secrets) expect(text).not.toContain(secret);
        // The same resource with every secret value swapped for another: the same hash.
        let k = 0;
        const swapped = JSON.parse(JSON.stringify(resource), (_key, value: unknown) =>
          typeof value === "string" && secrets.includes(value) ? others[k++ % others.length] : value,
        ) as GradedResource;
        expect(inputSha256([swapped], noSecrets)).toBe(inputSha256([resource], noSecrets));
      }),
      propertyParameters(200),
    );
  });

  it("hides a value at a control's secret or sensitive path even when it was not sent as a secret", () => {
    const withHidden = allControls.filter((c) => hiddenPathsOf(c).some((p) => !p.includes(".")));
    expect(withHidden.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(fc.constantFrom(...withHidden), secretText, (definition, secret) => {
        const field = hiddenPathsOf(definition).find((p) => !p.includes(".")) as string;
        const resource: GradedResource = {
          type: definition.typeToken,
          name: "r",
          urn: "urn:r",
          properties: { ...secureSample(definition), [field]: secret },
        };
        expect(canonicalJson(normalisedInput([resource], noSecrets))).not.toContain(secret);
      }),
      propertyParameters(50),
    );
  });

  it("redacts a secret text wherever else it appears (a name, a URN, a key, a plain value)", () => {
    fc.assert(
      fc.property(resourceWithSecrets, ({ resource, secrets }) => {
        const leaked = secrets[0] as string;
        const leaking: GradedResource = {
          ...resource,
          name: `n-${leaked}`,
          urn: `${resource.urn}-${leaked}`,
          properties: { ...resource.properties, [`k-${leaked}`]: `plain ${leaked}` },
        };
        expect(canonicalJson(normalisedInput([leaking], secretRedactor(secrets)))).not.toContain(leaked);
      }),
      propertyParameters(100),
    );
  });

  it("changes when a setting changes, and not with the order resources were registered in", () => {
    fc.assert(
      fc.property(fc.array(resourceWithSecrets, { minLength: 1, maxLength: 5 }), fc.nat(), (generated, pick) => {
        // Distinct URNs, as a stack has.
        const resources = generated.map(({ resource }, i) => ({ ...resource, urn: `${resource.urn}-${i}` }));
        const hash = inputSha256(resources, noSecrets);
        expect(inputSha256([...resources].reverse(), noSecrets)).toBe(hash);
        const target = resources[pick % resources.length] as GradedResource;
        const definition = allControls.find((c) => c.typeToken === target.type);
        const hidden = new Set(definition ? hiddenPathsOf(definition) : []);
        const plain = Object.entries(target.properties).find(
          ([key, value]) => !hidden.has(key) && (typeof value === "boolean" || typeof value === "number" || typeof value === "string"),
        );
        const [key, value] = plain ?? ["workspaceId", "ws-evidence"];
        const changed = typeof value === "boolean" ? !value : typeof value === "number" ? value + 1 : `${String(value)}x`;
        const edited = resources.map((r) => (r === target ? { ...r, properties: { ...r.properties, [key]: changed } } : r));
        expect(inputSha256(edited, noSecrets)).not.toBe(hash);
      }),
      propertyParameters(150),
    );
  });

  it("writes every unknown as one marker, and leaves out the engine's serialized provider", () => {
    const sentinels = [
      "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
      "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
      "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    ];
    fc.assert(
      fc.property(fc.constantFrom(...sentinels), fc.string(), (sentinel, provider) => {
        const [normalised] = normalisedInput(
          [{ type: "t", name: "n", urn: "u", properties: { a: sentinel, __provider: provider } }],
          noSecrets,
        );
        expect(normalised?.properties).toEqual({ a: unknownMarker });
      }),
      propertyParameters(30),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The framework table over generated reports.

const frameworkKeys = Object.keys(frameworkNames) as (keyof FrameworkMappings)[];
const references = ["R1", "R2", "R10", "R3"];
const itemIds = healthCheckSections.filter((s) => !s.onlyWhenRelevant).flatMap((s) => s.items.map((i) => i.id as HealthCheckItemId));

const policyArb = (i: number) =>
  fc
    .record({
      items: fc.uniqueArray(fc.constantFrom(...itemIds), { minLength: 1, maxLength: 2 }),
      frameworks: fc.dictionary(
        fc.constantFrom(...frameworkKeys),
        fc.uniqueArray(fc.constantFrom(...references), { minLength: 1, maxLength: 3 }),
        { maxKeys: 3 },
      ),
    })
    .map(({ items, frameworks }) => reportPolicyOfLibrary({ ...policy(`intercom-fw-${i}`, items), frameworks } as AnyPolicy));

const scenarioArb = fc
  .integer({ min: 1, max: 6 })
  .chain((count) => fc.tuple(...Array.from({ length: count }, (_, i) => policyArb(i))))
  .chain((catalog) =>
    fc.record({
      catalog: fc.constant(catalog),
      applied: fc.subarray(catalog.map((p) => p.name)),
      disabled: fc.subarray(
        catalog.map((p) => p.name),
        { maxLength: Math.min(2, catalog.length) },
      ),
      verdicts: fc.array(
        fc.record({
          policy: fc.constantFrom(...catalog.map((p) => p.name)),
          status: fc.constantFrom("needs_review", "not_evaluated", "waived"),
          level: fc.constantFrom("advisory", "mandatory"),
          unplaced: fc.boolean(),
        }),
        { maxLength: 6 },
      ),
    }),
  );

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

const waiver = { index: 0, justification: "accepted", owner: "o@example.com", approver: "a@example.com", expires: "2099-01-01" };

function reportOf(scenario: Scenario): HealthCheckReport {
  const resources = [
    workspace("ws1", "main"),
    control("MessengerSecurity", "placed", "ws1"),
    { ...control("MessengerSecurity", "unplaced", undefined), workspaceUnknown: true },
  ];
  const placed = urnOf("MessengerSecurity", "placed");
  const verdicts: Verdict[] = scenario.verdicts.map((v, i) => ({
    policyName: v.policy,
    urn: v.unplaced ? urnOf("MessengerSecurity", "unplaced") : placed,
    message: `finding ${i}`,
    enforcementLevel: v.status === "waived" ? "advisory" : v.level,
    status: v.status,
    ...(v.status === "waived" ? { exception: waiver } : {}),
  }));
  return buildReport({
    policies: scenario.catalog,
    resources,
    verdicts,
    applied: new Set(scenario.applied.map((name) => `${placed} ${name}`)),
    disabled: new Set(scenario.disabled),
    levelChanges: scenario.disabled.map((name) => ({
      policy: name,
      level: "disabled",
      defaultLevel: "mandatory",
      accountability: undefined,
    })),
  });
}

const rank: Record<FrameworkStatus, number> = { "Not in use": 0, Secure: 1, Waived: 2, "Not evaluated": 3, "Issues found": 4 };
const rowStatus = (status: ItemStatus): FrameworkStatus => (status === "Needs review" ? "Issues found" : status);

describe("the framework table", () => {
  it("lists every framework reference the catalog maps once, with exactly the policies mapped to it", () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const table = frameworkTable(reportOf(scenario), scenario.catalog);
        const expected = frameworkKeys.flatMap((framework) =>
          [...new Set(scenario.catalog.flatMap((p) => p.frameworks[framework] ?? []))].map((reference) => ({
            framework,
            reference,
            policies: scenario.catalog
              .filter((p) => (p.frameworks[framework] ?? []).includes(reference))
              .map((p) => p.name)
              .sort(),
          })),
        );
        expect(table.map((r) => ({ framework: r.framework, reference: r.reference, policies: r.policies }))).toEqual(
          expect.arrayContaining(expected),
        );
        expect(table).toHaveLength(expected.length);
        for (const row of table) expect(row.frameworkName).toBe(frameworkNames[row.framework]);
      }),
      propertyParameters(200),
    );
  });

  it("is the worst of the rows its policies grade: never better than one of them, Issues found on any open finding, Not evaluated at best when one is disabled", () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const report = reportOf(scenario);
        const items = report.workspaces.flatMap((w) => w.sections.flatMap((s) => s.items));
        for (const row of frameworkTable(report, scenario.catalog)) {
          const mapped = new Set(row.policies);
          const graded = items.filter(
            (i) => [...i.policies, ...i.disabledPolicies].some((p) => mapped.has(p.name)) && i.status !== "Not in use",
          );
          for (const item of graded) expect(rank[row.status]).toBeGreaterThanOrEqual(rank[rowStatus(item.status)]);
          // An open finding of a mapped policy, wherever it was filed, is an issue of the reference.
          if (scenario.verdicts.some((v) => mapped.has(v.policy) && v.status === "needs_review" && !scenario.disabled.includes(v.policy))) {
            expect(row.status).toBe("Issues found");
          }
          if (row.policies.some((name) => scenario.disabled.includes(name)))
            expect(rank[row.status]).toBeGreaterThanOrEqual(rank["Not evaluated"]);
          // Nothing graded, nothing found, nothing disabled: not in use; and never Secure without a graded row.
          if (row.status === "Not in use") expect(graded).toHaveLength(0);
          if (row.status === "Secure") expect(graded.every((i) => i.status === "Secure")).toBe(true);
          if (row.status === "Secure") expect(graded.length).toBeGreaterThan(0);
        }
      }),
      propertyParameters(300),
    );
  });

  it("gives each reference the worst status of the statuses its definition lists (rows, loose findings, disabled policies), computed reference by reference", () => {
    // The definition, spelt out one reference at a time as frameworkTable once computed it.
    const findingStatus = (status: string): FrameworkStatus =>
      status === "needs_review" ? "Issues found" : status === "not_evaluated" ? "Not evaluated" : "Waived";
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const report = reportOf(scenario);
        const items = report.workspaces.flatMap((w) => w.sections.flatMap((s) => s.items));
        const loose = [...(report.unknownWorkspace?.findings ?? []), ...report.other, ...report.blockedByUnknowns];
        const disabled = new Set(report.levelChanges.filter((c) => c.level === "disabled").map((c) => c.policy));
        for (const row of frameworkTable(report, scenario.catalog)) {
          const names = new Set(row.policies);
          const statuses: FrameworkStatus[] = [];
          for (const item of items) {
            const grades = [...item.policies, ...item.disabledPolicies].some((p) => names.has(p.name));
            if (grades && item.status !== "Not in use") statuses.push(rowStatus(item.status));
            if (item.disabledPolicies.some((p) => names.has(p.name))) statuses.push("Not evaluated");
          }
          for (const finding of loose) if (names.has(finding.policyName)) statuses.push(findingStatus(finding.status));
          if ([...names].some((name) => disabled.has(name))) statuses.push("Not evaluated");
          const worst = statuses.reduce<FrameworkStatus>((a, b) => (rank[b] > rank[a] ? b : a), "Not in use");
          expect(row.status).toBe(worst);
        }
      }),
      propertyParameters(300),
    );
  });

  it("has a row for every framework of frameworkNames a policy maps, in reading order", () => {
    const catalog = [
      reportPolicyOfLibrary({
        ...policy("intercom-fw-order", [itemIds[0] as HealthCheckItemId]),
        frameworks: { soc2: ["CC6.10", "CC6.2", "CC6.1"] },
      } as AnyPolicy),
    ];
    const report = buildReport({ policies: catalog, resources: [], verdicts: [], applied: new Set() });
    expect(frameworkTable(report, catalog).map((r) => [r.reference, r.status])).toEqual([
      ["CC6.1", "Not in use"],
      ["CC6.2", "Not in use"],
      ["CC6.10", "Not in use"],
    ]);
  });
});
