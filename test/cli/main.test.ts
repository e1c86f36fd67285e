/**
 * The CLI as a user runs it: `node dist/cli/main.js preview <program-dir>` (the package's bin),
 * on the examples and on fixture programs. Needs a build (`npm test` builds first).
 *
 * Each preview spawns the program in a child process and starts the policy pack, so runs are
 * shared across assertions (beforeAll) and kept few.
 */
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const repoRoot = path.resolve(__dirname, "..", "..");
const cliPath = path.join(repoRoot, "dist", "cli", "main.js");
const asOf = "2026-11-21";
const runTimeoutMs = 120_000;

const exitCodes = { secure: 0, blocked: 1, usage: 2, internal: 3 };

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: readonly string[]): Promise<Run> {
  if (!fs.existsSync(cliPath)) {
    throw new Error(`${cliPath} is missing: run \`npm run build\` (npm test does) before these tests.`);
  }
  return new Promise((resolve, reject) => {
    // Transpile only (the launcher's fast path): lint type-checks the examples and fixtures already.
    const child = childProcess.spawn(process.execPath, [cliPath, ...args], {
      cwd: repoRoot,
      env: { ...process.env, PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    const timer = setTimeout(() => child.kill("SIGKILL"), runTimeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const preview = (programDir: string, ...extra: string[]) => cli(["preview", programDir, "--as-of", asOf, ...extra]);

/** Shows the output when an expectation on a run fails. */
function described(run: Run): string {
  return `exit ${run.code}\n--- stdout ---\n${run.stdout}\n--- stderr ---\n${run.stderr}`;
}

function expectExit(run: Run, code: number): void {
  expect({ code: run.code, output: run.code === code ? "" : described(run) }).toEqual({ code, output: "" });
}

const sectionStatus = /^ {2}(\S.*): (Secure|Issues found|Not in use)$/;

/** The lines of one section of the text report: from its heading to the next section or the summary. */
function sectionLines(text: string, title: string): string[] {
  const all = text.split("\n");
  const start = all.findIndex((line) => line.startsWith(`  ${title}: `));
  if (start < 0) throw new Error(`no section "${title}" in:\n${text}`);
  const rest = all.slice(start + 1);
  const end = rest.findIndex((line) => sectionStatus.test(line) || line.startsWith("Summary:") || line.startsWith("Workspace "));
  return [all[start] as string, ...(end < 0 ? rest : rest.slice(0, end))];
}

// The JSON report, as `--json` prints it.
interface JsonFinding {
  policy: string;
  status: "needs_review" | "not_evaluated";
  blocking: boolean;
  message: string;
  urn: string;
  resource?: string;
}
interface JsonReport {
  pack: { name: string; version: string };
  blocking: boolean;
  workspaces: Array<{
    workspaceId: string;
    name?: string;
    declared: boolean;
    securityContactEmail?: string;
    handlesPhi: boolean;
    overall: string;
    blockingCount: number;
    reviewCount: number;
    sections: Array<{
      id: string;
      title: string;
      items: Array<{ id: string; title: string; status: string; policies: string[]; findings: JsonFinding[] }>;
    }>;
  }>;
  other: JsonFinding[];
}

function parseJson(run: Run): JsonReport {
  try {
    return JSON.parse(run.stdout) as JsonReport;
  } catch (error) {
    throw new Error(`--json output does not parse (${String(error)}):\n${described(run)}`);
  }
}

function allFindings(report: JsonReport): JsonFinding[] {
  return [...report.workspaces.flatMap((w) => w.sections.flatMap((s) => s.items.flatMap((i) => i.findings))), ...report.other];
}

/** Every row's status in the JSON report is the one the text report shows, in the same section. */
function expectTextAgreesWithJson(text: string, json: JsonReport): void {
  for (const workspace of json.workspaces) {
    for (const section of workspace.sections) {
      const lines = sectionLines(text, section.title);
      for (const item of section.items) {
        expect(lines.filter((line) => line.includes(`] ${item.title}: `))).toEqual([
          expect.stringMatching(new RegExp(`\\] ${escapeRegExp(item.title)}: ${item.status}$`)),
        ]);
      }
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const helpLink = /^ +(Edit|Configure|Open): (https:\/\/\S+)$/;
const intercomHosts = new Set(["www.intercom.com", "developers.intercom.com"]);

describe("preview examples/insecure-workspace", () => {
  let text: Run;
  let json: Run;
  beforeAll(async () => {
    [text, json] = await Promise.all([preview("examples/insecure-workspace"), preview("examples/insecure-workspace", "--json")]);
  }, runTimeoutMs);

  it("exits 1: mandatory policies fail", () => {
    expectExit(text, exitCodes.blocked);
    expectExit(json, exitCodes.blocked);
    expect(text.stderr).toBe("");
  });

  it('reports "Overall: Issues found" and the blocking summary', () => {
    expect(text.stdout).toContain('Workspace "Legacy Support" (zx98yw76)');
    expect(text.stdout).toMatch(/^ {2}Overall: Issues found \(\d+ blocking, \d+ to review\)$/m);
    expect(text.stdout).toContain("  Security contact: not set\n");
    expect(text.stdout).toMatch(/^Summary: 1 workspace\(s\), [1-9]\d* blocking and \d+ advisory finding\(s\)\. Blocked: /m);
  });

  it.each(["Authentication & Access", "Messenger Security", "Data Protection", "Mobile SDKs", "Custom Actions"])(
    "has a BLOCKING finding in %s",
    (title) => {
      const lines = sectionLines(text.stdout, title);
      expect(lines[0]).toBe(`  ${title}: Issues found`);
      expect(lines.some((line) => /^ +BLOCKING intercom-[a-z0-9-]+ \[[^\]]+\]: \S/.test(line))).toBe(true);
    },
  );

  it("blocks on the contract's examples: SSO, trusted domains, PAN redaction, uploads, custom action transport", () => {
    for (const name of [
      "intercom-sso-required",
      "intercom-email-password-sign-in-disabled",
      "intercom-web-identity-verification",
      "intercom-messenger-trusted-domains",
      "intercom-ip-allowlist-entries",
      "intercom-pan-redaction",
      "intercom-attachment-file-types",
      "intercom-custom-action-https",
      "intercom-custom-action-no-literal-credentials",
      "intercom-custom-action-identity-match",
      "intercom-custom-action-response-mapping",
    ]) {
      expect(text.stdout).toMatch(new RegExp(`^ +BLOCKING ${name} \\[`, "m"));
    }
  });

  it("gives remediation and help links on Intercom's hosts", () => {
    const lines = text.stdout.split("\n");
    expect(lines.filter((line) => /^ +Fix: \S/.test(line)).length).toBeGreaterThan(5);
    const links = lines.flatMap((line) => {
      const match = helpLink.exec(line);
      return match ? [match[2] as string] : [];
    });
    expect(links.length).toBeGreaterThan(5);
    expect(links.some((link) => link.startsWith("https://www.intercom.com/") || link.startsWith("https://developers.intercom.com/"))).toBe(
      true,
    );
    for (const link of links) expect(intercomHosts.has(new URL(link).host) ? "allowed" : link).toBe("allowed");
    // Every https link printed anywhere (remediation text included) is on an Intercom host too; http
    // values are quoted from the program (e.g. the example's http endpoint).
    for (const url of text.stdout.match(/https:\/\/[a-z0-9-]+(\.[a-z0-9-]+)+[^\s)"]*/g) ?? []) {
      expect(intercomHosts.has(new URL(url).host) ? "allowed" : url).toBe("allowed");
    }
  });

  it("never prints the literal credential the example puts in a Custom Action header", () => {
    expect(text.stdout + text.stderr + json.stdout + json.stderr).not.toContain("hard-coded-example-token");
    // Header values are sensitive (always redacted), not secret: the finding says where and what kind.
    expect(text.stdout).toContain("carries a literal credential in a header");
  });

  it("--json parses and agrees with the text report", () => {
    const report = parseJson(json);
    expect(report.pack.name).toBe("intercom-security-health-check");
    expect(text.stdout).toContain(`Policy pack ${report.pack.name} ${report.pack.version}\n`);
    expect(report.blocking).toBe(true);
    expect(report.workspaces).toHaveLength(1);
    const [workspace] = report.workspaces;
    expect(workspace).toMatchObject({
      workspaceId: "zx98yw76",
      name: "Legacy Support",
      declared: true,
      handlesPhi: false,
      overall: "Issues found",
    });
    expect(text.stdout).toContain(`Overall: Issues found (${workspace?.blockingCount} blocking, ${workspace?.reviewCount} to review)`);
    expect(workspace?.blockingCount).toBeGreaterThan(0);
    expectTextAgreesWithJson(text.stdout, report);
    // Each finding is printed with its level, policy, resource and message.
    for (const finding of allFindings(report)) {
      const level = finding.status === "not_evaluated" ? "NOT EVALUATED" : finding.blocking ? "BLOCKING" : "ADVISORY";
      expect(text.stdout).toContain(`${level} ${finding.policy}${finding.resource ? ` [${finding.resource}]` : ""}: ${finding.message}\n`);
    }
    const blockingPolicies = new Set(
      allFindings(report)
        .filter((f) => f.blocking)
        .map((f) => f.policy),
    );
    expect([...blockingPolicies]).toEqual(expect.arrayContaining(["intercom-sso-required", "intercom-pan-redaction"]));
  });

  it("--json: every Intercom section and the custom actions have rows needing review", () => {
    const report = parseJson(json);
    const sections = report.workspaces[0]?.sections ?? [];
    expect(sections.map((s) => s.id)).toEqual([
      "authentication-access",
      "messenger-security",
      "data-protection",
      "mobile-sdks",
      "custom-actions",
    ]);
    for (const section of sections) {
      expect({ section: section.id, blocking: section.items.some((i) => i.findings.some((f) => f.blocking)) }).toEqual({
        section: section.id,
        blocking: true,
      });
    }
  });

  describe("with --policy-pack-config", () => {
    let configDir: string;
    let relaxed: Run;
    let allAdvisory: Run;
    let relaxedUnaccounted: Run;
    let allAdvisoryUnaccounted: Run;
    beforeAll(async () => {
      configDir = fs.mkdtempSync(path.join(os.tmpdir(), "ihc-cli-test-"));
      const write = (name: string, config: object) => {
        const file = path.join(configDir, name);
        fs.writeFileSync(file, JSON.stringify(config));
        return file;
      };
      // A SHALL policy below its default level needs accountability beside its level
      // (core/exceptions.ts); its expiry is within the maximum ahead of the --as-of date both the tool
      // and the pack read.
      const expires = new Date(Date.parse(`${asOf}T00:00:00Z`) + 30 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
      const accountable = {
        justification: "Accepted while the rollout completes",
        owner: "alice@example.com",
        approver: "bob@example.com",
        expires,
      };
      // Every policy that blocked the baseline, demoted to advisory: nothing may block any more.
      const blocking = [
        ...new Set(
          allFindings(parseJson(json))
            .filter((f) => f.blocking)
            .map((f) => f.policy),
        ),
      ];
      [relaxed, allAdvisory, relaxedUnaccounted, allAdvisoryUnaccounted] = await Promise.all([
        preview(
          "examples/insecure-workspace",
          "--json",
          "--policy-pack-config",
          write("relaxed.json", {
            "intercom-sso-required": { enforcementLevel: "disabled", ...accountable },
            "intercom-email-password-sign-in-disabled": { enforcementLevel: "advisory", ...accountable },
          }),
        ),
        preview(
          "examples/insecure-workspace",
          "--policy-pack-config",
          write("all-advisory.json", Object.fromEntries(blocking.map((name) => [name, { enforcementLevel: "advisory", ...accountable }]))),
        ),
        preview(
          "examples/insecure-workspace",
          "--json",
          "--policy-pack-config",
          write("relaxed-unaccounted.json", {
            "intercom-sso-required": "disabled",
            "intercom-email-password-sign-in-disabled": "advisory",
          }),
        ),
        preview(
          "examples/insecure-workspace",
          "--policy-pack-config",
          write("all-advisory-unaccounted.json", Object.fromEntries(blocking.map((name) => [name, "advisory"]))),
        ),
      ]);
    }, runTimeoutMs);
    afterAll(() => {
      if (configDir) fs.rmSync(configDir, { recursive: true, force: true });
    });

    it("with accountability, a disabled policy reports nothing and an advisory one no longer blocks", () => {
      expectExit(relaxed, exitCodes.blocked); // other mandatory policies still fail
      const baseline = parseJson(json);
      const report = parseJson(relaxed);
      const findings = allFindings(report);
      expect(findings.filter((f) => f.policy === "intercom-sso-required")).toEqual([]);
      const emailPassword = findings.filter((f) => f.policy === "intercom-email-password-sign-in-disabled");
      expect(emailPassword.length).toBeGreaterThan(0);
      expect(emailPassword.every((f) => !f.blocking)).toBe(true);
      const before = baseline.workspaces[0];
      const after = report.workspaces[0];
      const ssoFindings = allFindings(baseline).filter((f) => f.policy === "intercom-sso-required").length;
      expect(after?.blockingCount).toBe((before?.blockingCount ?? 0) - ssoFindings - emailPassword.length);
      expect(after?.reviewCount).toBe((before?.reviewCount ?? 0) + emailPassword.length);
    });

    it("with accountability, demoting every blocking policy to advisory lets the preview pass (exit 0), with the findings still shown", () => {
      expectExit(allAdvisory, exitCodes.secure);
      expect(allAdvisory.stdout).not.toMatch(/^ +BLOCKING /m);
      expect(allAdvisory.stdout).toMatch(/^ +ADVISORY intercom-sso-required \[legacy-sso\]: /m);
      expect(allAdvisory.stdout).toContain("  Overall: Issues found (0 blocking, ");
    });

    // Issue 6: without justification, owner, approver and expires beside the level, the tool refuses
    // the configuration before the program runs.
    it("a SHALL policy disabled or run as advisory without accountability is refused (exit 2), naming each", () => {
      expectExit(relaxedUnaccounted, exitCodes.usage);
      expect(relaxedUnaccounted.stderr).toContain(
        "intercom-sso-required: a SHALL policy switched off needs justification, owner, approver",
      );
      expect(relaxedUnaccounted.stderr).toContain(
        "intercom-email-password-sign-in-disabled: a SHALL policy run as advisory instead of mandatory needs justification",
      );
    });

    it("demoting every blocking policy to advisory without accountability is refused too, for every one of them", () => {
      expectExit(allAdvisoryUnaccounted, exitCodes.usage);
      const blocking = [
        ...new Set(
          allFindings(parseJson(json))
            .filter((f) => f.blocking)
            .map((f) => f.policy),
        ),
      ];
      expect(blocking.length).toBeGreaterThan(0);
      for (const policy of blocking)
        expect(allAdvisoryUnaccounted.stderr).toContain(`${policy}: a SHALL policy run as advisory instead of mandatory`);
    });
  });
});

describe("preview examples/secure-workspace", () => {
  let text: Run;
  let json: Run;
  beforeAll(async () => {
    [text, json] = await Promise.all([preview("examples/secure-workspace"), preview("examples/secure-workspace", "--json")]);
  }, runTimeoutMs);

  it('exits 0 with "Overall: Secure" and nothing blocking', () => {
    expectExit(text, exitCodes.secure);
    expect(text.stderr).toBe("");
    expect(text.stdout).toContain("  Overall: Secure\n");
    expect(text.stdout).toContain("Security contact: security@acme.example.com");
    expect(text.stdout).not.toMatch(/BLOCKING|ADVISORY|NOT EVALUATED|Needs review|Not evaluated/);
    for (const title of ["Authentication & Access", "Messenger Security", "Data Protection", "Mobile SDKs", "Custom Actions"]) {
      expect(text.stdout).toContain(`  ${title}: Secure\n`);
    }
    expect(text.stdout).toContain("Summary: 1 workspace(s), 0 blocking and 0 advisory finding(s). Nothing blocks.\n");
  });

  it("--json parses and agrees: not blocking, every row Secure", () => {
    expectExit(json, exitCodes.secure);
    const report = parseJson(json);
    expect(report.blocking).toBe(false);
    expect(report.other).toEqual([]);
    expect(report.workspaces).toHaveLength(1);
    expect(report.workspaces[0]).toMatchObject({ overall: "Secure", blockingCount: 0, reviewCount: 0, declared: true });
    const rows = report.workspaces[0]?.sections.flatMap((s) => s.items) ?? [];
    expect(rows.length).toBeGreaterThan(15);
    expect(rows.filter((r) => r.status !== "Secure").map((r) => `${r.id}: ${r.status}`)).toEqual([]);
    expectTextAgreesWithJson(text.stdout, report);
  });
});

describe("preview examples/healthcare-workspace", () => {
  let text: Run;
  beforeAll(async () => {
    text = await preview("examples/healthcare-workspace");
  }, runTimeoutMs);

  it('exits 0 with "Overall: Secure", and shows the healthcare checklist', () => {
    expectExit(text, exitCodes.secure);
    expect(text.stderr).toBe("");
    expect(text.stdout).toContain("  Overall: Secure\n");
    expect(text.stdout).toContain("  Handles PHI: yes");
    const healthcare = sectionLines(text.stdout, "Healthcare (HIPAA)");
    expect(healthcare[0]).toBe("  Healthcare (HIPAA): Secure");
    expect(healthcare.filter((line) => line.startsWith("    [ok] "))).toHaveLength(4);
    expect(text.stdout).toContain("Nothing blocks.\n");
  });

  it("shows the controls it does not use as Not in use, not as problems", () => {
    expect(sectionLines(text.stdout, "Mobile SDKs")[0]).toBe("  Mobile SDKs: Not in use");
    expect(text.stdout).not.toMatch(/BLOCKING|ADVISORY|Needs review/);
  });
});

describe("usage errors exit 2 with a message on stderr", () => {
  let scratch: string;
  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ihc-cli-usage-"));
    fs.writeFileSync(path.join(scratch, "not-json.json"), "intercom-sso-required: disabled\n");
    fs.writeFileSync(path.join(scratch, "array.json"), "[]");
    fs.writeFileSync(path.join(scratch, "bad-level.json"), JSON.stringify({ "intercom-sso-required": "loud" }));
    fs.writeFileSync(path.join(scratch, "unknown-policy.json"), JSON.stringify({ "intercom-no-such-policy": "disabled" }));
    fs.writeFileSync(path.join(scratch, "bad-argument.json"), JSON.stringify({ "intercom-session-length": { maxHours: "twelve" } }));
    fs.writeFileSync(
      path.join(scratch, "below-floor.json"),
      '{"intercom-ip-allowlist-entries": {"enforcementLevel": "mandatory", "minPrefixLength": 4e0}}',
    );
    fs.mkdirSync(path.join(scratch, "not-a-program"));
  });
  afterAll(() => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  const cases: Array<[string, () => string[], RegExp]> = [
    ["no command", () => [], /Usage: intercom-health-check/],
    ["an unknown command", () => ["inspect", "examples/secure-workspace"], /unknown command 'inspect'/],
    ["a missing program directory argument", () => ["preview"], /missing required argument 'program-dir'/],
    ["a program directory that does not exist", () => ["preview", path.join(scratch, "no-such-program")], /no-such-program does not exist/],
    [
      "an unreadable --policy-pack-config",
      () => ["preview", "examples/secure-workspace", "--policy-pack-config", path.join(scratch, "missing.json")],
      /cannot read policy configuration file .*missing\.json/,
    ],
    [
      "a --policy-pack-config that is not JSON",
      () => ["preview", "examples/secure-workspace", "--policy-pack-config", path.join(scratch, "not-json.json")],
      /not-json\.json is not JSON/,
    ],
    [
      "a --policy-pack-config that is not a JSON object",
      () => ["preview", "examples/secure-workspace", "--policy-pack-config", path.join(scratch, "array.json")],
      /array\.json does not match the pack's configuration schema: \(top level\): must be object/,
    ],
    [
      "an enforcement level that does not exist",
      () => ["preview", "examples/secure-workspace", "--policy-pack-config", path.join(scratch, "bad-level.json")],
      /bad-level\.json does not match .*\/intercom-sso-required/,
    ],
    [
      "a policy name the pack does not have (a typo must not pass silently)",
      () => ["preview", "examples/secure-workspace", "--policy-pack-config", path.join(scratch, "unknown-policy.json")],
      /additional properties "intercom-no-such-policy"/,
    ],
    [
      "a policy argument of the wrong type",
      () => ["preview", "examples/secure-workspace", "--policy-pack-config", path.join(scratch, "bad-argument.json")],
      /\/intercom-session-length\/maxHours: must be integer/,
    ],
    [
      "a SHALL policy argument below its floor (configuration may tighten a SHALL rule, never loosen it)",
      () => ["preview", "examples/secure-workspace", "--policy-pack-config", path.join(scratch, "below-floor.json")],
      /below-floor\.json is refused:\n {2}\| {3}the configuration of intercom-ip-allowlist-entries is refused: minPrefixLength is 4, below its floor 8/,
    ],
    [
      "a bad --as-of",
      () => ["preview", "examples/secure-workspace", "--as-of", "next-tuesday"],
      /--as-of next-tuesday is not an ISO 8601 date/,
    ],
    [
      "an impossible --as-of date",
      () => ["preview", "examples/secure-workspace", "--as-of", "2026-02-30"],
      /--as-of 2026-02-30 is not an ISO 8601 date/,
    ],
    ["a file as the program directory", () => ["preview", "package.json"], /package\.json is not a directory/],
    [
      "a directory that is not a Pulumi program",
      () => ["preview", path.join(scratch, "not-a-program")],
      /not-a-program is not a Pulumi program: it has no Pulumi.yaml/,
    ],
    [
      "a --policy-pack that is not a policy pack",
      () => ["preview", "examples/secure-workspace", "--policy-pack", scratch],
      /is not a policy pack: it has no PulumiPolicy.yaml/,
    ],
    ["an empty --stack", () => ["preview", "examples/secure-workspace", "--stack", ""], /--stack must be a stack name/],
  ];

  it.each(cases)("%s", async (_what, args, message) => {
    const run = await cli(args());
    expectExit(run, exitCodes.usage);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe("");
  });

  it("--help prints the usage and exits 0", async () => {
    const run = await cli(["preview", "--help"]);
    expectExit(run, exitCodes.secure);
    expect(run.stdout).toContain("Usage: intercom-health-check preview [options] <program-dir>");
    for (const option of ["--json", "--as-of", "--policy-pack", "--policy-pack-config", "--stack"]) expect(run.stdout).toContain(option);
    // The README's option list is the tool's: every option --help names is there.
    const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
    const listed = /## The command-line tool\n+```\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    const options = [...run.stdout.matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1] as string).filter((o) => o !== "--help");
    expect(options.length).toBeGreaterThan(10);
    expect(options.filter((o) => !new RegExp(`^ {2}${o} `, "m").test(listed))).toEqual([]);
  });
});

describe("a program that fails at construction", () => {
  let run: Run;
  beforeAll(async () => {
    run = await preview(path.join("test", "cli", "fixtures", "invalid-program"));
  }, runTimeoutMs);

  it("exits 2 (the input is wrong, not the tool) and prints nothing on stdout", () => {
    expectExit(run, exitCodes.usage);
    expect(run.stdout).toBe("");
  });

  it("opens with the file, line and column in the program that declared the control", () => {
    expect(run.stderr).toMatch(/^intercom-health-check: test\/cli\/fixtures\/invalid-program\/index\.ts:16:1: The Pulumi program in /);
  });

  it("names the resource, the field, the value given and the values allowed", () => {
    expect(run.stderr).toMatch(/^intercom-health-check: /);
    expect(run.stderr).toContain('SsoEnforcement "bad"');
    expect(run.stderr).toContain("googleSignIn");
    expect(run.stderr).toContain('"maybe"');
    expect(run.stderr).toMatch(/"off", "allowed", "required"/);
    // A user's mistake, not a crash: no stack trace.
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});

describe("secrets never reach the output", () => {
  const canaries = ["CANARY-messenger-5f0c1d9e7b", "CANARY-header-91b4d07c", "CANARY-action-name-3a8e62"];
  const program = path.join("test", "cli", "fixtures", "secret-program");
  let text: Run;
  let json: Run;
  beforeAll(async () => {
    [text, json] = await Promise.all([preview(program), preview(program, "--json")]);
  }, runTimeoutMs);

  it("grades the resources holding the secrets (so the check below means something)", () => {
    expectExit(text, exitCodes.blocked);
    expectExit(json, exitCodes.blocked);
    expect(text.stdout).toMatch(
      /^ +BLOCKING intercom-custom-action-no-literal-credentials \[canary-action\]: .*literal credential in a header/m,
    );
    expect(text.stdout).toMatch(/\[canary-web\]/);
    // The action's name was made secret by the caller, and policy messages quote it: it is redacted.
    expect(text.stdout).toContain('Custom Action "[secret]"');
    expect(parseJson(json).blocking).toBe(true);
  });

  it.each(canaries)("%s appears in neither stdout nor stderr, text or --json", (canary) => {
    for (const run of [text, json]) {
      expect(run.stdout).not.toContain(canary);
      expect(run.stderr).not.toContain(canary);
    }
    // Nor any recognisable part of it.
    expect(text.stdout + json.stdout).not.toContain(canary.slice(-8));
  });
});

describe("package.json wires the CLI", () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
    bin?: Record<string, string>;
    scripts?: Record<string, string>;
  };

  it("npm start previews the insecure example with the built CLI", () => {
    const start = manifest.scripts?.["start"] ?? "";
    expect(start).toContain("examples/insecure-workspace");
    expect(start).toMatch(/\bdist\/cli\/main\.js\b/);
    expect(start).toMatch(/\bpreview\b/);
    // The build runs first, so `npm start` works from a fresh clone.
    expect(manifest.scripts?.["prestart"] ?? "").toMatch(/build/);
  });

  it("the intercom-health-check bin is dist/cli/main.js, an executable node script", () => {
    expect(manifest.bin?.["intercom-health-check"]?.replace(/^\.\//, "")).toBe("dist/cli/main.js");
    expect(fs.readFileSync(cliPath, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
  });
});
