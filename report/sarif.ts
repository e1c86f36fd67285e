import { SarifBuilder, SarifResultBuilder, SarifRuleBuilder, SarifRunBuilder } from "node-sarif-builder";
import type { Log, ReportingDescriptor, Result } from "sarif";
import type { Severity } from "../core/policy";
import type { ReportPolicy } from "./catalog";
import { escapeJsonForDisplay } from "../core/display";
import type { RunEvidence } from "./evidence";
import { DeclaredResource, HealthCheckReport, ReportFinding } from "./model";

/**
 * SARIF 2.1.0 for code scanning: one rule per policy of the report, one result per finding, each
 * with a logical location per resource (its URN, name and type) and, where the program's
 * registration showed it (DeclaredResource.declaredAt), the file and line that declared the
 * resource, relative to the program's directory. No location is invented.
 */

/** GitHub code scanning reads `security-severity` (0-10) to rank alerts; from the policy's severity. */
export const securitySeverity: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

export interface SarifOptions {
  readonly toolName: string;
  readonly toolVersion: string;
  readonly informationUri?: string;
  /** How the run was made (report/evidence.ts): its start, the commit, and the hashes, when known. */
  readonly evidence?: RunEvidence;
  /** The resources graded: a finding about one the program declared at a known place points there. */
  readonly resources?: readonly DeclaredResource[];
}

/** The base every physical location's path is relative to: the Pulumi program's directory. */
export const programUriBaseId = "PROGRAMROOT";

type DeclaredAt = NonNullable<DeclaredResource["declaredAt"]>;

/** A relative path as a SARIF URI reference: each segment percent-encoded, so no name reads as a scheme, query or another directory. */
function relativeUri(relativePath: string): string {
  return relativePath.split("/").map(encodeURIComponent).join("/");
}

/** Every policy the report names: those grading a row (enabled or disabled) and those behind a finding. */
export function policiesOf(report: HealthCheckReport): ReportPolicy[] {
  const byName = new Map<string, ReportPolicy>();
  for (const workspace of report.workspaces) {
    for (const section of workspace.sections) {
      for (const item of section.items) {
        for (const policy of [...item.policies, ...item.disabledPolicies]) byName.set(policy.name, policy);
      }
    }
  }
  for (const finding of allFindings(report)) if (finding.policy) byName.set(finding.policy.name, finding.policy);
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Every finding once, wherever it was filed (a workspace row, the unknown workspace, outside any).
 * A policy grading several rows lists its finding under each; findings are compared by policy,
 * resource and message (the report's summary counts them so too), not by identity, which
 * redaction does not keep.
 */
export function allFindings(report: HealthCheckReport): ReportFinding[] {
  const seen = new Set<string>();
  const all = [
    ...report.workspaces.flatMap((w) => w.sections.flatMap((s) => s.items.flatMap((i) => i.findings))),
    ...(report.unknownWorkspace?.findings ?? []),
    ...report.other,
  ];
  return all.filter((f) => {
    const key = JSON.stringify([f.policyName, f.urn, f.message]);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

function rule(policy: ReportPolicy): SarifRuleBuilder {
  const descriptor: ReportingDescriptor = {
    id: policy.name,
    name: policy.title,
    shortDescription: { text: policy.title },
    // A policy without a framework mapping carries no rationale over the protocol: its description then.
    fullDescription: { text: policy.rationale ?? policy.description },
    help: { text: policy.remediation.join("\n") },
    helpUri: policy.helpUrl,
    properties: {
      tags: ["security", policy.section, policy.criticality, policy.severity],
      "security-severity": securitySeverity[policy.severity],
      precision: "very-high",
      healthCheckId: policy.id,
      healthCheckItems: [...policy.items],
    },
  };
  return new SarifRuleBuilder(descriptor);
}

/** error: it blocks; note: waived by an exception (with its suppression); warning: advisory or not evaluated without blocking. */
function level(finding: ReportFinding): Result.level {
  if (finding.blocking) return "error";
  return finding.status === "waived" ? "note" : "warning";
}

function result(finding: ReportFinding, declaredAt: DeclaredAt | undefined): SarifResultBuilder {
  const exception = finding.status === "waived" ? finding.exception : undefined;
  const type = typeOfUrn(finding.urn);
  const options: Result = {
    ruleId: finding.policyName,
    level: level(finding),
    kind: "fail",
    message: { text: sarifPlainText(finding.message) },
    locations: [
      {
        ...(declaredAt
          ? {
              physicalLocation: {
                artifactLocation: { uri: relativeUri(declaredAt.path), uriBaseId: programUriBaseId },
                region: { startLine: declaredAt.line, startColumn: declaredAt.column },
              },
            }
          : {}),
        logicalLocations: [
          {
            fullyQualifiedName: finding.urn,
            ...(finding.resourceName !== undefined ? { name: finding.resourceName } : {}),
            kind: "resource",
            ...(type !== undefined ? { properties: { type } } : {}),
          },
        ],
      },
    ],
    partialFingerprints: { "policyAndResource/v1": `${finding.policyName}|${finding.urn}` },
    properties: {
      status: finding.status,
      blocking: finding.blocking,
      urn: finding.urn,
      ...(type !== undefined ? { resourceType: type } : {}),
    },
    ...(exception
      ? {
          suppressions: [
            {
              kind: "external",
              status: "accepted",
              justification: exception.justification,
              properties: {
                owner: exception.owner,
                approver: exception.approver,
                expires: exception.expires,
                ...(exception.ticket !== undefined ? { ticket: exception.ticket } : {}),
              },
            },
          ],
        }
      : {}),
  };
  return new SarifResultBuilder(options);
}

/**
 * A message's text as SARIF plain text: SARIF 2.1.0 (3.11.6) reads `[text](target)` in a message as
 * an embedded link, which viewers render as one, so program text (a resource name, a value) could
 * put a link in a code scanning alert. Literal brackets, and backslashes, are escaped with a backslash.
 */
export function sarifPlainText(text: string): string {
  return text.replace(/[\\[\]]/g, "\\$&");
}

/** The resource type a Pulumi URN names: `urn:pulumi:<stack>::<project>::<parent types$>type::<name>`. */
export function typeOfUrn(urn: string): string | undefined {
  const parts = urn.split("::");
  const qualified = parts.length >= 4 ? parts[2] : undefined;
  return qualified?.split("$").pop();
}

export function sarifLog(report: HealthCheckReport, options: SarifOptions): Log {
  const run = new SarifRunBuilder().initSimple({
    toolDriverName: options.toolName,
    toolDriverVersion: options.toolVersion,
    ...(options.informationUri !== undefined ? { url: options.informationUri } : {}),
  });
  for (const policy of policiesOf(report)) run.addRule(rule(policy));
  const declaredAt = new Map((options.resources ?? []).flatMap((r) => (r.declaredAt ? [[r.urn, r.declaredAt] as const] : [])));
  for (const finding of allFindings(report)) run.addResult(result(finding, declaredAt.get(finding.urn)));
  if (declaredAt.size > 0) {
    run.run.originalUriBaseIds = { [programUriBaseId]: { description: { text: "The Pulumi program's directory." } } };
  }
  if (options.evidence) addEvidence(run, options.evidence);
  const sarif = new SarifBuilder();
  sarif.addRun(run);
  // buildSarifOutput, not buildSarifJsonString: that one refuses any log whose text contains
  // "SARIF_BUILDER_INVALID", which a program could put in a resource name to suppress the report.
  return sarif.buildSarifOutput();
}

/**
 * The run's evidence where SARIF has a place for it: the invocation's start, the commit (version
 * control provenance needs a repository URI: only with a remote; else the commit is a property),
 * and the hashes and versions as run properties.
 */
function addEvidence(builder: SarifRunBuilder, evidence: RunEvidence): void {
  const run = builder.run;
  run.invocations = [{ executionSuccessful: true, startTimeUtc: evidence.ranAt }];
  if (evidence.git?.repository !== undefined) {
    run.versionControlProvenance = [{ repositoryUri: evidence.git.repository, revisionId: evidence.git.commit }];
  }
  run.properties = {
    ...run.properties,
    asOf: evidence.asOf,
    clockInjected: evidence.clockInjected,
    packName: evidence.pack.name,
    packVersion: evidence.pack.version,
    policySetSha256: evidence.pack.policySetSha256,
    inputKind: evidence.input.kind,
    inputSha256: evidence.input.sha256,
    configurationSha256: evidence.configuration.sha256,
    ...(evidence.configuration.profile !== undefined ? { profile: evidence.configuration.profile } : {}),
    ...(evidence.stack !== undefined ? { stack: evidence.stack } : {}),
    ...(evidence.git ? { gitCommit: evidence.git.commit, gitDirty: evidence.git.dirty } : {}),
  };
}

/** The SARIF log as JSON, with control and bidi characters written as \u escapes (the values are unchanged). */
export function renderSarif(report: HealthCheckReport, options: SarifOptions): string {
  return `${escapeJsonForDisplay(JSON.stringify(sarifLog(report, options), null, 2))}\n`;
}
