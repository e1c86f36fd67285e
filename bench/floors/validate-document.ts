/**
 * The floor of `check`: read a workspace document (the first argument), parse it and validate it against the shipped
 * schema (schemas/workspace-document.schema.json) — the least any tool grading it must do. Exits 1 if it is invalid.
 */
import * as fs from "fs";
import * as path from "path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { loadYaml } from "../yaml";

const schemaPath = path.resolve(__dirname, "..", "..", "..", "schemas", "workspace-document.schema.json");
const ajv = new Ajv2020({ allErrors: true, strict: false, discriminator: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, "utf8")) as object);
const document: unknown = loadYaml(fs.readFileSync(process.argv[2] as string, "utf8"));
if (!validate(document)) {
  process.stderr.write(`invalid document: ${JSON.stringify(validate.errors?.slice(0, 3))}\n`);
  process.exitCode = 1;
}
