/**
 * Profiles through the tool (`preview --profile`): each changes verdicts as documented, a user's own
 * settings override a profile's, and governance is refused before the program runs. One generated
 * batch of workspaces and session policies, graded once per configuration.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import { exitCodes } from "../../cli/main";
import { profileNames } from "../../core/profiles";
import { allFindings, GENERATED_RUN_TIMEOUT_MS, GeneratedControl, GeneratedRun, previewGenerated } from "../support/generated-program";
import { sampleOf } from "../support/property";

interface Tenant {
  readonly handlesPhi: boolean;
  /** null: Intercom's default session (4-day activity window). */
  readonly hours: number | null;
}

const tenants: Tenant[] = sampleOf(
  fc.array(fc.record({ handlesPhi: fc.boolean(), hours: fc.option(fc.integer({ min: 1, max: 48 }), { nil: null }) }), {
    minLength: 14,
    maxLength: 14,
  }),
  1,
)[0] as Tenant[];
// The classes the thresholds split, always present whatever the seed draws.
tenants.push(
  { handlesPhi: false, hours: 12 },
  { handlesPhi: false, hours: 13 },
  { handlesPhi: true, hours: 24 },
  { handlesPhi: false, hours: 25 },
  { handlesPhi: false, hours: 31 },
);

const controls: GeneratedControl[] = tenants.flatMap((t, i) => [
  {
    control: "Workspace",
    name: `ws-${i}`,
    props: { workspaceId: `prof${String(i).padStart(4, "0")}`, name: `Tenant ${i}`, region: "us", handlesPhi: t.handlesPhi },
  },
  {
    control: "SessionPolicy",
    name: `session-${i}`,
    props: { workspaceId: `prof${String(i).padStart(4, "0")}`, reauthenticateAfterHours: t.hours },
  },
]);

/** Whether a session of `hours` is longer than `max` (no session length set is always longer). */
const tooLong = (hours: number | null, max: number) => hours === null || hours > max;

type Outcome = "none" | "advisory" | "blocking";

function outcome(run: GeneratedRun, resource: string, policy: string): Outcome {
  const findings = allFindings(run.report!).filter((f) => f.resource === resource && f.policy === policy);
  if (findings.some((f) => f.blocking)) return "blocking";
  return findings.length > 0 ? "advisory" : "none";
}

function outcomes(run: GeneratedRun, prefix: string, policy: string): Outcome[] {
  return tenants.map((_, i) => outcome(run, `${prefix}-${i}`, policy));
}

describe("profiles through preview --profile", () => {
  let scratch: string;
  const runs: Record<string, GeneratedRun> = {};

  function configFile(name: string, config: unknown): string {
    const file = path.join(scratch, name);
    fs.writeFileSync(file, JSON.stringify(config));
    return file;
  }

  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ihc-profiles-"));
    runs["none"] = previewGenerated(controls);
    runs["baseline"] = previewGenerated(controls, ["--profile", "baseline"]);
    runs["strict"] = previewGenerated(controls, ["--profile", "strict"]);
    // A user's argument over strict's, and a SHOULD policy switched off (no accountability needed).
    runs["strict+user"] = previewGenerated(controls, [
      "--profile",
      "strict",
      "--policy-pack-config",
      configFile("strict-user.json", { "intercom-session-length": { maxHours: 30 }, "intercom-security-contact": "disabled" }),
    ]);
    // hipaa, with a string entry over it, which is a level: hipaa's tighter maxHours stays, the level is the user's.
    runs["hipaa+level"] = previewGenerated(controls, [
      "--profile",
      "hipaa",
      "--policy-pack-config",
      configFile("hipaa-level.json", { "intercom-session-length": "advisory" }),
    ]);
  }, 5 * GENERATED_RUN_TIMEOUT_MS);

  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it("baseline is the pack's defaults: the same report as no profile", () => {
    expect(runs["baseline"]!.report).toBeDefined();
    // The run's evidence differs as it should (it records the profile, the time it ran); its levels are the defaults'.
    type WithEvidence = { evidence: { configuration: { levels: unknown } }; digest: unknown };
    const { evidence: baselineEvidence, digest: _baselineDigest, ...baseline } = runs["baseline"]!.report as unknown as WithEvidence;
    const { evidence: noneEvidence, digest: _noneDigest, ...none } = runs["none"]!.report as unknown as WithEvidence;
    expect(baseline).toEqual(none);
    expect(baselineEvidence.configuration.levels).toEqual(noneEvidence.configuration.levels);
    expect(runs["baseline"]!.exitCode).toBe(runs["none"]!.exitCode);
  });

  it("session length: advisory over 24 hours by default; strict blocks over 12; the user's maxHours overrides strict's", () => {
    expect(outcomes(runs["baseline"]!, "session", "intercom-session-length")).toEqual(
      tenants.map((t) => (tooLong(t.hours, 24) ? "advisory" : "none")),
    );
    expect(outcomes(runs["strict"]!, "session", "intercom-session-length")).toEqual(
      tenants.map((t) => (tooLong(t.hours, 12) ? "blocking" : "none")),
    );
    expect(outcomes(runs["strict+user"]!, "session", "intercom-session-length")).toEqual(
      tenants.map((t) => (tooLong(t.hours, 30) ? "blocking" : "none")),
    );
    expect(outcomes(runs["hipaa+level"]!, "session", "intercom-session-length")).toEqual(
      tenants.map((t) => (tooLong(t.hours, 12) ? "advisory" : "none")),
    );
  });

  it("healthcare safeguards: only PHI workspaces under baseline and strict; every workspace under hipaa", () => {
    for (const name of ["baseline", "strict"]) {
      expect(outcomes(runs[name]!, "ws", "intercom-hipaa-baa")).toEqual(tenants.map((t) => (t.handlesPhi ? "blocking" : "none")));
    }
    expect(outcomes(runs["hipaa+level"]!, "ws", "intercom-hipaa-baa")).toEqual(tenants.map(() => "blocking"));
    expect(outcomes(runs["hipaa+level"]!, "ws", "intercom-hipaa-phi-safeguards")).toEqual(tenants.map(() => "blocking"));
    // A workspace that did not declare PHI is not said to handle it.
    const widened = allFindings(runs["hipaa+level"]!.report!).filter(
      (f) => f.policy === "intercom-hipaa-baa" && f.message.includes("held to the healthcare safeguards"),
    );
    expect(widened.length).toBe(tenants.filter((t) => !t.handlesPhi).length);
  });

  it("strict makes every policy mandatory: a missing security contact blocks, as it does not by default", () => {
    expect(outcomes(runs["baseline"]!, "ws", "intercom-security-contact")).toEqual(tenants.map(() => "none"));
    expect(outcomes(runs["strict"]!, "ws", "intercom-security-contact")).toEqual(tenants.map(() => "blocking"));
    expect(outcomes(runs["strict+user"]!, "ws", "intercom-security-contact")).toEqual(tenants.map(() => "none"));
    expect(runs["strict"]!.exitCode).toBe(exitCodes.blocked);
  });

  it("every policy below its default level is listed in the report, with no accountability when none was given", () => {
    const report = runs["strict+user"]!.report as unknown as { levelChanges: unknown[] };
    expect(report.levelChanges).toEqual([
      { policy: "intercom-security-contact", level: "disabled", defaultLevel: "advisory", accountability: null },
    ]);
    expect((runs["strict"]!.report as unknown as { levelChanges: unknown[] }).levelChanges).toEqual([]);
  });

  it(
    "an unknown profile is a usage error listing the profiles; a SHALL policy switched off without accountability is refused before the program runs",
    () => {
      const unknown = previewGenerated(controls, ["--profile", "paranoid"]);
      // Under --json (which previewGenerated passes) the error is the only thing on stdout, as JSON.
      expect({ exitCode: unknown.exitCode, error: (JSON.parse(unknown.stdout) as { error: { kind: string } }).error.kind }).toEqual({
        exitCode: exitCodes.usage,
        error: "usage",
      });
      expect(unknown.stderr).toContain(`unknown profile "paranoid": the profiles are ${profileNames.join(", ")}`);

      const file = configFile("off.json", { "intercom-sso-required": "disabled" });
      for (const args of [
        ["--policy-pack-config", file],
        ["--profile", "strict", "--policy-pack-config", file],
      ]) {
        const refused = previewGenerated(controls, args);
        expect({ exitCode: refused.exitCode, error: (JSON.parse(refused.stdout) as { error: { kind: string } }).error.kind }).toEqual({
          exitCode: exitCodes.usage,
          error: "input",
        });
        expect(refused.stderr).toMatch(/intercom-sso-required: a SHALL policy switched off needs justification, owner, approver/);
        // Refused before the program ran: nothing it would print, no report.
        expect(refused.stderr).not.toContain("Summary");
      }
    },
    3 * GENERATED_RUN_TIMEOUT_MS,
  );
});
