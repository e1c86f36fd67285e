/**
 * The report formats as the tool writes them, on every example and on a generated program with
 * hostile names, unsafe settings, secrets and unknowns: each validates against its schema.
 * One run per program writes every format at once (--output), so the suite stays a few runs.
 */
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import Ajv2020 from "ajv/dist/2020";
import fc from "fast-check";
import { escapeForDisplay } from "../../core/display";
import { integrityDifferences } from "../../cli/verify";
import { md } from "../../report/markdown";
import { sarifPlainText } from "../../report/sarif";
import { allControls } from "../../resources";
import { secureSample } from "../support/fixtures";
import { GENERATED_RUN_TIMEOUT_MS, GeneratedControl, previewGenerated, secretValue, unknownValue } from "../support/generated-program";
import { sampleOf } from "../support/property";

const repoRoot = path.resolve(__dirname, "..", "..");
const cliPath = path.join(repoRoot, "dist", "cli", "main.js");
const reportSchema = JSON.parse(fs.readFileSync(path.join(repoRoot, "schemas", "report.schema.json"), "utf8")) as object;
const validateReport = new Ajv2020({ allErrors: true, strict: false }).compile(reportSchema);

interface Outputs {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly json: unknown;
  readonly sarif: string;
  readonly junit: string;
  readonly github: string;
  readonly text: string;
  readonly markdown: string;
  readonly html: string;
}

const outputRoot = fs.mkdtempSync(path.join(os.tmpdir(), "formats-test-"));
let outputCount = 0;

/** --output arguments writing every other format into a fresh directory, and a reader for them. */
function outputFiles(): { args: string[]; read: () => Pick<Outputs, "sarif" | "junit" | "github" | "text" | "markdown" | "html"> } {
  const dir = path.join(outputRoot, String(outputCount++));
  fs.mkdirSync(dir);
  const formats = ["sarif", "junit", "github", "text", "markdown", "html"] as const;
  return {
    args: formats.flatMap((format) => ["--output", `${format}=${path.join(dir, format)}`]),
    read: () =>
      Object.fromEntries(formats.map((format) => [format, fs.readFileSync(path.join(dir, format), "utf8")])) as Pick<
        Outputs,
        "sarif" | "junit" | "github" | "text" | "markdown" | "html"
      >,
  };
}

function expectValidReport(document: unknown): void {
  const valid = validateReport(document);
  expect({ valid, errors: valid ? [] : validateReport.errors }).toEqual({ valid: true, errors: [] });
}

const examples = fs
  .readdirSync(path.join(repoRoot, "examples"))
  .filter((name) => fs.existsSync(path.join(repoRoot, "examples", name, "Pulumi.yaml")));

/** The secret an example's stack file holds encrypted: supplied, and then never in any format. */
const exampleSecret = "formats-test-secret-9f3b";

function runExample(example: string): Outputs {
  const files = outputFiles();
  const result = childProcess.spawnSync(
    process.execPath,
    [
      cliPath,
      "preview",
      path.join("examples", example),
      "--as-of",
      "2026-11-21",
      "--format",
      "json",
      "--secret",
      `webMessengerSecret=${exampleSecret}`,
      ...files.args,
    ],
    { cwd: repoRoot, encoding: "utf8", timeout: GENERATED_RUN_TIMEOUT_MS, env: { ...process.env, PULUMI_NODEJS_TRANSPILE_ONLY: "true" } },
  );
  if (result.error) throw result.error;
  return {
    exitCode: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    json: JSON.parse(result.stdout) as unknown,
    ...files.read(),
  };
}

/** Names a program controls, built to break out of every format: newlines, %, quotes, markup, workflow commands. */
const hostileName = fc
  .array(
    fc.constantFrom(
      "a",
      "%",
      "%25",
      "\r",
      "\n",
      "::error::x",
      ",",
      ":",
      "<",
      ">",
      "&",
      '"',
      "'",
      "]]>",
      "\u202e",
      "\u001b[31m",
      "::",
      "title=",
      "é",
    ),
    {
      minLength: 1,
      maxLength: 8,
    },
  )
  .map((parts) => parts.join(""));

function generatedControls(): GeneratedControl[] {
  const workspaceId = "abc123xyz";
  const names = sampleOf(hostileName, allControls.length);
  return allControls.flatMap((control, i): GeneratedControl[] => {
    const props = { ...secureSample(control), workspaceId };
    const name = `${i}-${names[i] ?? "x"}`;
    if (control.name === "Workspace") return [{ control: control.name, name, props: { ...props, name: names[i] ?? "w" } }];
    // The secure sample, and next to it a variant with every string field a secret or unknown: graded apart.
    const variant = Object.fromEntries(
      Object.entries(props).map(([key, value], j) => [
        key,
        key === "workspaceId" ? value : j % 2 === 0 ? secretValue(value) : unknownValue,
      ]),
    );
    return [
      { control: control.name, name, props },
      { control: control.name, name: `${name}-variant`, props: variant },
    ];
  });
}

describe("report formats", () => {
  const runs = new Map<string, Outputs>();
  let generated: Outputs;

  beforeAll(() => {
    for (const example of examples) runs.set(example, runExample(example));
    const files = outputFiles();
    const run = previewGenerated(generatedControls(), files.args);
    generated = {
      exitCode: run.exitCode,
      stdout: run.stdout,
      stderr: run.stderr,
      json: JSON.parse(run.stdout) as unknown,
      ...files.read(),
    };
  }, GENERATED_RUN_TIMEOUT_MS * 2);

  afterAll(() => fs.rmSync(outputRoot, { recursive: true, force: true }));

  const everyRun = () => [
    ...examples.map((example) => [example, runs.get(example) as Outputs] as const),
    ["generated", generated] as const,
  ];

  it("finds the examples", () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
  });

  describe("JSON", () => {
    it.each(examples)("the report of %s validates against schemas/report.schema.json", (example) => {
      const run = runs.get(example) as Outputs;
      expect((run.json as { schemaVersion: string }).schemaVersion).toMatch(/^1\.\d+\.\d+$/);
      expectValidReport(run.json);
    });

    it("the report of a generated program (hostile names, secrets, unknowns) validates", () => {
      expect(generated.exitCode === 0 || generated.exitCode === 1).toBe(true);
      expectValidReport(generated.json);
    });

    it("every report, as written, passes verify's digest and arithmetic checks", () => {
      for (const [name, run] of everyRun())
        expect({ name, differences: integrityDifferences(run.json as Record<string, unknown>) }).toEqual({ name, differences: [] });
    });

    it("the schema rejects a report with a field it does not declare or a wrong status", () => {
      const run = runs.get(examples[0] as string) as Outputs;
      const document = run.json as Record<string, unknown>;
      expect(validateReport({ ...document, surprise: 1 })).toBe(false);
      expect(validateReport({ ...document, blocking: "no" })).toBe(false);
      const { schemaVersion: _version, ...unversioned } = document;
      expect(validateReport(unversioned)).toBe(false);
    });
  });

  describe("SARIF", () => {
    it.each(["secure-workspace", "insecure-workspace", "healthcare-workspace", "declared-workspace", "generated"])(
      "%s: a SARIF 2.1.0 log with one rule per policy and one result per finding, levels from the verdicts",
      (name) => {
        const run = name === "generated" ? generated : (runs.get(name) as Outputs);
        expectSarifMatchesReport(JSON.parse(run.sarif) as SarifLog, run.json as JsonDocument);
      },
    );
  });

  describe("JUnit", () => {
    it.each(["secure-workspace", "insecure-workspace", "healthcare-workspace", "declared-workspace", "generated"])(
      "%s: well-formed XML, a suite per workspace, a case per row, a failure per row that blocks",
      (name) => {
        const run = name === "generated" ? generated : (runs.get(name) as Outputs);
        expectJunitMatchesReport(parseXml(run.junit), run.json as JsonDocument);
      },
    );
  });

  describe("GitHub annotations", () => {
    it.each(["secure-workspace", "insecure-workspace", "healthcare-workspace", "declared-workspace", "generated"])(
      "%s: one workflow command per finding and nothing else, none injectable",
      (name) => {
        const run = name === "generated" ? generated : (runs.get(name) as Outputs);
        expectAnnotationsMatchReport(run.github, run.json as JsonDocument);
      },
    );

    it("the generated program's hostile names reach the annotations escaped", () => {
      // Every resource name carried % or a line break or "::" (hostileName): they must show, escaped.
      expect(generated.github).toMatch(/%25/);
      expect(generated.github).not.toMatch(/\r/);
    });
  });

  it("no format shows the secret given for the stack's encrypted value", () => {
    for (const [, run] of everyRun()) {
      for (const output of [run.stdout, run.stderr, run.sarif, run.junit, run.github, run.text, run.markdown, run.html])
        expect(output).not.toContain(exampleSecret);
    }
  });

  describe("Markdown and HTML audit reports", () => {
    it.each(["secure-workspace", "insecure-workspace", "healthcare-workspace", "declared-workspace", "generated"])(
      "%s: every finding of the JSON report is there, its message escaped for the format; the HTML has no script and links only to Intercom",
      (name) => {
        const run = name === "generated" ? generated : (runs.get(name) as Outputs);
        const htmlText = run.html.replace(/<[^>]*>/g, "").replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
        for (const finding of uniqueFindings(run.json as JsonDocument)) {
          expect(htmlText).toContain(escapeForDisplay(finding.message));
          expect(run.markdown).toContain(md(escapeForDisplay(finding.message)));
        }
        expect(run.html).not.toMatch(/<script|<img|<link|<iframe/i);
        for (const [, href] of run.html.matchAll(/href="([^"]*)"/g))
          expect(href).toMatch(/^https:\/\/(www\.|developers\.)?intercom\.com\//);
      },
    );
  });

  it("the text written with --output is the terminal's text report", () => {
    const run = runs.get("insecure-workspace") as Outputs;
    expect(run.text).toMatch(/^Intercom Security Health Check: /);
    expect(run.text).toMatch(/\nSummary: /);
  });
});

// ---------------------------------------------------------------------------------------------
// Cross-format checks: every format must say what the JSON report says.

interface JsonFinding {
  readonly policy: string;
  readonly status: "needs_review" | "not_evaluated" | "waived";
  readonly blocking: boolean;
  readonly message: string;
  readonly urn: string;
  readonly resource?: string;
  readonly exception?: { readonly justification: string };
}

interface JsonDocument {
  readonly workspaces: readonly {
    readonly workspaceId: string;
    readonly sections: readonly {
      readonly items: readonly {
        readonly id: string;
        readonly status: string;
        readonly policies: readonly string[];
        readonly disabledPolicies: readonly string[];
        readonly findings: readonly JsonFinding[];
      }[];
    }[];
  }[];
  readonly unknownWorkspace: { readonly findings: readonly JsonFinding[] } | null;
  readonly other: readonly JsonFinding[];
}

function uniqueFindings(document: JsonDocument): JsonFinding[] {
  const all = [
    ...document.workspaces.flatMap((w) => w.sections.flatMap((s) => s.items.flatMap((i) => i.findings))),
    ...(document.unknownWorkspace?.findings ?? []),
    ...document.other,
  ];
  const byKey = new Map(all.map((f) => [JSON.stringify([f.policy, f.urn, f.message]), f]));
  return [...byKey.values()];
}

interface SarifLog {
  readonly version: string;
  readonly $schema: string;
  readonly runs: readonly {
    readonly tool: {
      readonly driver: { readonly name: string; readonly version: string; readonly rules: readonly Record<string, unknown>[] };
    };
    readonly results: readonly Record<string, unknown>[];
  }[];
}

function expectSarifMatchesReport(log: SarifLog, document: JsonDocument): void {
  expect(log.version).toBe("2.1.0");
  expect(log.runs).toHaveLength(1);
  const run = log.runs[0]!;
  expect(run.tool.driver.name).toBe("intercom-health-check");
  const rules = run.tool.driver.rules as readonly {
    id: string;
    name: string;
    shortDescription: { text: string };
    fullDescription: { text: string };
    help: { text: string };
    helpUri: string;
    properties: { tags: string[]; "security-severity": string };
  }[];
  const ruleIds = rules.map((r) => r.id);
  expect(new Set(ruleIds).size).toBe(ruleIds.length);
  const policiesInReport = new Set(
    document.workspaces.flatMap((w) => w.sections.flatMap((s) => s.items.flatMap((i) => [...i.policies, ...i.disabledPolicies]))),
  );
  for (const policy of policiesInReport) expect(ruleIds).toContain(policy);
  for (const rule of rules) {
    expect(rule.shortDescription.text.length).toBeGreaterThan(0);
    expect(rule.fullDescription.text.length).toBeGreaterThan(0);
    expect(rule.help.text.length).toBeGreaterThan(0);
    expect(rule.helpUri).toMatch(/^https:\/\//);
    expect(["9.5", "8.0", "5.5", "3.0"]).toContain(rule.properties["security-severity"]);
    expect(rule.properties.tags).toContain("security");
  }
  const results = run.results as readonly {
    ruleId: string;
    ruleIndex: number;
    level: string;
    message: { text: string };
    locations: {
      logicalLocations: { fullyQualifiedName: string; name?: string; kind: string }[];
      physicalLocation?: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number } };
    }[];
    suppressions?: { kind: string; justification: string }[];
  }[];
  const expected = uniqueFindings(document);
  expect(results).toHaveLength(expected.length);
  // A result's message is the finding's, its brackets escaped (SARIF reads `[text](target)` as a link).
  const byKey = new Map(expected.map((f) => [JSON.stringify([f.policy, f.urn, sarifPlainText(f.message)]), f]));
  for (const result of results) {
    const location = result.locations[0]!;
    // Where the program declared the resource, when its registration showed it: relative to the program, never outside it.
    if (location.physicalLocation !== undefined) {
      expect(location.physicalLocation.artifactLocation.uriBaseId).toBe("PROGRAMROOT");
      expect(location.physicalLocation.artifactLocation.uri).not.toMatch(/^(?:[a-z]+:|\/|\.\.)/);
      expect(location.physicalLocation.region.startLine).toBeGreaterThan(0);
    }
    const logical = location.logicalLocations[0]!;
    const finding = byKey.get(JSON.stringify([result.ruleId, logical.fullyQualifiedName, result.message.text]));
    expect(finding).toBeDefined();
    expect(logical.name).toBe(finding!.resource);
    expect(rules[result.ruleIndex]?.id ?? result.ruleId).toBe(result.ruleId);
    expect(result.level).toBe(finding!.blocking ? "error" : finding!.status === "waived" ? "note" : "warning");
    if (finding!.status === "waived")
      expect(result.suppressions).toEqual([
        expect.objectContaining({ kind: "external", justification: finding!.exception!.justification }),
      ]);
    else expect(result.suppressions).toBeUndefined();
  }
}

// ---------------------------------------------------------------------------------------------
// No XML parser is installed (xmlbuilder only builds): a strict reader of the subset JUnit uses.
// It refuses anything it does not understand, so a malformed document fails the test.

interface XmlElement {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

function decodeEntities(text: string): string {
  if (/&(?!(?:amp|lt|gt|quot|apos|#x[0-9A-Fa-f]+|#[0-9]+);)/.test(text)) throw new Error(`bare & in ${JSON.stringify(text)}`);
  if (/[<]/.test(text)) throw new Error(`raw < in ${JSON.stringify(text)}`);
  return text.replace(/&(amp|lt|gt|quot|apos|#x[0-9A-Fa-f]+|#[0-9]+);/g, (_m, entity: string) =>
    entity === "amp"
      ? "&"
      : entity === "lt"
        ? "<"
        : entity === "gt"
          ? ">"
          : entity === "quot"
            ? '"'
            : entity === "apos"
              ? "'"
              : String.fromCodePoint(entity.startsWith("#x") ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10)),
  );
}

function parseXml(xml: string): XmlElement {
  // XML 1.0 forbids C0 controls other than tab, LF, CR anywhere in the document.
  expect([...xml].filter((c) => c.charCodeAt(0) < 0x20 && !"\t\n\r".includes(c))).toEqual([]);
  let rest = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\s*/, "");
  const root: XmlElement = { name: "#root", attributes: {}, children: [], text: "" };
  const stack: XmlElement[] = [root];
  const token = /^(?:<!\[CDATA\[([\s\S]*?)\]\]>|<\/([A-Za-z][\w-]*)\s*>|<([A-Za-z][\w-]*)((?:\s+[\w-]+="[^"<]*")*)\s*(\/?)>|([^<]+))/;
  while (rest.length > 0) {
    const match = token.exec(rest);
    if (!match) throw new Error(`not well-formed at: ${rest.slice(0, 80)}`);
    const [whole, cdata, close, open, attrs, selfClosing, text] = match;
    const top = stack[stack.length - 1]!;
    if (cdata !== undefined) top.text += cdata;
    else if (close !== undefined) {
      if (top.name !== close) throw new Error(`</${close}> closes <${top.name}>`);
      stack.pop();
    } else if (open !== undefined) {
      const attributes: Record<string, string> = {};
      for (const [, key, value] of (attrs ?? "").matchAll(/([\w-]+)="([^"]*)"/g)) {
        if (key! in attributes) throw new Error(`attribute ${key} twice`);
        attributes[key!] = decodeEntities(value!);
      }
      const element: XmlElement = { name: open, attributes, children: [], text: "" };
      top.children.push(element);
      if (selfClosing !== "/") stack.push(element);
    } else top.text += decodeEntities(text!);
    rest = rest.slice(whole.length);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (root.children.length !== 1) throw new Error("more than one root element");
  return root.children[0]!;
}

function expectJunitMatchesReport(root: XmlElement, document: JsonDocument): void {
  expect(root.name).toBe("testsuites");
  const suites = root.children.filter((c) => c.name === "testsuite");
  expect(suites.length).toBeGreaterThanOrEqual(document.workspaces.length);
  let failures = 0;
  document.workspaces.forEach((workspace, i) => {
    const suite = suites[i]!;
    const items = workspace.sections.flatMap((s) => s.items);
    const cases = suite.children.filter((c) => c.name === "testcase");
    expect(cases).toHaveLength(items.length);
    items.forEach((item, j) => {
      const testCase = cases[j]!;
      // Nothing a program wrote can add an element: only these, each at most once.
      const names = testCase.children.map((c) => c.name);
      expect(new Set(names).size).toBe(names.length);
      for (const name of names) expect(["properties", "failure", "skipped", "system-out"]).toContain(name);
      const failure = testCase.children.filter((c) => c.name === "failure");
      const skipped = testCase.children.filter((c) => c.name === "skipped");
      const blocking = item.findings.filter((f) => f.blocking);
      expect(failure).toHaveLength(blocking.length > 0 ? 1 : 0);
      expect(skipped).toHaveLength(blocking.length === 0 && (item.status === "Waived" || item.status === "Not in use") ? 1 : 0);
      for (const f of blocking) expect(failure[0]!.attributes["message"]).toContain(f.policy);
    });
    const suiteFailures = items.filter((i) => i.findings.some((f) => f.blocking)).length;
    expect(Number(suite.attributes["failures"])).toBe(suiteFailures);
    expect(Number(suite.attributes["tests"])).toBe(items.length);
    failures += suiteFailures;
  });
  const outside = [...(document.unknownWorkspace?.findings ?? []), ...document.other];
  expect(suites).toHaveLength(document.workspaces.length + (outside.length > 0 ? 1 : 0));
  failures += outside.filter((f) => f.blocking).length;
  expect(Number(root.attributes["failures"])).toBe(failures);
}

// ---------------------------------------------------------------------------------------------

/** Undoes the runner's escaping (actions/toolkit command.ts), to compare with the report. */
function unescapeCommand(text: string): string {
  return text.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%25/g, "%");
}

function expectAnnotationsMatchReport(output: string, document: JsonDocument): void {
  const lines = output === "" ? [] : output.replace(/\n$/, "").split("\n");
  const expected = uniqueFindings(document);
  expect(lines).toHaveLength(expected.length);
  // One command per line; the title holds no ":" or "," unescaped; nothing else on any line can start a command.
  const annotation = /^::(error|warning|notice) title=([^:,\r\n]*)::([^\r\n]*)$/;
  lines.forEach((line, i) => {
    const match = annotation.exec(line);
    expect({ line, matches: match !== null }).toEqual({ line, matches: true });
    const finding = expected[i]!;
    expect(match![1]).toBe(finding.blocking ? "error" : finding.status === "waived" ? "notice" : "warning");
    expect(unescapeCommand(match![2]!)).toContain(finding.policy);
    const message = unescapeCommand(match![3]!);
    expect(message).not.toMatch(/[\r\n]/);
    expect(message).toContain(escapeForDisplay(finding.urn));
  });
}
