/**
 * Literal credentials in Custom Actions through the preview tool: a generated batch registered with each value plain,
 * in a secret of its own, or under one secret around all headers, with forged former companion fields and with
 * ambiguous URLs; then a real program that uses the resource class with pulumi.secret, Outputs holding secrets and
 * plain headers, beside raw registrations. Literals block (also under one secret around all headers), values given
 * as their own Pulumi secrets pass, forgeries and ambiguous URLs are schema violations, and no credential is printed.
 */
import * as path from "path";
import * as childProcess from "child_process";
import { ambiguousUrl, credentialHeader, credentialUrl, safeHeaders, safeUrl } from "../support/credentials";
import {
  allFindings,
  blockingFor,
  GENERATED_AS_OF,
  GENERATED_RUN_TIMEOUT_MS,
  GeneratedControl,
  GeneratedRun,
  previewGenerated,
  secretValue,
} from "../support/generated-program";
import { sampleOf } from "../support/property";

const POLICY = "intercom-custom-action-no-literal-credentials";
/** Every action here matches on "phone", which this policy blocks: proof that an action was graded at all. */
const MARKER = "intercom-custom-action-identity-match";
const SCHEMA = "intercom-control-schema";
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

/** A CustomAction's props exactly as registered (`secretValue` where the program gave a secret). */
function action(name: string, props: Record<string, unknown>): GeneratedControl {
  return { control: "CustomAction", name, props: { ...baseProps, name, ...props } };
}

function expectReport(run: GeneratedRun): NonNullable<GeneratedRun["report"]> {
  if (!run.report) throw new Error(`no --json report (exit ${run.exitCode}):\n${run.stdout}\n${run.stderr}`);
  return run.report;
}

describe("literal credentials in Custom Actions, through preview", () => {
  const headers = sampleOf(credentialHeader, 20);
  const urls = sampleOf(credentialUrl, 12);
  const ambiguous = sampleOf(ambiguousUrl, 12);
  const safe = sampleOf(safeHeaders, 12);
  const safeUrls = sampleOf(safeUrl, 12);
  const unsafe: string[] = [];
  const refusedBySchema: string[] = [];
  const accepted: string[] = [];
  const controls: GeneratedControl[] = [
    { control: "Workspace", name: "ws", props: { workspaceId, name: "Generated", region: "us", handlesPhi: false } },
  ];
  headers.forEach(([name, value], i) => {
    controls.push(action(`header-literal-${i}`, { headers: { Accept: "application/json", [name]: value } }));
    controls.push(action(`header-whole-secret-${i}`, { headers: secretValue({ Accept: "application/json", [name]: value }) }));
    controls.push(action(`header-secret-${i}`, { headers: { Accept: "application/json", [name]: secretValue(value) } }));
    unsafe.push(`header-literal-${i}`, `header-whole-secret-${i}`);
    accepted.push(`header-secret-${i}`);
  });
  headers.slice(0, 6).forEach(([name, value], i) => {
    controls.push(action(`header-forged-${i}`, { headers: { [name]: value }, secretHeaderNames: [name] }));
    refusedBySchema.push(`header-forged-${i}`);
  });
  urls.forEach(({ url }, i) => {
    controls.push(action(`url-literal-${i}`, { url }));
    controls.push(action(`url-forged-${i}`, { url, urlGivenAsSecret: true }));
    controls.push(action(`url-secret-${i}`, { url: secretValue(url) }));
    unsafe.push(`url-literal-${i}`);
    refusedBySchema.push(`url-forged-${i}`);
    accepted.push(`url-secret-${i}`);
  });
  ambiguous.forEach(({ url }, i) => {
    controls.push(action(`url-ambiguous-${i}`, { url }));
    controls.push(action(`url-ambiguous-secret-${i}`, { url: secretValue(url) }));
    refusedBySchema.push(`url-ambiguous-${i}`, `url-ambiguous-secret-${i}`);
  });
  safe.forEach((h, i) => {
    controls.push(action(`ordinary-${i}`, { headers: h, url: safeUrls[i] }));
    accepted.push(`ordinary-${i}`);
  });

  let run: GeneratedRun;
  beforeAll(() => {
    run = previewGenerated(controls);
  }, GENERATED_RUN_TIMEOUT_MS);

  it("blocks every generated credential written as a literal, or under one envelope around all headers", () => {
    const report = expectReport(run);
    expect(run.exitCode).toBe(1);
    expect(unsafe.filter((name) => blockingFor(report, name, POLICY).length === 0)).toEqual([]);
  });

  it("refuses forged companion fields and ambiguous URLs in the schema, and grades them by no other policy", () => {
    const report = expectReport(run);
    expect(refusedBySchema.filter((name) => blockingFor(report, name, SCHEMA).length === 0)).toEqual([]);
    const graded = allFindings(report).filter(
      (f) =>
        f.resource !== undefined &&
        refusedBySchema.includes(f.resource) &&
        f.policy !== SCHEMA &&
        (f.status === "secure" || f.status === "needs_review"),
    );
    expect(graded.map((f) => [f.resource, f.policy, f.status])).toEqual([]);
  });

  it("passes the same values each given as its own Pulumi secret, and ordinary headers, references and URLs", () => {
    const report = expectReport(run);
    expect(accepted.filter((name) => blockingFor(report, name, MARKER).length === 0)).toEqual([]);
    expect(accepted.filter((name) => blockingFor(report, name, POLICY).length > 0)).toEqual([]);
  });

  it("prints no generated credential", () => {
    const printed = `${run.stdout}\n${run.stderr}`;
    const values = [...headers.map(([, value]) => value), ...urls.map(({ url }) => url), ...ambiguous.map(({ url }) => url)].filter(
      (v) => v.length >= 12,
    );
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
    "CANARY-output-secret-3b1f",
    "sk_live_CANARYoutputLiteral0123",
    "sk_live_CANARYallLiteral01234567",
    "CANARY-each-secret-a1b2",
    "CANARY-each-secret-key-c3d4",
    "sk_live_CANARYforgedHeader0123",
    "CANARYforgedWebhookPath",
    "CANARYsecretWebhookPath0",
    "CANARYliteralWebhookPath",
  ];
  let run: GeneratedRun;

  beforeAll(() => {
    const result = childProcess.spawnSync(
      process.execPath,
      [
        path.join(repoRoot, "dist", "cli", "main.js"),
        "preview",
        path.join(repoRoot, "test", "fixtures", "credentials-program"),
        "--json",
        "--as-of",
        GENERATED_AS_OF,
      ],
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

  it.each([
    "literal-header",
    "mixed-headers",
    "literal-webhook",
    "secret-headers-object",
    "output-holding-a-secret",
    "all-holding-a-secret",
  ])("blocks %s: a credential written into the program (one secret around all headers vouches for none)", (name) => {
    expect(blockingFor(expectReport(run), name, POLICY)).not.toEqual([]);
  });

  it.each(["forged-secret-header-names", "forged-url-given-as-secret"])(
    "refuses %s, a raw registration forging a former companion field, in the schema",
    (name) => {
      expect(blockingFor(expectReport(run), name, SCHEMA)).not.toEqual([]);
      expect(blockingFor(expectReport(run), name, POLICY).map((f) => f.status)).toEqual(["not_evaluated"]);
    },
  );

  it.each(["secret-header", "secret-header-outputs", "secret-webhook", "token-reference"])(
    "passes %s: given as a Pulumi secret or a token reference",
    (name) => {
      const report = expectReport(run);
      // Graded: its deliberate identity-match problem is reported, so the pass means something.
      expect(blockingFor(report, name, MARKER)).not.toEqual([]);
      expect(blockingFor(report, name, POLICY)).toEqual([]);
    },
  );

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
