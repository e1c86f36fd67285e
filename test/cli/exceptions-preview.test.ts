/**
 * Issue 6, done when: the insecure example passes under unexpired exceptions and blocks again once
 * they expire, with both states in the report. Through the compiled tool, which launches the pack:
 * the clock is injected with --as-of (the tool's governance check and the pack's both read it).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ProcessRun, runNode } from "../support/node-process";

const repoRoot = path.resolve(__dirname, "..", "..");
const cliPath = path.join(repoRoot, "dist", "cli", "main.js");
const runTimeoutMs = 120_000;
const granted = "2026-11-22";
const expires = "2026-12-31";
const afterExpiry = "2027-01-02";

type Run = ProcessRun;

interface JsonFinding {
  readonly policy: string;
  readonly status: string;
  readonly blocking: boolean;
  readonly urn: string;
  readonly exception?: { readonly expires: string; readonly expired: boolean; readonly owner: string; readonly blocksAgainSince?: string };
}

interface JsonReport {
  readonly blocking: boolean;
  readonly workspaces: { overall: string; sections: { items: { status: string; findings: JsonFinding[] }[] }[] }[];
  readonly other: JsonFinding[];
}

function preview(asOf: string, ...extra: string[]): Promise<Run> {
  return runNode([cliPath, "preview", "examples/insecure-workspace", "--json", "--as-of", asOf, ...extra], {
    cwd: repoRoot,
    env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
    timeoutMs: runTimeoutMs,
  });
}

const findingsOf = (report: JsonReport): JsonFinding[] => [
  ...report.workspaces.flatMap((w) => w.sections.flatMap((s) => s.items.flatMap((i) => i.findings))),
  ...report.other,
];

describe("the insecure example under exceptions, before and after they expire", () => {
  let configDir: string;
  let blockingBefore: JsonFinding[];
  let waived: Run;
  let expired: Run;

  beforeAll(async () => {
    const baseline = await preview(granted);
    expect(baseline.code).toBe(1);
    blockingBefore = findingsOf(JSON.parse(baseline.stdout) as JsonReport).filter((f) => f.blocking);
    // One exception per blocking finding's resource, by URN, in each policy's own entry.
    const config: Record<string, { exceptions: object[] }> = {};
    for (const finding of blockingBefore) {
      const entry = (config[finding.policy] ??= { exceptions: [] });
      if (entry.exceptions.some((e) => (e as { urn: string }).urn === finding.urn)) continue;
      entry.exceptions.push({
        urn: finding.urn,
        justification: "Legacy workspace, retired with the Q1 migration",
        owner: "alice@example.com",
        approver: "bob@example.com",
        ticket: "SEC-42",
        expires,
      });
    }
    configDir = fs.mkdtempSync(path.join(os.tmpdir(), "ihc-exceptions-"));
    const file = path.join(configDir, "exceptions.json");
    fs.writeFileSync(file, JSON.stringify(config));
    [waived, expired] = await Promise.all([
      preview(granted, "--policy-pack-config", file),
      preview(afterExpiry, "--policy-pack-config", file),
    ]);
  }, 3 * runTimeoutMs);

  afterAll(() => {
    if (configDir) fs.rmSync(configDir, { recursive: true, force: true });
  });

  it("the example blocks without exceptions (the premise)", () => {
    expect(blockingBefore.length).toBeGreaterThan(5);
  });

  it("until they expire: exit 0, every formerly blocking finding Waived with its exception, none Secure", () => {
    expect({ code: waived.code, stderr: waived.stderr }).toEqual({ code: 0, stderr: "" });
    const report = JSON.parse(waived.stdout) as JsonReport;
    expect(report.blocking).toBe(false);
    const findings = findingsOf(report);
    for (const before of blockingBefore) {
      const now = findings.filter((f) => f.policy === before.policy && f.urn === before.urn);
      expect(now.length).toBeGreaterThan(0);
      for (const f of now) {
        expect({
          policy: f.policy,
          status: f.status,
          blocking: f.blocking,
          expires: f.exception?.expires,
          expired: f.exception?.expired,
        }).toEqual({
          policy: before.policy,
          status: "waived",
          blocking: false,
          expires,
          expired: false,
        });
      }
    }
    // Advisory findings the exceptions do not cover still need review: the workspace is not Secure.
    expect(report.workspaces[0]?.overall).toBe("Issues found");
    expect(report.workspaces.flatMap((w) => w.sections.flatMap((s) => s.items.map((i) => i.status)))).toContain("Waived");
  });

  it("after they expire: exit 1, the same findings block again and say since when", () => {
    expect(expired.code).toBe(1);
    const report = JSON.parse(expired.stdout) as JsonReport;
    expect(report.blocking).toBe(true);
    const findings = findingsOf(report);
    for (const before of blockingBefore) {
      const now = findings.filter((f) => f.policy === before.policy && f.urn === before.urn);
      expect(now.length).toBeGreaterThan(0);
      for (const f of now) {
        expect({
          policy: f.policy,
          status: f.status,
          blocking: f.blocking,
          expired: f.exception?.expired,
          since: f.exception?.blocksAgainSince,
        }).toEqual({
          policy: before.policy,
          status: "needs_review",
          blocking: true,
          expired: true,
          since: "2027-01-01T00:00:00.000Z",
        });
      }
    }
  });
});
