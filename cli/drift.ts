/**
 * `drift --since <date>`: security-relevant changes made in the Intercom workspace, read from the
 * admin activity log (`GET /admins/activity_logs`, created_at_after), with who made them and when.
 * A setting changed by hand in Intercom's UI never passes through `pulumi up`, so the policy pack
 * never sees it: this is where it shows.
 *
 * The activity types are names from the `activity_log.activity_type` enum of Intercom's OpenAPI
 * description (vendor/intercom-openapi; the tests check each against it), not guesses. The enum has
 * no type for data-attribute changes nor one naming the IP allowlist; what Intercom logs for those,
 * if anything, is not listed here.
 */
import junitReportBuilder from "junit-report-builder";
import { SarifBuilder, SarifResultBuilder, SarifRuleBuilder, SarifRunBuilder } from "node-sarif-builder";
import { escapeForDisplay, escapeJsonForDisplay } from "../core/display";
import { intercomActivityTypes } from "../intercom/activity-types.generated";
import { IntercomClient } from "../intercom/client";
import { escapeCommandData, escapeCommandProperty } from "../report/github";
import { md } from "../report/markdown";
import { sarifPlainText } from "../report/sarif";

/** Activity types that change what the Security Health Check grades, each with the control it concerns. */
export const securityActivityTypes: Readonly<Record<string, string>> = {
  admin_two_factor_auth_change: "TwoFactorAuthentication",
  security_settings_change: "security settings (sign-in, sessions, allowlists)",
  app_authentication_method_change: "SsoEnforcement",
  app_google_sso_domain_change: "SsoEnforcement",
  app_identity_verification_change: "MessengerSecurity",
  messenger_api_secret_creation: "MessengerSecurity (identity-verification secret)",
  messenger_api_secret_deletion: "MessengerSecurity (identity-verification secret)",
  trusted_domains_setting_change: "MessengerDomainRestriction",
  malicious_domains_setting_change: "LinkSafety",
  strip_inbound_email_links_change: "LinkSafety",
  content_redaction_rule_creation: "PanRedaction",
  content_redaction_rule_update: "PanRedaction",
  content_redaction_rule_deletion: "PanRedaction",
  allowed_attachment_filetypes_setting_change: "AttachmentPolicy",
  user_file_attachments_setting_change: "AttachmentPolicy",
  user_conversation_attachments_setting_change: "AttachmentPolicy",
  user_media_attachments_setting_change: "AttachmentPolicy",
  user_camera_attachments_setting_change: "AttachmentPolicy",
  custom_authentication_token_creation: "CustomAction (authentication token)",
  app_package_token_regeneration: "app credentials (installed app's token)",
  admin_impersonation_consent_approved: "workspace access (Intercom staff impersonation consent)",
  admin_permission_change: "teammate permissions",
  inbox_access_change: "teammate permissions (inbox access)",
  role_change: "teammate roles",
  role_creation: "teammate roles",
  role_deletion: "teammate roles",
};

/**
 * What an entry whose type this tool's copy of Intercom's description does not name concerns: a type Intercom added
 * later may change a security setting, so it is listed (and counts as drift) until a newer copy classifies it.
 */
export const unclassifiedActivity = "unclassified: an activity type newer than this tool's copy of Intercom's description";

/** One activity-log entry, as components/schemas/activity_log describes it (every field optional there). */
interface ActivityLog {
  readonly id?: unknown;
  readonly performed_by?: { readonly id?: unknown; readonly email?: unknown; readonly ip?: unknown } | null;
  readonly created_at?: unknown;
  readonly activity_type?: unknown;
  readonly activity_description?: unknown;
}

interface ActivityLogPage {
  readonly activity_logs?: readonly (ActivityLog | null)[];
  readonly pages?: {
    readonly page?: unknown;
    readonly total_pages?: unknown;
    readonly next?: { readonly starting_after?: unknown } | null;
  } | null;
}

export interface DriftEvent {
  readonly id: string | null;
  readonly activityType: string;
  readonly control: string;
  /** ISO 8601, from created_at (Unix seconds). */
  readonly at: string;
  readonly performedBy: { readonly id: string | null; readonly email: string | null; readonly ip: string | null };
  readonly description: string | null;
}

export interface DriftResult {
  readonly since: string;
  /** Entries the log returned in the window, security-relevant or not. */
  readonly scanned: number;
  readonly events: readonly DriftEvent[];
}

/** No workspace's log is read further than this: a cursor that never ends is refused, not followed forever. */
export const maxPages = 200;

const text = (value: unknown): string | null => (typeof value === "string" || typeof value === "number" ? String(value) : null);

/** The security-relevant entries at or after `sinceSeconds`, oldest first. Pure: the tests grade it on generated logs too. */
export function securityEvents(logs: readonly (ActivityLog | null)[], sinceSeconds: number): DriftEvent[] {
  return logs
    .flatMap((log) => {
      if (!log) return [];
      // A type Intercom's description names but this list does not is not security-relevant; any other type is unknown.
      const type = typeof log.activity_type === "string" ? log.activity_type : null;
      const control =
        type !== null && Object.hasOwn(securityActivityTypes, type)
          ? (securityActivityTypes[type] as string)
          : type !== null && intercomActivityTypes.has(type)
            ? undefined
            : unclassifiedActivity;
      if (control === undefined) return [];
      // created_at is Unix seconds; an entry without one is kept (it cannot be shown to be older than the window).
      const seconds = typeof log.created_at === "number" && Number.isFinite(log.created_at) ? log.created_at : undefined;
      if (seconds !== undefined && seconds < sinceSeconds) return [];
      const at = seconds !== undefined && Math.abs(seconds) < 8.64e12 ? new Date(seconds * 1000).toISOString() : "unknown";
      const by = log.performed_by ?? {};
      return [
        {
          id: text(log.id),
          activityType: type ?? "(none)",
          control,
          at,
          performedBy: { id: text(by.id), email: text(by.email), ip: text(by.ip) },
          description: text(log.activity_description),
        },
      ];
    })
    .sort((a, b) => a.at.localeCompare(b.at));
}

/** Reads the log from `since`, following Intercom's cursor, bounded by {@link maxPages}. */
export async function readDrift(client: IntercomClient, since: Date): Promise<DriftResult> {
  const sinceSeconds = Math.floor(since.getTime() / 1000);
  const logs: (ActivityLog | null)[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 1; ; page++) {
    if (page > maxPages) throw new Error(`the activity log has more than ${maxPages} pages since ${since.toISOString()}: narrow --since`);
    const query: Record<string, string> = {
      // A second early: Intercom does not say whether the bound is inclusive; the entries are filtered here, from since on.
      created_at_after: String(sinceSeconds - 1),
      ...(cursor !== undefined ? { starting_after: cursor } : {}),
    };
    const body = await client.request<ActivityLogPage>("GET", "/admins/activity_logs", { query });
    if (!body || !Array.isArray(body.activity_logs))
      throw new Error("Intercom's activity-log response has no activity_logs list: nothing can be said about drift");
    logs.push(...body.activity_logs);
    const next = body.pages?.next?.starting_after;
    if (typeof next !== "string" || next === "") {
      // A page that says more follow but names no cursor to them: what was read is not the whole log.
      const { page: at, total_pages: total } = body.pages ?? {};
      if (typeof at === "number" && typeof total === "number" && at < total)
        throw new Error(
          `Intercom's activity log is on page ${at} of ${total} pages but gives no cursor to the next: the log could not be read to its end`,
        );
      break;
    }
    // The same cursor twice would loop: fail rather than report a partial log as complete.
    if (seen.has(next))
      throw new Error("Intercom's activity log returned the same page cursor twice: the log could not be read to its end");
    seen.add(next);
    cursor = next;
  }
  return { since: since.toISOString(), scanned: logs.length, events: securityEvents(logs, sinceSeconds) };
}

export function renderDriftText(result: DriftResult): string {
  if (result.events.length === 0) {
    return `No security-relevant change in Intercom's activity log since ${result.since} (${result.scanned} entries read).\n`;
  }
  const lines = result.events.map((event) => {
    const who = event.performedBy.email ?? (event.performedBy.id !== null ? `admin ${event.performedBy.id}` : "unknown admin");
    const from = event.performedBy.ip !== null ? ` from ${event.performedBy.ip}` : "";
    const what = event.description !== null ? `: ${event.description}` : "";
    return escapeForDisplay(`  ${event.at}  ${event.activityType} (${event.control}) by ${who}${from}${what}`);
  });
  return [`${result.events.length} security-relevant change(s) in Intercom's activity log since ${result.since}:`, ...lines, ""].join("\n");
}

export function renderDriftJson(result: DriftResult): string {
  return `${escapeJsonForDisplay(JSON.stringify({ since: result.since, scanned: result.scanned, drift: result.events.length > 0, events: result.events }, null, 2))}\n`;
}

/** The formats `drift` writes: text and JSON, and the reporting commands' CI formats where a list of changes fits them. */
export const driftFormats = ["text", "json", "sarif", "junit", "markdown", "github"] as const;
export type DriftFormat = (typeof driftFormats)[number];

/** One line naming who changed what, when: every field Intercom sent, escaped for display (one visible line). */
function eventLine(event: DriftEvent): string {
  const who = event.performedBy.email ?? (event.performedBy.id !== null ? `admin ${event.performedBy.id}` : "unknown admin");
  const from = event.performedBy.ip !== null ? ` from ${event.performedBy.ip}` : "";
  const what = event.description !== null ? `: ${event.description}` : "";
  return escapeForDisplay(`${event.at} ${event.activityType} (${event.control}) by ${who}${from}${what}`);
}

/** Tool identity for the SARIF driver. */
export interface DriftToolIdentity {
  readonly toolName: string;
  readonly toolVersion: string;
}

/**
 * SARIF 2.1.0 (node-sarif-builder, as report/sarif.ts): one rule per security activity type, one
 * `error` result per change (a change found fails the run), located logically at the control it concerns.
 */
export function renderDriftSarif(result: DriftResult, tool: DriftToolIdentity): string {
  const run = new SarifRunBuilder().initSimple({ toolDriverName: tool.toolName, toolDriverVersion: tool.toolVersion });
  const types = [...new Set(result.events.map((e) => e.activityType))].sort();
  for (const type of types) {
    run.addRule(
      new SarifRuleBuilder().initSimple({
        ruleId: `intercom-drift/${type}`,
        shortDescriptionText: `Out-of-band change: ${type} (${securityActivityTypes[type] ?? "security setting"})`,
      }),
    );
  }
  for (const event of result.events) {
    run.addResult(
      new SarifResultBuilder({
        ruleId: `intercom-drift/${event.activityType}`,
        level: "error",
        kind: "fail",
        message: { text: sarifPlainText(eventLine(event)) },
        locations: [{ logicalLocations: [{ name: event.control, kind: "resource" }] }],
        ...(event.id !== null ? { partialFingerprints: { "activityLog/v1": event.id } } : {}),
        properties: { at: event.at, activityType: event.activityType, performedBy: event.performedBy, since: result.since },
      }),
    );
  }
  run.run.properties = { since: result.since, scanned: result.scanned };
  const sarif = new SarifBuilder();
  sarif.addRun(run);
  return `${escapeJsonForDisplay(JSON.stringify(sarif.buildSarifOutput(), null, 2))}\n`;
}

/** JUnit XML (junit-report-builder, as report/junit.ts): one failing case per change; a passing case when there is none. */
export function renderDriftJunit(result: DriftResult): string {
  const builder = junitReportBuilder.newBuilder().name("Intercom drift");
  const suite = builder.testSuite().name(`Security-relevant changes since ${result.since}`).property("scanned", String(result.scanned));
  if (result.events.length === 0) {
    suite.testCase().className("drift").name("No security-relevant change in the activity log");
  }
  for (const event of result.events) {
    suite
      .testCase()
      .className(escapeForDisplay(event.control))
      .name(escapeForDisplay(`${event.activityType} at ${event.at}`))
      .failure(
        eventLine(event).replace(/[\uFFFE\uFFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`),
        "drift",
      );
  }
  return `${builder.build()}\n`;
}

/** Markdown (report/markdown.ts's escaping): a table of the changes. */
export function renderDriftMarkdown(result: DriftResult): string {
  const cell = (value: string | null) => (value === null ? " " : md(escapeForDisplay(value)));
  const lines = [`## Intercom drift since ${md(result.since)}`, ""];
  if (result.events.length === 0) {
    lines.push(md(`No security-relevant change in Intercom's activity log (${result.scanned} entries read).`));
  } else {
    lines.push(`**${result.events.length} security-relevant change(s)** (${result.scanned} entries read)`, "");
    lines.push("| When | Change | Control | By | From | Description |", "| --- | --- | --- | --- | --- | --- |");
    for (const e of result.events) {
      const by = e.performedBy.email ?? (e.performedBy.id !== null ? `admin ${e.performedBy.id}` : "unknown admin");
      lines.push(`| ${[e.at, e.activityType, e.control, by, e.performedBy.ip, e.description].map(cell).join(" | ")} |`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** GitHub Actions workflow commands (report/github.ts's escaping): one `::error` per change. */
export function renderDriftGithub(result: DriftResult): string {
  const lines = result.events.map(
    (e) =>
      `::error title=${escapeCommandProperty(escapeForDisplay(`Intercom drift: ${e.activityType}`))}::${escapeCommandData(eventLine(e))}`,
  );
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}

export function renderDrift(format: DriftFormat, result: DriftResult, tool: DriftToolIdentity): string {
  switch (format) {
    case "text":
      return renderDriftText(result);
    case "json":
      return renderDriftJson(result);
    case "sarif":
      return renderDriftSarif(result, tool);
    case "junit":
      return renderDriftJunit(result);
    case "markdown":
      return renderDriftMarkdown(result);
    case "github":
      return renderDriftGithub(result);
  }
}
