/**
 * Run evidence through the real tool (a generated program, --json, --as-of), and `verify`: an
 * untouched report passes, any edit to a finding or a recorded hash fails and says what, and a
 * re-run on another input or configuration fails.
 */
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import Ajv2020 from "ajv/dist/2020";
import fc from "fast-check";
import { integrityDifferences } from "../../cli/verify";
import { reportDigest } from "../../report/json";
import { secureSample } from "../support/fixtures";
import {
  GENERATED_AS_OF,
  GENERATED_RUN_TIMEOUT_MS,
  GeneratedControl,
  GeneratedRun,
  previewGenerated,
  secretValue,
} from "../support/generated-program";
import { runNode } from "../support/node-process";
import { propertyParameters } from "../support/property";
import { allControls, messengerSecurityControl } from "../../resources";

const repoRoot = path.resolve(__dirname, "..", "..");
const cliPath = path.join(repoRoot, "dist", "cli", "main.js");
const reportSchema = JSON.parse(fs.readFileSync(path.join(repoRoot, "schemas", "report.schema.json"), "utf8")) as object;
const validateReport = new Ajv2020({ allErrors: true, strict: false }).compile(reportSchema);
const toolVersion = (JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string }).version;
const transpileOnly = { PULUMI_NODEJS_TRANSPILE_ONLY: "true" };

interface Evidence {
  ranAt: string;
  asOf: string;
  clockInjected: boolean;
  tool: { name: string; version: string };
  pack: { name: string; version: string; policySetSha256: string };
  input: { kind: string; subject: string; sha256: string; resourceCount: number };
  configuration: { profile?: string; sha256: string; policyConfig: Record<string, unknown>; levels?: Record<string, string> };
  stack?: string;
  git?: { commit: string; dirty: boolean };
  frameworks: { framework: string; reference: string; policies: string[]; status: string }[];
}
type Document = Record<string, unknown> & {
  evidence: Evidence;
  digest: { algorithm: string; value: string };
  pack: { name: string; version: string };
};

const firstSecret = "ev1dence-first-Secret-7Qx2";
const secondSecret = "ev1dence-other-Secret-Kp9w";

/** Every control's secure sample in one workspace, the MessengerSecurity one with its API secret as a Pulumi secret. */
function controls(secret: string, sessionHours?: number): GeneratedControl[] {
  return allControls.map((control, i): GeneratedControl => {
    const props: Record<string, unknown> = { ...secureSample(control), workspaceId: "evidence01" };
    if (control === messengerSecurityControl) props["apiSecret"] = secretValue(secret);
    if (control.name === "SessionPolicy" && sessionHours !== undefined) props["reauthenticateAfterHours"] = sessionHours;
    return { control: control.name, name: `ev-${i}-${control.name.toLowerCase()}`, props };
  });
}

function allFindingsOf(document: Document): { policy: string; status: string }[] {
  const workspaces = document["workspaces"] as { sections: { items: { findings: { policy: string; status: string }[] }[] }[] }[];
  return [
    ...workspaces.flatMap((w) => w.sections.flatMap((s) => s.items.flatMap((i) => i.findings))),
    ...(document["other"] as { policy: string; status: string }[]),
  ];
}

const outputRoot = fs.mkdtempSync(path.join(os.tmpdir(), "evidence-test-"));

interface Run extends GeneratedRun {
  readonly document: Document;
  readonly started: number;
  readonly finished: number;
}

function run(controlList: readonly GeneratedControl[], args: string[] = [], options: { asOf?: string | null } = {}): Run {
  const started = Date.now();
  const result = previewGenerated(controlList, args, options);
  const finished = Date.now();
  return { ...result, document: JSON.parse(result.stdout) as Document, started, finished };
}

describe("run evidence through the tool", () => {
  let first: Run;
  let second: Run;
  let changed: Run;
  let profiled: Run;
  const sarifFile = path.join(outputRoot, "first.sarif");
  const textFile = path.join(outputRoot, "first.txt");

  beforeAll(() => {
    first = run(controls(firstSecret), ["--output", `sarif=${sarifFile}`, "--output", `text=${textFile}`]);
    second = run(controls(secondSecret));
    changed = run(controls(firstSecret, 9));
    profiled = run(controls(firstSecret), ["--profile", "strict"], { asOf: null });
  }, GENERATED_RUN_TIMEOUT_MS * 4);

  afterAll(() => fs.rmSync(outputRoot, { recursive: true, force: true }));

  it("records the clocks, the tool, the pack, the stack and the hashes, and validates against the report schema", () => {
    expect(first.stderr).not.toMatch(/internal|TypeError/);
    for (const r of [first, second, changed, profiled]) {
      const valid = validateReport(r.document);
      expect({ valid, errors: valid ? [] : validateReport.errors }).toEqual({ valid: true, errors: [] });
      expect(r.document["schemaVersion"]).toBe("1.1.0");
    }
    const evidence = first.document.evidence;
    expect(Date.parse(evidence.ranAt)).toBeGreaterThanOrEqual(first.started - 1000);
    expect(Date.parse(evidence.ranAt)).toBeLessThanOrEqual(first.finished);
    expect(evidence.asOf).toBe(new Date(GENERATED_AS_OF).toISOString());
    expect(evidence.clockInjected).toBe(true);
    expect(evidence.tool).toEqual({ name: "intercom-health-check", version: toolVersion });
    expect(evidence.pack).toEqual(expect.objectContaining(first.document.pack));
    expect(evidence.input).toEqual(expect.objectContaining({ kind: "program", resourceCount: expect.any(Number) as number }));
    expect(evidence.input.resourceCount).toBeGreaterThanOrEqual(allControls.length);
    expect(evidence.stack).toBe("dev");
    for (const hash of [evidence.pack.policySetSha256, evidence.input.sha256, evidence.configuration.sha256])
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
    // Every policy's level, the pack's defaults here (no configuration given).
    expect(Object.keys(evidence.configuration.levels ?? {}).length).toBeGreaterThan(20);
    expect(first.document.digest).toEqual(reportDigest(first.document));
  });

  it("without --as-of, judges as of the time it ran and says the clock was not injected", () => {
    const evidence = profiled.document.evidence;
    expect(evidence.clockInjected).toBe(false);
    expect(evidence.asOf).toBe(evidence.ranAt);
    expect(evidence.configuration.profile).toBe("strict");
  });

  it("records the git commit of the program's repository", () => {
    const head = childProcess.execFileSync("git", ["rev-parse", "HEAD"], { cwd: repoRoot, encoding: "utf8" }).trim();
    expect(first.document.evidence.git?.commit).toBe(head);
    expect(typeof first.document.evidence.git?.dirty).toBe("boolean");
  });

  it("hashes the input stably: the same across runs and secret values, different when a setting changes", () => {
    expect(second.document.evidence.input.sha256).toBe(first.document.evidence.input.sha256);
    // The setting changed is really in the input: the pack sees a session length it did not before.
    expect(secureSample(allControls.find((c) => c.name === "SessionPolicy") as never)["reauthenticateAfterHours"]).not.toBe(9);
    expect(changed.document.evidence.input.sha256).not.toBe(first.document.evidence.input.sha256);
    expect(profiled.document.evidence.input.sha256).toBe(first.document.evidence.input.sha256);
    for (const r of [second, changed, profiled])
      expect(r.document.evidence.pack.policySetSha256).toBe(first.document.evidence.pack.policySetSha256);
    expect(second.document.evidence.configuration.sha256).toBe(first.document.evidence.configuration.sha256);
    expect(profiled.document.evidence.configuration.sha256).not.toBe(first.document.evidence.configuration.sha256);
  });

  it("shows no secret value anywhere, in any format", () => {
    const outputs = [
      first.stdout,
      first.stderr,
      second.stdout,
      second.stderr,
      fs.readFileSync(sarifFile, "utf8"),
      fs.readFileSync(textFile, "utf8"),
    ];
    for (const output of outputs) {
      expect(output).not.toContain(firstSecret);
      expect(output).not.toContain(secondSecret);
    }
  });

  it("puts the start, the commit and the hashes in SARIF, and closing lines in the text", () => {
    const sarif = JSON.parse(fs.readFileSync(sarifFile, "utf8")) as {
      runs: { invocations: { startTimeUtc: string }[]; properties: Record<string, unknown>; tool: { driver: { version: string } } }[];
    };
    const [sarifRun] = sarif.runs;
    const evidence = first.document.evidence;
    expect(sarifRun?.tool.driver.version).toBe(toolVersion);
    expect(sarifRun?.invocations[0]?.startTimeUtc).toBe(evidence.ranAt);
    expect(sarifRun?.properties).toEqual(
      expect.objectContaining({
        inputSha256: evidence.input.sha256,
        policySetSha256: evidence.pack.policySetSha256,
        configurationSha256: evidence.configuration.sha256,
        gitCommit: evidence.git?.commit,
      }),
    );
    const text = fs.readFileSync(textFile, "utf8");
    expect(text).toContain(`Input sha256 ${evidence.input.sha256}`);
    expect(text).toContain(`Policy set sha256 ${evidence.pack.policySetSha256}`);
  });

  it("has a framework table row per reference, statuses from the graded rows", () => {
    const table = first.document.evidence.frameworks;
    expect(new Set(table.map((r) => r.framework))).toEqual(expect.objectContaining(new Set(["soc2", "hipaa", "iso27001", "pciDss"])));
    expect(table.every((r) => r.policies.length > 0)).toBe(true);
    // A reference whose policy has an open finding is an issue; one whose policies found nothing in rows in use is not.
    const open = new Set(
      allFindingsOf(first.document)
        .filter((f) => f.status === "needs_review")
        .map((f) => f.policy),
    );
    expect(open.size).toBeGreaterThan(0);
    for (const row of table) if (row.policies.some((p) => open.has(p))) expect(row.status).toBe("Issues found");
    expect(table.some((r) => r.status === "Secure")).toBe(true);
  });

  describe("verify", () => {
    type Finding = Record<string, unknown>;
    const findingsOf = (document: Document): Finding[] => {
      const workspaces = document["workspaces"] as { sections: { items: { findings: Finding[] }[] }[] }[];
      return [
        ...workspaces.flatMap((w) => w.sections.flatMap((s) => s.items.flatMap((i) => i.findings))),
        ...(document["other"] as Finding[]),
        ...(document["blockedByUnknowns"] as Finding[]),
      ];
    };

    it("passes an untouched report", () => {
      expect(integrityDifferences(changed.document)).toEqual([]);
      expect(integrityDifferences(first.document)).toEqual([]);
    });

    it("fails a report with any field of a finding changed, and names the digest", () => {
      const document = changed.document;
      const count = findingsOf(document).length;
      expect(count).toBeGreaterThan(0);
      const field = fc.constantFrom("status", "blocking", "message", "policy", "urn", "resource");
      fc.assert(
        fc.property(fc.nat(count - 1), field, fc.string({ minLength: 1, maxLength: 8 }), (index, name, text) => {
          const edited = JSON.parse(JSON.stringify(document)) as Document;
          const finding = findingsOf(edited)[index] as Finding;
          const before = finding[name];
          finding[name] =
            name === "blocking"
              ? !before
              : name === "status"
                ? before === "needs_review"
                  ? "waived"
                  : "needs_review"
                : `${String(before)}${text}`;
          const differences = integrityDifferences(edited);
          expect(differences.map((d) => d.check)).toContain("digest");
          // A verdict flipped also breaks the report's own arithmetic, named apart.
          if (name === "blocking" || name === "status") expect(differences.some((d) => d.check === "consistency")).toBe(true);
        }),
        propertyParameters(100),
      );
    });

    it("fails a report with a recorded hash or configuration changed, and names the configuration", () => {
      const hashes = ["input.sha256", "pack.policySetSha256", "configuration.sha256"] as const;
      fc.assert(
        fc.property(fc.constantFrom(...hashes), fc.stringMatching(/^[0-9a-f]{64}$/), (where, hash) => {
          const edited = JSON.parse(JSON.stringify(first.document)) as Document;
          const [part, key] = where.split(".") as [keyof Evidence, string];
          const target = edited.evidence[part] as unknown as Record<string, unknown>;
          fc.pre(target[key] !== hash);
          target[key] = hash;
          const checks = integrityDifferences(edited).map((d) => d.check);
          expect(checks).toContain("digest");
          if (where === "configuration.sha256") expect(checks).toContain("evidence");
        }),
        propertyParameters(30),
      );
      const edited = JSON.parse(JSON.stringify(first.document)) as Document;
      edited.evidence.configuration.policyConfig = { "intercom-session-length": { enforcementLevel: "advisory" } };
      expect(
        integrityDifferences(edited)
          .map((d) => d.message)
          .join("\n"),
      ).toMatch(/evidence\.configuration\.sha256/);
    });

    it("through the tool: exit 0 on the report as written, 1 naming the difference on an edited one, 2 on what is not a report", async () => {
      const intact = path.join(outputRoot, "intact.json");
      const edited = path.join(outputRoot, "edited.json");
      fs.writeFileSync(intact, changed.stdout);
      const document = JSON.parse(changed.stdout) as Document;
      const finding = findingsOf(document).find((f) => f["blocking"] === true) as Finding;
      finding["blocking"] = false;
      fs.writeFileSync(edited, JSON.stringify(document, null, 2));
      const ok = await runNode([cliPath, "verify", intact], { cwd: repoRoot, timeoutMs: 60_000 });
      expect(ok).toEqual(expect.objectContaining({ code: 0 }));
      expect(ok.stdout).toMatch(/^Verified /);
      const bad = await runNode([cliPath, "verify", edited, "--json"], { cwd: repoRoot, timeoutMs: 60_000 });
      expect(bad.code).toBe(1);
      const verdict = JSON.parse(bad.stdout) as { verified: boolean; differences: { check: string; message: string }[] };
      expect(verdict.verified).toBe(false);
      expect(verdict.differences.map((d) => d.check)).toEqual(expect.arrayContaining(["digest", "consistency"]));
      const notReport = await runNode([cliPath, "verify", sarifFile], { cwd: repoRoot, timeoutMs: 60_000 });
      expect(notReport.code).toBe(2);
    });
  });
});

describe("verify --input", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-input-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it(
    "grades the program again: the same program passes, another program or configuration fails naming the hashes and findings",
    async () => {
      const reportFile = path.join(dir, "secure.json");
      const written = await runNode(
        [cliPath, "preview", "examples/secure-workspace", "--as-of", "2026-11-21", "--output", `json=${reportFile}`],
        {
          cwd: repoRoot,
          env: transpileOnly,
          timeoutMs: GENERATED_RUN_TIMEOUT_MS,
        },
      );
      expect(written.code).toBe(0);
      const [same, otherProgram, otherProfile] = await Promise.all([
        runNode([cliPath, "verify", reportFile, "--input", "examples/secure-workspace"], {
          cwd: repoRoot,
          env: transpileOnly,
          timeoutMs: GENERATED_RUN_TIMEOUT_MS,
        }),
        runNode(
          [cliPath, "verify", reportFile, "--input", "examples/insecure-workspace", "--secret", "webMessengerSecret=verify-test-secret-x1"],
          {
            cwd: repoRoot,
            env: transpileOnly,
            timeoutMs: GENERATED_RUN_TIMEOUT_MS,
          },
        ),
        runNode([cliPath, "verify", reportFile, "--input", "examples/secure-workspace", "--profile", "strict", "--json"], {
          cwd: repoRoot,
          env: transpileOnly,
          timeoutMs: GENERATED_RUN_TIMEOUT_MS,
        }),
      ]);
      expect({ code: same.code, stdout: same.stdout, stderr: same.stderr }).toEqual({
        code: 0,
        stdout: expect.stringMatching(/re-run on the input/) as string,
        stderr: "",
      });
      expect(otherProgram.code).toBe(1);
      expect(otherProgram.stdout).toMatch(/the input hash differs/);
      expect(otherProgram.stdout).toMatch(/finding: found again, not as recorded/);
      expect(otherProgram.stdout).not.toContain("verify-test-secret-x1");
      expect(otherProfile.code).toBe(1);
      const verdict = JSON.parse(otherProfile.stdout) as { differences: { check: string; message: string }[] };
      expect(verdict.differences.map((d) => d.message).join("\n")).toMatch(/the configuration hash differs/);
      expect(verdict.differences.map((d) => d.message).join("\n")).not.toMatch(/the input hash differs/);
    },
    GENERATED_RUN_TIMEOUT_MS * 2,
  );
});
