import { z } from "zod";
import type { LevelChange } from "../core/exceptions";
import { canonicalSha256 } from "./digest";
import type { RunEvidence } from "./evidence";
import { FindingException, HealthCheckReport, ReportFinding } from "./model";

/**
 * The --json report's version (semver). Additive changes (a new optional field, a new enum value
 * a reader may ignore) bump the minor; removing or changing the meaning of a field bumps the
 * major. schemas/report.schema.json is generated from {@link jsonReportSchema} below.
 */
export const reportSchemaVersion = "1.1.0";

const accountabilitySchema = {
  justification: z.string(),
  owner: z.string(),
  approver: z.string(),
  ticket: z.string().nullable(),
  expires: z.string(),
};

const exceptionSchema = z.object({
  index: z.number().int().describe("Its position in the policy's `exceptions` list."),
  urn: z.string().optional(),
  workspace: z.string().optional(),
  resource: z.string().optional(),
  ...accountabilitySchema,
  expired: z.boolean(),
  blocksAgainSince: z.string().optional().describe("When it expired: the instant from which the finding blocks again."),
});

const findingSchema = z.object({
  policy: z.string(),
  status: z.enum(["needs_review", "not_evaluated", "waived"]),
  blocking: z.boolean(),
  message: z.string(),
  urn: z.string(),
  resource: z.string().optional().describe("The resource's name; absent when the resource is not known."),
  exception: exceptionSchema.optional(),
});

const itemStatusSchema = z.enum(["Secure", "Needs review", "Not evaluated", "Waived", "Not in use"]);

const shownValueSchema = z.union([
  z.object({ value: z.unknown() }),
  z.object({ secret: z.literal(true) }),
  z.object({ unknown: z.literal(true) }),
  z.object({ absent: z.literal(true) }),
]);

const remediationSchema = z.object({
  urn: z.string(),
  resource: z.string(),
  type: z.string(),
  policy: z.string(),
  description: z.string(),
  changes: z.array(z.object({ field: z.string(), before: shownValueSchema, after: shownValueSchema })),
  diagnostic: z.string().optional(),
});

const levelSchema = z.enum(["advisory", "mandatory", "disabled", "remediate"]);

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);

/** report/evidence.ts RunEvidence: how the run was made, for an auditor to file and `verify` to check. */
const evidenceSchema = z
  .object({
    ranAt: z.string().describe("When the run started (ISO instant, the real clock)."),
    asOf: z.string().describe("The moment date-based rules were judged at: the injected clock, or ranAt."),
    clockInjected: z.boolean(),
    tool: z.object({ name: z.string(), version: z.string() }),
    pack: z.object({
      name: z.string(),
      version: z.string(),
      policySetSha256: sha256Schema.describe("Of the policies the pack described (GetAnalyzerInfo), canonical JSON."),
    }),
    input: z.object({
      kind: z.enum(["program", "documents", "live"]),
      subject: z.string(),
      sha256: sha256Schema.describe("Of the normalised resources graded, canonical JSON, every secret and unknown replaced by a marker."),
      resourceCount: z.number().int(),
    }),
    configuration: z.object({
      profile: z.string().optional(),
      remediate: z.boolean().optional(),
      sha256: sha256Schema.describe("Of profile, remediate and policyConfig, canonical JSON."),
      policyConfig: z
        .record(z.string(), z.unknown())
        .describe(
          "As sent to the pack (profile and file merged) and as its Configure answered: levels, arguments, exceptions; empty: the pack's defaults.",
        ),
      levels: z
        .record(z.string(), z.string())
        .optional()
        .describe("Every policy's enforcement level in the run: configured, or the pack's default."),
    }),
    stack: z.string().optional(),
    git: z.object({ commit: z.string(), dirty: z.boolean(), repository: z.string().optional() }).optional(),
    frameworks: z.array(
      z.object({
        framework: z.string(),
        frameworkName: z.string(),
        reference: z.string(),
        policies: z.array(z.string()),
        status: z.enum(["Secure", "Waived", "Issues found", "Not evaluated", "Not in use"]),
      }),
    ),
  })
  .describe("How the run was made: clock, tool, pack, input, configuration, stack, commit, and the framework table.");

/** The single source of truth for the --json report's shape: the TypeScript type and the JSON Schema derive from it. */
export const jsonReportSchema = z
  .object({
    schemaVersion: z
      .string()
      .regex(/^1\.\d+\.\d+$/)
      .describe("This document's version (semver): a minor bump only adds fields."),
    pack: z.object({ name: z.string(), version: z.string() }).describe("The policy pack that graded the program."),
    allowUnknown: z.boolean(),
    blocking: z.boolean(),
    workspaces: z.array(
      z.object({
        workspaceId: z.string(),
        name: z.string().optional(),
        declared: z.boolean(),
        securityContactEmail: z.string().nullable(),
        handlesPhi: z.boolean(),
        overall: z.enum(["Secure", "Waived", "Issues found"]),
        blockingCount: z.number().int(),
        reviewCount: z.number().int(),
        waivedCount: z.number().int(),
        sections: z.array(
          z.object({
            id: z.string(),
            title: z.string(),
            items: z.array(
              z.object({
                id: z.string(),
                title: z.string(),
                status: itemStatusSchema,
                policies: z.array(z.string()),
                disabledPolicies: z.array(z.string()),
                findings: z.array(findingSchema),
              }),
            ),
          }),
        ),
      }),
    ),
    unknownWorkspace: z
      .object({
        resources: z.array(z.object({ urn: z.string(), resource: z.string(), type: z.string() })),
        findings: z.array(findingSchema),
      })
      .nullable(),
    other: z.array(findingSchema),
    unknownValues: z.array(
      z.object({
        urn: z.string(),
        resource: z.string(),
        type: z.string(),
        paths: z.array(z.string()),
        reason: z
          .literal("not_readable")
          .optional()
          .describe(
            "not_readable: audit --live could not read these values through Intercom's API (declare them); absent: not known until the update.",
          ),
      }),
    ),
    blockedByUnknowns: z.array(findingSchema),
    levelChanges: z.array(
      z.object({
        policy: z.string(),
        level: levelSchema,
        defaultLevel: levelSchema,
        accountability: z.object(accountabilitySchema).nullable(),
      }),
    ),
    asOf: z.string().optional().describe("Only when the clock was injected: expiries and ages were judged as of then."),
    remediations: z.array(remediationSchema).optional().describe("With --remediate: each fix a remediating policy made."),
    evidence: evidenceSchema.optional(),
    digest: z
      .object({ algorithm: z.literal("sha256"), value: sha256Schema })
      .describe(
        "SHA-256 over the canonical JSON (sorted keys, no whitespace) of this document without `digest`: `verify` recomputes it. Detects an edit, not a forger, who can recompute it.",
      ),
  })
  .describe("The Intercom Security Health Check report, as `intercom-health-check preview --format json` prints it.");

export type JsonReport = z.infer<typeof jsonReportSchema>;
export type JsonRemediation = z.infer<typeof remediationSchema>;

export interface JsonReportContext {
  readonly pack: { readonly name: string; readonly version: string };
  readonly allowUnknown: boolean;
  readonly remediations?: readonly JsonRemediation[];
  readonly evidence?: RunEvidence;
}

/** The whole --json document: version, pack, the report, and the remediations when there are some. */
export function jsonReport(report: HealthCheckReport, context: JsonReportContext): JsonReport {
  const body = {
    schemaVersion: reportSchemaVersion,
    pack: { name: context.pack.name, version: context.pack.version },
    allowUnknown: context.allowUnknown,
    ...serializableReport(report),
    ...(context.remediations ? { remediations: [...context.remediations] } : {}),
    ...(context.evidence ? { evidence: JSON.parse(JSON.stringify(context.evidence)) as NonNullable<JsonReport["evidence"]> } : {}),
  };
  return { ...body, digest: reportDigest(body) };
}

/**
 * The digest of a --json document: SHA-256 over the canonical JSON of the document (as JSON holds
 * it: a field left undefined is absent) without its `digest` field.
 */
export function reportDigest(document: object): { algorithm: "sha256"; value: string } {
  const { digest: _digest, ...body } = document as Record<string, unknown>;
  return { algorithm: "sha256", value: canonicalSha256(JSON.parse(JSON.stringify(body))) };
}

/**
 * The report as the tool's --json prints it: without back-references that JSON cannot hold (policy
 * metadata is kept by name). Stable and additive: fields are only ever added. A waived finding, or
 * one whose exception expired, carries `exception`; `levelChanges` lists every policy running below
 * its default level, with `accountability` null when none was given (a SHOULD policy, say).
 */
export function serializableReport(
  report: HealthCheckReport,
): Omit<JsonReport, "schemaVersion" | "pack" | "allowUnknown" | "remediations" | "evidence" | "digest"> {
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
    unknownValues: report.unknownValues.map((u) => ({
      urn: u.urn,
      resource: u.resourceName,
      type: u.type,
      paths: [...u.paths],
      ...(u.reason !== undefined ? { reason: u.reason } : {}),
    })),
    blockedByUnknowns: report.blockedByUnknowns.map(finding),
    levelChanges: report.levelChanges.map(levelChange),
    // Only when the clock was injected: expiries and ages were judged as of then.
    ...(report.asOf !== undefined ? { asOf: report.asOf } : {}),
  };
}
