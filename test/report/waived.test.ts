/**
 * Waived findings and policies below their default level in the report: the row and workspace
 * statuses (Waived is never Secure, never blocking), the exception's fields on each finding, the
 * expired exception that blocks again, and the list of downgraded policies, in the model, the
 * text and the JSON. Hand-made verdicts; the classifier of cli/preview.ts over hand-made diagnostics.
 */
import fc from "fast-check";
import { AnalyzerDiagnostic, CapturedResource } from "../../cli/analyzer-client";
import { verdictClassifier, waiverTarget } from "../../cli/preview";
import { withFindingPayload } from "../../core/finding-payload";
import type { LevelChange } from "../../core/exceptions";
import { HealthCheckItemId, healthCheckSections } from "../../core/health-check";
import { buildReport, FindingException, ReportFindingStatus, Verdict } from "../../report/model";
import { serializableReport } from "../../report/json";
import { renderText } from "../../report/text";
import { propertyParameters } from "../support/property";
import { appliedTo, onePolicyPerItem, policyNameFor, urnOf, workspace } from "./fixtures";

const exception: FindingException = {
  index: 0,
  workspace: "ws1",
  resource: "main",
  justification: "Legacy widget until the migration ships",
  owner: "alice@example.com",
  approver: "bob@example.com",
  ticket: "SEC-12",
  expires: "2027-01-15",
};

type Kind = "waived" | "review" | "blocking" | "not_evaluated" | "waived-without-exception" | "waived-but-mandatory" | "expired";

function verdictOf(kind: Kind, policyName: string, urn: string, n: number): Verdict {
  const base = { policyName, urn, message: `finding ${n}` };
  switch (kind) {
    case "waived":
      return { ...base, enforcementLevel: "advisory", status: "waived", exception };
    case "waived-without-exception":
      return { ...base, enforcementLevel: "advisory", status: "waived" };
    case "waived-but-mandatory":
      return { ...base, enforcementLevel: "mandatory", status: "waived", exception };
    case "expired":
      return {
        ...base,
        enforcementLevel: "mandatory",
        status: "needs_review",
        exception: { ...exception, expiredSince: "2027-01-16T00:00:00.000Z" },
      };
    case "review":
      return { ...base, enforcementLevel: "advisory", status: "needs_review" };
    case "blocking":
      return { ...base, enforcementLevel: "mandatory", status: "needs_review" };
    case "not_evaluated":
      return { ...base, enforcementLevel: "advisory", status: "not_evaluated" };
  }
}

/** The status a finding of that kind must have, and whether it blocks. */
const expected: Record<Kind, { status: ReportFindingStatus; blocking: boolean }> = {
  waived: { status: "waived", blocking: false },
  "waived-without-exception": { status: "needs_review", blocking: false },
  "waived-but-mandatory": { status: "needs_review", blocking: true },
  expired: { status: "needs_review", blocking: true },
  review: { status: "needs_review", blocking: false },
  blocking: { status: "needs_review", blocking: true },
  not_evaluated: { status: "not_evaluated", blocking: false },
};

const items = healthCheckSections.filter((s) => !s.onlyWhenRelevant).flatMap((s) => s.items.map((i) => i.id as HealthCheckItemId));
const kinds: Kind[] = ["waived", "review", "blocking", "not_evaluated", "waived-without-exception", "waived-but-mandatory", "expired"];

describe("Waived in the report model", () => {
  const ws = workspace("ws1", "main");
  const policies = onePolicyPerItem();
  const applied = appliedTo([ws], policies);

  it("generated: a row is Waived exactly when its only findings are waived; the workspace is Issues found, Waived or Secure as documented", () => {
    const rows = fc.array(fc.tuple(fc.constantFrom(...items), fc.array(fc.constantFrom(...kinds), { maxLength: 3 })), { maxLength: 6 });
    fc.assert(
      fc.property(rows, (chosen) => {
        const byItem = new Map<string, Kind[]>();
        for (const [item, ks] of chosen) byItem.set(item, [...(byItem.get(item) ?? []), ...ks]);
        let n = 0;
        const verdicts = [...byItem].flatMap(([item, ks]) => ks.map((k) => verdictOf(k, policyNameFor(item), ws.urn, n++)));
        const report = buildReport({ policies, resources: [ws], verdicts, applied });
        const workspaceReport = report.workspaces[0]!;
        const all = [...byItem.values()].flat().map((k) => expected[k]);
        for (const section of workspaceReport.sections) {
          for (const row of section.items) {
            const statuses = row.findings.map((f) => f.status);
            const want = statuses.includes("needs_review")
              ? "Needs review"
              : statuses.includes("not_evaluated")
                ? "Not evaluated"
                : statuses.length > 0
                  ? "Waived"
                  : "Secure";
            expect(row.status).toBe(want);
            for (const f of row.findings) {
              if (f.status === "waived") expect({ blocking: f.blocking, exception: f.exception }).toEqual({ blocking: false, exception });
            }
          }
        }
        const waived = all.filter((f) => f.status === "waived").length;
        const blocking = all.filter((f) => f.blocking).length;
        expect([workspaceReport.blockingCount, workspaceReport.reviewCount, workspaceReport.waivedCount]).toEqual([
          blocking,
          all.length - blocking - waived,
          waived,
        ]);
        expect(workspaceReport.overall).toBe(all.length > waived ? "Issues found" : waived > 0 ? "Waived" : "Secure");
        expect(report.blocking).toBe(blocking > 0);
        expect(report.blockedByUnknowns.filter((f) => f.status === "waived")).toEqual([]);
      }),
      propertyParameters(200),
    );
  });

  it("a waived finding on a control with values not known yet is not counted as blocked by unknowns", () => {
    const report = buildReport({
      policies,
      resources: [ws],
      verdicts: [verdictOf("waived", policyNameFor("auth.sign-in-methods"), ws.urn, 0)],
      applied,
      unknownValues: [{ urn: ws.urn, resourceName: "main", type: ws.type, paths: ["name"] }],
    });
    expect(report.blockedByUnknowns).toEqual([]);
    expect(report.workspaces[0]!.overall).toBe("Waived");
  });

  it("lists the policies below their default level as given", () => {
    const changes: LevelChange[] = [
      {
        policy: "intercom-a",
        level: "disabled",
        defaultLevel: "mandatory",
        accountability: { justification: "Replaced by our IdP's own control", owner: "alice", approver: "bob", expires: "2027-01-31" },
      },
      { policy: "intercom-b", level: "disabled", defaultLevel: "advisory" },
    ];
    expect(buildReport({ policies, resources: [ws], verdicts: [], applied, levelChanges: changes }).levelChanges).toEqual(changes);
    expect(buildReport({ policies, resources: [ws], verdicts: [], applied }).levelChanges).toEqual([]);
  });
});

describe("Waived in the text and the JSON", () => {
  const ws = workspace("ws1", "main");
  const policies = onePolicyPerItem();
  const sso = policyNameFor("auth.sign-in-methods");
  const twoFactor = policyNameFor("auth.two-factor");
  const changes: LevelChange[] = [
    {
      policy: "intercom-ip-allowlist-entries",
      level: "advisory",
      defaultLevel: "mandatory",
      accountability: {
        justification: "Office move\u001b[2J in progress",
        owner: "alice",
        approver: "bob",
        ticket: "SEC-9",
        expires: "2027-01-31",
      },
    },
    { policy: "intercom-security-contact", level: "disabled", defaultLevel: "advisory" },
  ];
  const report = buildReport({
    policies,
    resources: [ws],
    verdicts: [verdictOf("waived", sso, ws.urn, 1), verdictOf("expired", twoFactor, ws.urn, 2)],
    applied: appliedTo([ws], policies),
    levelChanges: changes,
  });
  const text = renderText(report, { subject: "prog", packName: "p", packVersion: "1" });

  it("shows a waived finding with its exception's fields, and an expired one blocking since when", () => {
    expect(text).toContain(`WAIVED ${sso} [main]: finding 1`);
    expect(text).toContain(
      'Waived until 2027-01-15 by exception 0: justification "Legacy widget until the migration ships"; owner alice@example.com; approver bob@example.com; ticket SEC-12',
    );
    expect(text).toContain(`BLOCKING ${twoFactor} [main]: finding 2`);
    expect(text).toContain("Exception 0 expired (2027-01-15): not waived since 2027-01-16T00:00:00.000Z");
    expect(text).toMatch(/\[wv\] .*: Waived/);
    expect(text).toContain("Overall: Issues found (1 blocking, 0 to review, 1 waived)");
    expect(text).toContain("1 blocking, 0 advisory and 1 waived finding(s)");
  });

  it("lists every policy below its default level, with its justification or none, configuration text escaped", () => {
    expect(text).toContain("Policies below their default level (by configuration)");
    expect(text).toContain("  intercom-ip-allowlist-entries: advisory, not mandatory");
    expect(text).toContain(
      '    Until 2027-01-31: justification "Office move\\x1b[2J in progress"; owner alice; approver bob; ticket SEC-9',
    );
    expect(text).toContain("  intercom-security-contact: disabled, not checked\n    No justification given.");
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(text).not.toMatch(/\u001b/);
  });

  it("JSON: waivedCount, the exception on each finding that has one, and levelChanges, additively", () => {
    const json = JSON.parse(JSON.stringify(serializableReport(report))) as ReturnType<typeof serializableReport>;
    const findings = json.workspaces[0]!.sections.flatMap((s) => s.items.flatMap((i) => i.findings));
    expect(json.workspaces[0]!).toMatchObject({ overall: "Issues found", blockingCount: 1, reviewCount: 0, waivedCount: 1 });
    expect(findings.find((f) => f.policy === sso)).toEqual({
      policy: sso,
      status: "waived",
      blocking: false,
      message: "finding 1",
      urn: ws.urn,
      resource: "main",
      exception: {
        index: 0,
        workspace: "ws1",
        resource: "main",
        justification: exception.justification,
        owner: exception.owner,
        approver: exception.approver,
        ticket: "SEC-12",
        expires: "2027-01-15",
        expired: false,
      },
    });
    expect(findings.find((f) => f.policy === twoFactor)?.exception).toMatchObject({
      expired: true,
      blocksAgainSince: "2027-01-16T00:00:00.000Z",
    });
    expect(json.levelChanges).toEqual([
      {
        policy: "intercom-ip-allowlist-entries",
        level: "advisory",
        defaultLevel: "mandatory",
        accountability: { ...changes[0]!.accountability, ticket: "SEC-9" },
      },
      { policy: "intercom-security-contact", level: "disabled", defaultLevel: "advisory", accountability: null },
    ]);
  });
});

describe("the clock a report was evaluated by", () => {
  it("an injected clock (--as-of, INTERCOM_HEALTH_CHECK_AS_OF) is stated in the text and the JSON: expiries and ages were judged as of then; the real time states nothing", () => {
    const verdicts = [
      { policyName: "p", urn: "u", message: "m", enforcementLevel: "advisory" as const, status: "waived" as const, exception },
    ];
    const injected = buildReport({ policies: [], resources: [], verdicts, applied: new Set(), asOf: "2020-01-15" });
    const real = buildReport({ policies: [], resources: [], verdicts, applied: new Set() });
    const text = (report: typeof real) => renderText(report, { subject: "prog", packName: "p", packVersion: "1" });
    expect(text(injected)).toContain(
      "Evaluated as of 2020-01-15 (an injected clock: --as-of or INTERCOM_HEALTH_CHECK_AS_OF), not the current time",
    );
    expect(text(real)).not.toContain("Evaluated as of");
    expect(serializableReport(injected)).toMatchObject({ asOf: "2020-01-15" });
    expect(serializableReport(real)).not.toHaveProperty("asOf");
  });
});

describe("cli/preview's classifier: waived from the pack's payload confirmed by the configuration sent, never from message text", () => {
  const now = new Date("2026-11-21T00:00:00Z");
  const policy = "intercom-pan-redaction";
  const urn = urnOf("PanRedaction", "legacy");
  const resource = (workspaceId: unknown): CapturedResource =>
    ({
      urn,
      name: "legacy",
      type: "pulumi-nodejs:dynamic/intercom:PanRedaction",
      properties: { workspaceId },
    }) as unknown as CapturedResource;
  const accountable = { justification: "Legacy widget until the migration ships", owner: "alice", approver: "bob", expires: "2027-01-15" };
  const diagnostic = (message: string, enforcementLevel: AnalyzerDiagnostic["enforcementLevel"] = "advisory"): AnalyzerDiagnostic => ({
    policyName: policy,
    policyPackName: "p",
    policyPackVersion: "1",
    description: "Description",
    message: `Description\n${message}`,
    enforcementLevel,
    urn,
  });
  const waivedMessage = withFindingPayload(`Waived until 2027-01-15 (${policy} exceptions[0]): Card numbers are not redacted.`, {
    status: "waived",
    exception: 0,
    expires: "2027-01-15",
  });
  const reviewMessage = withFindingPayload("Card numbers are not redacted.", { status: "needs_review" });
  const classify = (exceptions: unknown[], workspaceId: unknown = "ab12cd34", when: Date = now) =>
    verdictClassifier(
      { [policy]: { enforcementLevel: "mandatory", exceptions } },
      new Map([[urn, waiverTarget(resource(workspaceId))]]),
      when,
      [],
      new Set([policy]),
    );

  it("a waived payload with its unexpired exception covering the resource (by name or by URN) is waived, with its fields; the payload line is not shown", () => {
    for (const cover of [{ workspace: "ab12cd34", resource: "legacy" }, { urn }]) {
      const verdict = classify([{ ...cover, ...accountable }])(diagnostic(waivedMessage));
      expect(verdict).toMatchObject({ status: "waived", exception: { index: 0, ...cover, ...accountable } });
      expect(verdict.message).toBe(`Waived until 2027-01-15 (${policy} exceptions[0]): Card numbers are not redacted.`);
      expect(verdict.exception?.expiredSince).toBeUndefined();
    }
  });

  it("the waived wording without the payload, or a payload naming another exception or expiry, is not waived", () => {
    const byName = [{ workspace: "ab12cd34", resource: "legacy", ...accountable }];
    const wording = `Waived until 2027-01-15 (${policy} exceptions[0]): Card numbers are not redacted.`;
    expect(classify(byName)(diagnostic(wording)).status).toBe("needs_review");
    expect(
      classify(byName)(diagnostic(withFindingPayload(wording, { status: "waived", exception: 1, expires: "2027-01-15" }))).status,
    ).toBe("needs_review");
    expect(
      classify(byName)(diagnostic(withFindingPayload(wording, { status: "waived", exception: 0, expires: "2027-01-14" }))).status,
    ).toBe("needs_review");
  });

  it("a policy that does not declare the payload (another pack's) is classified by its level only, whatever its last line says", () => {
    const byName = [{ workspace: "ab12cd34", resource: "legacy", ...accountable }];
    const foreign = verdictClassifier(
      { [policy]: { enforcementLevel: "mandatory", exceptions: byName } },
      new Map([[urn, waiverTarget(resource("ab12cd34"))]]),
      now,
      [],
      new Set(),
    );
    for (const payload of [
      { status: "waived" as const, exception: 0, expires: "2027-01-15" },
      { status: "not_evaluated" as const, pending: true as const },
    ]) {
      const verdict = foreign(diagnostic(withFindingPayload("Bucket is public.", payload)));
      expect(verdict.status).toBe("needs_review");
      // Not ours: its whole message is shown, the last line included.
      expect(verdict.message).toBe(withFindingPayload("Bucket is public.", payload));
    }
  });

  it("the SDK's own can't-run advisory (no payload; the one status read from text) is not evaluated; a violation quoting it is not", () => {
    const cannotRun = `can't run policy '${policy}' from policy pack 'p@v1' during preview: "channels" is unknown`;
    const declared = classify([]);
    expect(declared({ ...diagnostic(""), message: cannotRun }).status).toBe("not_evaluated");
    expect(declared({ ...diagnostic(""), message: cannotRun, enforcementLevel: "mandatory" }).status).toBe("needs_review");
    expect(declared(diagnostic(cannotRun)).status).toBe("needs_review");
    expect(declared(diagnostic(withFindingPayload(cannotRun, { status: "needs_review" }))).status).toBe("needs_review");
  });

  it("a waived message without such an exception is not waived: none configured, a look-alike name, a secret workspace id, a mandatory verdict", () => {
    const byName = [{ workspace: "ab12cd34", resource: "legacy", ...accountable }];
    expect(classify([])(diagnostic(waivedMessage)).status).toBe("needs_review");
    expect(classify([{ workspace: "ab12cd34", resource: "Legacy", ...accountable }])(diagnostic(waivedMessage)).status).toBe(
      "needs_review",
    );
    expect(
      classify(byName, { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "ab12cd34" })(
        diagnostic(waivedMessage),
      ).status,
    ).toBe("needs_review");
    expect(classify(byName)(diagnostic(waivedMessage, "mandatory")).status).toBe("needs_review");
  });

  it("an exception covering the resource does not waive a message that does not say so; once expired it says since when", () => {
    const byName = [{ workspace: "ab12cd34", resource: "legacy", ...accountable }];
    expect(classify(byName)(diagnostic(reviewMessage, "mandatory"))).toMatchObject({ status: "needs_review" });
    const later = classify(byName, "ab12cd34", new Date("2027-02-01T00:00:00Z"))(diagnostic(reviewMessage, "mandatory"));
    expect(later).toMatchObject({
      status: "needs_review",
      exception: { index: 0, expires: "2027-01-15", expiredSince: "2027-01-16T00:00:00.000Z" },
    });
  });

  it("generated: a verdict the pack waived that the tool cannot confirm (its exception expired by the tool's clock, or covers nothing) blocks at the policy's configured level", () => {
    // The pack reports a waived finding as advisory; if the tool, reading the same configuration,
    // finds no unexpired exception covering it (another clock, an expiry instant between the two),
    // the finding is not accepted, so it keeps the level configuration runs its policy at.
    const reason = fc.constantFrom("expired", "none", "look-alike", "secret-workspace");
    fc.assert(
      fc.property(
        reason,
        fc.constantFrom("mandatory", "remediate", "advisory"),
        fc.integer({ min: 0, max: 400 }),
        (why, level, daysLate) => {
          const byName = [{ workspace: "ab12cd34", resource: why === "look-alike" ? "legacy\u200b" : "legacy", ...accountable }];
          const exceptions = why === "none" ? [] : byName;
          const when = why === "expired" ? new Date(Date.parse("2027-01-16T00:00:00Z") + daysLate * 86_400_000) : now;
          const workspaceId =
            why === "secret-workspace"
              ? { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "ab12cd34" }
              : "ab12cd34";
          const verdict = verdictClassifier(
            { [policy]: { enforcementLevel: level, exceptions } },
            new Map([[urn, waiverTarget(resource(workspaceId))]]),
            when,
            [],
            new Set([policy]),
          )(diagnostic(waivedMessage));
          expect(verdict.status).toBe("needs_review");
          expect(verdict.enforcementLevel).toBe(level === "advisory" ? "advisory" : "mandatory");
          const report = buildReport({ policies: [], resources: [], verdicts: [verdict], applied: new Set() });
          expect(report.blocking).toBe(level !== "advisory");
        },
      ),
      propertyParameters(60),
    );
  });
});
