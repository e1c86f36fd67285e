import { HealthCheckReport, ReportFinding } from "./model";

/**
 * The report with every program-derived value text (messages, workspace ids, names and contacts)
 * passed through `redact`: the tool's last line against a secret reaching its output, whichever
 * field carried it (a workspace id that was a Pulumi secret, say). Resource names and URNs are
 * identifiers Pulumi never treats as secret (they are in every URN and state file): kept exact.
 */
export function redactReport(report: HealthCheckReport, redact: (text: string) => string): HealthCheckReport {
  const optional = (text: string | undefined) => (text === undefined ? undefined : redact(text));
  const finding = (f: ReportFinding): ReportFinding => ({
    ...f,
    message: redact(f.message),
    // An exception's text is configuration, not the program's; redacted all the same (it may name a workspace id).
    ...(f.exception
      ? {
          exception: {
            ...f.exception,
            justification: redact(f.exception.justification),
            owner: redact(f.exception.owner),
            approver: redact(f.exception.approver),
            ...(f.exception.ticket !== undefined ? { ticket: redact(f.exception.ticket) } : {}),
            ...(f.exception.workspace !== undefined ? { workspace: redact(f.exception.workspace) } : {}),
          },
        }
      : {}),
  });
  return {
    ...report,
    workspaces: report.workspaces.map((w) => ({
      ...w,
      workspaceId: redact(w.workspaceId),
      name: optional(w.name),
      securityContactEmail: optional(w.securityContactEmail),
      sections: w.sections.map((s) => ({ ...s, items: s.items.map((i) => ({ ...i, findings: i.findings.map(finding) })) })),
    })),
    ...(report.unknownWorkspace
      ? { unknownWorkspace: { ...report.unknownWorkspace, findings: report.unknownWorkspace.findings.map(finding) } }
      : {}),
    other: report.other.map(finding),
    blockedByUnknowns: report.blockedByUnknowns.map(finding),
  };
}
