/**
 * Argument floors and the attachment allowlist through the `preview` tool (dist/cli/main.js, so `npm run build`
 * first). A configuration file with any SHALL argument below its floor exits 2 with a message naming the policy, the
 * argument, the value and the floor, before the program runs; one at or above its floors runs and grades. A refusal
 * from the pack's own Configure exits 2 too. Generated attachment lists are graded in batches, one preview per batch.
 */
import { escapeForDisplay } from "../../core/display";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import { displayValue } from "../../core/floors";
import { normaliseExtension } from "../../policies/data-protection/attachment-file-types";
import { safeUploadList, unsafeUploadList } from "../support/file-types";
import { acceptedValue, flooredArguments, jsonWithNotations, refusedValue, shownFloor } from "../support/floors";
import { blockingFor, GENERATED_RUN_TIMEOUT_MS, GeneratedControl, previewGenerated } from "../support/generated-program";
import { sampleOf } from "../support/property";

const FILE_TYPES_POLICY = "intercom-attachment-file-types";
const exitCodes = { secure: 0, blocked: 1, usage: 2 };

/** The kind of the error the tool prints as JSON on stdout under --json (and only that there). */
function errorKind(stdout: string): string | undefined {
  return (JSON.parse(stdout) as { error?: { kind?: string } }).error?.kind;
}

/** A distinct workspace per control, so no control's verdict depends on another's (single-instance rules, say). */
function uploads(index: number, name: string, allowedFileTypes: string[], customerUploads = "users_only"): GeneratedControl {
  return {
    control: "AttachmentPolicy",
    name,
    props: { workspaceId: `ws${String(index).padStart(5, "0")}`, customerUploads, allowedFileTypes },
  };
}

describe("argument floors and the attachment allowlist through preview", () => {
  let scratch: string;
  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ihc-floors-"));
  });
  afterAll(() => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  function configFile(name: string, text: string): string {
    const file = path.join(scratch, name);
    fs.writeFileSync(file, text);
    return file;
  }

  it(
    "generated: a configuration with SHALL arguments below their floors exits 2, naming each policy, argument, value and floor",
    () => {
      // Every floored argument gets a refused value in each run; the tool reports every refusal, so one run tests them all.
      const runs = sampleOf(fc.tuple(...flooredArguments.map(refusedValue)), 2);
      const levels = [undefined, "disabled", "advisory", "mandatory"];
      for (const [run, values] of runs.entries()) {
        const config: Record<string, Record<string, unknown>> = {};
        flooredArguments.forEach((argument, i) => {
          const level = levels[(run + i) % levels.length];
          config[argument.policy.name] = {
            ...config[argument.policy.name],
            ...(level ? { enforcementLevel: level } : {}),
            [argument.argument]: values[i],
          };
        });
        const file = configFile(`refused-${run}.json`, jsonWithNotations(config, run));
        const result = previewGenerated([], ["--policy-pack-config", file]);
        expect({ exitCode: result.exitCode, error: errorKind(result.stdout) }).toEqual({
          exitCode: exitCodes.usage,
          error: expect.stringMatching(/^(usage|input)$/),
        });
        expect(result.stderr).toContain(`policy configuration file ${file} is refused`);
        flooredArguments.forEach((argument, i) => {
          const line = result.stderr
            .split("\n")
            .find((l) => l.includes(`the configuration of ${argument.policy.name} is refused: ${argument.argument} is `));
          expect({ argument: argument.argument, line: line !== undefined }).toEqual({ argument: argument.argument, line: true });
          // As the tool prints it: stderr escapes the message once more (core/display.ts).
          expect(line).toContain(escapeForDisplay(displayValue(JSON.parse(JSON.stringify(values[i]) ?? "null"))));
          expect(line).toMatch(new RegExp(`floor (is )?${shownFloor(argument).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
        });
        // Nothing a configuration file holds reaches the terminal raw.
        // eslint-disable-next-line no-control-regex -- looking for control characters is the point
        expect(result.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
      }
    },
    GENERATED_RUN_TIMEOUT_MS,
  );

  it(
    "a refusal by the pack's own Configure (here a fixture pack's) exits 2 with the pack's message",
    () => {
      const file = configFile("pack-refuses.json", JSON.stringify({ "intercom-session-length": { maxHours: 200 } }));
      const packDir = path.resolve(__dirname, "..", "fixtures", "refusing-pack");
      const result = previewGenerated([], ["--policy-pack-config", file, "--policy-pack", packDir]);
      expect({ exitCode: result.exitCode, error: errorKind(result.stdout) }).toEqual({ exitCode: exitCodes.usage, error: "input" });
      expect(result.stderr).toMatch(
        /Policy pack 'refusing-pack' refused the policy configuration: the configuration of intercom-session-length is refused by the fixture pack: maxHours is 200/,
      );
    },
    GENERATED_RUN_TIMEOUT_MS,
  );

  it(
    "generated: upload lists holding any type not known to be safe block, lists of safe types pass (one preview)",
    () => {
      const unsafe = [...sampleOf(unsafeUploadList({ odd: false }), 20), ...sampleOf(unsafeUploadList({ odd: true }), 12)];
      const safe = sampleOf(safeUploadList, 16);
      const controls = [
        ...unsafe.map((list, i) => uploads(i, `unsafe-${i}`, list, i % 2 === 0 ? "users_only" : "everyone")),
        ...safe.map((list, i) => uploads(1000 + i, `safe-${i}`, list)),
      ];
      const result = previewGenerated(controls);
      expect(result.report).toBeDefined();
      expect(result.exitCode).toBe(exitCodes.blocked);
      const report = result.report!;
      unsafe.forEach((list, i) => {
        expect({ list, blocked: blockingFor(report, `unsafe-${i}`, FILE_TYPES_POLICY).length > 0 }).toEqual({ list, blocked: true });
      });
      safe.forEach((list, i) => {
        expect({ list, blocking: blockingFor(report, `safe-${i}`, FILE_TYPES_POLICY).map((f) => f.message) }).toEqual({
          list,
          blocking: [],
        });
      });
    },
    GENERATED_RUN_TIMEOUT_MS,
  );

  it(
    "generated: a configuration at or above every floor is accepted, and a narrowed safe set is what uploads are held to (one preview)",
    () => {
      const [values] = sampleOf(fc.tuple(...flooredArguments.map(acceptedValue)), 1);
      const config: Record<string, Record<string, unknown>> = {};
      flooredArguments.forEach((argument, i) => {
        config[argument.policy.name] = { ...config[argument.policy.name], [argument.argument]: values?.[i] };
      });
      const safeFileTypes = (config[FILE_TYPES_POLICY]?.["safeFileTypes"] as string[] | undefined) ?? [];
      const narrowed = new Set(safeFileTypes.map(normaliseExtension));
      const lists = sampleOf(fc.oneof(safeUploadList, unsafeUploadList({ odd: false })), 24);
      const file = configFile("accepted.json", jsonWithNotations(config, 1));
      const result = previewGenerated(
        lists.map((list, i) => uploads(i, `probe-${i}`, list)),
        ["--policy-pack-config", file],
      );
      expect({ accepted: [exitCodes.secure, exitCodes.blocked].includes(result.exitCode), stderr: result.stderr }).toEqual({
        accepted: true,
        stderr: "",
      });
      expect(result.report).toBeDefined();
      lists.forEach((list, i) => {
        const expected = list.some((t) => !narrowed.has(normaliseExtension(t)));
        expect({ narrowed: [...narrowed], list, blocked: blockingFor(result.report!, `probe-${i}`, FILE_TYPES_POLICY).length > 0 }).toEqual(
          {
            narrowed: [...narrowed],
            list,
            blocked: expected,
          },
        );
      });
    },
    GENERATED_RUN_TIMEOUT_MS,
  );
});
