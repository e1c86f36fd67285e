/**
 * Reports and run evidence for the audit report specs (audit-formats.test.ts, html-browser.test.ts):
 * a constructed RunEvidence, and a report whose every program- and configuration-controlled text
 * is generated hostile text (markup, attribute breakouts, script URLs, bidi and zero-width
 * characters, Markdown syntax, table pipes).
 */
import fc from "fast-check";
import type { AuditReportContext } from "../../report/audit-document";
import type { RunEvidence } from "../../report/evidence";
import { buildReport, FindingException, HealthCheckReport, Verdict } from "../../report/model";
import { appliedTo, control, onePolicyPerItem, policy, policyNameFor, workspace } from "./fixtures";

export const context: AuditReportContext = {
  subject: "examples/some-workspace",
  packName: "intercom-security-health-check",
  packVersion: "9.8.7",
  toolName: "intercom-health-check",
  toolVersion: "1.2.3",
  allowUnknown: false,
};

export const sampleEvidence: RunEvidence = {
  ranAt: "2026-11-22T04:00:00.000Z",
  asOf: "2026-11-21T00:00:00.000Z",
  clockInjected: true,
  tool: { name: "intercom-health-check", version: "1.2.3" },
  pack: { name: "intercom-security-health-check", version: "9.8.7", policySetSha256: "a".repeat(64) },
  input: { kind: "program", subject: "examples/some-workspace", sha256: "b".repeat(64), resourceCount: 7 },
  configuration: {
    profile: "strict",
    sha256: "c".repeat(64),
    policyConfig: { "intercom-test-auth-two-factor": { enforcementLevel: "advisory" } },
  },
  stack: "dev",
  git: { commit: "0123456789abcdef0123456789abcdef01234567", dirty: true },
  frameworks: [
    {
      framework: "soc2",
      frameworkName: "SOC 2",
      reference: "CC6.1",
      policies: ["intercom-test-auth-sign-in-methods"],
      status: "Issues found",
    },
  ],
};

export const waiver: FindingException = {
  index: 2,
  workspace: "ws1",
  resource: "main",
  justification: "Legacy widget until the migration ships",
  owner: "alice@example.com",
  approver: "bob@example.com",
  ticket: "SEC-12",
  expires: "2027-01-15",
};

/** Pieces of hostile text: markup, attribute breakouts, script URLs, bidi and zero-width characters, Markdown syntax, table pipes. */
export const hostilePiece = fc.constantFrom(
  "<script>alert(1)</script>",
  "</style><script>x()</script>",
  "<!--",
  "-->",
  '"><img src=x onerror=alert(1)>',
  "' onmouseover='alert(1)' x='",
  "javascript:alert(1)",
  "data:text/html;base64,PHNjcmlwdD4=",
  '<a href="https://evil.example">x</a>',
  "[click](https://evil.example)",
  "![img](https://evil.example/x.png)",
  "[ref]: https://evil.example",
  "<https://evil.example>",
  "https://evil.example/path",
  "www.evil.example",
  "mallory@evil.example",
  "|",
  "\\|",
  "| --- |",
  "\n",
  "\r\n# Heading",
  "\n- item",
  "`",
  "```",
  "**bold**",
  "_x_",
  "&lt;b&gt;",
  "&#60;",
  "\\",
  "<![CDATA[",
  "]]>",
  "\u202e",
  "\u2066",
  "\u200b",
  "\u200d",
  "\ufeff",
  "\u0000",
  "\u001b[31m",
  "é",
  "a",
  " ",
);
export const hostile = fc
  .array(fc.oneof(hostilePiece, fc.string({ maxLength: 4 })), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join(""));

export interface HostileFields {
  workspaceId: string;
  workspaceName: string;
  contact: string;
  resourceName: string;
  message: string;
  exceptionText: string;
  levelChangeText: string;
  unknownPath: string;
  subject: string;
  evidenceText: string;
  helpUrl: string;
}

export const hostileFields: fc.Arbitrary<HostileFields> = fc.record({
  workspaceId: hostile,
  workspaceName: hostile,
  contact: hostile,
  resourceName: hostile,
  message: hostile,
  exceptionText: hostile,
  levelChangeText: hostile,
  unknownPath: hostile,
  subject: hostile,
  evidenceText: hostile,
  helpUrl: fc.oneof(
    hostile,
    fc.constantFrom(
      "javascript:alert(1)",
      "data:text/html,x",
      "http://www.intercom.com/help/x",
      "https://evil.example/help",
      "https://www.intercom.com.evil.example/",
    ),
  ),
});

/** A report whose every program- and configuration-controlled text is hostile; the run's evidence too. */
export function hostileReport(f: HostileFields): { report: HealthCheckReport; context: AuditReportContext } {
  const ws = {
    ...workspace(f.workspaceId, "ws", { securityContactEmail: f.contact }),
    workspace: { name: f.workspaceName, securityContactEmail: f.contact },
  };
  const ctl = control("SsoEnforcement", f.resourceName, f.workspaceId);
  const stray = control("Other", `${f.resourceName}-stray`, undefined);
  const policies = [
    ...onePolicyPerItem().filter((p) => !p.items.includes("auth.two-factor")),
    policy(policyNameFor("auth.two-factor"), ["auth.two-factor"], { helpUrl: f.helpUrl, title: f.message, remediation: [f.message] }),
  ];
  const exception: FindingException = {
    ...waiver,
    justification: f.exceptionText,
    owner: f.exceptionText,
    approver: f.exceptionText,
    ticket: f.exceptionText,
    expires: f.exceptionText,
    workspace: f.workspaceId,
    resource: f.resourceName,
  };
  const verdicts: Verdict[] = [
    {
      policyName: policyNameFor("auth.sign-in-methods"),
      urn: ctl.urn,
      message: f.message,
      enforcementLevel: "mandatory",
      status: "needs_review",
    },
    {
      policyName: policyNameFor("auth.two-factor"),
      urn: ctl.urn,
      message: f.message,
      enforcementLevel: "advisory",
      status: "waived",
      exception,
    },
    {
      policyName: policyNameFor("auth.ip-allowlist"),
      urn: ctl.urn,
      message: f.message,
      enforcementLevel: "mandatory",
      status: "needs_review",
      exception: { ...exception, expiredSince: f.exceptionText },
    },
    { policyName: f.resourceName, urn: stray.urn, message: f.message, enforcementLevel: "advisory", status: "needs_review" },
  ];
  const report = buildReport({
    policies,
    resources: [ws, ctl, stray],
    verdicts,
    applied: appliedTo([ws, ctl], policies),
    unknownValues: [{ urn: ctl.urn, resourceName: f.resourceName, type: ctl.type, paths: [f.unknownPath] }],
    levelChanges: [
      {
        policy: policyNameFor("auth.two-factor"),
        level: "advisory",
        defaultLevel: "mandatory",
        accountability: {
          justification: f.levelChangeText,
          owner: f.levelChangeText,
          approver: f.levelChangeText,
          ticket: f.levelChangeText,
          expires: f.levelChangeText,
        },
      },
    ],
    asOf: f.evidenceText,
  });
  const evidence: RunEvidence = {
    ...sampleEvidence,
    input: { ...sampleEvidence.input, subject: f.subject },
    configuration: {
      profile: f.evidenceText,
      sha256: f.evidenceText,
      policyConfig: { [f.evidenceText]: { exceptions: [{ justification: f.exceptionText }] } },
    },
    stack: f.evidenceText,
    git: { commit: f.evidenceText, dirty: false },
    frameworks: [{ framework: "soc2", frameworkName: "SOC 2", reference: f.evidenceText, policies: [f.resourceName], status: "Waived" }],
  };
  return { report, context: { ...context, subject: f.subject, evidence } };
}
