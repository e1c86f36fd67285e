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
import { escapeForDisplay, escapeJsonForDisplay } from "../core/display";
import { IntercomClient } from "../intercom/client";

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
  custom_authentication_token_creation: "CustomAction (authentication token)",
  admin_permission_change: "teammate permissions",
  role_change: "teammate roles",
};

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
      if (!log || typeof log.activity_type !== "string" || !Object.hasOwn(securityActivityTypes, log.activity_type)) return [];
      // created_at is Unix seconds; an entry without one is kept (it cannot be shown to be older than the window).
      const seconds = typeof log.created_at === "number" && Number.isFinite(log.created_at) ? log.created_at : undefined;
      if (seconds !== undefined && seconds < sinceSeconds) return [];
      const at = seconds !== undefined && Math.abs(seconds) < 8.64e12 ? new Date(seconds * 1000).toISOString() : "unknown";
      const by = log.performed_by ?? {};
      return [
        {
          id: text(log.id),
          activityType: log.activity_type,
          control: securityActivityTypes[log.activity_type] as string,
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
      created_at_after: String(sinceSeconds),
      ...(cursor !== undefined ? { starting_after: cursor } : {}),
    };
    const body = await client.request<ActivityLogPage>("GET", "/admins/activity_logs", { query });
    if (!body || !Array.isArray(body.activity_logs))
      throw new Error("Intercom's activity-log response has no activity_logs list: nothing can be said about drift");
    logs.push(...body.activity_logs);
    const next = body.pages?.next?.starting_after;
    if (typeof next !== "string" || next === "") break;
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
