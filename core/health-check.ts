/**
 * The layout of Intercom's Security Health Check page: its four sections and the rows in each,
 * plus the sections this project adds (custom actions, healthcare, configuration integrity).
 * Policies point at rows by id; the report and the catalog are rendered from this table.
 */

export type SectionId =
  "authentication-access" | "messenger-security" | "data-protection" | "mobile-sdks" | "custom-actions" | "healthcare" | "configuration";

/** The inline action Intercom shows beside a row. */
export type ItemAction = "Edit" | "Configure" | "Open";

export interface HealthCheckItem {
  readonly id: string;
  readonly title: string;
  readonly action: ItemAction;
}

export interface HealthCheckSection {
  readonly id: SectionId;
  readonly title: string;
  /** The middle part of the ids of the section's policies: "AUTH" in IHC.AUTH.01. */
  readonly idPrefix: string;
  /** True for the four sections of Intercom's own page; false for sections this project adds. */
  readonly intercomSection: boolean;
  /** Shown only when something in it applies to the workspace (e.g. healthcare without PHI). */
  readonly onlyWhenRelevant: boolean;
  readonly items: readonly HealthCheckItem[];
}

export const healthCheckSections = [
  {
    id: "authentication-access",
    title: "Authentication & Access",
    idPrefix: "AUTH",
    intercomSection: true,
    onlyWhenRelevant: false,
    items: [
      { id: "auth.sign-in-methods", title: "SSO and sign-in methods", action: "Edit" },
      { id: "auth.two-factor", title: "Two-factor authentication", action: "Configure" },
      { id: "auth.session-length", title: "Secure session length", action: "Edit" },
      { id: "auth.ip-allowlist", title: "IP allowlisting", action: "Configure" },
      { id: "auth.identity-verification", title: "Identity verification (web Messenger)", action: "Open" },
      { id: "auth.security-contact", title: "Security contact", action: "Edit" },
    ],
  },
  {
    id: "messenger-security",
    title: "Messenger Security",
    idPrefix: "MSG",
    intercomSection: true,
    onlyWhenRelevant: false,
    items: [
      { id: "messenger.domain-restrictions", title: "Domain restrictions", action: "Edit" },
      { id: "messenger.session-duration", title: "Messenger session duration", action: "Edit" },
      { id: "messenger.mobile-api-endpoints", title: "Mobile API endpoints", action: "Open" },
      { id: "messenger.notification-content", title: "HIPAA-friendly notification content", action: "Configure" },
      { id: "messenger.jwt-hygiene", title: "Messenger JWTs and secret rotation", action: "Open" },
    ],
  },
  {
    id: "data-protection",
    title: "Data Protection",
    idPrefix: "DATA",
    intercomSection: true,
    onlyWhenRelevant: false,
    items: [
      { id: "data.pan-redaction", title: "PAN redaction", action: "Configure" },
      { id: "data.link-safety", title: "Link safety warnings", action: "Configure" },
      { id: "data.attachments", title: "File attachment controls", action: "Configure" },
      { id: "data.protected-attributes", title: "Protected attributes", action: "Open" },
    ],
  },
  {
    id: "mobile-sdks",
    title: "Mobile SDKs",
    idPrefix: "MOB",
    intercomSection: true,
    onlyWhenRelevant: false,
    items: [
      { id: "mobile.identity-verification", title: "Android and iOS identity verification", action: "Open" },
      { id: "mobile.push-certificates", title: "Certificates and push configuration", action: "Configure" },
      { id: "mobile.encrypted-mode", title: "Encrypted mode", action: "Configure" },
    ],
  },
  {
    id: "custom-actions",
    title: "Custom Actions",
    idPrefix: "ACT",
    intercomSection: false,
    onlyWhenRelevant: false,
    items: [
      { id: "actions.transport", title: "Endpoint and transport", action: "Edit" },
      { id: "actions.credentials", title: "Credentials", action: "Edit" },
      { id: "actions.identity", title: "User matching and identity", action: "Edit" },
      { id: "actions.response-data", title: "Response data mapping", action: "Edit" },
      { id: "actions.testing", title: "Tested before going live", action: "Open" },
    ],
  },
  {
    id: "healthcare",
    title: "Healthcare (HIPAA)",
    idPrefix: "HIPAA",
    intercomSection: false,
    onlyWhenRelevant: true,
    items: [
      { id: "hipaa.baa", title: "Business Associate Agreement", action: "Open" },
      { id: "hipaa.consent", title: "Server-side, consent-gated Messenger", action: "Configure" },
      { id: "hipaa.profiling", title: "Minimal behavioural profiling", action: "Configure" },
      { id: "hipaa.safeguards", title: "PHI safeguards in notifications and redaction", action: "Configure" },
    ],
  },
  {
    id: "configuration",
    title: "Configuration integrity",
    idPrefix: "CFG",
    intercomSection: false,
    onlyWhenRelevant: true,
    items: [
      { id: "config.schema", title: "Controls match their schema", action: "Edit" },
      { id: "config.workspace", title: "Controls belong to a declared workspace", action: "Edit" },
      { id: "config.single-instance", title: "One control of each kind per workspace", action: "Edit" },
      { id: "config.exceptions", title: "Accepted risks: exceptions and policy levels", action: "Edit" },
    ],
  },
] as const satisfies readonly HealthCheckSection[];

export type HealthCheckItemId = (typeof healthCheckSections)[number]["items"][number]["id"];

const itemsById = new Map<string, { item: HealthCheckItem; section: HealthCheckSection }>(
  healthCheckSections.flatMap((section) => section.items.map((item) => [item.id, { item, section }] as const)),
);

export function findItem(id: string): { item: HealthCheckItem; section: HealthCheckSection } {
  const found = itemsById.get(id);
  if (!found) throw new Error(`Unknown Health Check item "${id}"`);
  return found;
}

export function findSection(id: SectionId): HealthCheckSection {
  const section = healthCheckSections.find((s) => s.id === id);
  if (!section) throw new Error(`Unknown Health Check section "${id}"`);
  return section;
}
