/**
 * GetAnalyzerInfo's answer decoded straight into plain values. The generated decoder builds a
 * protobuf message for every JSON value of every policy's config schema (some 140 KB: every policy
 * carries the governance properties), and the client then converts each back to JavaScript: about
 * as long as the rest of starting a session. This reads the same bytes with the same protobuf reader
 * into what the client keeps, behind the accessors the client reads (the generated message's names).
 *
 * It decodes only a well-formed answer, as the generated decoder would read it: anything else (a
 * field of an unexpected wire type, a group, a map entry without its key or value or with a field
 * twice, a JSON value of no kind, the key `__proto__`, truncated bytes) gives undefined, and the
 * caller decodes with the generated decoder, which then fails or reads it exactly as before.
 */
import type { BinaryReader as BinaryReaderType } from "google-protobuf";
import { BinaryReader } from "../core/sdk/grpc";

export interface StructView {
  toJavaScript(): Record<string, unknown>;
}

export interface PolicyConfigSchemaView {
  getProperties(): StructView | undefined;
  getRequiredList(): string[];
}

export interface PolicyComplianceFrameworkView {
  getName(): string;
  getVersion(): string;
  getReference(): string;
  getSpecification(): string;
}

export interface PolicyInfoView {
  getName(): string;
  getDisplayname(): string;
  getDescription(): string;
  getMessage(): string;
  getEnforcementlevel(): number;
  getPolicyType(): number;
  getTagsList(): string[];
  getRemediationSteps(): string;
  getUrl(): string;
  getFramework(): PolicyComplianceFrameworkView | undefined;
  getSeverity(): number;
  getConfigschema(): PolicyConfigSchemaView | undefined;
}

export interface PolicyConfigView {
  getEnforcementlevel(): number;
  getProperties(): StructView | undefined;
}

export interface AnalyzerInfoView {
  getName(): string;
  getDisplayname(): string;
  getVersion(): string;
  getSupportsconfig(): boolean;
  getPoliciesList(): PolicyInfoView[];
  /** Sorted by key, as the generated map's entries are. */
  getInitialconfigMap(): { entries(): Iterable<[string, PolicyConfigView]> };
}

const VARINT = 0;
const FIXED64 = 1;
const DELIMITED = 2;

/** The answer is not one this decoder reads as the generated one would: decode with that one. */
class NotPlain extends Error {}

/** A field's value, checked to have the wire type the generated decoder reads it with. */
function expectWireType(reader: BinaryReaderType, wireType: number): void {
  if (reader.getWireType() !== wireType) throw new NotPlain();
}

/** Each field of the message at the reader's position, as (field number) => handled. */
function eachField(reader: BinaryReaderType, field: (fieldNumber: number) => void): void {
  reader.readMessage(undefined as never, () => fieldsUntilEnd(reader, field));
}

function fieldsUntilEnd(reader: BinaryReaderType, field: (fieldNumber: number) => void): void {
  while (reader.nextField()) {
    if (reader.isEndGroup()) throw new NotPlain();
    field(reader.getFieldNumber());
  }
}

function readString(reader: BinaryReaderType): string {
  expectWireType(reader, DELIMITED);
  return reader.readString();
}

function readEnum(reader: BinaryReaderType): number {
  expectWireType(reader, VARINT);
  return reader.readEnum();
}

/** One map entry's key (field 1) and value (field 2), each exactly once, as the generated map reads it. */
function readMapEntry<V>(reader: BinaryReaderType, readValue: () => V): [string, V] {
  let key: string | undefined;
  let value: { v: V } | undefined;
  expectWireType(reader, DELIMITED);
  eachField(reader, (fieldNumber) => {
    if (fieldNumber === 1 && key === undefined) key = readString(reader);
    else if (fieldNumber === 2 && value === undefined) {
      expectWireType(reader, DELIMITED);
      value = { v: readValue() };
    } else throw new NotPlain();
  });
  // The generated map keeps its entries in an object by key: `__proto__` would not be one of them.
  if (key === undefined || value === undefined || key === "__proto__") throw new NotPlain();
  return [key, value.v];
}

/** Entries by key, the last one for a key winning, in the order the generated map lists them (sorted keys). */
function sortedEntries<V>(entries: Map<string, V>): [string, V][] {
  return [...entries.keys()].sort().map((key) => [key, entries.get(key) as V]);
}

/** google.protobuf.Struct, as Struct.toJavaScript() gives it. */
function readStruct(reader: BinaryReaderType): Record<string, unknown> {
  const fields = new Map<string, unknown>();
  eachField(reader, (fieldNumber) => {
    if (fieldNumber !== 1) return reader.skipField();
    const [key, value] = readMapEntry(reader, () => readValue(reader));
    fields.set(key, value);
  });
  const object: Record<string, unknown> = {};
  for (const [key, value] of sortedEntries(fields)) object[key] = value;
  return object;
}

const noKind = Symbol("no kind");

/** google.protobuf.Value: the last of its kinds given wins, as for the generated oneof. */
function readValue(reader: BinaryReaderType): unknown {
  let value: unknown = noKind;
  eachField(reader, (fieldNumber) => {
    switch (fieldNumber) {
      case 1:
        readEnum(reader);
        value = null;
        return;
      case 2:
        expectWireType(reader, FIXED64);
        value = reader.readDouble();
        return;
      case 3:
        value = readString(reader);
        return;
      case 4:
        expectWireType(reader, VARINT);
        value = reader.readBool();
        return;
      case 5:
        expectWireType(reader, DELIMITED);
        value = readStruct(reader);
        return;
      case 6:
        expectWireType(reader, DELIMITED);
        value = readList(reader);
        return;
      default:
        reader.skipField();
    }
  });
  // Struct.toJavaScript() throws on a value of no kind: the generated decoder's path says so.
  if (value === noKind) throw new NotPlain();
  return value;
}

function readList(reader: BinaryReaderType): unknown[] {
  const values: unknown[] = [];
  eachField(reader, (fieldNumber) => {
    if (fieldNumber !== 1) return reader.skipField();
    expectWireType(reader, DELIMITED);
    values.push(readValue(reader));
  });
  return values;
}

function structView(object: Record<string, unknown>): StructView {
  return { toJavaScript: () => object };
}

function readConfigSchema(reader: BinaryReaderType): PolicyConfigSchemaView {
  let properties: StructView | undefined;
  const required: string[] = [];
  eachField(reader, (fieldNumber) => {
    if (fieldNumber === 1) {
      expectWireType(reader, DELIMITED);
      properties = structView(readStruct(reader));
    } else if (fieldNumber === 2) required.push(readString(reader));
    else reader.skipField();
  });
  return { getProperties: () => properties, getRequiredList: () => required };
}

function readFramework(reader: BinaryReaderType): PolicyComplianceFrameworkView {
  const texts = ["", "", "", "", ""];
  eachField(reader, (fieldNumber) => {
    if (fieldNumber >= 1 && fieldNumber <= 4) texts[fieldNumber] = readString(reader);
    else reader.skipField();
  });
  return {
    getName: () => texts[1] as string,
    getVersion: () => texts[2] as string,
    getReference: () => texts[3] as string,
    getSpecification: () => texts[4] as string,
  };
}

/** The PolicyInfo fields read as text, by field number. */
const policyTextFields: Record<number, string> = {
  1: "name",
  2: "displayName",
  3: "description",
  4: "message",
  11: "remediationSteps",
  12: "url",
};

function readPolicy(reader: BinaryReaderType): PolicyInfoView {
  const texts: Record<string, string> = { name: "", displayName: "", description: "", message: "", remediationSteps: "", url: "" };
  const numbers = { enforcementLevel: 0, policyType: 0, severity: 0 };
  const tags: string[] = [];
  let framework: PolicyComplianceFrameworkView | undefined;
  let configSchema: PolicyConfigSchemaView | undefined;
  eachField(reader, (fieldNumber) => {
    const text = policyTextFields[fieldNumber];
    if (text !== undefined) texts[text] = readString(reader);
    else if (fieldNumber === 5) numbers.enforcementLevel = readEnum(reader);
    else if (fieldNumber === 6) {
      expectWireType(reader, DELIMITED);
      configSchema = readConfigSchema(reader);
    } else if (fieldNumber === 7) numbers.policyType = readEnum(reader);
    else if (fieldNumber === 8) numbers.severity = readEnum(reader);
    else if (fieldNumber === 9) {
      expectWireType(reader, DELIMITED);
      framework = readFramework(reader);
    } else if (fieldNumber === 10) tags.push(readString(reader));
    else reader.skipField();
  });
  return {
    getName: () => texts["name"] as string,
    getDisplayname: () => texts["displayName"] as string,
    getDescription: () => texts["description"] as string,
    getMessage: () => texts["message"] as string,
    getEnforcementlevel: () => numbers.enforcementLevel,
    getPolicyType: () => numbers.policyType,
    getTagsList: () => tags,
    getRemediationSteps: () => texts["remediationSteps"] as string,
    getUrl: () => texts["url"] as string,
    getFramework: () => framework,
    getSeverity: () => numbers.severity,
    getConfigschema: () => configSchema,
  };
}

function readPolicyConfig(reader: BinaryReaderType): PolicyConfigView {
  let enforcementLevel = 0;
  let properties: StructView | undefined;
  eachField(reader, (fieldNumber) => {
    if (fieldNumber === 1) enforcementLevel = readEnum(reader);
    else if (fieldNumber === 2) {
      expectWireType(reader, DELIMITED);
      properties = structView(readStruct(reader));
    } else reader.skipField();
  });
  return { getEnforcementlevel: () => enforcementLevel, getProperties: () => properties };
}

/** The AnalyzerInfo fields the client does not keep, read (as text) only to hold them to their wire type. */
const unreadTextFields = new Set([7, 8, 9, 10, 11]);

/** GetAnalyzerInfo's answer, or undefined when only the generated decoder may read it (see the top of the file). */
export function decodeAnalyzerInfo(bytes: Uint8Array): AnalyzerInfoView | undefined {
  try {
    const reader = new BinaryReader(bytes);
    const texts = { name: "", displayName: "", version: "" };
    let supportsConfig = false;
    const policies: PolicyInfoView[] = [];
    const initialConfig = new Map<string, PolicyConfigView>();
    fieldsUntilEnd(reader, (fieldNumber) => {
      if (fieldNumber === 1) texts.name = readString(reader);
      else if (fieldNumber === 2) texts.displayName = readString(reader);
      else if (fieldNumber === 3) {
        expectWireType(reader, DELIMITED);
        policies.push(readPolicy(reader));
      } else if (fieldNumber === 4) texts.version = readString(reader);
      else if (fieldNumber === 5) {
        expectWireType(reader, VARINT);
        supportsConfig = reader.readBool();
      } else if (fieldNumber === 6) {
        const [key, value] = readMapEntry(reader, () => readPolicyConfig(reader));
        initialConfig.set(key, value);
      } else if (unreadTextFields.has(fieldNumber)) readString(reader);
      else reader.skipField();
    });
    const sortedConfig = sortedEntries(initialConfig);
    return {
      getName: () => texts.name,
      getDisplayname: () => texts.displayName,
      getVersion: () => texts.version,
      getSupportsconfig: () => supportsConfig,
      getPoliciesList: () => policies,
      getInitialconfigMap: () => ({ entries: () => sortedConfig }),
    };
  } catch {
    return undefined;
  }
}
