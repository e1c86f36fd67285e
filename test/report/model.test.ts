/**
 * buildReport: the pack's verdicts (Analyzer diagnostics, reduced) turned into the Health Check
 * per workspace. Hand-made policies, resources and verdicts: no program, no pack.
 */
import { healthCheckSections } from "../../core/health-check";
import { AnyPolicy } from "../../core/policy";
import { buildReport, DeclaredResource, HealthCheckReport, ItemReport, ReportInput, Verdict, WorkspaceReport } from "../../report/model";
import { appliedTo, control, onePolicyPerItem, policy, policyNameFor, verdict, workspace } from "./fixtures";

const alwaysShown = healthCheckSections.filter((s) => !s.onlyWhenRelevant).map((s) => s.id);

function only<T>(items: readonly T[], what: string): T {
  if (items.length !== 1) throw new Error(`expected exactly one ${what}, got ${items.length}`);
  return items[0] as T;
}

function workspaceOf(report: HealthCheckReport, workspaceId: string): WorkspaceReport {
  return only(
    report.workspaces.filter((w) => w.workspaceId === workspaceId),
    `workspace ${workspaceId}`,
  );
}

function row(ws: WorkspaceReport, itemId: string): ItemReport {
  return only(
    ws.sections.flatMap((s) => s.items).filter((i) => i.item.id === itemId),
    `row ${itemId}`,
  );
}

function statuses(ws: WorkspaceReport): Record<string, string> {
  return Object.fromEntries(ws.sections.flatMap((s) => s.items.map((i) => [i.item.id, i.status])));
}

/** One declared workspace (not handling PHI) where every row's policy ran on the workspace resource. */
function gradedWorkspace(verdicts: readonly Verdict[] = [], extra: Partial<ReportInput> = {}): HealthCheckReport {
  const ws = workspace("ws1", "main", { securityContactEmail: "security@example.com" });
  const policies = onePolicyPerItem();
  const resources = [ws];
  return buildReport({ policies, resources, verdicts, applied: appliedTo(resources, policies), ...extra });
}

const wsUrn = workspace("ws1", "main").urn;

describe("buildReport: a workspace with nothing to report", () => {
  const report = gradedWorkspace();
  const ws = workspaceOf(report, "ws1");

  it("is Secure overall, with every graded row Secure, and nothing blocks", () => {
    expect(report.blocking).toBe(false);
    expect(report.other).toEqual([]);
    expect(ws.overall).toBe("Secure");
    expect(ws.blockingCount).toBe(0);
    expect(ws.reviewCount).toBe(0);
    for (const section of ws.sections) {
      for (const item of section.items) {
        expect({ item: item.item.id, status: item.status }).toEqual({ item: item.item.id, status: "Secure" });
        expect(item.findings).toEqual([]);
      }
    }
  });

  it("carries the workspace's declaration: name, security contact, PHI flag", () => {
    expect(ws).toMatchObject({
      workspaceId: "ws1",
      name: "Workspace main",
      declared: true,
      securityContactEmail: "security@example.com",
      handlesPhi: false,
    });
  });

  it("shows the always-shown sections in Health Check order, each with all its rows and their policies", () => {
    expect(ws.sections.map((s) => s.id)).toEqual(alwaysShown);
    for (const section of ws.sections) {
      const definition = healthCheckSections.find((s) => s.id === section.id);
      expect(section.title).toBe(definition?.title);
      expect(section.items.map((i) => i.item.id)).toEqual(definition?.items.map((i) => i.id));
      for (const item of section.items) expect(item.policies.map((p) => p.name)).toEqual([policyNameFor(item.item.id)]);
    }
  });

  it("leaves out the healthcare section for a workspace without PHI and the configuration section without findings", () => {
    expect(ws.sections.map((s) => s.id)).not.toContain("healthcare");
    expect(ws.sections.map((s) => s.id)).not.toContain("configuration");
  });

  it("gives an empty report for a program that declares nothing", () => {
    const empty = buildReport({ policies: onePolicyPerItem(), resources: [], verdicts: [], applied: new Set() });
    expect(empty).toEqual({ workspaces: [], other: [], blocking: false, unknownValues: [], blockedByUnknowns: [], levelChanges: [] });
  });
});

describe("buildReport: findings", () => {
  it("an advisory finding makes its row Needs review and the workspace Issues found, but blocks nothing", () => {
    const name = policyNameFor("auth.two-factor");
    const report = gradedWorkspace([verdict(name, wsUrn, "2FA is optional.", "advisory")]);
    const ws = workspaceOf(report, "ws1");
    expect(report.blocking).toBe(false);
    expect(ws.overall).toBe("Issues found");
    expect(ws.blockingCount).toBe(0);
    expect(ws.reviewCount).toBe(1);
    const twoFactor = row(ws, "auth.two-factor");
    expect(twoFactor.status).toBe("Needs review");
    expect(twoFactor.findings).toEqual([
      expect.objectContaining({
        policyName: name,
        status: "needs_review",
        blocking: false,
        message: "2FA is optional.",
        urn: wsUrn,
        resourceName: "main",
      }),
    ]);
    expect(twoFactor.findings[0]?.policy?.name).toBe(name);
    // Every other row is untouched.
    const others = Object.entries(statuses(ws)).filter(([id]) => id !== "auth.two-factor");
    expect(others.every(([, status]) => status === "Secure")).toBe(true);
  });

  it.each(["mandatory", "remediate"] as const)("a %s finding blocks", (level) => {
    const name = policyNameFor("auth.sign-in-methods");
    const report = gradedWorkspace([verdict(name, wsUrn, "No SSO is required.", level)]);
    const ws = workspaceOf(report, "ws1");
    expect(report.blocking).toBe(true);
    expect(ws.overall).toBe("Issues found");
    expect(ws.blockingCount).toBe(1);
    expect(ws.reviewCount).toBe(0);
    expect(row(ws, "auth.sign-in-methods")).toMatchObject({ status: "Needs review", findings: [{ blocking: true }] });
  });

  it("one advisory among mandatory findings: counts are split and the report blocks", () => {
    const report = gradedWorkspace([
      verdict(policyNameFor("auth.sign-in-methods"), wsUrn, "a", "mandatory"),
      verdict(policyNameFor("data.pan-redaction"), wsUrn, "b", "mandatory"),
      verdict(policyNameFor("data.link-safety"), wsUrn, "c", "advisory"),
    ]);
    const ws = workspaceOf(report, "ws1");
    expect(report.blocking).toBe(true);
    expect([ws.blockingCount, ws.reviewCount]).toEqual([2, 1]);
  });

  it("keeps every finding of a policy on its row (several problems on one resource)", () => {
    const name = policyNameFor("auth.ip-allowlist");
    const report = gradedWorkspace([
      verdict(name, wsUrn, "entry 0.0.0.0/0 admits every address", "mandatory"),
      verdict(name, wsUrn, "entry 10.0.0.300 is malformed", "mandatory"),
    ]);
    const ws = workspaceOf(report, "ws1");
    expect(row(ws, "auth.ip-allowlist").findings.map((f) => f.message)).toEqual([
      "entry 0.0.0.0/0 admits every address",
      "entry 10.0.0.300 is malformed",
    ]);
    expect(ws.blockingCount).toBe(2);
  });

  it("ignores disabled-level diagnostics entirely", () => {
    const report = gradedWorkspace([
      verdict(policyNameFor("auth.sign-in-methods"), wsUrn, "disabled by configuration", "disabled"),
      verdict("intercom-not-a-policy", "urn:pulumi:dev::report-test::some:Thing::x", "disabled too", "disabled"),
    ]);
    const ws = workspaceOf(report, "ws1");
    expect(report.blocking).toBe(false);
    expect(report.other).toEqual([]);
    expect(ws.overall).toBe("Secure");
    expect(row(ws, "auth.sign-in-methods")).toMatchObject({ status: "Secure", findings: [] });
    expect([ws.blockingCount, ws.reviewCount]).toEqual([0, 0]);
  });
});

describe("buildReport: Not evaluated", () => {
  it("a not-evaluated verdict makes the row Not evaluated, not Secure", () => {
    const name = policyNameFor("data.attachments");
    const message =
      'Not evaluated: AttachmentPolicy "files" does not match its schema (see intercom-control-schema), so it cannot be graded and is not passed.';
    const report = gradedWorkspace([verdict(name, wsUrn, message, "advisory", "not_evaluated")]);
    const ws = workspaceOf(report, "ws1");
    const attachments = row(ws, "data.attachments");
    expect(attachments.status).toBe("Not evaluated");
    expect(attachments.findings).toEqual([expect.objectContaining({ status: "not_evaluated", message })]);
    expect(ws.overall).toBe("Issues found");
    expect(report.blocking).toBe(false);
  });

  it("a mandatory not-evaluated verdict (a stack policy reading an invalid control) still blocks", () => {
    const name = policyNameFor("mobile.identity-verification");
    const report = gradedWorkspace([
      verdict(name, wsUrn, 'Not evaluated for MobileSdk "ios": it does not match its schema.', "mandatory", "not_evaluated"),
    ]);
    const ws = workspaceOf(report, "ws1");
    expect(row(ws, "mobile.identity-verification").status).toBe("Not evaluated");
    // A mandatory policy that could not run still blocks: it is not passed.
    expect(report.blocking).toBe(true);
    expect(ws.blockingCount).toBe(1);
  });

  it("the status is the verdict's data: a message reading like another status changes nothing", () => {
    const name = policyNameFor("messenger.domain-restrictions");
    const messages = [
      "Not evaluated: the configuration is invalid",
      "can't run policy '" + name + "' from policy pack 'intercom-security-health-check@v0.1.0' during preview: x",
      "Waived until 2099-01-01 (" + name + " exceptions[0]): y",
    ];
    const report = gradedWorkspace(messages.map((m) => verdict(name, wsUrn, m, "advisory")));
    const ws = workspaceOf(report, "ws1");
    expect(row(ws, "messenger.domain-restrictions").status).toBe("Needs review");
    expect(row(ws, "messenger.domain-restrictions").findings.map((f) => f.status)).toEqual([
      "needs_review",
      "needs_review",
      "needs_review",
    ]);
  });

  it("Needs review wins over Not evaluated on the same row", () => {
    const report = gradedWorkspace([
      verdict(policyNameFor("data.pan-redaction"), wsUrn, "Not evaluated: the configuration is invalid", "advisory", "not_evaluated"),
      verdict(policyNameFor("data.pan-redaction"), wsUrn, "Content redaction is off.", "mandatory"),
    ]);
    expect(row(workspaceOf(report, "ws1"), "data.pan-redaction").status).toBe("Needs review");
  });
});

describe("buildReport: rows whose policies applied to nothing are Not in use", () => {
  const mobilePolicies = [
    policy("intercom-test-mobile-identity", ["mobile.identity-verification"]),
    policy("intercom-test-mobile-platform", ["mobile.identity-verification"], { kind: "stack", scope: { control: "MobileSdk" } }),
    policy("intercom-test-mobile-push", ["mobile.push-certificates"]),
    policy("intercom-test-mobile-encrypted", ["mobile.encrypted-mode"]),
  ];
  const sso = policy("intercom-test-sso", ["auth.sign-in-methods"]);
  const policies = [sso, ...mobilePolicies];
  const ws = workspace("ws1", "main");
  const ssoControl = control("SsoEnforcement", "sso", "ws1");
  const ios = control("MobileSdk", "ios", "ws1");

  it("with no MobileSdk, every mobile row is Not in use and the workspace can still be Secure", () => {
    const resources = [ws, ssoControl];
    // As preview records it: the mobile resource policies did not apply to a Workspace or an SsoEnforcement.
    const applied = appliedTo([ssoControl], [sso]);
    const report = buildReport({ policies, resources, verdicts: [], applied });
    const wsReport = workspaceOf(report, "ws1");
    expect(row(wsReport, "mobile.identity-verification").status).toBe("Not in use");
    expect(row(wsReport, "mobile.push-certificates").status).toBe("Not in use");
    expect(row(wsReport, "mobile.encrypted-mode").status).toBe("Not in use");
    expect(row(wsReport, "auth.sign-in-methods").status).toBe("Secure");
    // Rows no policy grades at all are Not in use as well.
    expect(row(wsReport, "auth.two-factor").status).toBe("Not in use");
    expect(wsReport.sections.map((s) => s.id)).toContain("mobile-sdks");
    expect(wsReport.overall).toBe("Secure");
  });

  it("a declared MobileSdk makes the mobile rows Secure (resource policies applied, stack policy in scope)", () => {
    const resources = [ws, ssoControl, ios];
    const applied = new Set([
      ...appliedTo([ssoControl], [sso]),
      ...appliedTo(
        [ios],
        mobilePolicies.filter((p) => p.kind === "resource"),
      ),
    ]);
    const wsReport = workspaceOf(buildReport({ policies, resources, verdicts: [], applied }), "ws1");
    expect(row(wsReport, "mobile.identity-verification").status).toBe("Secure");
    expect(row(wsReport, "mobile.push-certificates").status).toBe("Secure");
    expect(row(wsReport, "mobile.encrypted-mode").status).toBe("Secure");
  });

  it("a stack policy scoped to a control grades the row only when the workspace declares that control", () => {
    const platformOnly = [
      policy("intercom-test-mobile-platform", ["mobile.identity-verification"], { kind: "stack", scope: { control: "MobileSdk" } }),
    ];
    const without = workspaceOf(buildReport({ policies: platformOnly, resources: [ws], verdicts: [], applied: new Set() }), "ws1");
    const withSdk = workspaceOf(buildReport({ policies: platformOnly, resources: [ws, ios], verdicts: [], applied: new Set() }), "ws1");
    expect(row(without, "mobile.identity-verification").status).toBe("Not in use");
    expect(row(withSdk, "mobile.identity-verification").status).toBe("Secure");
  });

  it("an every-workspace stack policy and a schema policy grade any workspace with resources", () => {
    const policiesHere = [
      policy("intercom-test-declared", ["auth.two-factor"], { kind: "stack", scope: "every-workspace" }),
      policy("intercom-test-schema", ["auth.session-length"], { kind: "schema" }),
    ];
    const wsReport = workspaceOf(buildReport({ policies: policiesHere, resources: [ws], verdicts: [], applied: new Set() }), "ws1");
    expect(row(wsReport, "auth.two-factor").status).toBe("Secure");
    expect(row(wsReport, "auth.session-length").status).toBe("Secure");
  });

  it("a resource policy that ran on another workspace's resource does not grade this one", () => {
    const other = control("SsoEnforcement", "other-sso", "ws2");
    const report = buildReport({
      policies: [sso],
      resources: [ws, workspace("ws2", "second"), other],
      verdicts: [],
      applied: appliedTo([other], [sso]),
    });
    expect(row(workspaceOf(report, "ws1"), "auth.sign-in-methods").status).toBe("Not in use");
    expect(row(workspaceOf(report, "ws2"), "auth.sign-in-methods").status).toBe("Secure");
  });
});

describe("buildReport: sections shown only when relevant", () => {
  const phiPolicies = [
    policy("intercom-test-baa", ["hipaa.baa"], { kind: "stack", scope: "phi-workspaces" }),
    policy("intercom-test-consent", ["hipaa.consent"], { kind: "stack", scope: "phi-workspaces" }),
    policy("intercom-test-profiling", ["hipaa.profiling"], { kind: "stack", scope: "phi-workspaces" }),
    policy("intercom-test-safeguards", ["hipaa.safeguards"], { kind: "stack", scope: "phi-workspaces" }),
  ];
  const configPolicy = policy("intercom-test-workspace-declared", ["config.workspace"], { kind: "stack", scope: "every-workspace" });
  const policies = [...phiPolicies, configPolicy];

  it("shows the healthcare section, graded Secure, for a workspace that handles PHI", () => {
    const ws = workspace("phi1", "clinic", { handlesPhi: true });
    const wsReport = workspaceOf(buildReport({ policies, resources: [ws], verdicts: [], applied: new Set() }), "phi1");
    expect(wsReport.handlesPhi).toBe(true);
    const healthcare = wsReport.sections.find((s) => s.id === "healthcare");
    expect(healthcare?.title).toBe("Healthcare (HIPAA)");
    expect(healthcare?.items.map((i) => i.status)).toEqual(["Secure", "Secure", "Secure", "Secure"]);
    expect(wsReport.overall).toBe("Secure");
  });

  it("leaves the healthcare section out of a workspace without PHI", () => {
    const ws = workspace("plain1", "plain", { handlesPhi: false });
    const wsReport = workspaceOf(buildReport({ policies, resources: [ws], verdicts: [], applied: new Set() }), "plain1");
    expect(wsReport.handlesPhi).toBe(false);
    expect(wsReport.sections.map((s) => s.id)).not.toContain("healthcare");
  });

  it("shows the healthcare section for a workspace without PHI when it has a healthcare finding", () => {
    const ws = workspace("plain1", "plain");
    const report = buildReport({
      policies,
      resources: [ws],
      verdicts: [verdict("intercom-test-baa", ws.urn, "No signed BAA.", "mandatory")],
      applied: new Set(),
    });
    const healthcare = workspaceOf(report, "plain1").sections.find((s) => s.id === "healthcare");
    expect(healthcare).toBeDefined();
    expect(healthcare?.items.map((i) => [i.item.id, i.status])).toEqual([
      ["hipaa.baa", "Needs review"],
      ["hipaa.consent", "Not in use"],
      ["hipaa.profiling", "Not in use"],
      ["hipaa.safeguards", "Not in use"],
    ]);
  });

  it("shows the configuration section only when it has findings", () => {
    const ws = workspace("ws1", "main");
    const quiet = workspaceOf(buildReport({ policies, resources: [ws], verdicts: [], applied: new Set() }), "ws1");
    expect(quiet.sections.map((s) => s.id)).not.toContain("configuration");

    const noisy = workspaceOf(
      buildReport({
        policies,
        resources: [ws],
        verdicts: [verdict("intercom-test-workspace-declared", ws.urn, "Two workspaces share an id.", "mandatory")],
        applied: new Set(),
      }),
      "ws1",
    );
    const configuration = noisy.sections.find((s) => s.id === "configuration");
    expect(configuration?.title).toBe("Configuration integrity");
    expect(row(noisy, "config.workspace").status).toBe("Needs review");
    expect(noisy.sections.map((s) => s.id).slice(-1)).toEqual(["configuration"]);
  });
});

describe("buildReport: which workspace a finding belongs to", () => {
  const sso = policy("intercom-test-sso", ["auth.sign-in-methods"]);
  const policies: AnyPolicy[] = [sso];

  it("a finding on a control of an undeclared workspace creates that workspace, marked not declared", () => {
    const declared = workspace("ws1", "main");
    const orphan = control("SsoEnforcement", "orphan-sso", "zz999");
    const resources: DeclaredResource[] = [orphan, declared];
    const report = buildReport({
      policies,
      resources,
      verdicts: [verdict("intercom-test-sso", orphan.urn, "No SSO is required.", "mandatory")],
      applied: appliedTo([orphan], [sso]),
    });
    // Declared workspaces first, then workspaces only controls name.
    expect(report.workspaces.map((w) => [w.workspaceId, w.declared])).toEqual([
      ["ws1", true],
      ["zz999", false],
    ]);
    const undeclared = workspaceOf(report, "zz999");
    expect(undeclared).toMatchObject({
      name: undefined,
      securityContactEmail: undefined,
      handlesPhi: false,
      overall: "Issues found",
      blockingCount: 1,
    });
    expect(row(undeclared, "auth.sign-in-methods").findings).toEqual([expect.objectContaining({ resourceName: "orphan-sso" })]);
    expect(workspaceOf(report, "ws1").blockingCount).toBe(0);
    expect(report.other).toEqual([]);
    expect(report.blocking).toBe(true);
  });

  it("findings on unknown urns, and on resources outside any workspace, go to other", () => {
    const ws = workspace("ws1", "main");
    const stack: DeclaredResource = {
      urn: "urn:pulumi:dev::report-test::pulumi:pulumi:Stack::report-test-dev",
      name: "report-test-dev",
      type: "pulumi:pulumi:Stack",
      workspaceId: undefined,
    };
    const unknownUrn = "urn:pulumi:dev::report-test::aws:s3/bucket:Bucket::logs";
    const report = buildReport({
      policies,
      resources: [stack, ws],
      verdicts: [
        verdict("intercom-test-sso", unknownUrn, "about something this program never declared", "advisory"),
        verdict("intercom-test-sso", stack.urn, "about the stack", "mandatory"),
      ],
      applied: new Set(),
    });
    expect(report.other.map((f) => [f.urn, f.resourceName, f.message, f.blocking])).toEqual([
      [unknownUrn, undefined, "about something this program never declared", false],
      [stack.urn, "report-test-dev", "about the stack", true],
    ]);
    expect(report.workspaces.map((w) => w.workspaceId)).toEqual(["ws1"]);
    // Not the workspace's: its own status and counts are untouched.
    expect(workspaceOf(report, "ws1")).toMatchObject({ overall: "Secure", blockingCount: 0, reviewCount: 0 });
    // An other finding that is mandatory still blocks the preview.
    expect(report.blocking).toBe(true);
  });

  // A finding from a policy the CLI does not know (e.g. a newer pack given with --policy-pack) on a
  // workspace's resource fits no row: it must be shown under `other`, never dropped.
  it("a finding from a policy this tool does not know goes to other", () => {
    const ws = workspace("ws1", "main");
    const report = buildReport({
      policies,
      resources: [ws],
      verdicts: [verdict("intercom-from-a-newer-pack", ws.urn, "Something new is wrong.", "mandatory")],
      applied: new Set(),
    });
    expect(report.other.map((f) => f.policyName)).toEqual(["intercom-from-a-newer-pack"]);
  });

  it("keeps each workspace's findings apart", () => {
    const a = workspace("wsA", "a");
    const b = workspace("wsB", "b");
    const report = buildReport({
      policies,
      resources: [a, b],
      verdicts: [verdict("intercom-test-sso", b.urn, "only b", "advisory")],
      applied: appliedTo([a, b], policies),
    });
    expect(workspaceOf(report, "wsA").overall).toBe("Secure");
    expect(workspaceOf(report, "wsB")).toMatchObject({ overall: "Issues found", reviewCount: 1 });
  });
});

describe("buildReport: a policy mapped to two rows", () => {
  // As the generated `-declared` policies are: one stack policy grading every row its control's
  // resource policies grade.
  const declaredPolicy = policy("intercom-test-control-declared", ["auth.sign-in-methods", "auth.two-factor"], {
    kind: "stack",
    scope: "every-workspace",
  });
  const ws = workspace("ws1", "main");

  it("shows its finding under both rows, counted once", () => {
    const report = buildReport({
      policies: [declaredPolicy],
      resources: [ws],
      verdicts: [verdict(declaredPolicy.name, ws.urn, "Graded on Intercom's default.", "mandatory")],
      applied: new Set(),
    });
    const wsReport = workspaceOf(report, "ws1");
    for (const id of ["auth.sign-in-methods", "auth.two-factor"]) {
      const item = row(wsReport, id);
      expect(item.status).toBe("Needs review");
      expect(item.policies.map((p) => p.name)).toEqual([declaredPolicy.name]);
      expect(item.findings.map((f) => f.message)).toEqual(["Graded on Intercom's default."]);
    }
    expect(wsReport.blockingCount).toBe(1);
  });

  it("grades both rows Secure when it has nothing to say", () => {
    const wsReport = workspaceOf(buildReport({ policies: [declaredPolicy], resources: [ws], verdicts: [], applied: new Set() }), "ws1");
    expect(row(wsReport, "auth.sign-in-methods").status).toBe("Secure");
    expect(row(wsReport, "auth.two-factor").status).toBe("Secure");
    expect(row(wsReport, "auth.session-length").status).toBe("Not in use");
  });
});
