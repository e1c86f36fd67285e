/**
 * cli/analyzer-info.ts decodes GetAnalyzerInfo's answer without the generated decoder: for every
 * answer it reads, it must read what the generated decoder (and Struct.toJavaScript) reads; for any
 * other bytes it must give up, so the client decodes them exactly as before.
 */
import fc from "fast-check";
import { AnalyzerInfoView, decodeAnalyzerInfo, PolicyInfoView, StructView } from "../../cli/analyzer-info";
import { analyzerProto } from "../../core/sdk/analyzer-proto";
import { Struct } from "../../core/sdk/grpc";
import { propertyParameters } from "../support/property";

/** Everything the client reads of an answer, through the accessors it uses. */
function readAll(info: AnalyzerInfoView): unknown {
  const struct = (s: StructView | undefined) => (s === undefined ? "absent" : withPrototypes(s.toJavaScript()));
  const policy = (p: PolicyInfoView) => {
    const schema = p.getConfigschema();
    const framework = p.getFramework();
    return {
      name: p.getName(),
      displayName: p.getDisplayname(),
      description: p.getDescription(),
      message: p.getMessage(),
      enforcementLevel: p.getEnforcementlevel(),
      policyType: p.getPolicyType(),
      tags: p.getTagsList(),
      remediationSteps: p.getRemediationSteps(),
      url: p.getUrl(),
      severity: p.getSeverity(),
      framework: framework && [framework.getName(), framework.getVersion(), framework.getReference(), framework.getSpecification()],
      schema: schema && { properties: struct(schema.getProperties()), required: schema.getRequiredList() },
    };
  };
  return {
    name: info.getName(),
    displayName: info.getDisplayname(),
    version: info.getVersion(),
    supportsConfig: info.getSupportsconfig(),
    policies: info.getPoliciesList().map(policy),
    initialConfig: [...info.getInitialconfigMap().entries()].map(([key, c]) => [key, c.getEnforcementlevel(), struct(c.getProperties())]),
  };
}

/** A value with each object's prototype made visible (a `__proto__` key must not set one). */
function withPrototypes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withPrototypes);
  if (value === null || typeof value !== "object") return value;
  const prototype = Object.getPrototypeOf(value) === Object.prototype ? "plain" : "other";
  return { prototype, entries: Object.entries(value).map(([key, inner]) => [key, withPrototypes(inner)]) };
}

/** What the client got before: the generated decoder, or the error it (or toJavaScript) threw. */
function generated(bytes: Uint8Array): { ok: true; read: unknown } | { ok: false } {
  try {
    return { ok: true, read: readAll(analyzerProto.AnalyzerInfo.deserializeBinary(bytes)) };
  } catch {
    return { ok: false };
  }
}

const text = fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.constantFrom("", "__proto__", "constructor", "1", "b", "a"));
const json: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true }),
    text,
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(text, tie("value"), { maxKeys: 4 }),
  ),
})).value;
const object = fc.dictionary(text, json, { maxKeys: 5 });

const policyInfo = fc
  .record({
    name: text,
    displayName: text,
    description: text,
    message: text,
    level: fc.integer({ min: 0, max: 4 }),
    type: fc.integer({ min: 0, max: 2 }),
    severity: fc.integer({ min: 0, max: 4 }),
    tags: fc.array(text, { maxLength: 3 }),
    remediation: text,
    url: text,
    framework: fc.option(fc.tuple(text, text, text, text)),
    schema: fc.option(fc.record({ properties: fc.option(object), required: fc.array(text, { maxLength: 2 }) })),
  })
  .map((p) => {
    const info = new analyzerProto.PolicyInfo();
    info.setName(p.name);
    info.setDisplayname(p.displayName);
    info.setDescription(p.description);
    info.setMessage(p.message);
    info.setEnforcementlevel(p.level as analyzerProto.EnforcementLevel);
    info.setPolicyType(p.type as analyzerProto.PolicyType);
    info.setSeverity(p.severity as analyzerProto.PolicySeverity);
    info.setTagsList(p.tags);
    info.setRemediationSteps(p.remediation);
    info.setUrl(p.url);
    if (p.framework) {
      const framework = new analyzerProto.PolicyComplianceFramework();
      framework.setName(p.framework[0]);
      framework.setVersion(p.framework[1]);
      framework.setReference(p.framework[2]);
      framework.setSpecification(p.framework[3]);
      info.setFramework(framework);
    }
    if (p.schema) {
      const schema = new analyzerProto.PolicyConfigSchema();
      if (p.schema.properties) schema.setProperties(Struct.fromJavaScript(p.schema.properties as never));
      schema.setRequiredList(p.schema.required);
      info.setConfigschema(schema);
    }
    return info;
  });

const analyzerInfo = fc
  .record({
    name: text,
    displayName: text,
    version: text,
    description: text,
    tags: fc.array(text, { maxLength: 2 }),
    supportsConfig: fc.boolean(),
    policies: fc.array(policyInfo, { maxLength: 4 }),
    initialConfig: fc.array(fc.tuple(text, fc.integer({ min: 0, max: 4 }), fc.option(object)), { maxLength: 3 }),
  })
  .map((a) => {
    const info = new analyzerProto.AnalyzerInfo();
    info.setName(a.name);
    info.setDisplayname(a.displayName);
    info.setVersion(a.version);
    info.setDescription(a.description);
    info.setTagsList(a.tags);
    info.setSupportsconfig(a.supportsConfig);
    info.setPoliciesList(a.policies);
    for (const [key, level, properties] of a.initialConfig) {
      const config = new analyzerProto.PolicyConfig();
      config.setEnforcementlevel(level as analyzerProto.EnforcementLevel);
      if (properties) config.setProperties(Struct.fromJavaScript(properties as never));
      info.getInitialconfigMap().set(key, config);
    }
    return info.serializeBinary();
  });

const encoder = new TextEncoder();
const utf8 = (t: string) => encoder.encode(t);
const concat = (parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((part) => [...part]));
function varint(n: number): number[] {
  const bytes: number[] = [];
  for (; n >= 0x80; n = Math.floor(n / 0x80)) bytes.push((n % 0x80) | 0x80);
  return [...bytes, n];
}
/** A length-delimited field. */
const field = (fieldNumber: number, payload: Uint8Array) =>
  Uint8Array.from([...varint(fieldNumber * 8 + 2), ...varint(payload.length), ...payload]);
const valueBytes = (value: unknown) =>
  Struct.fromJavaScript({ v: value as never })
    .getFieldsMap()
    .get("v")!
    .serializeBinary();

/** Whether the fast decoder read `bytes`; when it did, it read them as the generated decoder does, key order too (the client keeps the objects as decoded). */
function readsAsGenerated(bytes: Uint8Array): boolean {
  const fast = decodeAnalyzerInfo(bytes);
  if (fast === undefined) return false;
  const before = generated(bytes);
  expect(before.ok).toBe(true);
  expect(JSON.stringify(readAll(fast))).toBe(JSON.stringify(before.ok ? before.read : undefined));
  return true;
}

describe("decodeAnalyzerInfo", () => {
  it("reads every answer the generated decoder reads, as it reads it (or gives up on it)", () => {
    let decoded = 0;
    fc.assert(
      fc.property(analyzerInfo, (bytes) => {
        if (readsAsGenerated(bytes)) decoded++;
      }),
      propertyParameters(300),
    );
    // Giving up is only for what the generated decoder reads differently (`__proto__` keys): most are read.
    expect(decoded).toBeGreaterThan(150);
  });

  it("gives up on damaged bytes the generated decoder fails on, and reads the rest as it does", () => {
    const damaged = fc.tuple(
      analyzerInfo,
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }),
      fc.nat(),
    );
    fc.assert(
      fc.property(damaged, ([bytes, edits, cut]) => {
        const copy = Uint8Array.from(bytes);
        for (const [at, byte] of edits) if (copy.length > 0) copy[at % copy.length] = byte;
        readsAsGenerated(copy.subarray(0, copy.length - (cut % 3)));
      }),
      propertyParameters(500),
    );
  });

  it("reads a Struct's entries as the generated map does whatever their order: sorted, the last for a key winning", () => {
    // Entries as another producer may write them (unsorted, a key twice, `__proto__`), built byte by byte.
    const entries = fc.array(fc.tuple(text, json), { maxLength: 6 });
    let decoded = 0;
    fc.assert(
      fc.property(entries, entries, (schemaEntries, configEntries) => {
        const struct = (list: [string, unknown][]) =>
          concat(list.map(([key, value]) => field(1, concat([field(1, utf8(key)), field(2, valueBytes(value))]))));
        const bytes = concat([
          field(3, field(6, field(1, struct(schemaEntries)))),
          field(6, concat([field(1, utf8("a policy")), field(2, field(2, struct(configEntries)))])),
        ]);
        if (readsAsGenerated(bytes)) decoded++;
      }),
      propertyParameters(300),
    );
    expect(decoded).toBeGreaterThan(150);
  });

  it("gives up on a JSON value of no kind, which Struct.toJavaScript throws on", () => {
    const info = new analyzerProto.AnalyzerInfo();
    const policy = new analyzerProto.PolicyInfo();
    const schema = new analyzerProto.PolicyConfigSchema();
    const struct = new Struct();
    struct.getFieldsMap().set("empty", new (Struct.fromJavaScript({ a: 1 }).getFieldsMap().get("a")!.constructor as new () => never)());
    schema.setProperties(struct);
    policy.setConfigschema(schema);
    info.setPoliciesList([policy]);
    const bytes = info.serializeBinary();
    expect(generated(bytes).ok).toBe(false);
    expect(decodeAnalyzerInfo(bytes)).toBeUndefined();
  });
});
