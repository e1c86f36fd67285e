/**
 * Literal credentials in Custom Actions through the preview tool: a generated batch registered as the CustomAction
 * resource would register it (and raw, without its companion fields), then a real program that uses the resource
 * class with pulumi.secret and plain headers. Unsafe members block, the same values given as Pulumi secrets pass,
 * and no credential is printed.
 */
import * as path from "path";
import * as childProcess from "child_process";
import { credentialHeader, credentialUrl, safeHeaders, safeUrl } from "../support/credentials";
import { blockingFor, GENERATED_AS_OF, GENERATED_RUN_TIMEOUT_MS, GeneratedControl, GeneratedRun, previewGenerated, secretValue } from "../support/generated-program";
import { sampleOf } from "../support/property";

const POLICY = "intercom-custom-action-no-literal-credentials";
/** Every action here matches on "phone", which this policy blocks: proof that an action was graded at all. */
const MARKER = "intercom-custom-action-identity-match";
const workspaceId = "credgen01";

const baseProps = {
  workspaceId,
  url: "https://api.example.com/orders",
  method: "GET",
  audiences: ["users"],
  identityMatch: "phone",
  state: "live",
  testedAt: "2026-10-15",
};

interface Given {
  headers?: Record<string, string>;
  secretHeaderNames?: string[];
  url?: string;
  urlGivenAsSecret?: boolean;
}

/** A CustomAction's props as the resource class registers them: headers and their secret list as secrets. */
function action(name: string, given: Given): GeneratedControl {
  return {
    control: "CustomAction",
    name,
    props: {
      ...baseProps,
      name,
      url: given.urlGivenAsSecret ? secretValue(given.url ?? baseProps.url) : (given.url ?? baseProps.url),
      ...(given.headers === undefined ? {} : { headers: secretValue(given.headers) }),
      ...(given.secretHeaderNames === undefined ? {} : { secretHeaderNames: secretValue(given.secretHeaderNames) }),
      ...(given.urlGivenAsSecret === undefined ? {} : { urlGivenAsSecret: given.urlGivenAsSecret }),
    },
  };
}

function expectReport(run: GeneratedRun): NonNullable<GeneratedRun["report"]> {
  if (!run.report) throw new Error(`no --json report (exit ${run.exitCode}):\n${run.stdout}\n${run.stderr}`);
  return run.report;
}

describe("literal credentials in Custom Actions, through preview", () => {
  const headers = sampleOf(credentialHeader, 25);
  const urls = sampleOf(credentialUrl, 15);
  const safe = sampleOf(safeHeaders, 15);
  const safeUrls = sampleOf(safeUrl, 15);
  const unsafe: string[] = [];
  const accepted: string[] = [];
  const controls: GeneratedControl[] = [
    { control: "Workspace", name: "ws", props: { workspaceId, name: "Generated", region: "us", handlesPhi: false } },
  ];
  headers.forEach(([name, value], i) => {
    const all = { Accept: "application/json", [name]: value };
    controls.push(action(`header-literal-${i}`, { headers: all, secretHeaderNames: [], urlGivenAsSecret: false }));
    controls.push(action(`header-raw-${i}`, { headers: all }));
    controls.push(action(`header-secret-${i}`, { headers: all, secretHeaderNames: [name], urlGivenAsSecret: false }));
    unsafe.push(`header-literal-${i}`, `header-raw-${i}`);
    accepted.push(`header-secret-${i}`);
  });
  urls.forEach(({ url }, i) => {
    controls.push(action(`url-literal-${i}`, { url, urlGivenAsSecret: false }));
    controls.push(action(`url-raw-${i}`, { url }));
    controls.push(action(`url-secret-${i}`, { url, urlGivenAsSecret: true }));
    unsafe.push(`url-literal-${i}`, `url-raw-${i}`);
    accepted.push(`url-secret-${i}`);
  });
  safe.forEach((h, i) => {
    controls.push(action(`ordinary-${i}`, { headers: h, secretHeaderNames: [], url: safeUrls[i], urlGivenAsSecret: false }));
    accepted.push(`ordinary-${i}`);
  });

  let run: GeneratedRun;
  beforeAll(() => {
    run = previewGenerated(controls);
  }, GENERATED_RUN_TIMEOUT_MS);

  it("blocks every generated credential-bearing action, from the resource's registration and a raw one", () => {
    const report = expectReport(run);
    expect(run.exitCode).toBe(1);
    expect(unsafe.filter((name) => blockingFor(report, name, POLICY).length === 0)).toEqual([]);
  });

  it("passes the same values given as Pulumi secrets, and ordinary headers, references and URLs", () => {
    const report = expectReport(run);
    expect(accepted.filter((name) => blockingFor(report, name, MARKER).length === 0)).toEqual([]);
    expect(accepted.filter((name) => blockingFor(report, name, POLICY).length > 0)).toEqual([]);
  });

  it("prints no generated credential", () => {
    const printed = `${run.stdout}\n${run.stderr}`;
    const values = [...headers.map(([, value]) => value), ...urls.map(({ url }) => url)].filter((v) => v.length >= 12);
    expect(values.filter((value) => printed.includes(value))).toEqual([]);
  });
});

describe("a program using the CustomAction resource class, through preview", () => {
  const repoRoot = path.resolve(__dirname, "..", "..");
  const canaries = [
    "ghp_CANARYsecretHeader0123456789abcdefghij",
    "ghp_CANARYliteralHeader0123456789abcdefgh",
    "CANARY-mixed-secret-7f3a",
    "CANARY-mixed-literal-key-91c2",
    "CANARY-whole-object-5d8e",
    "CANARYsecretWebhookPath0",
    "CANARYliteralWebhookPath",
  ];
  let run: GeneratedRun;

  beforeAll(() => {
    const result = childProcess.spawnSync(
      process.execPath,
      [path.join(repoRoot, "dist", "cli", "main.js"), "preview", path.join(repoRoot, "test", "fixtures", "credentials-program"), "--json", "--as-of", GENERATED_AS_OF],
      { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: GENERATED_RUN_TIMEOUT_MS },
    );
    if (result.error) throw result.error;
    let report: GeneratedRun["report"];
    try {
      report = JSON.parse(result.stdout) as GeneratedRun["report"];
    } catch {
      report = undefined;
    }
    run = { exitCode: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, ...(report ? { report } : {}) };
  }, GENERATED_RUN_TIMEOUT_MS);

  it.each(["literal-header", "mixed-headers", "literal-webhook"])("blocks %s: a credential written into the program", (name) => {
    expect(blockingFor(expectReport(run), name, POLICY)).not.toEqual([]);
  });

  it.each(["secret-header", "secret-headers-object", "secret-webhook", "token-reference"])("passes %s: given as a Pulumi secret or a token reference", (name) => {
    const report = expectReport(run);
    // Graded: its deliberate identity-match problem is reported, so the pass means something.
    expect(blockingFor(report, name, MARKER)).not.toEqual([]);
    expect(blockingFor(report, name, POLICY)).toEqual([]);
  });

  it("reports the mixed action once, for its literal header only", () => {
    expect(blockingFor(expectReport(run), "mixed-headers", POLICY).map((f) => f.message)).toEqual([
      // The check read header values (a secret path): the finding names the field only.
      expect.stringMatching(/the finding rests on secret values \(headers\), so it is not described further/),
    ]);
  });

  it.each(canaries)("prints %s nowhere", (canary) => {
    expect(run.stdout).not.toContain(canary);
    expect(run.stderr).not.toContain(canary);
  });
});
