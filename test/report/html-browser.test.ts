/**
 * Issue 7, done when: the HTML report renders in Chromium with no outside request and no secret.
 * A real report, written by the compiled tool (`preview --output html=…`) for a generated program
 * with a blocking finding, a finding waived by an exception in the policy configuration (judged
 * --as-of), a hostile workspace name and a secret value, is opened in Debian's headless Chromium
 * through playwright-core; the test reads what a reader sees. Chromium must be installed
 * (.ci/run installs Debian's `chromium` when missing): without it this suite fails, never skips.
 */
// The functions given to evaluate run in the page: they are typed against the DOM, as Playwright's typings expect.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Browser, chromium, Page } from "playwright-core";
import { escapeForDisplay } from "../../core/display";
import { renderHtml } from "../../report/html";
import { GENERATED_RUN_TIMEOUT_MS, GeneratedControl, GeneratedRun, previewGenerated, secretValue } from "../support/generated-program";
import { sampleOf } from "../support/property";
import { context as auditContext, HostileFields, hostileFields, hostileReport, sampleEvidence } from "./audit-fixtures";

const chromiumPath = "/usr/bin/chromium";
const workspaceId = "abc123";
const secret = "s3cr3t-Zq7v-audit-canary";
const hostileName = 'Audit <img src=x onerror="alert(1)"> & <script>alert(2)</script> "Team"';
const exception = {
  workspace: workspaceId,
  resource: "waived-open",
  justification: "Marketing site embeds the Messenger until Q1",
  owner: "alice@example.com",
  approver: "bob@example.com",
  ticket: "SEC-4242",
  expires: "2026-12-31",
};

const controls: GeneratedControl[] = [
  { control: "Workspace", name: "ws", props: { workspaceId, name: hostileName, region: "eu", handlesPhi: false } },
  // Blocks: every site may embed the Messenger.
  { control: "MessengerDomainRestriction", name: "open", props: { workspaceId, trustedDomains: ["*"] } },
  // The same finding on another resource, waived by the exception below.
  { control: "MessengerDomainRestriction", name: "waived-open", props: { workspaceId, trustedDomains: ["*"] } },
  // The secret as a Pulumi secret, and the same text in a plain field a finding may quote.
  {
    control: "SsoEnforcement",
    name: "sso",
    props: { workspaceId, googleSignIn: "required", samlSso: "off", emailPasswordSignIn: secretValue(secret) },
  },
  {
    control: "MessengerDomainRestriction",
    name: "plain-copy",
    props: { workspaceId: secretValue(secret), trustedDomains: [`${secret}.example.com`, "*"] },
  },
];

interface Opened {
  readonly run: GeneratedRun;
  readonly html: string;
  readonly fileUrl: string;
  readonly requests: string[];
  readonly blocked: string[];
  readonly consoleErrors: string[];
}

describe("the HTML audit report in headless Chromium", () => {
  let dir: string;
  let browser: Browser | undefined;
  let page: Page;
  let opened: Opened;

  beforeAll(async () => {
    if (!fs.existsSync(chromiumPath)) {
      throw new Error(
        `${chromiumPath} is missing: install Debian's chromium (apt-get install chromium; .ci/run does this) to run the HTML report test`,
      );
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "html-browser-"));
    const config = path.join(dir, "policy-config.json");
    fs.writeFileSync(config, JSON.stringify({ "intercom-messenger-trusted-domains": { exceptions: [exception] } }));
    const file = path.join(dir, "report.html");
    const run = previewGenerated(controls, ["--policy-pack-config", config, "--output", `html=${file}`]);
    if (!fs.existsSync(file)) throw new Error(`the tool wrote no HTML report (exit ${run.exitCode}): ${run.stderr}`);
    const html = fs.readFileSync(file, "utf8");

    browser = await chromium.launch({ executablePath: chromiumPath, chromiumSandbox: false });
    const context = await browser.newContext({ javaScriptEnabled: true });
    page = await context.newPage();
    const fileUrl = `file://${file}`;
    const requests: string[] = [];
    const blocked: string[] = [];
    const consoleErrors: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(error.message));
    // Only the document itself may load; anything else is recorded and refused.
    await page.route("**/*", async (route) => {
      if (route.request().url() === fileUrl) return route.continue();
      blocked.push(route.request().url());
      return route.abort();
    });
    await page.goto(fileUrl, { waitUntil: "load" });
    opened = { run, html, fileUrl, requests, blocked, consoleErrors };
  }, GENERATED_RUN_TIMEOUT_MS + 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("the tool graded the program: one blocking finding and one waived, so the run blocks", () => {
    expect(opened.run.exitCode).toBe(1);
    const findings = opened.run.report?.workspaces.flatMap((w) => w.sections.flatMap((s) => s.items.flatMap((i) => i.findings))) ?? [];
    const trusted = findings.filter((f) => f.policy === "intercom-messenger-trusted-domains");
    expect(trusted.find((f) => f.resource === "open")).toMatchObject({ blocking: true, status: "needs_review" });
    expect(trusted.find((f) => f.resource === "waived-open")).toMatchObject({ blocking: false, status: "waived" });
  });

  it("loads nothing but the document: no request leaves the page, none is refused", () => {
    expect(opened.blocked).toEqual([]);
    expect(opened.requests).toEqual([opened.fileUrl]);
  });

  it("logs no console error or warning (the Content-Security-Policy allows its own stylesheet) and runs no script", async () => {
    expect(opened.consoleErrors).toEqual([]);
    expect(await page.locator("script, img, iframe, object, embed, link").count()).toBe(0);
    // The stylesheet applied: the status words are coloured, which only the inline stylesheet does.
    const colour = await page
      .locator("h3 .status-bad")
      .first()
      .evaluate((el) => getComputedStyle(el).color);
    expect(colour).toBe("rgb(164, 14, 38)");
  });

  it("shows the headings a reader expects: the title, the result, the workspace by its (hostile, shown literally) name, the sections", async () => {
    const headings = await page.locator("h1, h2, h3").allInnerTexts();
    expect(headings[0]).toBe("Intercom Security Health Check");
    expect(headings).toContain(`Workspace ${hostileName} (${workspaceId})`);
    expect(headings).toContain("Messenger Security: Issues found");
    expect(headings).toContain("Authentication & Access: Issues found");
    expect(headings).toContain("Exceptions");
    expect(await page.locator(".verdict").innerText()).toBe("Result: Blocked");
  });

  it("shows the blocking finding in its row, with its remediation and a help link to Intercom", async () => {
    // The program's plain copy of the secret is filed under a second (redacted) workspace: read the first one's row.
    const workspace = page.locator("section.workspace").filter({ has: page.locator("h2", { hasText: `(${workspaceId})` }) });
    await expectCount(workspace, 1);
    const row = workspace
      .locator("table.rows tbody tr")
      .filter({ has: page.locator("td:first-child", { hasText: /^Domain restrictions$/ }) });
    await expectCount(row, 1);
    const text = await row.innerText();
    expect(text).toContain("Needs review");
    expect(text).toMatch(/Blocking\s+intercom-messenger-trusted-domains\s+on\s+open:/);
    expect(text).toMatch(/Waived\s+intercom-messenger-trusted-domains\s+on\s+waived-open:/);
    const hrefs = await row.locator("a").evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href).toMatch(/^https:\/\/(www\.|developers\.)?intercom\.com\//);
    expect(await row.locator("ol li").count()).toBeGreaterThan(0);
  });

  it("shows the exception with every field an auditor files", async () => {
    const cells = await page.locator("table.exceptions tbody tr", { hasText: "waived-open" }).locator("td").allInnerTexts();
    expect(cells).toEqual([
      "intercom-messenger-trusted-domains",
      "waived-open",
      expect.stringMatching(/^Waives this finding \(exception 0\)$/),
      exception.justification,
      exception.owner,
      exception.approver,
      exception.ticket,
      exception.expires,
      "",
    ]);
    expect(await page.locator("dl.facts").first().innerText()).toContain(`2026-11-21T00:00:00Z (an injected clock`);
  });

  it("shows the run evidence table when the run recorded evidence, and says so plainly when it did not", async () => {
    const evidence = page.locator("#run-evidence");
    if ((await evidence.count()) > 0) {
      const labels = await evidence.locator("th").allInnerTexts();
      expect(labels).toEqual(
        expect.arrayContaining([
          "Ran at",
          "Policy set SHA-256",
          "Input SHA-256 (normalised, secrets excluded)",
          "Configuration SHA-256",
          "Git commit",
        ]),
      );
      expect(await page.locator("#frameworks, #evidence").count()).toBeGreaterThan(0);
    } else {
      expect(await page.locator("#evidence").innerText()).toContain("No run evidence was recorded for this report");
    }
  });

  it("the secret is nowhere: not in the file, not in the rendered text, not in any attribute", async () => {
    expect(opened.html).not.toContain(secret);
    expect(await page.locator("body").innerText()).not.toContain(secret);
    expect(await page.content()).not.toContain(secret);
    expect(opened.run.stdout).not.toContain(secret);
    // It would have been there: the workspace id the program gave as that secret is shown redacted.
    expect(await page.locator("h2").allInnerTexts()).toContain("Workspace [secret]");
  });

  it("prints: a PDF renders from the page", async () => {
    const pdf = await page.pdf({ format: "A4" });
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(opened.blocked).toEqual([]);
  });
});

/** Elements the HTML renderer writes; any other in the DOM came from data. */
const rendererElements = new Set([
  "HTML",
  "HEAD",
  "META",
  "TITLE",
  "STYLE",
  "BODY",
  "MAIN",
  "HEADER",
  "SECTION",
  "H1",
  "H2",
  "H3",
  "P",
  "DL",
  "DT",
  "DD",
  "TABLE",
  "THEAD",
  "TBODY",
  "TR",
  "TH",
  "TD",
  "CODE",
  "PRE",
  "OL",
  "LI",
  "SPAN",
  "A",
]);

describe("audit HTML rendered from constructed reports, in headless Chromium", () => {
  let browser: Browser | undefined;
  let dir: string;

  beforeAll(async () => {
    if (!fs.existsSync(chromiumPath)) {
      throw new Error(
        `${chromiumPath} is missing: install Debian's chromium (apt-get install chromium; .ci/run does this) to run the HTML report test`,
      );
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "html-browser-"));
    browser = await chromium.launch({ executablePath: chromiumPath, chromiumSandbox: false });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Opens the HTML as a file; returns the page and every request and console error it made. */
  async function open(html: string, name: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
    const file = path.join(dir, `${name}.html`);
    fs.writeFileSync(file, html);
    const page = await (browser as Browser).newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(error.message));
    await page.route("**/*", (route) => (route.request().url() === `file://${file}` ? route.continue() : route.abort()));
    await page.goto(`file://${file}`, { waitUntil: "load" });
    expect(requests).toEqual([`file://${file}`]);
    return { page, requests, errors };
  }

  it("shows the run evidence and the framework table when the run recorded them", async () => {
    const [fields] = sampleOf(hostileFields, 1);
    const { report, context } = hostileReport(fields as HostileFields);
    const { page, errors } = await open(renderHtml(report, { ...context, evidence: sampleEvidence }), "evidence");
    expect(errors).toEqual([]);
    const facts = await page
      .locator("#run-evidence tr")
      .evaluateAll((rows) => rows.map((r) => [r.querySelector("th")?.textContent, r.querySelector("td")?.textContent]));
    expect(Object.fromEntries(facts)).toMatchObject({
      "Ran at": sampleEvidence.ranAt,
      "Policy set SHA-256": sampleEvidence.pack.policySetSha256,
      "Input SHA-256 (normalised, secrets excluded)": sampleEvidence.input.sha256,
      "Configuration SHA-256": sampleEvidence.configuration.sha256,
      Profile: "strict",
      Stack: "dev",
      "Git commit": `${sampleEvidence.git?.commit} (the working tree had uncommitted changes)`,
    });
    expect(await page.locator("#frameworks tbody td").allInnerTexts()).toEqual([
      "SOC 2",
      "CC6.1",
      "intercom-test-auth-sign-in-methods",
      "Issues found",
    ]);
    await page.close();
  });

  it("generated hostile text: the DOM holds only the renderer's elements, no script runs, links go only to Intercom, the text is shown as written (escaped)", async () => {
    const samples = sampleOf(hostileFields, 8);
    for (const [i, fields] of samples.entries()) {
      const { report, context } = hostileReport(fields);
      const { page, errors } = await open(renderHtml(report, { ...auditContext, ...context }), `hostile-${i}`);
      expect(errors).toEqual([]);
      const tags = await page.evaluate(() => [...new Set([...document.querySelectorAll("*")].map((e) => e.tagName))]);
      expect(tags.filter((t) => !rendererElements.has(t))).toEqual([]);
      const attributes = await page.evaluate(() => [...new Set([...document.querySelectorAll("*")].flatMap((e) => e.getAttributeNames()))]);
      expect(
        attributes.filter(
          (a) => !["lang", "charset", "http-equiv", "content", "name", "class", "id", "scope", "colspan", "href", "rel"].includes(a),
        ),
      ).toEqual([]);
      const hrefs = await page.locator("a").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
      for (const href of hrefs) expect(href).toMatch(/^https:\/\/(www\.|developers\.)?intercom\.com\//);
      const text = await page.locator("body").innerText();
      for (const value of [fields.resourceName, fields.message, fields.exceptionText, fields.workspaceName]) {
        // innerText collapses runs of spaces; compare with spaces collapsed on both sides.
        expect(text.replace(/\s+/g, " ")).toContain(escapeForDisplay(value).replace(/\s+/g, " ").trim());
      }
      await page.close();
    }
  });
});

async function expectCount(locator: { count(): Promise<number> }, n: number): Promise<void> {
  expect(await locator.count()).toBe(n);
}
