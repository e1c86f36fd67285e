/**
 * `drift --since` through the compiled tool, against Prism serving Intercom's 2.16 description:
 * Prism's own activity-log example (no security change: exit 0), and an example of generated
 * entries added to a copy of the description (security changes: exit 1, each listed with who and
 * when). Every request the tool sends must validate. Build first (npm run build).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import * as yaml from "js-yaml";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { maxPages, readDrift, renderDrift, securityActivityTypes, securityEvents, unclassifiedActivity } from "../../cli/drift";
import { IntercomClient } from "../../intercom/client";
import { derivedForms } from "../../core/redaction";
import { expectExitCode, runNode } from "../support/node-process";
import { propertyParameters, sampleOf } from "../support/property";
import { PrismServer, startPrism, vendoredDescriptions } from "../support/prism";
import { sarifValidator } from "../support/sarif";

const root = path.resolve(__dirname, "..", "..");
const tool = path.join(root, "dist", "cli", "main.js");
const token = "tok_drift_test_0a1b2c3d4e5f60718293a4b5c6";

type Description = {
  paths: Record<
    string,
    { get: { responses: Record<string, { content: Record<string, { examples: Record<string, { value: unknown }> }> }> } }
  >;
  components: { schemas: Record<string, { properties: Record<string, { enum?: string[] }> }> };
};
const description = yaml.load(fs.readFileSync(vendoredDescriptions.v216, "utf8")) as Description;
const activityTypes = description.components.schemas.activity_log!.properties.activity_type!.enum as string[];

const since = Date.UTC(2026, 0, 1) / 1000;
/** Activity-log entries as the schema describes them: any type of the enum, around the --since date. */
const entries = fc.array(
  fc.record({
    id: fc.uuid(),
    performed_by: fc.record({
      type: fc.constant("admin"),
      id: fc.integer({ min: 1, max: 1e9 }).map(String),
      email: fc.emailAddress(),
      ip: fc.ipV4(),
    }),
    created_at: fc.integer({ min: since - 30 * 86400, max: since + 30 * 86400 }),
    activity_type: fc.oneof(fc.constantFrom(...Object.keys(securityActivityTypes)), fc.constantFrom(...activityTypes)),
    activity_description: fc.string({ maxLength: 60 }),
  }),
  { minLength: 5, maxLength: 25 },
);
const generated = sampleOf(
  entries.filter((logs) => securityEvents(logs, since).length > 0),
  1,
)[0]!;
/** Entries of every other type, security-relevant ones from before the window included. */
const unrelated = sampleOf(
  entries.filter(
    (logs) =>
      logs.length > 0 &&
      securityEvents(logs, since).length === 0 &&
      logs.some((l) => Object.hasOwn(securityActivityTypes, l.activity_type)),
  ),
  1,
)[0]!;

let prism: PrismServer;
let workDir: string;
beforeAll(async () => {
  // A copy of Intercom's description with one more example for the activity log: the schemas, and so the validation, are Intercom's.
  const withExample = yaml.load(fs.readFileSync(vendoredDescriptions.v216, "utf8")) as Description;
  const examples = withExample.paths["/admins/activity_logs"]!.get.responses["200"]!.content["application/json"]!.examples;
  // Intercom's own example cannot be served: its metadata.before/after are strings where the schema says object,
  // and Prism (--errors) refuses a response that violates the description. These examples are schema-valid.
  const page = { type: "pages", page: 1, per_page: 50, total_pages: 1 };
  examples["Security changes"] = { value: { type: "activity_log.list", pages: page, activity_logs: generated } };
  examples["Other changes"] = { value: { type: "activity_log.list", pages: page, activity_logs: unrelated } };
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "drift-"));
  const file = path.join(workDir, "api.intercom.io-2.16.yaml");
  fs.writeFileSync(file, yaml.dump(withExample, { lineWidth: -1, noRefs: true }));
  prism = await startPrism(file);
});
afterAll(async () => {
  await prism?.stop();
  fs.rmSync(workDir, { recursive: true, force: true });
});
beforeEach(() => prism.reset());
afterEach(() => expect(prism.requestViolations()).toEqual([]));

const drift = (args: string[], env: NodeJS.ProcessEnv = { INTERCOM_ACCESS_TOKEN: token }) =>
  runNode([tool, "drift", ...args], {
    cwd: root,
    env: { INTERCOM_API_BASE_URL: prism.url, INTERCOM_REGION: "", ...env },
    timeoutMs: 30_000,
  });

describe("the activity types drift lists", () => {
  it("are all names of Intercom's activity_type enum, and include those the issue names", () => {
    expect(Object.keys(securityActivityTypes).filter((t) => !activityTypes.includes(t))).toEqual([]);
    for (const named of [
      "admin_two_factor_auth_change",
      "security_settings_change",
      "app_identity_verification_change",
      "app_authentication_method_change",
      "app_google_sso_domain_change",
    ]) {
      expect(Object.keys(securityActivityTypes)).toContain(named);
    }
  });

  it("list every type of the families they already list: roles, teammate access, upload settings, credentials and consent to access", () => {
    // A family half listed lets its other half pass unseen: a new role with every permission, camera uploads switched on.
    const families = [
      /^role_/,
      /_access_change$/,
      /^admin_permission_/,
      /^user_\w+_attachments_setting_change$/,
      /_token_regeneration$/,
      /^admin_impersonation_consent_approved$/,
      /^messenger_api_secret_/,
      /^content_redaction_rule_/,
    ];
    const missing = activityTypes.filter((t) => families.some((f) => f.test(t)) && !Object.hasOwn(securityActivityTypes, t));
    expect(missing).toEqual([]);
  });

  it("lists an entry of a type Intercom's description does not name, or of no type, as unclassified: it may change security", () => {
    const unknownType = fc.oneof(
      fc.stringMatching(/^[a-z][a-z0-9_]{0,40}$/).filter((t) => !activityTypes.includes(t)),
      fc.constant(undefined),
      fc.integer(),
    );
    fc.assert(
      fc.property(entries, unknownType, fc.integer({ min: since, max: since + 86400 }), (logs, type, at) => {
        const stranger = { id: "stranger", performed_by: null, created_at: at, activity_type: type, activity_description: "x" };
        const events = securityEvents([...logs, stranger], since);
        const listed = events.find((e) => e.id === "stranger");
        expect(listed).toMatchObject({ control: unclassifiedActivity, activityType: typeof type === "string" ? type : "(none)" });
        // Known types keep their classification: the stranger adds one event and changes no other.
        expect(events.filter((e) => e.id !== "stranger")).toEqual(securityEvents(logs, since));
      }),
      propertyParameters(100),
    );
  });

  it("keeps exactly the security-relevant entries in the window, oldest first", () => {
    fc.assert(
      fc.property(entries, (logs) => {
        const events = securityEvents(logs, since);
        const expected = logs.filter((l) => Object.hasOwn(securityActivityTypes, l.activity_type) && l.created_at >= since);
        expect(events.map((e) => e.id).sort()).toEqual(expected.map((l) => l.id).sort());
        expect(events.map((e) => e.at)).toEqual([...events.map((e) => e.at)].sort());
      }),
      propertyParameters(100),
    );
  });
});

describe("drift --since against Prism", () => {
  it("no security change in the window: exit 0, and the request carries created_at_after", async () => {
    prism.prefer("example=Other changes");
    const run = await drift(["--since", "2026-01-01", "--json"]);
    expectExitCode(run, 0);
    const result = JSON.parse(run.stdout) as { drift: boolean; scanned: number; events: unknown[] };
    expect(result).toMatchObject({ drift: false, scanned: unrelated.length, events: [] });
    expect(prism.exchanges).toHaveLength(1);
    expect(new URL(prism.exchanges[0]!.path, "http://x").searchParams.get("created_at_after")).toBe(String(since - 1));
    expect(prism.exchanges[0]!.requestHeaders["intercom-version"]).toBe("2.16");
  });

  it("security changes: exit 1, each listed with who and when (JSON and text)", async () => {
    prism.prefer("example=Security changes");
    const expected = generated
      .filter((l) => Object.hasOwn(securityActivityTypes, l.activity_type) && l.created_at >= since)
      .sort((a, b) => a.created_at - b.created_at);
    const run = await drift(["--since", "2026-01-01", "--json"]);
    expectExitCode(run, 1);
    const result = JSON.parse(run.stdout) as {
      drift: boolean;
      events: { activityType: string; at: string; performedBy: { email: string; id: string } }[];
    };
    expect(result.drift).toBe(true);
    expect(result.events.map((e) => [e.activityType, e.at, e.performedBy.email, e.performedBy.id])).toEqual(
      expected.map((l) => [l.activity_type, new Date(l.created_at * 1000).toISOString(), l.performed_by.email, l.performed_by.id]),
    );
    const text = await drift(["--since", "2026-01-01"]);
    expectExitCode(text, 1);
    for (const log of expected) expect(text.stdout).toContain(`${new Date(log.created_at * 1000).toISOString()}  ${log.activity_type}`);
  });

  it("the reporting commands' CI formats: one result per change, built with the report builders; exit 1 stays", async () => {
    prism.prefer("example=Security changes");
    const expected = generated.filter((l) => Object.hasOwn(securityActivityTypes, l.activity_type) && l.created_at >= since);
    const github = await drift(["--since", "2026-01-01", "--format", "github"]);
    expectExitCode(github, 1);
    expect(
      github.stdout
        .trimEnd()
        .split("\n")
        .filter((line) => line.startsWith("::error title=")),
    ).toHaveLength(expected.length);
    // The other formats from the same read, in process: the tool writes what renderDrift returns.
    const result = await readDrift(new IntercomClient({ token, baseUrl: prism.url }), new Date(since * 1000));
    const tool = { toolName: "intercom-health-check", toolVersion: "0.0.0" };

    const log = JSON.parse(renderDrift("sarif", result, tool)) as { runs: { results: { ruleId: string; level: string }[] }[] };
    const validate = sarifValidator();
    expect(validate(log) ? [] : validate.errors).toEqual([]);
    expect(log.runs[0]!.results.map((r) => [r.ruleId, r.level]).sort()).toEqual(
      expected.map((l) => [`intercom-drift/${l.activity_type}`, "error"]).sort(),
    );

    const junit = renderDrift("junit", result, tool);
    expect(XMLValidator.validate(junit)).toBe(true);
    const suites = new XMLParser({ ignoreAttributes: false }).parse(junit) as {
      testsuites: { testsuite: { testcase: { failure?: unknown } | { failure?: unknown }[] } };
    };
    expect([suites.testsuites.testsuite.testcase].flat().filter((c) => c.failure !== undefined)).toHaveLength(expected.length);

    // A header, its rule, and a row per change.
    const markdown = renderDrift("markdown", result, tool);
    expect(markdown.split("\n").filter((line) => line.startsWith("| "))).toHaveLength(expected.length + 2);
  });

  it("no change: every format says so (SARIF with no result, JUnit with one passing case, no annotation)", () => {
    const none = { since: "2026-01-01T00:00:00.000Z", scanned: 3, events: [] };
    const tool = { toolName: "intercom-health-check", toolVersion: "0.0.0" };
    const log = JSON.parse(renderDrift("sarif", none, tool)) as { runs: { results: unknown[] }[] };
    expect(sarifValidator()(log)).toBe(true);
    expect(log.runs[0]!.results).toEqual([]);
    expect(renderDrift("junit", none, tool)).toMatch(/<testcase[^>]*\/>/);
    expect(renderDrift("junit", none, tool)).not.toContain("<failure");
    expect(renderDrift("github", none, tool)).toBe("");
    expect(renderDrift("markdown", none, tool)).toContain("No security\\-relevant change");
  });

  it("401: exit 2 with a message saying where the token comes from, never the token", async () => {
    prism.prefer("code=401");
    const run = await drift(["--since", "2026-01-01", "--json"]);
    expectExitCode(run, 2);
    expect(run.stderr).toMatch(/rejected the access token \(401\)/);
    for (const form of [token, ...derivedForms(token).anywhere]) expect(run.stdout + run.stderr).not.toContain(form);
  });

  it("a bad date or no token is a usage error, and nothing is sent", async () => {
    expectExitCode(await drift(["--since", "2026-02-30"]), 2);
    // A date not reached yet (a mistyped year) can hold no change: "no drift" would pass a run that read nothing.
    const future = await drift(["--since", "2999-01-01"]);
    expectExitCode(future, 2);
    expect(future.stderr).toMatch(/future/);
    expectExitCode(await drift(["--since", "2026-01-01"], { INTERCOM_ACCESS_TOKEN: "" }), 2);
    expect(prism.exchanges).toHaveLength(0);
  });
});

describe("pagination (Intercom's cursor; Prism's examples have one page, so a scripted server stands in)", () => {
  const page = (logs: unknown[], next?: string) => ({
    type: "activity_log.list",
    pages: { type: "pages", ...(next ? { next: { starting_after: next } } : {}) },
    activity_logs: logs,
  });
  const log = (id: string) => ({
    id,
    activity_type: "security_settings_change",
    created_at: since + 10,
    performed_by: { id: "1", email: "a@example.com" },
  });
  function scripted(pages: (cursor: string | null) => unknown): { client: IntercomClient; cursors: (string | null)[] } {
    const cursors: (string | null)[] = [];
    const fetchPage = (async (url: URL) => {
      const cursor = url.searchParams.get("starting_after");
      cursors.push(cursor);
      return new Response(JSON.stringify(pages(cursor)), { status: 200, headers: { "content-type": "application/json" } });
    }) as unknown as typeof fetch;
    return { client: new IntercomClient({ token, baseUrl: "http://127.0.0.1:9", fetch: fetchPage }), cursors };
  }

  it("a change made in the --since second is listed whether Intercom reads created_at_after as inclusive or exclusive", async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.integer({ min: 0, max: 999 }), async (exclusive, millis) => {
        const at = since + 3600;
        const entries = [log("boundary")].map((l) => ({ ...l, created_at: at }));
        // A server filtering on its own reading of created_at_after, as Intercom does.
        const filtering = (async (url: URL) => {
          const after = Number(url.searchParams.get("created_at_after"));
          const kept = entries.filter((e) => (exclusive ? e.created_at > after : e.created_at >= after));
          return new Response(JSON.stringify(page(kept)), { status: 200, headers: { "content-type": "application/json" } });
        }) as unknown as typeof fetch;
        const result = await readDrift(
          new IntercomClient({ token, baseUrl: "http://127.0.0.1:9", fetch: filtering }),
          new Date(at * 1000 + millis),
        );
        expect(result.events.map((e) => e.id)).toEqual(["boundary"]);
      }),
      propertyParameters(20),
    );
  });

  it("follows pages.next.starting_after to the end", async () => {
    const { client, cursors } = scripted((cursor) =>
      cursor === null ? page([log("a")], "c1") : cursor === "c1" ? page([log("b")], "c2") : page([log("c")]),
    );
    const result = await readDrift(client, new Date(since * 1000));
    expect(cursors).toEqual([null, "c1", "c2"]);
    expect(result.events.map((e) => e.id)).toEqual(["a", "b", "c"]);
  });

  it("a page saying more pages follow (page < total_pages) but giving no cursor is refused, never read as the whole log", async () => {
    // The security change is on a later page: stopping after the first would report no drift (exit 0).
    const quiet = { id: "q", activity_type: "app_name_change", created_at: since + 10, performed_by: { id: "1" } };
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 50 }),
        fc.constantFrom<unknown>(null, undefined, "https://api.intercom.io/admins/activity_logs?page=2", { starting_after: null }, {}),
        async (totalPages, next) => {
          const first = {
            type: "activity_log.list",
            pages: { type: "pages", page: 1, per_page: 20, total_pages: totalPages, ...(next !== undefined ? { next } : {}) },
            activity_logs: [quiet],
          };
          await expect(readDrift(scripted(() => first).client, new Date(since * 1000))).rejects.toThrow(/pages/);
        },
      ),
      propertyParameters(20),
    );
  });

  it("refuses a cursor seen before, and a log longer than the bound, rather than report part of it", async () => {
    await expect(readDrift(scripted(() => page([log("a")], "same")).client, new Date(since * 1000))).rejects.toThrow(
      /same page cursor twice/,
    );
    let n = 0;
    await expect(readDrift(scripted(() => page([], `c${++n}`)).client, new Date(since * 1000))).rejects.toThrow(
      new RegExp(`more than ${maxPages} pages`),
    );
    await expect(readDrift(scripted(() => ({ type: "activity_log.list" })).client, new Date(since * 1000))).rejects.toThrow(
      /no activity_logs list/,
    );
  });
});
