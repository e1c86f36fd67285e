#!/usr/bin/env node
/**
 * intercom-health-check: the pack's main job. `preview <program-dir>` runs a Pulumi program
 * the way `pulumi preview --policy-pack` would and prints the Security Health Check; `check <file|dir|->`
 * grades workspace documents (cli/documents.ts) the same way, without Pulumi.
 * Exit codes: 0 nothing blocks, 1 a mandatory policy failed (or a SHALL policy could not be
 * evaluated because a value is not known until the update, unless --allow-unknown; or, with
 * --fail-on advisory, an advisory finding), 2 the input is wrong (bad arguments, configuration
 * the tool or the pack refuses, a stack configuration it cannot use, a program that fails),
 * 3 the tool itself failed. Under --json an error is JSON on stdout too. `verify <report>` exits 0
 * when the report is intact (and, with --input, graded alike again), 1 when anything differs.
 * `drift --since <date>` (cli/drift.ts) exits 1 when Intercom's activity log shows a security-relevant change.
 * `audit --live` (cli/audit-live.ts) grades the live workspace as `check` grades a document, with the same exit
 * codes; what the API cannot read is not evaluated and fails like a failed SHALL policy. `import` (cli/import.ts)
 * writes a starting document or program from the live workspace.
 */
import * as fs from "fs";
import * as path from "path";
import { Command, CommanderError, Option } from "commander";
import { escapeForDisplay, escapeJsonForDisplay } from "../core/display";
import { ignoreInspectorSignal } from "../core/process-hardening";
import { asOfVariable } from "../core/clock";
import { isValidIsoDate } from "../core/fields";
import { secretRedactor } from "../core/redaction";
import { redactReport } from "../report/redact";
import { reportCatalogOf } from "../report/catalog";
import type { PolicyPackRun } from "../report/pulumi-policies";
import { secretTextsOf } from "../core/control";
import type * as Resources from "../resources";
import { PolicyConfigurationRefused } from "./analyzer-client";
import { ErrorKind, InputError, SourceLocation, UsageError } from "./errors";
import { findPolicy, renderExplainJson, renderExplainText } from "./explain";
import { allowedFilterValues, checkFixedFilters, filterNames, matchesFilter, renderListJson, renderListText, resolveFilter } from "./list";
import { checkPackDir } from "./pack-dir";
import { readPackFacts } from "./policy-facts";
import type { PreviewResult } from "./preview";
import { launchDocumentsPack, launchPreviewPack, startEarly } from "./preview-pack";
import { colourFor, jsonOnStdout, OutputPlan, planOutputs, reportFormats, streamOutputs, withoutSecretLocations } from "./output";
import { redactRemediations } from "./remediate";
import type { RunCircumstances } from "./evidence";
import type { VerifyCommandOptions } from "./verify";
import { ProgramFailedError } from "./program-runner";
import { readStackConfiguration } from "./stack-config";
import { displayPath, formatLocation } from "./user-code-location";
import { blocks, FailOn, failOnLevels, findingsThatFail } from "./verdict";
import { DriftFormat, driftFormats, readDrift, renderDrift } from "./drift";
import { connectionFrom, IntercomApiError, IntercomClient, intercomRegions, tokenVariable } from "../intercom/client";
import { ImportFormat, importFormats } from "./import-formats";

export const exitCodes = { secure: 0, blocked: 1, usage: 2, internal: 3 } as const;

const packageRoot = path.resolve(__dirname, "..", "..");

function checkProgramDir(programDir: string): string {
  const resolved = path.resolve(programDir);
  if (!fs.existsSync(resolved)) throw new UsageError(`program directory ${programDir} does not exist`);
  if (!fs.statSync(resolved).isDirectory()) throw new UsageError(`${programDir} is not a directory`);
  if (!fs.existsSync(path.join(resolved, "Pulumi.yaml")) && !fs.existsSync(path.join(resolved, "Pulumi.yml"))) {
    throw new UsageError(`${programDir} is not a Pulumi program: it has no Pulumi.yaml`);
  }
  return resolved;
}

const toolName = "intercom-health-check";

/** The program directory's git state for evidence; nothing when it is in no repository (or git is absent). */
async function gitEvidence(dir: string): Promise<{ git?: NonNullable<RunCircumstances["git"]> }> {
  const { gitStateOf } = await import("./evidence");
  const git = await gitStateOf(dir);
  return git ? { git } : {};
}

function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(packageRoot, "package.json"), "utf8")) as { version: string }).version;
}

/** Repeatable options collect their values in order. */
function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * Commander quotes an unknown option as typed; typed as `--secrte=value`, that shows a value meant for --secret.
 * Whatever follows "=" in a quoted option is dropped, up to the text's last quote: the value may hold quotes itself.
 */
function withoutOptionValues(text: string): string {
  return text.replace(/'(-[^'=\s]*)=[\s\S]*'/, "'$1=…'");
}

/** The run in progress, for {@link failedOutsideMain}: whether it writes JSON, has written its document, and what to redact. */
const currentRun = { json: false, stdoutWritten: false, secretTexts: [] as string[] };

export async function main(argv: readonly string[]): Promise<number> {
  let exitCode: number = exitCodes.secure;
  // Known before parsing, so that even an argument error is reported as JSON. After "--" it is an argument.
  const json = jsonOnStdout(argv);
  /** Secret texts given on the command line or in configuration: no message may show one. */
  const secretTexts: string[] = [];
  Object.assign(currentRun, { json, stdoutWritten: false, secretTexts });
  let commanderMessage: string | undefined;
  const program = new Command()
    .name("intercom-health-check")
    .description("Intercom's Security Health Check as code: checks a Pulumi program against the policy pack.")
    .version(packageVersion())
    .exitOverride()
    .configureOutput({
      writeErr: (text) => process.stderr.write(text),
      // Commander's errors quote arguments: escaped like every other message, kept for --json.
      outputError: (text) => {
        commanderMessage = withoutOptionValues(text.replace(/\n$/, "")).replace(/^error: /, "");
        process.stderr.write(`${escapedLines(withoutOptionValues(text.replace(/\n$/, "")))}\n`);
      },
    });

  const previewCommand = program
    .command("preview")
    .description(
      "Run a Pulumi program as pulumi preview does, send its resources to the policy pack over the Analyzer protocol, print the Health Check.",
    )
    .argument("<program-dir>", "the Pulumi program's directory");
  withGradingOptions(previewCommand)
    .option("--stack <name>", "the stack: its configuration is Pulumi.<name>.yaml, and the program sees its name", "dev")
    .option("--config <key=value>", "a configuration value (repeatable); a key without a namespace is the project's", collect, [])
    .option("--config-file <file>", "a stack configuration file to use instead of Pulumi.<stack>.yaml")
    .option("--secret <key=value>", "a secret configuration value (repeatable), e.g. for a secure: value of the stack file", collect, [])
    .option("--secret-env <key=ENV_VAR>", "a secret configuration value read from an environment variable (repeatable)", collect, [])
    .option("--remediate", "run the policies that remediate at Pulumi's remediate level, show each fix, and grade the fixed resources")
    .option(
      "--tag <key=value>",
      "a stack tag (repeatable), as the stack's tags held by Pulumi Cloud; the pack sees them in ConfigureStack",
      collect,
      [],
    )
    .option("--organization <name>", "the stack's organization, as the program and the pack see it", "organization")
    .action(async (programDir: string, options: PreviewCommandOptions) => {
      const ranAt = new Date().toISOString();
      const resolved = checkProgramDir(programDir);
      const { outputs, asOf } = reportSetup(options);
      if (!/^[A-Za-z0-9_.-]+$/.test(options.stack)) throw new UsageError(`--stack must be a stack name, got "${options.stack}"`);
      if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(options.organization)) {
        throw new UsageError(`--organization must be an organization name, got "${options.organization}"`);
      }
      // Read before the pack starts, so that a configuration error costs nothing and names every problem at once.
      const stackConfig = readStackConfiguration(resolved, {
        stack: options.stack,
        ...(options.configFile !== undefined ? { configFile: options.configFile } : {}),
        config: options.config,
        secrets: options.secret,
        secretEnv: options.secretEnv,
      });
      secretTexts.push(...stackConfig.secretTexts);
      const stackOptions = {
        stack: options.stack,
        config: stackConfig.config,
        secretConfigKeys: stackConfig.secretKeys,
        objectConfigKeys: stackConfig.objectKeys,
        tags: options.tag,
        organization: options.organization,
      };
      // The pack starts first and loads while this process loads the policies (for the configuration) and the
      // rest of the preview; the program still runs only once the pack has loaded (cli/preview.ts). A problem
      // found meanwhile is reported as before, and the pack closed.
      const packDir = checkPackDir(options.policyPack);
      const early = startEarly((signal) => launchPreviewPack(resolved, { ...(asOf ? { asOf } : {}), packDir, signal, ...stackOptions }));
      let setup: Awaited<ReturnType<typeof packSetup>>;
      let preview: typeof import("./preview").preview;
      try {
        setup = await packSetup(options, asOf, options.remediate === true);
        ({ preview } = await import("./preview"));
        // What runs after the program is loaded before it, as the pack is: the program may rewrite the tool's files on
        // disk, and a module first loaded afterwards would be the program's (test/cli/hostile-tool-rewrite.test.ts).
        await import("./evidence");
      } catch (error) {
        await early.cancel();
        throw error;
      }
      const result = await preview(
        resolved,
        { ...(asOf ? { asOf } : {}), ...setup, ...(options.remediate ? { remediate: true } : {}), ...stackOptions },
        early.launched,
      );
      const evidence: RunCircumstances = {
        ranAt,
        ...(asOf ? { asOf } : {}),
        toolName,
        toolVersion: packageVersion(),
        inputKind: "program",
        subject: programDir,
        ...(options.profile !== undefined ? { profile: options.profile } : {}),
        ...(options.remediate ? { remediate: true } : {}),
        stack: options.stack,
        ...(await gitEvidence(resolved)),
      };
      exitCode = await emitGradedReport(result, options, outputs, {
        subject: programDir,
        secretTexts,
        evidence,
        packPath: options.policyPack,
      });
    });

  const checkCommand = program
    .command("check")
    .description(
      "Grade workspace documents (JSON or YAML, schemas/workspace-document.schema.json) as preview grades a program declaring the same resources, without Pulumi.",
    )
    .argument("<file|dir|->", "a document, a directory of *.json/*.yaml/*.yml documents (sorted), or - for standard input");
  withGradingOptions(checkCommand).action(async (target: string, options: GradingCommandOptions) => {
    const { outputs, asOf } = reportSetup(options);
    const { readDocumentSources, readWorkspaceDocuments } = await import("./document-reading");
    const read = readWorkspaceDocuments(readDocumentSources(target));
    // The pack starts for the documents' stack and loads while this process converts them and loads the controls,
    // @pulumi/pulumi and the policies. Documents that disagree on their stack, or a pack directory that is not one,
    // start nothing: their problems are reported below, in the same order as before the pack started early.
    let packDir: string | undefined;
    try {
      packDir = checkPackDir(options.policyPack);
    } catch {
      packDir = undefined;
    }
    const early =
      packDir !== undefined && read.problems.length === 0
        ? startEarly((signal) =>
            launchDocumentsPack({ packDir, project: read.project, stack: read.stack, signal, ...(asOf ? { asOf } : {}) }),
          )
        : undefined;
    let documents: import("./documents").DocumentResources;
    let setup: Awaited<ReturnType<typeof packSetup>>;
    let check: typeof import("./check").check;
    let ranAt: string;
    try {
      const { resourcesOfDocuments } = await import("./documents");
      documents = resourcesOfDocuments(read);
      secretTexts.push(...documents.secretTexts);
      ranAt = new Date().toISOString();
      setup = await packSetup(options, asOf, false);
      ({ check } = await import("./check"));
    } catch (error) {
      await early?.cancel();
      throw error;
    }
    const checkOptions = { ...(asOf ? { asOf } : {}), ...setup };
    const result = await (early ? check(documents, checkOptions, early.launched) : check(documents, checkOptions));
    const subject = target === "-" ? "<stdin>" : target;
    const evidence: RunCircumstances = {
      ranAt,
      ...(asOf ? { asOf } : {}),
      toolName,
      toolVersion: packageVersion(),
      inputKind: "documents",
      subject,
      ...(options.profile !== undefined ? { profile: options.profile } : {}),
      stack: documents.stack,
      // The commit of the repository the documents are kept in, when they are in one.
      ...(target === "-" ? {} : await gitEvidence(fs.statSync(target).isDirectory() ? target : path.dirname(path.resolve(target)))),
    };
    exitCode = await emitGradedReport(result, options, outputs, { subject, secretTexts, evidence, packPath: options.policyPack });
  });

  const auditCommand = program
    .command("audit")
    .description(
      `Read the Intercom workspace the access token belongs to (${tokenVariable}, or intercom:accessToken) and grade it as check grades a document; what the API cannot read is not evaluated, never Secure.`,
    )
    .requiredOption("--live", "read the live workspace through Intercom's REST API");
  withGradingOptions(withConnectionOptions(auditCommand)).action(async (options: GradingCommandOptions & ConnectionCommandOptions) => {
    const { outputs, asOf } = reportSetup(options);
    const client = connectedClient(options, secretTexts);
    const ranAt = new Date().toISOString();
    const { readLiveWorkspace } = await import("../intercom/live");
    const live = await readLiveWorkspace(client).catch(userFault);
    const { auditLive, liveStack } = await import("./audit-live");
    const result = await auditLive(live, { ...(asOf ? { asOf } : {}), ...(await packSetup(options, asOf, false)) });
    const subject = `Intercom workspace ${live.workspaceId} (live, ${client.baseUrl})`;
    const evidence: RunCircumstances = {
      ranAt,
      ...(asOf ? { asOf } : {}),
      toolName,
      toolVersion: packageVersion(),
      inputKind: "live",
      subject,
      ...(options.profile !== undefined ? { profile: options.profile } : {}),
      stack: liveStack,
    };
    for (const { control } of live.notRead.filter((n) => n.reason === "forbidden")) {
      writeError(`${control}: the access token may not read it (403); graded as not readable`);
    }
    exitCode = await emitGradedReport(result, options, outputs, { subject, secretTexts, evidence });
  });

  const importCommand = program
    .command("import")
    .description(
      "Write a starting workspace document (check's format) or TypeScript Pulumi program from the live Intercom workspace; secrets become references, unreadable fields notes.",
    )
    .addOption(new Option("--format <format>", "what to write").choices(importFormats).default("document"))
    .option("--output <file>", "write it to this file instead of standard output");
  withConnectionOptions(importCommand).action(async (options: ConnectionCommandOptions & { format: ImportFormat; output?: string }) => {
    const client = connectedClient(options, secretTexts);
    const { readLiveWorkspace } = await import("../intercom/live");
    const live = await readLiveWorkspace(client).catch(userFault);
    const { importPlan, renderImportDocument, renderImportProgram } = await import("./import");
    const plan = importPlan(live, options.format);
    const text = options.format === "document" ? renderImportDocument(plan) : renderImportProgram(plan);
    // The token is never part of what was read; redacted all the same, as every output is.
    const written = secretRedactor(secretTexts)(text);
    if (options.output !== undefined) {
      try {
        fs.writeFileSync(options.output, written);
      } catch (error) {
        throw new UsageError(
          `--output ${options.output}: cannot write the file (${String((error as NodeJS.ErrnoException).code ?? "write failed")})`,
        );
      }
    } else {
      process.stdout.write(written);
      currentRun.stdoutWritten = true;
    }
    for (const note of plan.notes) {
      writeError(`${note.control} ${JSON.stringify(note.resource)}: not readable through the API: declare ${note.unreadable.join(", ")}`);
    }
  });

  program
    .command("list")
    .description("List the policy pack's policies, as the pack describes them; filters combine (each repeatable).")
    .option("--policy-pack <dir>", "the compiled policy pack to describe", packageRoot)
    .option("--section <id>", "only policies of this Health Check section", collect, [])
    .option("--severity <level>", "only policies of this severity (low, medium, high, critical)", collect, [])
    .option("--criticality <level>", "only SHALL (requirements) or SHOULD (recommendations) policies", collect, [])
    .option("--framework <name>", "only policies mapped to this framework (soc2, hipaa, iso27001, pciDss, nist80053)", collect, [])
    .option("--enforcement <level>", "only policies with this default enforcement level", collect, [])
    .option("--json", "print an array of the policies' facts as JSON")
    .action(async (options: { policyPack: string; json?: boolean } & Record<(typeof filterNames)[number], string[]>) => {
      checkFixedFilters(options);
      const pack = await readPackFacts(checkPackDir(options.policyPack));
      const filter = resolveFilter(options, allowedFilterValues(pack));
      const listed = pack.policies.filter((p) => matchesFilter(p, filter));
      process.stdout.write(options.json ? renderListJson(listed) : renderListText(pack, listed));
      currentRun.stdoutWritten = true;
    });

  program
    .command("explain")
    .description("Explain one policy, as the pack describes it: rationale, remediation, arguments, framework mappings.")
    .argument("<policy>", "the policy's name (or its catalog id)")
    .option("--policy-pack <dir>", "the compiled policy pack to describe", packageRoot)
    .option("--json", "print the policy's facts as JSON")
    .action(async (name: string, options: { policyPack: string; json?: boolean }) => {
      const pack = await readPackFacts(checkPackDir(options.policyPack));
      const policy = findPolicy(pack, name);
      process.stdout.write(options.json ? renderExplainJson(pack, policy) : renderExplainText(pack, policy));
      currentRun.stdoutWritten = true;
    });

  program
    .command("verify")
    .description(
      "Check a --json report: its digest and arithmetic; with --input, grade the input again and compare hashes, rows and findings.",
    )
    .argument("<report>", "the report written by --format json")
    .option("--input <program-dir>", "grade this program again and compare (the recorded stack, clock and configuration unless given)")
    .option("--policy-pack <dir>", "the compiled policy pack to grade with", packageRoot)
    .option("--policy-pack-config <file>", "per-policy configuration (JSON), instead of the configuration the report recorded")
    .option("--profile <name>", "start from a profile, instead of the configuration the report recorded")
    .option("--stack <name>", "the stack (default: the recorded one)")
    .option("--config <key=value>", "a configuration value (repeatable)", collect, [])
    .option("--config-file <file>", "a stack configuration file to use instead of Pulumi.<stack>.yaml")
    .option("--secret <key=value>", "a secret configuration value (repeatable)", collect, [])
    .option("--secret-env <key=ENV_VAR>", "a secret configuration value read from an environment variable (repeatable)", collect, [])
    .option("--as-of <date>", "evaluate date-based rules as of this ISO date (default: the recorded one)")
    .option("--json", "print the verdict as JSON")
    .action(async (file: string, options: VerifyCommandOptions) => {
      const { renderVerifyText, verifyReport } = await import("./verify");
      const verdict = await verifyReport(file, options, { toolName, toolVersion: packageVersion() });
      secretTexts.push(...verdict.secretTexts);
      const redact = secretRedactor(secretTexts);
      const differences = verdict.differences.map((d) => ({ ...d, message: redact(d.message) }));
      process.stdout.write(
        options.json
          ? `${escapeJsonForDisplay(JSON.stringify({ verified: differences.length === 0, regraded: verdict.regraded, differences }, null, 2))}\n`
          : renderVerifyText(file, differences, verdict.regraded),
      );
      currentRun.stdoutWritten = true;
      exitCode = differences.length === 0 ? exitCodes.secure : exitCodes.blocked;
    });

  program
    .command("drift")
    .description(
      `List security-relevant changes in Intercom's admin activity log since a date, with who and when (token: ${tokenVariable}); exit 1 when any.`,
    )
    .requiredOption("--since <date>", "the ISO 8601 date (or date-time) to read the log from")
    .addOption(
      new Option("--region <region>", "the workspace's data-hosting region (default: INTERCOM_REGION, else us)").choices(intercomRegions),
    )
    .option("--json", "print the changes as JSON (same as --format json)")
    .addOption(new Option("--format <format>", "how to print the changes").choices(driftFormats))
    .action(async (options: { since: string; region?: string; json?: boolean; format?: DriftFormat }) => {
      if (options.json && options.format !== undefined && options.format !== "json") throw new UsageError("--json and --format disagree");
      if (!isValidIsoDate(options.since)) throw new UsageError(`--since ${options.since} is not an ISO 8601 date (e.g. 2026-11-01)`);
      // No change can follow a date not reached yet: "no drift" would pass a run that read nothing (a mistyped year).
      if (new Date(options.since).getTime() > Date.now()) throw new UsageError(`--since ${options.since} is in the future`);
      const env = options.region !== undefined ? { ...process.env, INTERCOM_REGION: options.region } : process.env;
      const connection = (() => {
        try {
          return connectionFrom(undefined, env);
        } catch (error) {
          throw new UsageError((error as Error).message);
        }
      })();
      if (!connection) throw new UsageError(`drift reads Intercom's activity log: set ${tokenVariable} to an access token`);
      secretTexts.push(connection.token);
      const result = await readDrift(new IntercomClient(connection), new Date(options.since)).catch((error: unknown) => {
        // A token Intercom refuses, or one without the scope, is the user's to fix (exit 2); an outage is not.
        if (error instanceof IntercomApiError && ["unauthorized", "forbidden", "refused"].includes(error.kind))
          throw new InputError(error.message);
        throw error;
      });
      const format: DriftFormat = options.json ? "json" : (options.format ?? "text");
      process.stdout.write(secretRedactor(secretTexts)(renderDrift(format, result, { toolName, toolVersion: packageVersion() })));
      currentRun.stdoutWritten = true;
      exitCode = result.events.length > 0 ? exitCodes.blocked : exitCodes.secure;
    });

  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return exitCodes.secure;
      // Commander already explained on stderr (its error, or the usage when no command was given).
      if (json)
        writeJsonError({
          kind: "usage",
          message: commanderMessage ?? (error.code === "commander.help" ? "no command given (see --help)" : error.message),
        });
      return exitCodes.usage;
    }
    const failure = describeFailure(error, secretTexts);
    writeError(failure.location ? `${formatLocation(failure.location)}: ${failure.message}` : failure.message);
    if (json && !currentRun.stdoutWritten) writeJsonError(failure);
    return failure.kind === "internal" ? exitCodes.internal : exitCodes.usage;
  }
}

interface ConnectionCommandOptions {
  region?: string;
  program?: string;
  stack?: string;
  secretEnv?: string[];
}

/** Where the Intercom connection comes from, as the providers take it: a stack's intercom:accessToken / intercom:region, else the environment. */
function withConnectionOptions(command: Command): Command {
  return command
    .addOption(
      new Option("--region <region>", "the workspace's data-hosting region (default: intercom:region, INTERCOM_REGION, else us)").choices(
        intercomRegions,
      ),
    )
    .option("--program <dir>", "read intercom:accessToken and intercom:region from this Pulumi program's stack configuration")
    .option("--stack <name>", "with --program: the stack whose configuration to read", "dev")
    .option(
      "--secret-env <key=ENV_VAR>",
      "with --program: a secret configuration value from an environment variable (repeatable)",
      collect,
      [],
    );
}

/** A client for the configured connection; the token joins the texts no output may show. */
function connectedClient(options: ConnectionCommandOptions, secretTexts: string[]): IntercomClient {
  let config: Record<string, string> = {};
  if (options.program !== undefined) {
    const stackConfig = readStackConfiguration(checkProgramDir(options.program), {
      stack: options.stack ?? "dev",
      config: [],
      secrets: [],
      secretEnv: options.secretEnv ?? [],
    });
    secretTexts.push(...stackConfig.secretTexts);
    config = stackConfig.config;
  }
  if (options.region !== undefined) config = { ...config, "intercom:region": options.region };
  const connection = (() => {
    try {
      return connectionFrom({ get: (key) => (Object.hasOwn(config, key) ? config[key] : undefined) }, process.env);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  })();
  if (!connection)
    throw new UsageError(`reading Intercom needs an access token: set ${tokenVariable}, or intercom:accessToken with --program`);
  secretTexts.push(connection.token);
  return new IntercomClient(connection);
}

/** A token Intercom refuses, or one without the scope, is the user's to fix (exit 2); an outage is not. */
function userFault(error: unknown): never {
  if (error instanceof IntercomApiError && ["unauthorized", "forbidden", "refused"].includes(error.kind))
    throw new InputError(error.message);
  throw error;
}

/** The options every command that grades (preview, check) takes: the pack, its configuration, the clock, the report and the verdict. */
function withGradingOptions(command: Command): Command {
  return command
    .option("--policy-pack <dir>", "the compiled policy pack to run", packageRoot)
    .option("--policy-pack-config <file>", "per-policy configuration (JSON), as pulumi preview --policy-pack-config")
    .option("--profile <name>", "start from a profile (baseline, strict, hipaa); --policy-pack-config settings override it")
    .option("--as-of <date>", "evaluate date-based rules as of this ISO date instead of now")
    .option("--json", "print the report (or the error) as JSON instead of text (same as --format json)")
    .option("--format <formats>", `report format(s) on stdout, comma-separated or repeated: ${reportFormats.join(", ")}`, collect, [])
    .option("--output <format=file>", "also write a format to a file (repeatable), e.g. sarif=results.sarif", collect, [])
    .option("--allow-unknown", "do not fail when a SHALL policy cannot be evaluated because a value is not known until the update")
    .addOption(
      new Option("--fail-on <level>", "the lowest enforcement level whose findings fail the run (exit 1)")
        .choices(failOnLevels)
        .default("mandatory"),
    )
    .option("--quiet", "text format: show only what fails the run, then the summary line");
}

interface GradingCommandOptions extends ReportCommandOptions {
  policyPack: string;
  policyPackConfig?: string;
  profile?: string;
  asOf?: string;
}

/** The report's outputs and the clock the run goes by, checked before anything runs. */
function reportSetup(options: GradingCommandOptions): { outputs: OutputPlan; asOf: string | undefined } {
  const outputs = planOutputs(options.format, options.output, options.json === true);
  if (options.asOf !== undefined && !isValidIsoDate(options.asOf)) {
    throw new UsageError(`--as-of ${options.asOf} is not an ISO 8601 date (e.g. 2026-11-21)`);
  }
  // The pack inherits the environment, so without --as-of it reads this variable: the tool's
  // checks and its reading of the pack's waivers go by the same clock.
  const asOf = options.asOf ?? (process.env[asOfVariable] || undefined);
  if (asOf !== undefined && !isValidIsoDate(asOf)) throw new UsageError(`${asOfVariable} is not an ISO 8601 date (e.g. 2026-11-21)`);
  return { outputs, asOf };
}

/** The pack to launch and the configuration to send it (profile, file and clock as the run gives them). */
async function packSetup(
  options: GradingCommandOptions,
  asOf: string | undefined,
  remediate: boolean,
): Promise<{ packDir: string; policyConfig: Record<string, unknown> | undefined }> {
  const packDir = checkPackDir(options.policyPack);
  const { isHealthCheckPack, readForeignPolicyConfig, resolvePolicyConfig } = await import("./policy-config");
  // Another pack is configured as the Pulumi CLI configures it: against the schemas it reports, in the CLI's words.
  if (!isHealthCheckPack(packDir)) {
    if (options.profile !== undefined) {
      throw new UsageError(
        `--profile configures this project's pack; ${options.policyPack} is another pack: configure it with --policy-pack-config`,
      );
    }
    return { packDir, policyConfig: readForeignPolicyConfig(options.policyPackConfig, options.policyPack) };
  }
  return {
    packDir,
    policyConfig: resolvePolicyConfig({
      ...(options.policyPackConfig ? { file: options.policyPackConfig } : {}),
      ...(options.profile !== undefined ? { profile: options.profile } : {}),
      ...(remediate ? { remediate: true } : {}),
      now: asOf ? new Date(asOf) : new Date(),
    }),
  };
}

/** Options every command that grades (preview, check) takes for its report and its verdict. */
interface ReportCommandOptions {
  json?: boolean;
  format: string[];
  output: string[];
  allowUnknown?: boolean;
  failOn: FailOn;
  quiet?: boolean;
}

/**
 * Writes a graded run's report in every format asked for, redacted, and says why it fails; returns
 * the exit code. One path for `preview` and `check`, so both report and decide alike.
 */
async function emitGradedReport(
  result: PreviewResult,
  options: ReportCommandOptions,
  outputs: OutputPlan,
  run: { subject: string; secretTexts: readonly string[]; evidence?: RunCircumstances; packPath?: string },
): Promise<number> {
  const { runEvidence } = await import("./evidence");
  // Against the secret configuration too, as the report below: a program may use it in plain names and fields.
  const remediations = redactRemediations(result.remediations ?? [], secretRedactor([...result.secrets, ...run.secretTexts]));
  const allowUnknown = options.allowUnknown === true;
  // Verdict messages were redacted against the program's secrets (cli/preview.ts); this
  // redacts every program-derived field of the report once more (a secret workspace id, say),
  // and against the secret configuration, which a program may use in plain fields too.
  const redact = secretRedactor([...result.secrets, ...run.secretTexts]);
  const report = redactReport(result.report, redact);
  // Over the report as shown, redacted alike: nothing of a secret is hashed or shown (cli/evidence.ts).
  const evidence =
    run.evidence && result.graded
      ? runEvidence(result.graded, report, { name: result.packName, version: result.packVersion }, run.evidence, redact)
      : undefined;
  // A pack that describes no Health Check policy is another pack: its findings read as the Pulumi CLI prints them, redacted alike.
  const foreignPack =
    result.graded !== undefined && result.diagnostics !== undefined && reportCatalogOf(result.graded.policies).length === 0;
  const pulumiPolicies: PolicyPackRun | undefined = foreignPack
    ? {
        name: result.packName,
        version: result.packVersion,
        localPath: run.packPath ?? result.packName,
        violations: (result.diagnostics ?? []).map((d) => ({ ...d, message: redact(d.message), urn: redact(d.urn) })),
      }
    : undefined;
  // Each format escapes program-controlled text its own way (cli/output.ts); JSON keeps exact
  // values but writes every control, bidi and zero-width character as a \u escape.
  const renderContext = {
    ...(pulumiPolicies ? { pulumiPolicies } : {}),
    subject: run.subject,
    packName: result.packName,
    packVersion: result.packVersion,
    toolName,
    toolVersion: packageVersion(),
    allowUnknown,
    ...(result.remediations ? { remediations } : {}),
    ...(evidence ? { evidence } : {}),
    // Colour on a terminal only (NO_COLOR, FORCE_COLOR honoured); --output files never get it.
    colour: colourFor(process.stdout.isTTY === true, process.env),
    quiet: options.quiet === true,
    failOn: options.failOn,
    // Where each resource was declared (SARIF), unless its file name carries a secret of the configuration.
    ...(result.resources ? { resources: withoutSecretLocations(result.resources, secretRedactor(run.secretTexts)) } : {}),
  };
  // Written part by part as rendered: the text of 10,000 workspaces is over 100 MB, never held whole.
  streamOutputs(outputs, report, renderContext, (part) => {
    currentRun.stdoutWritten = true;
    process.stdout.write(part);
  });
  currentRun.stdoutWritten = true;
  // A SHALL policy the preview could not evaluate for an unknown value is not vouched for;
  // under --fail-on advisory, advisory findings fail too (cli/verdict.ts).
  const verdict = { failOn: options.failOn, allowUnknown };
  // The report's own summary counts what the pack blocks on; say why the run fails when it is advisory findings.
  const advisoryFailing = findingsThatFail(result.report, verdict).filter(
    (f) => !f.blocking && !result.report.blockedByUnknowns.includes(f),
  ).length;
  if (options.failOn === "advisory" && advisoryFailing > 0) {
    writeError(`--fail-on advisory: ${advisoryFailing} advisory finding(s) fail the run`);
  }
  return blocks(result.report, verdict) ? exitCodes.blocked : exitCodes.secure;
}

interface PreviewCommandOptions extends GradingCommandOptions {
  stack: string;
  config: string[];
  configFile?: string;
  secret: string[];
  secretEnv: string[];
  asOf?: string;
  json?: boolean;
  format: string[];
  output: string[];
  allowUnknown?: boolean;
  failOn: FailOn;
  remediate?: boolean;
  tag: string[];
  organization: string;
}

interface Failure {
  readonly kind: ErrorKind;
  readonly message: string;
  readonly location?: SourceLocation;
}

/**
 * Whose fault, and what to say: the user's input (exit 2: usage, input, program) or the tool's (exit 3). Every
 * message is redacted with the secrets given as configuration; a failed program's also with those it registered.
 */
function describeFailure(error: unknown, secretTexts: readonly string[]): Failure {
  const redact = secretRedactor(secretTexts);
  if (error instanceof UsageError || error instanceof InputError) return { kind: error.kind, message: redact(error.message) };
  if (error instanceof PolicyConfigurationRefused) return { kind: "input", message: redact(error.message) };
  if (error instanceof ProgramFailedError) {
    const redactAll = (text: string) => redact(redactedWithCapture(text, error.captured));
    // The location is read from the same program output as the message (a frame the program printed): redacted alike.
    const location = error.location ? { ...error.location, file: redactAll(error.location.file) } : undefined;
    return { kind: "program", message: redactAll(error.message), ...(location ? { location } : {}) };
  }
  return { kind: "internal", message: redact(describeInternalError(error)) };
}

/** `{"error": {...}}` on stdout, as the only thing there; escaped as the JSON report is. */
function writeJsonError(failure: Failure): void {
  const location = failure.location
    ? { file: displayPath(failure.location.file), line: failure.location.line, column: failure.location.column }
    : undefined;
  const body = { error: { kind: failure.kind, message: failure.message, ...(location ? { location } : {}) } };
  process.stdout.write(`${escapeJsonForDisplay(JSON.stringify(body, null, 2))}\n`);
  currentRun.stdoutWritten = true;
}

/**
 * An error thrown outside main's own chain (an emitter's 'error' event, a callback): Node would print it and exit 1,
 * which reads as "blocking findings". It is the tool's failure: exit 3, redacted, as JSON under --json unless a
 * document was already written, and at once, since the run's state is unknown.
 */
function failedOutsideMain(error: unknown): never {
  const failure: Failure = { kind: "internal", message: secretRedactor(currentRun.secretTexts)(describeInternalError(error)) };
  writeError(failure.message);
  if (currentRun.json && !currentRun.stdoutWritten) writeJsonError(failure);
  process.exit(exitCodes.internal);
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

/** The controls by type, loaded on first use: they load @pulumi/pulumi, which most commands' start need not wait for. */
let controlsByType: Map<string, (typeof Resources.allControls)[number]> | undefined;
function controlOfType(type: string): (typeof Resources.allControls)[number] | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  controlsByType ??= new Map((require("../resources") as typeof Resources).allControls.map((c) => [c.typeToken, c]));
  return controlsByType.get(type);
}

/**
 * A failed program's message quotes its errors and stderr, which may show what its resources carry:
 * redacted with the secret texts of every resource it registered before it failed, as the report is.
 */
function redactedWithCapture(message: string, captured: ProgramFailedError["captured"]): string {
  const secrets = captured.flatMap((r) => secretTextsOf(controlOfType(r.type), r.properties));
  return secretRedactor(secrets)(message);
}

if (require.main === module) {
  ignoreInspectorSignal();
  process.on("uncaughtException", failedOutsideMain);
  process.on("unhandledRejection", failedOutsideMain);
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
