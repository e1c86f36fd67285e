import Ajv from "ajv";
import addFormats from "ajv-formats";
import * as fs from "fs";

/**
 * The official SARIF 2.1.0 schema @microsoft/jest-sarif ships, as published (draft-04 by its `$schema`; nothing
 * in it differs under draft-07 but the root's `id`, which draft-07 spells `$id`): compiled with ajv's default
 * draft-07 support, never copied.
 */
export function sarifValidator() {
  const file = require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
  const {
    $schema: _draft,
    id,
    ...schema
  } = JSON.parse(fs.readFileSync(file, "utf8")) as { $schema: string; id: string } & Record<string, unknown>;
  // unicodeRegExp off: the schema's language pattern has a stray "]", valid only as an ECMAScript regexp without the u flag.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile({ ...schema, $id: id });
}
