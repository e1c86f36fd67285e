/**
 * GetAnalyzerInfo's answer, encoded straight from the pack's arguments into the bytes the SDK's
 * answer serialises to. The SDK (protoutil.makeAnalyzerInfo) builds a protobuf message for every
 * JSON value of every policy's config schema (some 140 KB: every policy carries the governance
 * properties) and then serialises them; this writes the same fields, in the same order, with the
 * same protobuf writer and the SDK's own mappings, without the messages.
 *
 * It encodes only what it can encode as the SDK would: pack arguments of another shape (an initial
 * config, a value that is not text where text is expected, a JSON value that is not a string,
 * number, boolean, null, array or plain object, the key `__proto__`, an unknown enforcement level)
 * give undefined, and the pack answers with the SDK's own handler, which then answers or fails
 * exactly as before.
 */
import type { BinaryWriter as BinaryWriterType } from "google-protobuf";
import { analyzerProto } from "./analyzer-proto";
import { BinaryWriter } from "./grpc";

interface SdkPolicyFunctions {
  isResourcePolicy(policy: object): boolean;
  isStackPolicy(policy: object): boolean;
}
interface SdkProtoFunctions {
  mapEnforcementLevel(level: unknown): number;
  makeAnalyzerInfo(
    name: unknown,
    version: unknown,
    level: unknown,
    args: unknown,
    initialConfig: unknown,
  ): { serializeBinary(): Uint8Array };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK's own classification, as makeAnalyzerInfo uses it
const { isResourcePolicy, isStackPolicy } = require("@pulumi/policy/policy") as SdkPolicyFunctions;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK's own enum mappings, as makeAnalyzerInfo uses them
const { mapEnforcementLevel, makeAnalyzerInfo } = require("@pulumi/policy/protoutil") as SdkProtoFunctions;

/** protoutil's mapSeverity (not exported): a severity it does not know is unspecified (0, not written). */
function mapSeverity(severity: unknown): number {
  switch (severity) {
    case "low":
      return analyzerProto.PolicySeverity.POLICY_SEVERITY_LOW;
    case "medium":
      return analyzerProto.PolicySeverity.POLICY_SEVERITY_MEDIUM;
    case "high":
      return analyzerProto.PolicySeverity.POLICY_SEVERITY_HIGH;
    case "critical":
      return analyzerProto.PolicySeverity.POLICY_SEVERITY_CRITICAL;
    default:
      return analyzerProto.PolicySeverity.POLICY_SEVERITY_UNSPECIFIED;
  }
}

const POLICY_TYPE_RESOURCE = analyzerProto.PolicyType.POLICY_TYPE_RESOURCE;
const POLICY_TYPE_STACK = analyzerProto.PolicyType.POLICY_TYPE_STACK;
const NULL_VALUE = 0;

/** The arguments are not ones this encoder writes as the SDK would: answer with the SDK's handler. */
class NotPlain extends Error {}

type Writer = BinaryWriterType;

/** Text the SDK sets only when truthy: undefined when absent, else it must be a string. */
function optionalText(value: unknown): string | undefined {
  if (!value) return undefined;
  if (typeof value !== "string") throw new NotPlain();
  return value;
}

/** Text the SDK always sets: a proto3 string field, written when non-empty. */
function text(value: unknown): string {
  if (value === undefined) return "";
  if (typeof value !== "string") throw new NotPlain();
  return value;
}

function textList(value: unknown): string[] | undefined {
  if (!value) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) throw new NotPlain();
  return value as string[];
}

function writeText(writer: Writer, field: number, value: string | undefined): void {
  if (value !== undefined && value.length > 0) writer.writeString(field, value);
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** google.protobuf.Struct as Struct.fromJavaScript builds it: every enumerable key, entries sorted by key. */
function writeStruct(object: Record<string, unknown>, writer: Writer): void {
  const keys: string[] = [];
  for (const key in object) {
    // The SDK's map keeps its entries in an object by key: `__proto__` would not be one of them.
    if (key === "__proto__") throw new NotPlain();
    keys.push(key);
  }
  keys.sort();
  for (const key of keys) {
    const value = object[key];
    writer.writeMessage(1, key, (entryKey: string, entryWriter: Writer) => {
      entryWriter.writeString(1, entryKey);
      writeValueField(entryWriter, 2, value);
    });
  }
}

/** A Value message field. Boxed: the writer writes no message for a null one, and JSON's null is a value. */
function writeValueField(writer: Writer, field: number, value: unknown): void {
  writer.writeMessage(field, [value], (box: unknown[], valueWriter: Writer) => writeValue(box[0], valueWriter));
}

/** google.protobuf.Value as Value.fromJavaScript builds it. */
function writeValue(value: unknown, writer: Writer): void {
  if (typeof value === "string") writer.writeString(3, value);
  else if (typeof value === "number") writer.writeDouble(2, value);
  else if (typeof value === "boolean") writer.writeBool(4, value);
  else if (value === null) writer.writeEnum(1, NULL_VALUE);
  else if (Array.isArray(value)) writer.writeMessage(6, value, writeList);
  else if (typeof value === "object" && isPlainObject(value)) writer.writeMessage(5, value, writeStruct);
  else throw new NotPlain();
}

function writeList(values: readonly unknown[], writer: Writer): void {
  for (let i = 0; i < values.length; i++) writeValueField(writer, 1, values[i]);
}

interface ConfigSchemaArgs {
  readonly properties?: unknown;
  readonly required?: unknown;
}

function writeConfigSchema(schema: ConfigSchemaArgs, writer: Writer): void {
  const properties = schema.properties;
  // Struct.fromJavaScript(undefined) is an empty Struct, still set.
  if (properties === undefined) writer.writeMessage(1, {}, writeStruct);
  else if (properties !== null && typeof properties === "object" && !Array.isArray(properties) && isPlainObject(properties)) {
    writer.writeMessage(1, properties, writeStruct);
  } else throw new NotPlain();
  const required = textList(schema.required);
  if (required && required.length > 0) writer.writeRepeatedString(2, required);
}

interface FrameworkArgs {
  readonly name?: unknown;
  readonly version?: unknown;
  readonly reference?: unknown;
  readonly specification?: unknown;
}

function writeFramework(framework: FrameworkArgs, writer: Writer): void {
  writeText(writer, 1, optionalText(framework.name));
  writeText(writer, 2, optionalText(framework.version));
  writeText(writer, 3, optionalText(framework.reference));
  writeText(writer, 4, optionalText(framework.specification));
}

interface PolicyArgs {
  readonly name?: unknown;
  readonly description?: unknown;
  readonly enforcementLevel?: unknown;
  readonly configSchema?: unknown;
  readonly displayName?: unknown;
  readonly severity?: unknown;
  readonly framework?: unknown;
  readonly tags?: unknown;
  readonly remediationSteps?: unknown;
  readonly url?: unknown;
}

/** One PolicyInfo, fields in field-number order as the generated serialiser writes them. */
function writePolicy(packLevel: unknown, policy: PolicyArgs, writer: Writer): void {
  const policyType = isResourcePolicy(policy) ? POLICY_TYPE_RESOURCE : isStackPolicy(policy) ? POLICY_TYPE_STACK : 0;
  const level = mapEnforcementLevel(policy.enforcementLevel || packLevel);
  writeText(writer, 1, text(policy.name));
  writeText(writer, 2, optionalText(policy.displayName));
  writeText(writer, 3, text(policy.description));
  if (level !== 0) writer.writeEnum(5, level);
  if (policy.configSchema) {
    if (typeof policy.configSchema !== "object") throw new NotPlain();
    writer.writeMessage(6, policy.configSchema, writeConfigSchema);
  }
  if (policyType !== 0) writer.writeEnum(7, policyType);
  const severity = policy.severity ? mapSeverity(policy.severity) : 0;
  if (severity !== 0) writer.writeEnum(8, severity);
  if (policy.framework) {
    if (typeof policy.framework !== "object") throw new NotPlain();
    writer.writeMessage(9, policy.framework, writeFramework);
  }
  const tags = textList(policy.tags);
  if (tags && tags.length > 0) writer.writeRepeatedString(10, tags);
  writeText(writer, 11, optionalText(policy.remediationSteps));
  writeText(writer, 12, optionalText(policy.url));
}

/** What the SDK's `serve` received. */
export interface ServedPackArgs {
  readonly name: unknown;
  readonly version: unknown;
  readonly enforcementLevel: unknown;
  readonly args: unknown;
  readonly initialConfig: unknown;
}

/**
 * The bytes of the SDK's GetAnalyzerInfo answer for these arguments, or undefined when only the
 * SDK's handler may answer (see the top of the file).
 */
export function encodeAnalyzerInfo(served: ServedPackArgs): Uint8Array | undefined {
  try {
    if (served.initialConfig !== undefined) return undefined;
    const args = served.args as Record<string, unknown> | undefined;
    if (args === null || typeof args !== "object") return undefined;
    const policies = (args["policies"] ?? []) as unknown;
    if (!Array.isArray(policies) || !policies.every((p) => p !== null && typeof p === "object")) return undefined;
    const writer = new BinaryWriter();
    writeText(writer, 1, text(served.name));
    writeText(writer, 2, optionalText(args["displayName"]));
    for (const policy of policies as PolicyArgs[]) {
      writer.writeMessage(3, policy, (p: PolicyArgs, w: Writer) => writePolicy(served.enforcementLevel, p, w));
    }
    writeText(writer, 4, text(served.version));
    writer.writeBool(5, true);
    writeText(writer, 7, optionalText(args["description"]));
    writeText(writer, 8, optionalText(args["readme"]));
    writeText(writer, 9, optionalText(args["provider"]));
    const tags = textList(args["tags"]);
    if (tags && tags.length > 0) writer.writeRepeatedString(10, tags);
    writeText(writer, 11, optionalText(args["repository"]));
    return writer.getResultBuffer();
  } catch {
    return undefined;
  }
}

/**
 * The bytes the SDK's own GetAnalyzerInfo handler answers with (its message, serialised as its
 * service sends it); throws where that handler fails. For the test holding {@link encodeAnalyzerInfo} to it.
 */
export function sdkAnalyzerInfoBytes(served: ServedPackArgs): Uint8Array {
  return makeAnalyzerInfo(served.name, served.version, served.enforcementLevel, served.args, served.initialConfig).serializeBinary();
}
