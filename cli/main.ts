#!/usr/bin/env node
/**
 * intercom-health-check: the pack's main job. `preview <program-dir>` runs a Pulumi program
 * the way `pulumi preview --policy-pack` would and prints the Security Health Check.
 * Exit codes: 0 nothing blocks, 1 a mandatory policy failed (or a SHALL policy could not be
 * evaluated because a value is not known until the update, unless --allow-unknown), 2 usage
 * error (including policy configuration the schema or the pack refuses), 3 internal error.
 */
import * as fs from "fs";
import * as path from "path";
import { Command, CommanderError } from "commander";
import { escapeForDisplay, escapeJsonForDisplay } from "../core/display";
import { ignoreInspectorSignal } from "../core/process-hardening";
import { isValidIsoDate } from "../core/fields";
import { secretRedactor } from "../core/redaction";
import { serializableReport } from "../report/json";
import { redactReport } from "../report/redact";
import { renderText } from "../report/text";
import { secretTextsOf } from "../core/control";
import { allControls } from "../resources";
import { PolicyConfigurationRefused } from "./analyzer-client";
import { PolicyConfigError, resolvePolicyConfig } from "./policy-config";
import { preview } from "./preview";
import { redactRemediations, renderRemediationsText, serializableRemediations } from "./remediate";
import { ProgramFailedError } from "./program-runner";

export const exitCodes = { secure: 0, blocked: 1, usage: 2, internal: 3 } as const;

const packageRoot = path.resolve(__dirname, "..", "..");

class UsageError extends Error {}

function checkProgramDir(programDir: string): string {
  const resolved = path.resolve(programDir);
  if (!fs.existsSync(resolved)) throw new UsageError(`program directory ${programDir} does not exist`);
  if (!fs.statSync(resolved).isDirectory()) throw new UsageError(`${programDir} is not a directory`);
  if (!fs.existsSync(path.join(resolved, "Pulumi.yaml")) && !fs.existsSync(path.join(resolved, "Pulumi.yml"))) {
    throw new UsageError(`${programDir} is not a Pulumi program: it has no Pulumi.yaml`);
  }
  return resolved;
}

function checkPackDir(packDir: string): string {
  const resolved = path.resolve(packDir);
  if (!fs.existsSync(path.join(resolved, "PulumiPolicy.yaml"))) {
    throw new UsageError(`${packDir} is not a policy pack: it has no PulumiPolicy.yaml`);
  }
  return resolved;
}

function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(packageRoot, "package.json"), "utf8")) as { version: string }).version;
}

export async function main(argv: readonly string[]): Promise<number> {
  let exitCode: number = exitCodes.secure;
  const program = new Command()
    .name("intercom-health-check")
    .description("Intercom's Security Health Check as code: checks a Pulumi program against the policy pack.")
    .version(packageVersion())
    .exitOverride()
    .configureOutput({
      writeErr: (text) => process.stderr.write(text),
      // Commander's errors quote arguments: escaped like every other message.
      outputError: (text, write) => write(`${escapedLines(text.replace(/\n$/, ""))}\n`),
    });

  program
    .command("preview")
    .description("Run a Pulumi program as pulumi preview does, send its resources to the policy pack over the Analyzer protocol, print the Health Check.")
    .argument("<program-dir>", "the Pulumi program's directory")
    .option("--policy-pack <dir>", "the compiled policy pack to run", packageRoot)
    .option("--policy-pack-config <file>", "per-policy configuration (JSON), as pulumi preview --policy-pack-config")
    .option("--profile <name>", "start from a profile (baseline, strict, hipaa); --policy-pack-config settings override it")
    .option("--stack <name>", "the stack name the program sees", "dev")
    .option("--as-of <date>", "evaluate date-based rules as of this ISO date instead of now")
    .option("--json", "print the report as JSON instead of text")
    .option("--allow-unknown", "do not fail when a SHALL policy cannot be evaluated because a value is not known until the update")
    .option("--remediate", "run the policies that remediate at Pulumi's remediate level, show each fix, and grade the fixed resources")
    .action(async (programDir: string, options: { policyPack: string; policyPackConfig?: string; profile?: string; stack: string; asOf?: string; json?: boolean; allowUnknown?: boolean; remediate?: boolean }) => {
      const resolved = checkProgramDir(programDir);
      if (options.asOf !== undefined && !isValidIsoDate(options.asOf)) {
        throw new UsageError(`--as-of ${options.asOf} is not an ISO 8601 date (e.g. 2026-11-21)`);
      }
      if (!/^[A-Za-z0-9_.-]+$/.test(options.stack)) throw new UsageError(`--stack must be a stack name, got "${options.stack}"`);
      const result = await preview(resolved, {
        ...(options.asOf ? { asOf: options.asOf } : {}),
        packDir: checkPackDir(options.policyPack),
        stack: options.stack,
        policyConfig: resolvePolicyConfig({
          ...(options.policyPackConfig ? { file: options.policyPackConfig } : {}),
          ...(options.profile !== undefined ? { profile: options.profile } : {}),
          now: options.asOf ? new Date(options.asOf) : new Date(),
        }),
        ...(options.remediate ? { remediate: true } : {}),
      });
      const remediations = redactRemediations(result.remediations ?? [], secretRedactor(result.secrets));
      const allowUnknown = options.allowUnknown === true;
      // Verdict messages were redacted against the program's secrets (cli/preview.ts); this
      // redacts every program-derived field of the report once more (a secret workspace id, say).
      const report = redactReport(result.report, secretRedactor(result.secrets));
      // Text escapes program-controlled text field by field (report/text.ts). JSON keeps exact
      // values but writes every control, bidi and zero-width character as a \u escape, so
      // printing the JSON shows no raw one either.
      const output = options.json
        ? `${escapeJsonForDisplay(JSON.stringify({ pack: { name: result.packName, version: result.packVersion }, allowUnknown, ...serializableReport(report), ...(result.remediations ? { remediations: serializableRemediations(remediations) } : {}) }, null, 2))}\n`
        : renderText(report, { subject: programDir, packName: result.packName, packVersion: result.packVersion, allowUnknown }) + renderRemediationsText(remediations);
      process.stdout.write(output);
      // A SHALL policy the preview could not evaluate for an unknown value is not vouched for.
      const unknownFails = result.report.blockedByUnknowns.length > 0 && !allowUnknown;
      exitCode = result.report.blocking || unknownFails ? exitCodes.blocked : exitCodes.secure;
    });

  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? exitCodes.secure : exitCodes.usage;
    }
    if (error instanceof UsageError || error instanceof PolicyConfigError || error instanceof PolicyConfigurationRefused) {
      writeError(error.message);
      return exitCodes.usage;
    }
    writeError(describeInternalError(error));
    return exitCodes.internal;
  }
}

/**
 * Each line escaped (core/display.ts), the lines after the first indented behind `  | `: an error
 * quoting program output (a failed program's stderr) or arguments cannot forge a line of its own.
 */
function escapedLines(text: string): string {
  return text.split("\n").map(escapeForDisplay).join("\n  | ");
}

function writeError(message: string): void {
  process.stderr.write(`intercom-health-check: ${escapedLines(message)}\n`);
}

function describeInternalError(error: unknown): string {
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    // Deeper than JavaScript's stack: a value nested absurdly deep, in the program or in what it registered.
    return `a value is nested too deeply to process (${error.message}); no Intercom control nests more than a few levels`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return error instanceof ProgramFailedError ? redactedWithCapture(message, error.captured) : message;
}

const controlsByType = new Map(allControls.map((c) => [c.typeToken, c]));

/**
 * A failed program's message quotes its errors and stderr, which may show what its resources carry:
 * redacted with the secret texts of every resource it registered before it failed, as the report is.
 */
function redactedWithCapture(message: string, captured: ProgramFailedError["captured"]): string {
  const secrets = captured.flatMap((r) => secretTextsOf(controlsByType.get(r.type), r.properties));
  return secretRedactor(secrets)(message);
}

if (require.main === module) {
  ignoreInspectorSignal();
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      writeError(describeInternalError(error));
      process.exitCode = exitCodes.internal;
    },
  );
}
