/**
 * renderText: the plain-text Health Check, from reports built out of hand-made verdicts.
 */
import { healthCheckSections, HealthCheckItemId } from "../../core/health-check";
import { AnyPolicy } from "../../core/policy";
import { buildReport, DeclaredResource, HealthCheckReport } from "../../report/model";
import { renderText } from "../../report/text";
import { appliedTo, control, onePolicyPerItem, policy, policyNameFor, verdict, workspace } from "./fixtures";

const options = { subject: "examples/some-workspace", packName: "intercom-security-health-check", packVersion: "9.8.7" };
const intercomSectionTitles = healthCheckSections.filter((s) => s.intercomSection).map((s) => s.title);

function lines(text: string): string[] {
  return text.split("\n");
}

/** The index of the only line containing `fragment` (fails when there are none or several). */
function lineIndex(text: string, fragment: string): number {
  const found = lines(text)
    .map((line, index) => ({ line, index }))
    .filter(({ line }) => line.includes(fragment));
  if (found.length !== 1) throw new Error(`expected one line with ${JSON.stringify(fragment)}, found ${found.length}:\n${text}`);
  return (found[0] as { index: number }).index;
}

function policyFor(policies: readonly AnyPolicy[], itemId: HealthCheckItemId): AnyPolicy {
  const found = policies.find((p) => p.name === policyNameFor(itemId));
  if (!found) throw new Error(`no policy for ${itemId}`);
  return found;
}

describe("renderText: a workspace with findings", () => {
  const ws = workspace("ws1", "main", { securityContactEmail: "security@example.com" });
  const policies = onePolicyPerItem();
  const mobileItems = new Set(["mobile.identity-verification", "mobile.push-certificates", "mobile.encrypted-mode"]);
  // Every row's policy applied to the workspace except the mobile ones: no MobileSdk is declared.
  const applied = appliedTo(
    [ws],
    policies.filter((p) => !p.items.some((i) => mobileItems.has(i))),
  );
  const sso = policyFor(policies, "auth.sign-in-methods");
  const twoFactor = policyFor(policies, "auth.two-factor");
  const ipAllowlist = policyFor(policies, "auth.ip-allowlist");
  const attachments = policyFor(policies, "data.attachments");
  const report = buildReport({
    policies,
    resources: [ws],
    verdicts: [
      verdict(sso.name, ws.urn, "No SSO is required.", "mandatory"),
      verdict(twoFactor.name, ws.urn, "Two-factor authentication is optional.", "advisory"),
      verdict(ipAllowlist.name, ws.urn, 'Entry "0.0.0.0/0" admits every address.', "mandatory"),
      verdict(ipAllowlist.name, ws.urn, 'Entry "10.0.0.300" is malformed.', "mandatory"),
      verdict(attachments.name, ws.urn, "Not evaluated: AttachmentPolicy does not match its schema.", "advisory", "not_evaluated"),
    ],
    applied,
  });
  const text = renderText(report, options);

  it("starts with what was checked and the pack", () => {
    expect(lines(text).slice(0, 2)).toEqual([
      "Intercom Security Health Check: examples/some-workspace",
      "Policy pack intercom-security-health-check 9.8.7",
    ]);
  });

  it("names the workspace and shows its security contact and overall status at the top, before any section", () => {
    const heading = lineIndex(text, 'Workspace "Workspace main" (ws1)');
    const contact = lineIndex(text, "Security contact: security@example.com");
    const overall = lineIndex(text, "Overall: Issues found (3 blocking, 2 to review)");
    const firstSection = lineIndex(text, `${intercomSectionTitles[0]}:`);
    expect(heading).toBeLessThan(contact);
    expect(contact).toBeLessThan(overall);
    expect(overall).toBeLessThan(firstSection);
    expect(text).not.toContain("Handles PHI");
  });

  it("has the four Intercom section titles, in order, each with its status", () => {
    expect(intercomSectionTitles).toEqual(["Authentication & Access", "Messenger Security", "Data Protection", "Mobile SDKs"]);
    const at = intercomSectionTitles.map((title) => lineIndex(text, `  ${title}: `));
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(text).toContain("  Authentication & Access: Issues found\n");
    expect(text).toContain("  Messenger Security: Secure\n");
    expect(text).toContain("  Data Protection: Issues found\n");
    expect(text).toContain("  Mobile SDKs: Not in use\n");
    expect(text).toContain("  Custom Actions: Secure\n");
    expect(text).not.toContain("Healthcare (HIPAA)");
    expect(text).not.toContain("Configuration integrity");
  });

  it("shows each row's status with its mark", () => {
    expect(text).toContain("    [!!] SSO and sign-in methods: Needs review\n");
    expect(text).toContain("    [!!] Two-factor authentication: Needs review\n");
    expect(text).toContain("    [??] File attachment controls: Not evaluated\n");
    expect(text).toContain("    [ok] Domain restrictions: Secure\n");
    expect(text).toContain("    [--] Encrypted mode: Not in use\n");
  });

  it("lists every finding with its level, policy, resource and message", () => {
    expect(text).toContain(`BLOCKING ${sso.name} [main]: No SSO is required.\n`);
    expect(text).toContain(`ADVISORY ${twoFactor.name} [main]: Two-factor authentication is optional.\n`);
    expect(text).toContain(`BLOCKING ${ipAllowlist.name} [main]: Entry "0.0.0.0/0" admits every address.\n`);
    expect(text).toContain(`BLOCKING ${ipAllowlist.name} [main]: Entry "10.0.0.300" is malformed.\n`);
    expect(text).toContain(`NOT EVALUATED ${attachments.name} [main]: Not evaluated: AttachmentPolicy does not match its schema.\n`);
  });

  it("gives each failing policy's remediation (Fix:) and help link after its findings, once per policy", () => {
    for (const p of [sso, twoFactor, ipAllowlist, attachments]) {
      const fix = lineIndex(text, `Fix: ${p.remediation[0]}`);
      const lastFinding = Math.max(...lines(text).flatMap((line, i) => (line.includes(` ${p.name} [`) ? [i] : [])));
      expect(fix).toBe(lastFinding + 1);
      // Further steps follow on their own lines, then the row's action and the policy's help link.
      expect(lines(text)[fix + 1]?.trim()).toBe(p.remediation[1]);
      expect(lines(text)[fix + 2]?.trim()).toMatch(
        new RegExp(`^(Edit|Configure|Open): ${p.helpUrl.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`),
      );
    }
    // The row's own action label: sign-in methods are edited, two-factor authentication configured.
    expect(text).toContain(`Edit: ${sso.helpUrl}\n`);
    expect(text).toContain(`Configure: ${twoFactor.helpUrl}\n`);
  });

  it("says what was checked on Secure rows and what nothing is declared for on rows not in use", () => {
    const domains = policyFor(policies, "messenger.domain-restrictions");
    const encrypted = policyFor(policies, "mobile.encrypted-mode");
    expect(text).toContain(`Checked: ${domains.title}\n`);
    expect(text).toContain(`Nothing declared for: ${encrypted.title}\n`);
    // Secure rows carry no remediation.
    expect(text).not.toContain(`Fix: ${domains.remediation[0]}`);
  });

  it("ends with the summary line", () => {
    expect(
      lines(text)
        .filter((line) => line !== "")
        .pop(),
    ).toBe(
      "Summary: 1 workspace(s), 3 blocking and 2 advisory finding(s). Blocked: mandatory policies failed; `pulumi preview` and `pulumi up` would stop here.",
    );
    expect(text.endsWith("\n")).toBe(true);
  });

  it("prints no placeholders for missing values", () => {
    expect(text).not.toMatch(/undefined|\[object Object\]|NaN/);
  });
});

describe("renderText: secure, healthcare and edge cases", () => {
  it("a secure workspace: Overall Secure without counts, and Nothing blocks", () => {
    const ws = workspace("ws1", "main");
    const policies = onePolicyPerItem();
    const text = renderText(buildReport({ policies, resources: [ws], verdicts: [], applied: appliedTo([ws], policies) }), options);
    expect(text).toContain("  Overall: Secure\n");
    expect(text).toContain("  Security contact: not set\n");
    for (const title of intercomSectionTitles) expect(text).toContain(`  ${title}: Secure\n`);
    expect(text).not.toMatch(/BLOCKING|ADVISORY|NOT EVALUATED|Fix:/);
    expect(text).toContain("Summary: 1 workspace(s), 0 blocking and 0 advisory finding(s). Nothing blocks.\n");
  });

  it("a PHI workspace: says so at the top and shows the healthcare section", () => {
    const ws = workspace("phi1", "clinic", { handlesPhi: true, securityContactEmail: "privacy@clinic.example" });
    const policies = [
      policy("intercom-test-baa", ["hipaa.baa"], { kind: "stack", scope: "phi-workspaces", title: "Signed BAA" }),
      policy("intercom-test-consent", ["hipaa.consent"], { kind: "stack", scope: "phi-workspaces" }),
    ];
    const text = renderText(
      buildReport({
        policies,
        resources: [ws],
        verdicts: [verdict("intercom-test-consent", ws.urn, "The Messenger loads before consent.", "mandatory")],
        applied: new Set(),
      }),
      options,
    );
    expect(lineIndex(text, "Handles PHI: yes")).toBeLessThan(lineIndex(text, "Healthcare (HIPAA): Issues found"));
    expect(text).toContain("    [ok] Business Associate Agreement: Secure\n");
    expect(text).toContain("         Checked: Signed BAA\n");
    expect(text).toContain("    [!!] Server-side, consent-gated Messenger: Needs review\n");
    expect(text).toContain("BLOCKING intercom-test-consent [clinic]: The Messenger loads before consent.\n");
  });

  it("an undeclared workspace and other findings are shown as such", () => {
    const sso = policy("intercom-test-sso", ["auth.sign-in-methods"]);
    const orphan = control("SsoEnforcement", "orphan-sso", "zz999");
    const unknownUrn = "urn:pulumi:dev::report-test::aws:s3/bucket:Bucket::logs";
    const text = renderText(
      buildReport({
        policies: [sso],
        resources: [orphan],
        verdicts: [
          verdict(sso.name, orphan.urn, "No SSO is required.", "mandatory"),
          verdict("intercom-from-elsewhere", unknownUrn, "A finding about a bucket.", "advisory"),
        ],
        applied: appliedTo([orphan], [sso]),
      }),
      options,
    );
    expect(text).toContain("Workspace zz999 (not declared as a Workspace)\n");
    expect(text).toContain("BLOCKING intercom-test-sso [orphan-sso]: No SSO is required.\n");
    const other = lineIndex(text, "Other findings");
    expect(lines(text)[other + 1]).toBe("  ADVISORY intercom-from-elsewhere: A finding about a bucket.");
    expect(text).toContain("Summary: 1 workspace(s), 1 blocking and 1 advisory finding(s). Blocked:");
  });

  it("a finding of a policy mapped to two rows shows under both, and counts once in the summary", () => {
    const declared = policy("intercom-test-control-declared", ["auth.sign-in-methods", "auth.two-factor"], { kind: "stack" });
    const ws = workspace("ws1", "main");
    const text = renderText(
      buildReport({
        policies: [declared],
        resources: [ws],
        verdicts: [verdict(declared.name, ws.urn, "Graded on Intercom's default.", "mandatory")],
        applied: new Set(),
      }),
      options,
    );
    const findingLines = lines(text).filter((line) => line.includes(`BLOCKING ${declared.name} [main]: Graded on Intercom's default.`));
    expect(findingLines).toHaveLength(2);
    expect(text).toContain("Overall: Issues found (1 blocking, 0 to review)");
    expect(text).toContain("Summary: 1 workspace(s), 1 blocking and 0 advisory finding(s).");
  });

  it("a program with no Intercom resources says so", () => {
    const empty: HealthCheckReport = buildReport({
      policies: onePolicyPerItem(),
      resources: [] as DeclaredResource[],
      verdicts: [],
      applied: new Set(),
    });
    const text = renderText(empty, options);
    expect(text).toContain("No Intercom workspace or control is declared.\n");
    expect(text).toContain("Summary: 0 workspace(s), 0 blocking and 0 advisory finding(s). Nothing blocks.\n");
  });
});
