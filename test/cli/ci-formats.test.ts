/**
 * What CI reads, checked by the readers' own rules rather than by this project's: the SARIF log the
 * tool writes validated with ajv against the official SARIF 2.1.0 schema (the file
 * @microsoft/jest-sarif ships, read in place), each finding pointing at the file and line that
 * declared its resource; the JUnit XML parsed with fast-xml-parser, well-formed whatever names the
 * program gave. One generated program (hostile names, findings) and one example run, each once.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { Log } from "sarif";
import { escapeForDisplay } from "../../core/display";
import { allControls } from "../../resources";
import { secureSample } from "../support/fixtures";
import { GENERATED_RUN_TIMEOUT_MS, GeneratedControl, GeneratedRun, previewGenerated } from "../support/generated-program";
import { runNode } from "../support/node-process";
import { sampleOf } from "../support/property";
import { sarifValidator } from "../support/sarif";

const repoRoot = path.resolve(__dirname, "..", "..");
const cliPath = path.join(repoRoot, "dist", "cli", "main.js");
const generatedProgramSource = fs.readFileSync(path.join(repoRoot, "test", "fixtures", "generated-program", "index.ts"), "utf8");

/** A name as the JUnit shows it: display-escaped, and U+FFFE and U+FFFF (which XML cannot carry) as \u escapes. */
function junitShown(text: string): string {
  return escapeForDisplay(text).replace(/[\uFFFE\uFFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/** XML 1.0's Char production: what a well-formed document may contain at all. */
const notXmlChar = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Names built to break XML and CDATA: section ends, markup, entities, controls, characters XML cannot carry. */
const hostileName = fc
  .array(
    fc.constantFrom(
      "a",
      "]]>",
      "]]",
      "<",
      ">",
      "&",
      "&amp;",
      '"',
      "'",
      "<![CDATA[",
      "\u0001",
      "\u001b[31m",
      "\u007f",
      "\uFFFE",
      "\uFFFF",
      "\uD800",
      "\u202e",
      "é",
      "𝄞",
    ),
    {
      minLength: 1,
      maxLength: 6,
    },
  )
  .map((parts) => parts.join(""));

const workspaceId = "ciformats01";

/** Each control once, secure, and three unsafe ones that block, every one under a hostile name. */
function generatedControls(): { controls: GeneratedControl[]; blockingNames: string[]; workspaceName: string } {
  const names = sampleOf(hostileName, allControls.length + 4);
  const workspaceName = `Acme ${names[0]}`;
  const secure = allControls.map((control, i): GeneratedControl => {
    const props = { ...secureSample(control), workspaceId };
    return {
      control: control.name,
      name: `${i}-${names[i + 1]}`,
      props: control.name === "Workspace" ? { ...props, name: workspaceName } : props,
    };
  });
  const blocking: GeneratedControl[] = [
    {
      control: "SsoEnforcement",
      name: `sso-${names[allControls.length + 1]}`,
      props: { workspaceId, googleSignIn: "off", samlSso: "off", emailPasswordSignIn: true },
    },
    {
      control: "IpAllowlist",
      name: `ips-${names[allControls.length + 2]}`,
      props: { workspaceId, scope: "dashboard", enabled: true, entries: ["0.0.0.0/0"] },
    },
    {
      control: "MessengerDomainRestriction",
      name: `domains-${names[allControls.length + 3]}`,
      props: { workspaceId, trustedDomains: ["*"] },
    },
  ];
  return { controls: [...secure, ...blocking], blockingNames: blocking.map((c) => c.name), workspaceName };
}

interface JunitCase {
  readonly name: string;
  readonly classname: string;
  readonly failure?: readonly { readonly message: string; readonly "#text"?: string }[];
}
interface JunitSuite {
  readonly name: string;
  readonly tests: string;
  readonly failures: string;
  readonly testcase?: readonly JunitCase[];
}

function parseJunit(xml: string): { testsuites: { testsuite: readonly JunitSuite[] } } {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "",
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: false,
    isArray: (name) => ["testsuite", "testcase", "failure", "property"].includes(name),
  });
  return parser.parse(xml, true) as { testsuites: { testsuite: readonly JunitSuite[] } };
}

describe("SARIF and JUnit as CI reads them", () => {
  const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), "ci-formats-"));
  const generated = generatedControls();
  let run: GeneratedRun;
  let sarif: Log;
  let junit: string;
  let exampleSarif: Log;

  beforeAll(async () => {
    const sarifFile = path.join(outputDir, "generated.sarif");
    const junitFile = path.join(outputDir, "generated.xml");
    const exampleFile = path.join(outputDir, "example.sarif");
    // The example imports the package's resource classes: its findings must point past them, at its own lines.
    const [example] = await Promise.all([
      runNode(
        [cliPath, "preview", path.join("examples", "insecure-workspace"), "--as-of", "2026-11-21", "--output", `sarif=${exampleFile}`],
        {
          cwd: repoRoot,
          timeoutMs: GENERATED_RUN_TIMEOUT_MS,
          env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
        },
      ),
      Promise.resolve().then(() => {
        run = previewGenerated(generated.controls, ["--output", `sarif=${sarifFile}`, "--output", `junit=${junitFile}`]);
      }),
    ]);
    expect({ code: example.code, stderr: example.stderr }).toEqual({ code: 1, stderr: expect.any(String) as unknown });
    exampleSarif = JSON.parse(fs.readFileSync(exampleFile, "utf8")) as Log;
    sarif = JSON.parse(fs.readFileSync(sarifFile, "utf8")) as Log;
    junit = fs.readFileSync(junitFile, "utf8");
  }, GENERATED_RUN_TIMEOUT_MS * 2);

  afterAll(() => fs.rmSync(outputDir, { recursive: true, force: true }));

  it("the generated program blocks on the three unsafe controls", () => {
    expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 1, stderr: expect.any(String) as unknown });
    expect(run.report?.blocking).toBe(true);
  });

  describe("SARIF", () => {
    const validate = sarifValidator();

    it.each([
      ["the generated program", () => sarif],
      ["examples/insecure-workspace", () => exampleSarif],
    ])("the log of %s validates against the official SARIF 2.1.0 schema", (_name, log) => {
      const valid = validate(log());
      expect({ valid, errors: valid ? [] : validate.errors }).toEqual({ valid: true, errors: [] });
    });

    it("the schema is no rubber stamp: it refuses a log with a result that has no message, or a wrong version", () => {
      const run0 = sarif.runs[0]!;
      const [first, ...rest] = run0.results ?? [];
      const { message: _message, ...messageless } = first!;
      expect(validate({ ...sarif, runs: [{ ...run0, results: [messageless, ...rest] }] })).toBe(false);
      expect(validate({ ...sarif, version: "2.0.0" })).toBe(false);
    });

    it("each result names its resource as a logical location and points at the line of the program that declared it", () => {
      const results = sarif.runs[0]!.results ?? [];
      expect(results.length).toBeGreaterThanOrEqual(generated.blockingNames.length);
      // The generated program declares every control through one class: the SDK's position is its constructor's super call.
      const declaringLine = generatedProgramSource.split("\n").findIndex((line) => line.includes("super(provider, control.name")) + 1;
      expect(declaringLine).toBeGreaterThan(0);
      for (const result of results) {
        const [location] = result.locations ?? [];
        expect(location?.logicalLocations?.[0]?.kind).toBe("resource");
        expect(location?.logicalLocations?.[0]?.fullyQualifiedName).toMatch(/^urn:pulumi:/);
        expect(location?.physicalLocation).toEqual({
          artifactLocation: { uri: "index.ts", uriBaseId: "PROGRAMROOT", index: expect.any(Number) as unknown },
          region: { startLine: declaringLine, startColumn: expect.any(Number) as unknown },
        });
      }
      const named = new Set(results.map((r) => r.locations?.[0]?.logicalLocations?.[0]?.name));
      for (const name of generated.blockingNames) expect(named).toContain(name);
    });

    it("a finding of a program built on the package's classes points at the program's own line, never into the package", () => {
      const source = fs.readFileSync(path.join(repoRoot, "examples", "insecure-workspace", "index.ts"), "utf8").split("\n");
      const results = exampleSarif.runs[0]!.results ?? [];
      expect(results.length).toBeGreaterThan(5);
      for (const result of results) {
        const logical = result.locations?.[0]?.logicalLocations?.[0];
        const physical = result.locations?.[0]?.physicalLocation;
        if (physical === undefined) continue;
        expect(physical.artifactLocation?.uri).toBe("index.ts");
        // The line constructs the very resource the finding is about: `new <Class>("<name>", …`.
        expect(source[(physical.region?.startLine ?? 0) - 1]).toContain(`("${logical?.name}"`);
      }
      // Resources the program declared are all placed; none is pointed outside the program.
      const placed = results.filter((r) => r.locations?.[0]?.physicalLocation !== undefined);
      expect(placed.length).toBeGreaterThan(5);
      for (const artifact of exampleSarif.runs[0]!.artifacts ?? []) expect(artifact.location?.uri).not.toMatch(/^(file:|\/|\.\.)/);
    });
  });

  describe("JUnit", () => {
    it("is well-formed XML that carries only characters XML 1.0 allows", () => {
      expect(XMLValidator.validate(junit)).toBe(true);
      expect(notXmlChar.exec(junit)).toBeNull();
    });

    it("has a suite per workspace with a test case per Health Check row, and a failure for each row that blocks", () => {
      const document = parseJunit(junit);
      const report = run.report!;
      const suites = document.testsuites.testsuite;
      expect(suites.length).toBeGreaterThanOrEqual(report.workspaces.length);
      report.workspaces.forEach((workspace, i) => {
        const suite = suites[i]!;
        const items = workspace.sections.flatMap((s) => s.items);
        expect(suite.testcase ?? []).toHaveLength(items.length);
        items.forEach((item, j) => {
          const blocks = item.findings.some((f) => f.blocking);
          expect((suite.testcase![j]!.failure ?? []).length).toBe(blocks ? 1 : 0);
        });
        expect(Number(suite.failures)).toBe(items.filter((item) => item.findings.some((f) => f.blocking)).length);
        expect(Number(suite.tests)).toBe(items.length);
      });
    });

    it("round-trips hostile names: each blocking resource's (escaped) name and the workspace's read back from the parsed XML", () => {
      const suites = parseJunit(junit).testsuites.testsuite;
      expect(suites[0]!.name).toContain(junitShown(generated.workspaceName));
      const failures = suites.flatMap((s) => (s.testcase ?? []).flatMap((c) => c.failure ?? []));
      const failureText = failures.map((f) => `${f.message}\n${f["#text"] ?? ""}`).join("\n");
      for (const name of generated.blockingNames) expect(failureText).toContain(`[${junitShown(name)}]`);
    });
  });
});
