import type { LevelChange } from "../core/exceptions";
import { FindingException, HealthCheckReport, ReportFinding } from "./model";

/**
 * The report as the tool's --json prints it: without back-references that JSON cannot hold (policy
 * metadata is kept by name). Stable and additive: fields are only ever added. A waived finding, or
 * one whose exception expired, carries `exception`; `levelChanges` lists every policy running below
 * its default level, with `accountability` null when none was given (a SHOULD policy, say).
 */
export function serializableReport(report: HealthCheckReport) {
  const exception = (e: FindingException) => ({
    index: e.index,
    ...(e.urn !== undefined ? { urn: e.urn } : {}),
    ...(e.workspace !== undefined ? { workspace: e.workspace } : {}),
    ...(e.resource !== undefined ? { resource: e.resource } : {}),
    justification: e.justification,
    owner: e.owner,
    approver: e.approver,
    ticket: e.ticket ?? null,
    expires: e.expires,
    expired: e.expiredSince !== undefined,
    ...(e.expiredSince !== undefined ? { blocksAgainSince: e.expiredSince } : {}),
  });
  const finding = (f: ReportFinding) => ({
    policy: f.policyName,
    status: f.status,
    blocking: f.blocking,
    message: f.message,
    urn: f.urn,
    resource: f.resourceName,
    ...(f.exception ? { exception: exception(f.exception) } : {}),
  });
  const levelChange = (c: LevelChange) => ({
    policy: c.policy,
    level: c.level,
    defaultLevel: c.defaultLevel,
    accountability: c.accountability
      ? {
          justification: c.accountability.justification,
          owner: c.accountability.owner,
          approver: c.accountability.approver,
          ticket: c.accountability.ticket ?? null,
          expires: c.accountability.expires,
        }
      : null,
  });
  return {
    blocking: report.blocking,
    workspaces: report.workspaces.map((w) => ({
      workspaceId: w.workspaceId,
      name: w.name,
      declared: w.declared,
      securityContactEmail: w.securityContactEmail ?? null,
      handlesPhi: w.handlesPhi,
      overall: w.overall,
      blockingCount: w.blockingCount,
      reviewCount: w.reviewCount,
      waivedCount: w.waivedCount,
      sections: w.sections.map((s) => ({
        id: s.id,
        title: s.title,
        items: s.items.map((i) => ({
          id: i.item.id,
          title: i.item.title,
          status: i.status,
          policies: i.policies.map((p) => p.name),
          disabledPolicies: i.disabledPolicies.map((p) => p.name),
          findings: i.findings.map(finding),
        })),
      })),
    })),
    unknownWorkspace: report.unknownWorkspace
      ? {
          resources: report.unknownWorkspace.resources.map((r) => ({ urn: r.urn, resource: r.name, type: r.type })),
          findings: report.unknownWorkspace.findings.map(finding),
        }
      : null,
    other: report.other.map(finding),
    unknownValues: report.unknownValues.map((u) => ({ urn: u.urn, resource: u.resourceName, type: u.type, paths: u.paths })),
    blockedByUnknowns: report.blockedByUnknowns.map(finding),
    levelChanges: report.levelChanges.map(levelChange),
    // Only when the clock was injected: expiries and ages were judged as of then.
    ...(report.asOf !== undefined ? { asOf: report.asOf } : {}),
  };
}
