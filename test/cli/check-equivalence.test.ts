/**
 * `check` on a workspace document gives exactly the verdicts `preview` gives on the equivalent
 * program: each example program beside its document in examples/documents/, and generated
 * controls rendered both as a program (test/support/generated-program.ts) and as a document.
 * Same pack, same clock, same configuration; compared are every finding (policy, status,
 * blocking, resource, URN, message), every row's status, the whole JSON report and the exit code.
 * Needs a build (`npm test` builds first).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import { instanceKey } from "../../core/control";
import { allControls } from "../../resources";
import { GENERATED_AS_OF, GENERATED_RUN_TIMEOUT_MS, GeneratedControl, previewGenerated, secretValue } from "../support/generated-program";
import { describedRun, ProcessRun, runNode } from "../support/node-process";
import { sampleOf } from "../support/property";
import { controlPropsArbitrary, gradedControls } from "../support/unknowns";

const repoRoot = path.resolve(__dirname, "..", "..");
const main = path.join(repoRoot, "dist", "cli", "main.js");
const asOf = "2026-11-21";
const timeoutMs = 180_000;

/** The examples' placeholder secrets (used when no stack secret is given), as the documents read them from the environment. */
const exampleSecrets = {
  WEB_MESSENGER_SECRET: "example-only-not-a-real-webMessengerSecret",
  IOS_MESSENGER_SECRET: "example-only-not-a-real-iosMessengerSecret",
  ANDROID_MESSENGER_SECRET: "example-only-not-a-real-androidMessengerSecret",
};

interface Finding {
  readonly policy: string;
  readonly status: string;
  readonly blocking: boolean;
  readonly message: string;
  readonly resource?: string;
  readonly urn?: string;
}

/**
 * The report with every list of findings in one order: a program registers its resources in the
 * order its promises settle, a document in the order it lists them, and the report keeps that order.
 */
function normalised(report: unknown): unknown {
  const order = (items: unknown[]) => [...items].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  const walk = (value: unknown, key?: string): unknown => {
    if (Array.isArray(value)) {
      const walked = value.map((v) => walk(v));
      return key && ["findings", "other", "unknownValues", "blockedByUnknowns", "levelChanges"].includes(key) ? order(walked) : walked;
    }
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    return value;
  };
  // What differs by nature between the two runs: when each ran, what was read and where it is kept, and the digest over
  // both. The input hash stays: the resources graded are the same, so it must be too.
  const {
    digest: _digest,
    evidence,
    ...rest
  } = walk(report) as { digest?: unknown; evidence?: Record<string, unknown> & { input: Record<string, unknown> } };
  if (!evidence) return rest;
  const { ranAt: _ranAt, git: _git, input, ...recorded } = evidence;
  const { kind: _kind, subject: _subject, ...graded } = input;
  return { ...rest, evidence: { ...recorded, input: graded } };
}

interface Verdicts {
  readonly code: number | null;
  readonly rows: string[];
  readonly findings: string[];
  readonly report: unknown;
  readonly raw: Finding[];
}

function verdictsOf(run: ProcessRun): Verdicts {
  let report: {
    workspaces: { workspaceId: string; sections: { items: { id: string; status: string; findings: Finding[] }[] }[] }[];
    other: Finding[];
  };
  try {
    report = JSON.parse(run.stdout) as typeof report;
  } catch {
    throw new Error(`no JSON report:\n${describedRun(run)}`);
  }
  const findingText = (f: Finding) => JSON.stringify([f.policy, f.status, f.blocking, f.resource, f.urn, f.message]);
  const raw = [...report.workspaces.flatMap((w) => w.sections.flatMap((s) => s.items.flatMap((i) => i.findings))), ...report.other];
  return {
    raw,
    code: run.code,
    rows: report.workspaces.flatMap((w) => w.sections.flatMap((s) => s.items.map((i) => `${w.workspaceId} ${i.id}: ${i.status}`))).sort(),
    findings: raw.map(findingText).sort(),
    report: normalised(report),
  };
}

function tool(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ProcessRun> {
  return runNode([main, ...args, "--json", "--as-of", asOf], {
    cwd: repoRoot,
    env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true", ...env },
    timeoutMs,
  });
}

describe("check gives preview's verdicts on each example's document", () => {
  const cases: Array<{ example: string; previewArgs?: string[]; expectedCode: number }> = [
    { example: "secure-workspace", expectedCode: 0 },
    { example: "insecure-workspace", expectedCode: 1 },
    { example: "healthcare-workspace", expectedCode: 0 },
    // Declares no AttachmentPolicy, so it is graded on Intercom's default, which blocks.
    { example: "declared-workspace", previewArgs: ["--secret-env", "webMessengerSecret=WEB_MESSENGER_SECRET"], expectedCode: 1 },
  ];
  const runs = new Map<string, { preview: ProcessRun; check: ProcessRun; profiled?: [ProcessRun, ProcessRun] }>();
  /** The example also run under a profile and exceptions (each run costs seconds). */
  const profiledExample = "insecure-workspace";

  let configDir: string;

  beforeAll(async () => {
    await Promise.all(
      cases.map(async ({ example, previewArgs = [] }) => {
        const programDir = path.join("examples", example);
        const document = path.join("examples", "documents", `${example}.yaml`);
        const [preview, check] = await Promise.all([
          tool(["preview", programDir, ...previewArgs], exampleSecrets),
          tool(["check", document], exampleSecrets),
        ]);
        runs.set(example, { preview, check });
      }),
    );
    // The insecure example once more under a profile and exceptions (each blocking finding's resource, by URN or by
    // workspace and name in turn): exceptions name resources as the program's URNs do, so they must match the document's alike.
    const insecure = runs.get(profiledExample);
    const blocking = insecure ? verdictsOf(insecure.preview).raw.filter((f) => f.blocking && f.urn !== undefined) : [];
    const config: Record<string, { exceptions: object[] }> = {};
    blocking.forEach((finding, i) => {
      const entry = (config[finding.policy] ??= { exceptions: [] });
      const target = i % 2 === 0 ? { urn: finding.urn } : { workspace: "zx98yw76", resource: finding.resource };
      entry.exceptions.push({
        ...target,
        justification: "Legacy workspace, retired with the Q1 migration",
        owner: "alice@example.com",
        approver: "bob@example.com",
        expires: "2027-01-15",
      });
    });
    configDir = fs.mkdtempSync(path.join(os.tmpdir(), "check-exceptions-"));
    const file = path.join(configDir, "exceptions.json");
    fs.writeFileSync(file, JSON.stringify(config));
    const governed = ["--profile", "strict", "--policy-pack-config", file];
    const [previewGoverned, checkGoverned] = await Promise.all([
      tool(["preview", path.join("examples", profiledExample), ...governed], exampleSecrets),
      tool(["check", path.join("examples", "documents", `${profiledExample}.yaml`), ...governed], exampleSecrets),
    ]);
    if (insecure) insecure.profiled = [previewGoverned, checkGoverned];
  }, timeoutMs);

  afterAll(() => {
    if (configDir) fs.rmSync(configDir, { recursive: true, force: true });
  });

  it.each(cases)("$example", ({ example, expectedCode }) => {
    const run = runs.get(example);
    if (!run) throw new Error(`no run for ${example}`);
    const preview = verdictsOf(run.preview);
    const check = verdictsOf(run.check);
    // Not vacuous: the example is graded, with findings where it is unsafe.
    expect(preview.code).toBe(expectedCode);
    expect(preview.rows.length).toBeGreaterThan(10);
    if (example === "insecure-workspace") expect(preview.findings.length).toBeGreaterThan(10);
    expect(check.code).toBe(preview.code);
    expect(check.rows).toEqual(preview.rows);
    expect(check.findings).toEqual(preview.findings);
    expect(check.report).toEqual(preview.report);
    // Under a profile, alike too.
    if (run.profiled) {
      const [previewGoverned, checkGoverned] = run.profiled.map(verdictsOf) as [Verdicts, Verdicts];
      expect(previewGoverned.raw.filter((f) => f.status === "waived").length).toBeGreaterThan(5);
      expect(checkGoverned.code).toBe(previewGoverned.code);
      expect(checkGoverned.findings).toEqual(previewGoverned.findings);
      expect(checkGoverned.report).toEqual(previewGoverned.report);
    }
    expect(run.profiled !== undefined).toBe(example === profiledExample);
  });

  it(
    "the secret read from the environment never shows, in any format",
    async () => {
      const canary = "CANARY-check-document-secret-7d1f";
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-secret-"));
      try {
        const formats = ["json", "sarif", "junit", "github"];
        const outputs = formats.flatMap((format) => ["--output", `${format}=${path.join(dir, format)}`]);
        const run = await runNode([main, "check", "examples/documents/healthcare-workspace.yaml", ...outputs, "--as-of", asOf], {
          cwd: repoRoot,
          env: { WEB_MESSENGER_SECRET: canary },
          timeoutMs,
        });
        expect(run.code).toBe(0);
        const written = formats.map((format) => fs.readFileSync(path.join(dir, format), "utf8"));
        // The JSON report holds the workspace (the others may be empty: nothing fails).
        expect(written[0]).toContain("hc01pt22");
        for (const text of [run.stdout, run.stderr, ...written]) expect(text).not.toContain(canary);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    timeoutMs,
  );
});

/** Settings with their secret paths given as secrets, as the resource classes register them (core/resource.ts) and a generated program does not. */
function asRegistered(control: string, props: Record<string, unknown>): Record<string, unknown> {
  const definition = allControls.find((c) => c.name === control);
  const result = { ...props };
  for (const secretPath of definition?.secretPaths ?? []) {
    const [top, leaf] = secretPath.split(".") as [string, string | undefined];
    const value = result[top];
    if (value === undefined || value === null) continue;
    if (leaf !== undefined && typeof value === "object" && !Array.isArray(value) && !("$secret" in value)) {
      const record = value as Record<string, unknown>;
      if (record[leaf] !== undefined && !(typeof record[leaf] === "object" && record[leaf] !== null && "$secret" in record[leaf])) {
        result[top] = { ...record, [leaf]: secretValue(record[leaf]) };
      }
    } else if (!(typeof value === "object" && "$secret" in value)) {
      result[top] = secretValue(value);
    }
  }
  return result;
}

/** Each string leaf (not a workspaceId) at the picked positions marked secret: `secretValue` in the program, a secret reference in the document. */
function markSecrets(props: Record<string, unknown>, picks: readonly number[], prefix: string, env: Record<string, string>) {
  let index = 0;
  const program = (value: unknown, key?: string): [unknown, unknown] => {
    if (typeof value === "string" && key !== "workspaceId") {
      const i = index++;
      if (picks.includes(i)) {
        const name = `${prefix}_${i}`;
        env[name] = value;
        return [secretValue(value), { $secretEnv: name }];
      }
      return [value, value];
    }
    if (Array.isArray(value)) {
      const pairs = value.map((v) => program(v));
      return [pairs.map((p) => p[0]), pairs.map((p) => p[1])];
    }
    if (value && typeof value === "object") {
      const entries = Object.entries(value).map(([k, v]) => [k, program(v, k)] as const);
      return [Object.fromEntries(entries.map(([k, p]) => [k, p[0]])), Object.fromEntries(entries.map(([k, p]) => [k, p[1]]))];
    }
    return [value, value];
  };
  const [asProgram, asDocument] = program(props);
  return { asProgram: asProgram as Record<string, unknown>, asDocument: asDocument as Record<string, unknown> };
}

describe("check gives preview's verdicts on generated controls", () => {
  const drawn = sampleOf(
    fc
      .tuple(
        fc.constantFrom(...gradedControls.filter((c) => c.name !== "Workspace")),
        fc.nat(),
        fc.array(fc.nat({ max: 12 }), { maxLength: 2 }),
      )
      .chain(([definition, seed, picks]) => controlPropsArbitrary(definition).map((props) => ({ definition, seed, picks, props }))),
    48,
  );
  let program: ProcessRun & { code: number };
  let document: ProcessRun;

  beforeAll(async () => {
    const env: Record<string, string> = {};
    // A second instance of a control in one workspace is reported against whichever registered first, and a
    // program's registration order is its promises': each instance goes to the first workspace without one.
    const workspaces: Array<{ name: string; settings: Record<string, unknown>; keys: Set<string>; controls: number[] }> = [];
    const placed = drawn.map(({ definition, props }, i) => {
      const key = (id: string) => instanceKey(definition, { ...props, workspaceId: id });
      let workspace = workspaces.find((w) => !w.keys.has(key(w.settings["workspaceId"] as string)));
      if (!workspace) {
        const n = workspaces.length;
        workspace = {
          name: `generated-${n}`,
          settings: { workspaceId: `gen${n}check`, name: `Generated ${n}`, region: "eu", handlesPhi: n % 2 === 1 },
          keys: new Set(),
          controls: [],
        };
        workspaces.push(workspace);
      }
      workspace.keys.add(key(workspace.settings["workspaceId"] as string));
      workspace.controls.push(i);
      return workspace;
    });
    const controls = drawn.map(({ definition, picks, props }, i) => {
      const workspaceId = placed[i]?.settings["workspaceId"] as string;
      const marked = markSecrets({ ...props, workspaceId }, picks, `GEN_SECRET_${i}`, env);
      return { definition, name: `gen-${i}-${definition.name}`, ...marked };
    });
    const programControls: GeneratedControl[] = [
      ...workspaces.map((w) => ({ control: "Workspace", name: w.name, props: w.settings })),
      ...controls.map((c) => ({ control: c.definition.name, name: c.name, props: asRegistered(c.definition.name, c.asProgram) })),
    ];
    const doc = {
      schemaVersion: 1,
      project: "generated-program",
      stack: "dev",
      workspaces: workspaces.map((w) => ({
        name: w.name,
        settings: w.settings,
        controls: w.controls.map((i) => controls[i]).map((c) => ({ type: c?.definition.name, name: c?.name, settings: c?.asDocument })),
      })),
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-generated-"));
    const file = path.join(dir, "generated.json");
    fs.writeFileSync(file, JSON.stringify(doc));
    try {
      const previewRun = previewGenerated(programControls, [], { env: { ...process.env, ...env } });
      program = { code: previewRun.exitCode, stdout: previewRun.stdout, stderr: previewRun.stderr };
      document = await runNode([main, "check", file, "--json", "--as-of", GENERATED_AS_OF], { cwd: repoRoot, env, timeoutMs });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, GENERATED_RUN_TIMEOUT_MS * 2);

  it("every verdict, row and the exit code agree", () => {
    const fromProgram = verdictsOf(program);
    const fromDocument = verdictsOf(document);
    expect(fromProgram.findings.length).toBeGreaterThan(0);
    expect(fromDocument.code).toBe(fromProgram.code);
    expect(fromDocument.rows).toEqual(fromProgram.rows);
    expect(fromDocument.findings).toEqual(fromProgram.findings);
    expect(fromDocument.report).toEqual(fromProgram.report);
  });
});
