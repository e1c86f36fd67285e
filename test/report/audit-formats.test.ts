/**
 * The Markdown and HTML audit reports (report/markdown.ts, report/html.ts), from reports built out
 * of hand-made verdicts and constructed run evidence: what an auditor files is there (rows,
 * explanations, remediation, help links, exceptions with every field, level changes, evidence or
 * a plain statement that there is none), and generated hostile text in every program- or
 * configuration-controlled field never becomes markup, a link, or an invisible character.
 */
import fc from "fast-check";
import { escapeForDisplay, hasUnsafeCharacter } from "../../core/display";
import type { LevelChange } from "../../core/exceptions";
import { HealthCheckItemId } from "../../core/health-check";
import { AnyPolicy } from "../../core/policy";
import { contentSecurityPolicy, renderHtml } from "../../report/html";
import { md, renderMarkdown } from "../../report/markdown";
import { buildReport, HealthCheckReport, Verdict } from "../../report/model";
import { propertyParameters } from "../support/property";
import { context, HostileFields, hostileFields, hostileReport, sampleEvidence, waiver } from "./audit-fixtures";
import { appliedTo, onePolicyPerItem, policyNameFor, urnOf, workspace } from "./fixtures";

function policyFor(policies: readonly AnyPolicy[], itemId: HealthCheckItemId): AnyPolicy {
  const found = policies.find((p) => p.name === policyNameFor(itemId));
  if (!found) throw new Error(`no policy for ${itemId}`);
  return found;
}

/** A report with a blocking, an advisory, a waived and an expired-exception finding, a level change and an outside finding. */
function sampleReport(): HealthCheckReport {
  const ws = workspace("ws1", "main", { securityContactEmail: "security@example.com" });
  const policies = onePolicyPerItem();
  const sso = policyFor(policies, "auth.sign-in-methods");
  const twoFactor = policyFor(policies, "auth.two-factor");
  const session = policyFor(policies, "auth.session-length");
  const ip = policyFor(policies, "auth.ip-allowlist");
  const verdicts: Verdict[] = [
    { policyName: sso.name, urn: ws.urn, message: "No SSO is required.", enforcementLevel: "mandatory", status: "needs_review" },
    {
      policyName: twoFactor.name,
      urn: ws.urn,
      message: "Two-factor authentication is optional.",
      enforcementLevel: "advisory",
      status: "needs_review",
    },
    {
      policyName: session.name,
      urn: ws.urn,
      message: "Sessions last 30 days.",
      enforcementLevel: "advisory",
      status: "waived",
      exception: waiver,
    },
    {
      policyName: ip.name,
      urn: ws.urn,
      message: "Entry 0.0.0.0/0 admits every address.",
      enforcementLevel: "mandatory",
      // An expired exception waives nothing: the finding needs review again, and blocks.
      status: "needs_review",
      exception: { ...waiver, index: 5, ticket: "SEC-99", expires: "2026-10-01", expiredSince: "2026-10-02T00:00:00.000Z" },
    },
    {
      policyName: "someone-elses-policy",
      urn: urnOf("Other", "x"),
      message: "Foreign finding.",
      enforcementLevel: "advisory",
      status: "needs_review",
    },
  ];
  const levelChanges: LevelChange[] = [
    {
      policy: twoFactor.name,
      level: "advisory",
      defaultLevel: "mandatory",
      accountability: {
        justification: "Rolling out 2FA by team",
        owner: "carol@example.com",
        approver: "dave@example.com",
        expires: "2027-02-01",
      },
    },
    { policy: "intercom-test-other", level: "disabled", defaultLevel: "mandatory" },
  ];
  return buildReport({
    policies,
    resources: [ws],
    verdicts,
    applied: appliedTo([ws], policies),
    levelChanges,
    asOf: "2026-11-21T00:00:00Z",
  });
}

/** Markdown as a reader sees its text: escapes resolved, `**` emphasis markers dropped. */
function markdownText(markdown: string): string {
  return markdown.replace(/\\([!-/:-@[-`{-~])|\*\*/g, (_, c: string | undefined) => c ?? "");
}

/** The HTML's text as a reader sees it: tags removed, the renderer's numeric entities decoded. */
function htmlText(html: string): string {
  const body = html.slice(html.indexOf("<body>"));
  return body.replace(/<[^>]*>/g, "").replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

describe("the audit reports: content", () => {
  const report = sampleReport();
  const html = renderHtml(report, { ...context, evidence: sampleEvidence });
  const markdown = renderMarkdown(report, { ...context, evidence: sampleEvidence });
  const htmlSeen = htmlText(html);

  it.each([
    ["HTML", htmlSeen],
    ["Markdown", markdown],
  ])("%s: the heading, the workspace, its contact and overall status, each section's status", (format, output) => {
    const plain = format === "Markdown" ? markdownText(output) : output;
    expect(plain).toContain("Intercom Security Health Check");
    expect(plain).toContain("Result: Blocked");
    expect(plain).toContain("Workspace Workspace main (ws1)");
    expect(plain).toContain("security@example.com");
    expect(plain).toMatch(/Overall:?\s*\**Issues found \(2 blocking, 1 to review, 1 waived\)/);
    expect(plain).toMatch(/Authentication & Access: \**Issues found/);
    expect(plain).toMatch(/Messenger Security: \**Secure/);
    // An item whose only finding is waived reads Waived; one whose exception expired needs review again.
    expect(plain).toMatch(/Secure session length\W*Waived/);
    expect(plain).toMatch(/IP allowlisting\W*Needs review/);
    expect(plain).toContain("2026-11-21T00:00:00Z (an injected clock");
  });

  it.each([
    ["HTML", htmlSeen],
    ["Markdown", markdownText(markdown)],
  ])(
    "%s: each finding's level and message, remediation steps, exceptions with every field, level changes, the outside finding",
    (_format, plain) => {
      expect(plain).toContain("Blocking intercom-test-auth-sign-in-methods on main: No SSO is required.");
      expect(plain).toContain("Advisory intercom-test-auth-two-factor on main: Two-factor authentication is optional.");
      expect(plain).toContain("Waived intercom-test-auth-session-length on main: Sessions last 30 days.");
      expect(plain).toContain("First step to fix intercom-test-auth-sign-in-methods.");
      expect(plain).toContain("Second step to fix intercom-test-auth-sign-in-methods.");
      // The waiver and the expired exception, every field.
      for (const field of [
        "Legacy widget until the migration ships",
        "alice@example.com",
        "bob@example.com",
        "SEC-12",
        "2027-01-15",
        "Waives this finding (exception 2)",
      ]) {
        expect(plain).toContain(field);
      }
      for (const field of ["SEC-99", "2026-10-01", "2026-10-02T00:00:00.000Z", "Expired: blocks again (exception 5)"])
        expect(plain).toContain(field);
      expect(plain).toContain("Rolling out 2FA by team");
      expect(plain).toContain("carol@example.com");
      expect(plain).toContain("advisory, not mandatory");
      expect(plain).toContain("intercom-test-other");
      expect(plain).toContain("Disabled, not checked");
      expect(plain).toContain("No justification given.");
      expect(plain).toContain("Findings outside any workspace");
      expect(plain).toContain(
        "someone-elses-policy on urn:pulumi:dev::report-test::pulumi-nodejs:dynamic/intercom:Other::x: Foreign finding.",
      );
    },
  );

  it("HTML: the exception table's header and one row per exception, with its fields in their columns", () => {
    expect(html).toContain("<th>Justification</th><th>Owner</th><th>Approver</th><th>Ticket</th><th>Expires</th><th>Expired since</th>");
    expect(html).toContain("<td>SEC-99</td><td>2026-10-01</td><td>2026-10-02T00:00:00.000Z</td>");
  });

  it("Markdown: the exception table has one row per exception, with nine cells each", () => {
    const rows = markdown.split("\n").filter((l) => l.startsWith("| intercom\\-test\\-auth") && l.includes("exception"));
    expect(rows).toHaveLength(2);
    for (const line of rows) expect(unescapedPipes(line)).toBe(10);
  });

  it.each([
    ["program", "Pulumi program examples/some-workspace"],
    ["documents", "workspace documents examples/some-workspace"],
    ["live", "live Intercom workspace (read through the REST API) examples/some-workspace"],
  ] as const)("the evidence names a %s input as what it is", (kind, label) => {
    const evidence = { ...sampleEvidence, input: { ...sampleEvidence.input, kind } };
    expect(markdownText(renderMarkdown(report, { ...context, evidence }))).toContain(label);
  });

  it.each([
    ["HTML", htmlSeen],
    ["Markdown", markdownText(markdown)],
  ])(
    "%s: the run evidence when present: times, versions, hashes, profile, stack, commit, configuration, framework table",
    (_format, plain) => {
      for (const fact of [
        "2026-11-22T04:00:00.000Z",
        "2026-11-21T00:00:00.000Z (an injected clock",
        "intercom-health-check 1.2.3",
        "intercom-security-health-check 9.8.7",
        "a".repeat(64),
        "b".repeat(64),
        "c".repeat(64),
        "Pulumi program examples/some-workspace, 7 resource(s)",
        "strict",
        "0123456789abcdef0123456789abcdef01234567 (the working tree had uncommitted changes)",
        '"enforcementLevel": "advisory"',
        "SOC 2",
        "CC6.1",
      ]) {
        expect(plain).toContain(fact);
      }
      expect(plain).not.toContain("No run evidence was recorded");
    },
  );

  it.each([
    ["HTML", (r: HealthCheckReport) => htmlText(renderHtml(r, context))],
    ["Markdown", (r: HealthCheckReport) => markdownText(renderMarkdown(r, context))],
  ])("%s: says plainly when no run evidence was recorded", (_format, render) => {
    const plain = render(report);
    expect(plain).toContain("No run evidence was recorded for this report");
    expect(plain).not.toContain("Policy set SHA-256");
  });

  it("HTML: self-contained: one inline stylesheet allowed by its hash, no script, no external reference", () => {
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy.replace(/'/g, "&#39;")}">`);
    expect(contentSecurityPolicy).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'/);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|src=/i);
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1] as string);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href).toMatch(/^https:\/\/www\.intercom\.com\/help\//);
  });
});

/** The tags the HTML renderer writes, with only its own attributes; anything else is markup that came from data. */
const rendererTag =
  /^<(?:!DOCTYPE html|\/?(?:html|head|body|main|header|section|h1|h2|h3|p|dl|dt|dd|table|thead|tbody|tr|th|td|code|pre|ol|li|span|a|title|style)|meta)(?: (?:lang|charset|http-equiv|content|name|class|id|scope|colspan|href|rel)="[^"<>]*")*>$/;

function checkHtml(html: string, fields: HostileFields): void {
  const tags = html.match(/<[^>]*>?/g) ?? [];
  expect(tags.filter((tag) => !rendererTag.test(tag))).toEqual([]);
  // The stylesheet is the renderer's; outside it, no '<' or '>' is left that is not a whole tag.
  const withoutStyle = html.replace(/<style>[^<]*<\/style>/, "");
  expect(withoutStyle.replace(/<[^<>]*>/g, "")).not.toMatch(/[<>]/);
  // Links: only to Intercom's help over https, never to anything the data held.
  for (const [, href] of html.matchAll(/href="([^"]*)"/g)) expect(href).toMatch(/^https:\/\/(?:www\.|developers\.)?intercom\.com\//);
  expect(html.match(/<a /g)?.length ?? 0).toBe(html.match(/href="/g)?.length ?? 0);
  // No raw control, bidi or zero-width character anywhere (newlines are the renderer's layout).
  expect(html.split("\n").filter(hasUnsafeCharacter)).toEqual([]);
  // And what the data held is there for the reader, as visible text.
  const seen = htmlText(html);
  for (const value of [
    fields.resourceName,
    fields.message,
    fields.exceptionText,
    fields.workspaceName,
    fields.levelChangeText,
    fields.subject,
    fields.evidenceText,
  ]) {
    expect(seen).toContain(escapeForDisplay(value));
  }
}

/** `|` characters not escaped by a backslash. */
function unescapedPipes(line: string): number {
  return (line.replace(/\\[!-/:-@[-`{-~]/g, "").match(/\|/g) ?? []).length;
}

/**
 * Markdown the renderer writes, outside fenced blocks: after removing escaped punctuation (always
 * literal in CommonMark) and the help links, only the renderer's own syntax is left: headings,
 * list markers, `**`, table pipes and separator rows, and the words and digits between them.
 */
function checkMarkdown(markdown: string, fields: HostileFields): void {
  const problems: string[] = [];
  let fence: string | undefined;
  let columns: number | undefined;
  const links = /\[(?:[^\\\]]|\\.)*\]\(<https:\/\/(?:www\.|developers\.)?intercom\.com\/[A-Za-z0-9\-._~:/?#@!$&*+,;=%]*>\)/g;
  for (const line of markdown.split("\n")) {
    if (hasUnsafeCharacter(line)) problems.push(`unsafe character: ${line}`);
    if (fence !== undefined) {
      // Inside a fenced block nothing is interpreted; only a line of the fence's backticks closes it.
      if (line === fence) fence = undefined;
      else if (line.trimStart().startsWith("`")) problems.push(`could close the fence: ${line}`);
      continue;
    }
    const opening = /^(`{3,})json$/.exec(line);
    if (opening) {
      fence = opening[1];
      continue;
    }
    const bare = line.replace(/\\[!-/:-@[-`{-~]/g, "").replace(links, "");
    // What is left: the renderer's syntax (headings, list markers, `**`, pipes, its own `:`, `,`, `;`, `-`) and no other ASCII punctuation;
    // in particular no link or image opener, autolink, entity or raw HTML.
    if (!/^(?:#{1,3} |- )?[^!"$%&'()+./<=>?@[\\\]^_`{}~]*$/.test(bare)) problems.push(`unescaped syntax: ${line}`);
    if (line.startsWith("| ")) {
      const pipes = unescapedPipes(line);
      if (columns === undefined) columns = pipes;
      else if (pipes !== columns) problems.push(`${pipes} cell boundaries, not ${columns}: ${line}`);
    } else columns = undefined;
  }
  if (fence !== undefined) problems.push("a fenced block is not closed");
  expect(problems).toEqual([]);
  for (const value of [
    fields.resourceName,
    fields.message,
    fields.exceptionText,
    fields.workspaceName,
    fields.levelChangeText,
    fields.subject,
  ]) {
    expect(markdown).toContain(md(escapeForDisplay(value)));
  }
}

describe("the audit reports under hostile text", () => {
  it("generated: HTML has only the renderer's tags and attributes, links only to Intercom's help, and shows every hostile text visibly escaped", () => {
    fc.assert(
      fc.property(hostileFields, (fields) => {
        const { report, context: ctx } = hostileReport(fields);
        checkHtml(renderHtml(report, ctx), fields);
      }),
      propertyParameters(150),
    );
  });

  it("generated: Markdown has only the renderer's syntax (escaped punctuation otherwise), table rows keep their cells, links only to Intercom's help", () => {
    fc.assert(
      fc.property(hostileFields, (fields) => {
        const { report, context: ctx } = hostileReport(fields);
        checkMarkdown(renderMarkdown(report, ctx), fields);
      }),
      propertyParameters(150),
    );
  });

  it("a help URL that is not Intercom's https documentation is shown as text, never as a link", () => {
    for (const helpUrl of [
      "javascript:alert(1)",
      "data:text/html,<script>x</script>",
      "http://www.intercom.com/help/x",
      "https://evil.example/",
      "https://www.intercom.com@evil.example/",
    ]) {
      const fields = { ...sampleOf(), helpUrl };
      const { report, context: ctx } = hostileReport(fields);
      const html = renderHtml(report, ctx);
      const markdown = renderMarkdown(report, ctx);
      expect(html).not.toContain(`href="${helpUrl}`);
      expect(markdown).not.toContain(`(<${helpUrl}`);
      expect(htmlText(html)).toContain(`help address not shown as a link: ${helpUrl}`);
    }
  });
});

function sampleOf(): HostileFields {
  return {
    workspaceId: "ws1",
    workspaceName: "Main",
    contact: "security@example.com",
    resourceName: "sso",
    message: "A message.",
    exceptionText: "Accepted",
    levelChangeText: "Accepted",
    unknownPath: "a.b",
    subject: "examples/x",
    evidenceText: "e",
    helpUrl: "https://www.intercom.com/help/en/articles/1",
  };
}
