/**
 * Properties built to break the pack rather than to configure Intercom, over the protocol: keys every JavaScript
 * object inherits (`constructor`, `toString`, ...) anywhere in a control's properties, and absurdly deep nesting.
 * Neither may crash the pack or pass: inherited-name keys are unknown fields of intercom-control-schema; nesting
 * deeper than the schema check reads is a schema problem, and nesting deeper than gRPC decodes is a clean error of
 * that one call, after which the pack still serves.
 *
 * Keys starting with `__` (`__proto__` among them) never reach a pack: the engine leaves internal keys out of what it
 * sends (cli/analyzer-client.ts does as the CLI does), and Pulumi's SDK turns a program's `__proto__` into a
 * prototype before registering. test/core/validation.test.ts covers them where they can arrive.
 */
import fc from "fast-check";
import type { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerProto from "@pulumi/pulumi/proto/analyzer_pb";
import { CapturedResource, PolicyPackSession } from "../../cli/analyzer-client";
import { maxNestingDepth } from "../../core/validation";
import { allControls } from "../../resources";
import {
  captureExample,
  CONTROL_SCHEMA_POLICY,
  controlType,
  launchPinnedPack,
  mandatory,
  newResource,
  SETUP_TIMEOUT_MS,
  violationMessage,
} from "../support/engine";
import { secureSample } from "../support/fixtures";
import { sampleOf } from "../support/property";

/** Names a plain object inherits, less the `__` ones the engine never sends. */
const inheritedNames = [...Object.getOwnPropertyNames(Object.prototype), "prototype"].filter((name) => !name.startsWith("__"));

/** Object-valued places in props: the top level, nested objects, records, list entries. */
function objectPaths(value: unknown, path: readonly (string | number)[] = []): Array<readonly (string | number)[]> {
  if (Array.isArray(value)) {
    return value.flatMap((element, i) => objectPaths(element, [...path, i]));
  }
  if (value && typeof value === "object") {
    return [path, ...Object.entries(value).flatMap(([key, element]) => objectPaths(element, [...path, key]))];
  }
  return [];
}

function withKeyAt(
  props: Record<string, unknown>,
  path: readonly (string | number)[],
  key: string,
  value: unknown,
): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(props)) as Record<string, unknown>;
  let target: Record<string, unknown> = copy;
  for (const segment of path) {
    target = target[segment as string] as Record<string, unknown>;
  }
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

/** Protobuf's varint, and a length-delimited field: enough to hand-encode a Struct deeper than any encoder recurses. */
function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

function field(number: number, payload: Buffer): Buffer {
  return Buffer.concat([varint((number << 3) | 2), varint(payload.length), payload]);
}

/** A Struct map entry `key: value` (google.protobuf.Struct's fields = 1; entry key = 1, value = 2). */
function structEntry(key: string, value: Buffer): Buffer {
  return field(1, Buffer.concat([field(1, Buffer.from(key, "utf8")), field(2, value)]));
}

/** A google.protobuf.Value holding `{ o: { o: ... "bottom" } }`, `depth` objects deep, encoded without recursion. */
function deepValue(depth: number): Buffer {
  let value = field(3, Buffer.from("bottom", "utf8")); // string_value = 3
  for (let i = 0; i < depth; i++) {
    value = field(5, structEntry("o", value)); // struct_value = 5
  }
  return value;
}

describe("hostile properties over the Analyzer protocol", () => {
  let session: PolicyPackSession | undefined;
  let secure: CapturedResource[] = [];

  beforeAll(async () => {
    const [launched, captured] = await Promise.all([launchPinnedPack(), captureExample("secure-workspace")]);
    session = launched;
    secure = captured;
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await session?.close();
  });

  function pack(): PolicyPackSession {
    if (!session) {
      throw new Error("setup failed");
    }
    return session;
  }

  it("reports an inherited-name key anywhere in any control as an unknown field, and blocks", async () => {
    const places = allControls.flatMap((control) => {
      const sample =
        control.name === "CustomAction" ? { ...secureSample(control), headers: { Accept: "application/json" } } : secureSample(control);
      return objectPaths(sample).map((path) => ({ control, sample, path }));
    });
    const cases = sampleOf(
      fc.tuple(
        fc.constantFrom(...places),
        fc.constantFrom(...inheritedNames),
        fc.oneof(fc.string(), fc.integer(), fc.constant({ polluted: 1 })),
      ),
      60,
    );
    for (const [[{ control, sample, path }, key, value], i] of cases.map((c, i) => [c, i] as const)) {
      const resource = newResource(secure, controlType(control.name), `inherited-${i}`, withKeyAt(sample, path, key, value));
      const schema = mandatory(await pack().analyze(resource)).filter((d) => d.policyName === CONTROL_SCHEMA_POLICY);
      expect(schema.map(violationMessage)).toEqual([expect.stringMatching(new RegExp(`unknown fields? (".*", )?"${key}"`))]);
    }
  });

  it("refuses nesting deeper than the schema check reads, naming the field", async () => {
    let deep: unknown = "bottom";
    for (let i = 0; i < 200; i++) {
      deep = { o: deep };
    }
    const control = allControls.find((c) => c.name === "MessengerDomainRestriction") ?? allControls[0];
    if (!control) {
      throw new Error("no control");
    }
    const resource = newResource(secure, controlType(control.name), "nested-200", { ...secureSample(control), extra: deep });
    const diagnostics = mandatory(await pack().analyze(resource));
    expect(diagnostics.filter((d) => d.policyName === CONTROL_SCHEMA_POLICY).map(violationMessage)).toEqual([
      expect.stringContaining(`field extra.o.o.o`),
    ]);
    expect(violationMessage(diagnostics.find((d) => d.policyName === CONTROL_SCHEMA_POLICY) as never)).toContain(
      `nested more than ${maxNestingDepth} levels deep`,
    );
    // Nothing else passes it: every other policy of the control says Not evaluated.
    expect(
      diagnostics.filter((d) => d.policyName !== CONTROL_SCHEMA_POLICY).every((d) => violationMessage(d).startsWith("Not evaluated")),
    ).toBe(true);
  });

  it("answers 10,000 levels of nesting with a clean error of that call, and keeps serving", async () => {
    const client = (pack() as unknown as { client?: AnalyzerClient }).client;
    if (!client) {
      throw new Error("PolicyPackSession no longer keeps its gRPC client in `client`: update this test.");
    }
    const control = allControls.find((c) => c.name === "MessengerDomainRestriction") ?? allControls[0];
    if (!control) {
      throw new Error("no control");
    }
    const valid = newResource(secure, controlType(control.name), "after-deep", secureSample(control));
    const request = new analyzerProto.AnalyzeRequest();
    request.setType(valid.type);
    request.setName("deep-10000");
    request.setUrn(valid.urn.replace("after-deep", "deep-10000"));
    const encoded = Buffer.concat([
      Buffer.from(request.serializeBinary()),
      field(
        2,
        Buffer.concat([structEntry("workspaceId", field(3, Buffer.from("abc123", "utf8"))), structEntry("extra", deepValue(10_000))]),
      ),
    ]);
    // The generated serializer checks the type, then calls serializeBinary: hand it the hand-encoded bytes.
    request.serializeBinary = () => new Uint8Array(encoded);
    const outcome = await new Promise<{ error?: Error & { code?: number }; response?: analyzerProto.AnalyzeResponse }>((resolve) =>
      client.analyze(request, (error, response) => resolve(error ? { error } : { response })),
    );
    if (outcome.response) {
      // Had the pack decoded it, it must have refused it: never a pass.
      const messages = outcome.response.getDiagnosticsList().map((d) => d.getMessage());
      expect(messages.join("\n")).toContain("nested more than");
    } else {
      expect(outcome.error?.message).toMatch(/deserializ|INTERNAL|RESOURCE_EXHAUSTED/i);
    }
    // The pack is still up and grades the next resource.
    expect(await pack().analyze(valid)).toEqual([]);
  });
});
