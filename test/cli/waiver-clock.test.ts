/**
 * The clock exceptions expire by is one: the pack's (INTERCOM_HEALTH_CHECK_AS_OF, which it inherits
 * from the tool's environment) and the tool's (its pre-check of the configuration, its classifier of
 * waived verdicts) must agree, or a finding the pack waived is shown as something it is not. The
 * README documents the variable for the tool as well as `--as-of`.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { asOfVariable } from "../../core/clock";
import { allFindings, GENERATED_RUN_TIMEOUT_MS, GeneratedControl, previewGenerated } from "../support/generated-program";

const PAN = "intercom-pan-redaction";
const WORKSPACE_ID = "clock01";
const accountable = {
  justification: "Legacy redaction replaced in the next release",
  owner: "alice@example.com",
  approver: "bob@example.com",
};
// Long past, so the test does not depend on today: active as of AS_OF, expired by the real clock.
const AS_OF = "2020-01-15";
const EXPIRES = "2020-02-01";

const insecure: GeneratedControl = {
  control: "PanRedaction",
  name: "legacy",
  props: { workspaceId: WORKSPACE_ID, enabled: true, creditCards: false, socialSecurityNumbers: true, channels: ["web"], customRules: [] },
};

describe("the tool reads the clock the pack reads", () => {
  let scratch: string;
  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ihc-waiver-clock-"));
  });
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it(
    `${asOfVariable} without --as-of: the pack's waiver is the tool's too (Waived, with its exception), not a finding read by another clock`,
    () => {
      const config = path.join(scratch, "exceptions.json");
      fs.writeFileSync(
        config,
        JSON.stringify({ [PAN]: { exceptions: [{ workspace: WORKSPACE_ID, resource: "legacy", ...accountable, expires: EXPIRES }] } }),
      );
      const run = previewGenerated([insecure], ["--policy-pack-config", config], {
        asOf: null,
        env: { ...process.env, [asOfVariable]: AS_OF },
      });
      const pan = allFindings(run.report ?? { blocking: true, workspaces: [], other: [] }).filter(
        (f) => f.policy === PAN && f.resource === "legacy",
      );
      expect({ pan: pan.map((f) => ({ status: f.status, blocking: f.blocking })), stderr: run.stderr }).toEqual({
        pan: [{ status: "waived", blocking: false }],
        stderr: "",
      });
      // Waived by a clock that is not today's: the report says so.
      expect((run.report as unknown as { asOf?: string }).asOf).toBe(AS_OF);
    },
    GENERATED_RUN_TIMEOUT_MS,
  );

  it(
    `an ${asOfVariable} that is no ISO date is a usage error (exit 2) naming the variable, before anything runs`,
    () => {
      const run = previewGenerated([insecure], [], { asOf: null, env: { ...process.env, [asOfVariable]: "next tuesday" } });
      expect({ exitCode: run.exitCode, named: run.stderr.includes(asOfVariable) }).toEqual({ exitCode: 2, named: true });
    },
    GENERATED_RUN_TIMEOUT_MS,
  );
});
