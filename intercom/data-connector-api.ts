/**
 * What the CustomAction provider does in Intercom (`/data_connectors`, API 2.16). Kept apart from
 * the provider object, which Pulumi serializes: the provider loads this module by path when it
 * runs (see ip-allowlist-api.ts).
 *
 * Applied: name, method (`http_method`), URL, headers, tokenId (`token_ids`), audiences, state
 * and bypassAuthentication. Declared only, because Intercom's create and update requests have no
 * field for them: identityMatch, testedAt and responseMappings (Intercom returns `object_mappings`,
 * but cannot set them, and their path model does not map one to one onto the control's). The
 * control has no request-body field, so the connector's body template is left as it is.
 *
 * Create refuses a name a connector already has in the workspace (import that one instead);
 * Intercom creates a connector in draft, so a `live` one is set live by a second request.
 * Intercom returns every header value as `"****"`: refresh keeps the recorded value of each header
 * still there and shows a header added by hand with Intercom's `"****"`, so it differs from any
 * declared value. Header values (and the URL, which may hold a credential) are only ever output at
 * their own path, where Pulumi keeps the secretness the program gave them, and are redacted from
 * every error.
 *
 * Delete semantics: deleting the resource (or `pulumi destroy`) sets the connector to draft, so it
 * stops running for customers, then deletes it, as Intercom requires. Intercom refuses (409) while
 * a workflow or AI agent uses it: the delete fails saying so, and the connector is left as it was.
 * To stop managing a connector without deleting it, give the resource `retainOnDelete: true` first.
 */
import { IntercomApiError, IntercomClient, IntercomConnection } from "./client";
import type { LiveControl, LiveReader } from "./live-types";
import { AppliedThrough, connectionOf, ProviderState } from "./ip-allowlist-api";
import { secretRedactor } from "../core/redaction";

export type { ProviderState } from "./ip-allowlist-api";

const controlName = "CustomAction";

/** Intercom's marker for a header value it never returns. */
export const redactedHeaderValue = "****";

/** The control's fields no data-connector request can set: recorded as declared, read as unreadable. */
export const declaredOnlyFields = ["identityMatch", "testedAt", "responseMappings"] as const;

const audiences = ["users", "leads", "visitors"] as const;
const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Intercom's representation (components/schemas/data_connector_detail). */
interface ConnectorBody {
  readonly id?: string;
  readonly name?: string;
  readonly state?: string;
  readonly url?: string | null;
  readonly headers?: Array<{ name?: string; value?: string }>;
  readonly http_method?: string;
  readonly audiences?: string[];
  readonly token_ids?: string[];
  readonly bypass_authentication?: boolean;
}

interface ConnectorList {
  readonly data?: ConnectorBody[];
  readonly pages?: { next?: { starting_after?: string } | null };
}

/** A client that keeps `sensitive` (header values, the URL) out of its errors as it keeps the token out. */
function requireClient(state: ProviderState, sensitive: readonly string[] = []): IntercomClient {
  const connection: IntercomConnection | undefined = connectionOf(state);
  if (!connection) throw new Error(`${controlName}: no Intercom access token configured`);
  return new IntercomClient({ ...connection, sensitive, ...(state.clientOptions ?? {}) });
}

/** Applied through the API whenever a token is configured. */
export function appliedThroughFor(state: ProviderState): AppliedThrough {
  return connectionOf(state) !== undefined ? "api" : "declared";
}

function headersOf(settings: Record<string, unknown>): Record<string, string> {
  const headers = settings.headers;
  if (typeof headers !== "object" || headers === null) return {};
  return Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

/** What may hold a credential: every header value and the URL. Hidden in every error this module lets out. */
function sensitiveValues(...settings: Array<Record<string, unknown> | undefined>): string[] {
  return settings.flatMap((s) => (s ? [...Object.values(headersOf(s)), ...(typeof s.url === "string" ? [s.url] : [])] : []));
}

/** Runs a step against Intercom, rethrowing its failure with the sensitive values redacted (same error class). */
async function redactingErrors<T>(secrets: readonly string[], step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    const redact = secretRedactor(secrets.filter((s) => s !== ""));
    if (error instanceof IntercomApiError) {
      const ErrorClass = error.constructor as typeof IntercomApiError;
      throw new ErrorClass(
        redact(error.message),
        error.kind,
        error.status,
        error.codes.map(redact),
        error.requestId === undefined ? undefined : redact(error.requestId),
      );
    }
    throw new Error(redact(error instanceof Error ? error.message : String(error)));
  }
}

/** The create and update request's fields, from the control's settings. */
function requestOf(settings: Record<string, unknown>): Record<string, unknown> {
  return {
    name: settings.name,
    http_method: String(settings.method).toLowerCase(),
    url: settings.url,
    audiences: settings.audiences,
    headers: Object.entries(headersOf(settings)).map(([name, value]) => ({ name, value })),
    token_ids: typeof settings.tokenId === "string" ? [settings.tokenId] : [],
    bypass_authentication: settings.bypassAuthentication === true,
  };
}

/** One token is the control's tokenId; several cannot be one field: shown joined, so they differ from any declared one. */
function tokenIdOf(tokenIds: readonly string[]): string | undefined {
  return tokenIds.length === 0 ? undefined : tokenIds.join(", ");
}

/**
 * The connector as Intercom holds it, over the recorded settings: each mapped field Intercom
 * returned replaces the recorded one; a field it did not return keeps what was recorded.
 */
function fromIntercom(recorded: Record<string, unknown>, body: ConnectorBody): Record<string, unknown> {
  const out: Record<string, unknown> = { ...recorded };
  if (typeof body.name === "string") out.name = body.name;
  if (typeof body.http_method === "string") out.method = body.http_method.toUpperCase();
  if (typeof body.url === "string") out.url = body.url;
  if (Array.isArray(body.audiences)) out.audiences = [...body.audiences];
  if (body.state === "draft" || body.state === "live") out.state = body.state;
  if (typeof body.bypass_authentication === "boolean") out.bypassAuthentication = body.bypass_authentication;
  if (Array.isArray(body.token_ids)) {
    const tokenId = tokenIdOf(body.token_ids);
    if (tokenId === undefined) delete out.tokenId;
    else out.tokenId = tokenId;
  }
  if (Array.isArray(body.headers)) {
    const known = headersOf(recorded);
    const names = body.headers.flatMap((h) => (typeof h?.name === "string" ? [h.name] : []));
    if (names.length === 0 && recorded.headers === undefined) delete out.headers;
    else {
      // Header names are case-insensitive: a recorded header keeps its spelling and value whatever case Intercom returns.
      const recordedName = (name: string) => Object.keys(known).find((key) => key.toLowerCase() === name.toLowerCase());
      out.headers = Object.fromEntries(
        names.map((name) => {
          const key = recordedName(name);
          return key === undefined ? [name, redactedHeaderValue] : [key, known[key]];
        }),
      );
    }
  }
  return out;
}

function applied(settings: Record<string, unknown>, body: ConnectorBody): Record<string, unknown> {
  if (typeof body?.id !== "string" || body.id === "") {
    throw new Error(`${controlName}: Intercom's data connector response has no id: the connector cannot be managed`);
  }
  return { ...fromIntercom(settings, body), connectorId: body.id, appliedThrough: "api" };
}

/** No workspace's connector list is read further than this: a list still going on is refused, not taken as the whole. */
const maxConnectorPages = 200;

/** Every connector of the workspace (the list's summaries), page by page; bounded, and stops on a repeated cursor. */
async function listConnectors(client: IntercomClient): Promise<ConnectorBody[]> {
  const byId = new Map<string, ConnectorBody>();
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; ; page++) {
    if (page >= maxConnectorPages) {
      throw new Error(
        `${controlName}: Intercom's data connector list goes on past ${maxConnectorPages} pages: the live state cannot be read whole`,
      );
    }
    const list = await client.request<ConnectorList>("GET", "/data_connectors", {
      query: { per_page: "50", ...(cursor !== undefined ? { starting_after: cursor } : {}) },
    });
    if (!Array.isArray(list?.data))
      throw new Error(`${controlName}: Intercom's data connector list has no data: the live state cannot be read`);
    for (const connector of list.data) {
      // A connector skipped here would be missing from the audit: one that cannot be named by its id fails the read.
      const id = typeof connector?.id === "number" && Number.isSafeInteger(connector.id) ? String(connector.id) : connector?.id;
      if (typeof id !== "string" || id === "")
        throw new Error(`${controlName}: Intercom's data connector list holds a connector with no id: the live state cannot be read`);
      byId.set(id, { ...connector, id });
    }
    const next = list.pages?.next?.starting_after;
    if (typeof next !== "string" || next === "" || seen.has(next) || list.data.length === 0) break;
    seen.add(next);
    cursor = next;
  }
  return [...byId.values()];
}

async function createConnector(client: IntercomClient, settings: Record<string, unknown>): Promise<Record<string, unknown>> {
  const existing = (await listConnectors(client)).find((c) => c.name === settings.name);
  if (existing) {
    throw new Error(
      `${controlName}: Intercom already has a data connector named "${String(settings.name).slice(0, 200)}" (id ${String(existing.id).slice(0, 40)}): ` +
        `import it (pulumi import with the id CustomAction/<workspaceId>/${String(existing.id).slice(0, 40)}) or choose another name`,
    );
  }
  let body = await client.request<ConnectorBody>("POST", "/data_connectors", { body: requestOf(settings) });
  // Intercom creates every connector in draft.
  if (settings.state === "live" && typeof body?.id === "string") {
    const id = body.id;
    try {
      body = await client.request<ConnectorBody>("PATCH", `/data_connectors/${encodeURIComponent(id)}`, { body: { state: "live" } });
    } catch (error) {
      // Pulumi records nothing of a failed create: say where the draft is, or the next attempt finds its name taken.
      if (!(error instanceof IntercomApiError)) throw error;
      throw new IntercomApiError(
        `${error.message} The connector was created in draft (id ${id.slice(0, 40)}): import it with the id CustomAction/<workspaceId>/${id.slice(0, 40)}, or delete it in Intercom, then run pulumi up again.`,
        error.kind,
        error.status,
        error.codes,
        error.requestId,
      );
    }
  }
  return applied(settings, body);
}

/** Create: POST the connector (refusing a name already taken), then set it live if declared live. */
export async function createAction(settings: Record<string, unknown>, state: ProviderState): Promise<Record<string, unknown>> {
  const sensitive = sensitiveValues(settings);
  return redactingErrors(sensitive, () => createConnector(requireClient(state, sensitive), settings));
}

/** Update: PATCH every applied field of the connector, or create it when it was declared only so far. */
export async function updateAction(
  connectorId: string | undefined,
  settings: Record<string, unknown>,
  state: ProviderState,
  olds?: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const sensitive = sensitiveValues(settings, olds);
  return redactingErrors(sensitive, async () => {
    const client = requireClient(state, sensitive);
    if (connectorId === undefined) return createConnector(client, settings);
    const body = await client.request<ConnectorBody>("PATCH", `/data_connectors/${encodeURIComponent(connectorId)}`, {
      body: { ...requestOf(settings), state: settings.state },
    });
    return applied(settings, body);
  });
}

/** Refresh and import: the connector as Intercom holds it, or undefined when it is gone (404). */
export async function readAction(
  connectorId: string,
  recorded: Record<string, unknown>,
  state: ProviderState,
): Promise<Record<string, unknown> | undefined> {
  const sensitive = sensitiveValues(recorded);
  return redactingErrors(sensitive, async () => {
    try {
      const body = await requireClient(state, sensitive).request<ConnectorBody>(
        "GET",
        `/data_connectors/${encodeURIComponent(connectorId)}`,
      );
      return applied(recorded, body);
    } catch (error) {
      if (error instanceof IntercomApiError && error.status === 404) return undefined;
      throw error;
    }
  });
}

/** Delete: draft first (Intercom deletes only drafts), then delete; a connector already gone is fine. */
export async function deleteAction(connectorId: string, recorded: Record<string, unknown>, state: ProviderState): Promise<void> {
  const sensitive = sensitiveValues(recorded);
  await redactingErrors(sensitive, async () => {
    const client = requireClient(state, sensitive);
    const path = `/data_connectors/${encodeURIComponent(connectorId)}`;
    try {
      await client.request("PATCH", path, { body: { state: "draft" } });
      await client.request("DELETE", path);
    } catch (error) {
      if (error instanceof IntercomApiError && error.status === 404) return;
      if (error instanceof IntercomApiError && error.status === 409) {
        throw new IntercomApiError(
          `${controlName}: Intercom will not delete data connector ${connectorId.slice(0, 40)} while a workflow or AI agent uses it (409): ` +
            `remove it from them and run pulumi destroy again, or set retainOnDelete: true to stop managing it and leave it in Intercom. ${error.message}`,
          error.kind,
          error.status,
          error.codes,
          error.requestId,
        );
      }
      throw error;
    }
  });
}

/** The resource's id once applied: `CustomAction/<workspaceId>/<connectorId>` (also what `pulumi import` takes). */
export function idOf(workspaceId: unknown, connectorId: string): string {
  return [controlName, String(workspaceId), connectorId].join("/");
}

/** `pulumi import` gives only the id: the workspace and Intercom's connector id are read back from it. */
export function propsFromId(id: string): { workspaceId: string; connectorId: string } {
  const match = /^CustomAction\/([^/]+)\/([^/]+)$/.exec(id);
  if (!match)
    throw new Error(
      `${controlName}: cannot import "${id.slice(0, 200)}": the id is CustomAction/<workspaceId>/<Intercom data connector id>`,
    );
  return { workspaceId: match[1] as string, connectorId: match[2] as string };
}

/** One connector's detail as the control's inputs, naming what Intercom does not return as unreadable. */
function liveControlOf(body: ConnectorBody, workspaceId: string, name: string): LiveControl {
  const props: Record<string, unknown> = { workspaceId, name: body.name };
  const unreadable: string[] = [];
  const method = typeof body.http_method === "string" ? body.http_method.toUpperCase() : undefined;
  if (method !== undefined && (methods as readonly string[]).includes(method)) props.method = method;
  else unreadable.push("method");
  if (typeof body.url === "string" && body.url !== "") props.url = body.url;
  else unreadable.push("url");
  // Intercom never returns a header value: with any header, the headers cannot be read.
  if (Array.isArray(body.headers) && body.headers.length === 0) props.headers = {};
  else unreadable.push("headers");
  if (Array.isArray(body.audiences) && body.audiences.every((a) => (audiences as readonly string[]).includes(a)))
    props.audiences = [...body.audiences];
  else unreadable.push("audiences");
  if (body.state === "draft" || body.state === "live") props.state = body.state;
  else unreadable.push("state");
  if (typeof body.bypass_authentication === "boolean") props.bypassAuthentication = body.bypass_authentication;
  else unreadable.push("bypassAuthentication");
  if (Array.isArray(body.token_ids) && body.token_ids.length <= 1) {
    if (body.token_ids.length === 1) props.tokenId = body.token_ids[0];
  } else unreadable.push("tokenId");
  unreadable.push(...declaredOnlyFields);
  return { control: controlName, name, props, unreadable };
}

/**
 * Every data connector of the workspace, as the control's inputs: the list, then each connector's
 * detail in the version it runs in (its state). Header values, identityMatch, testedAt and
 * responseMappings are never returned as the control declares them: they are named unreadable.
 */
export const readLiveCustomActions: LiveReader = async (client, workspaceId) => {
  const controls: LiveControl[] = [];
  const names = new Set<string>();
  for (const summary of await listConnectors(client)) {
    const id = summary.id as string;
    const version = summary.state === "draft" || summary.state === "live" ? { state_version: summary.state } : undefined;
    const detail = await client.request<ConnectorBody>(
      "GET",
      `/data_connectors/${encodeURIComponent(id)}`,
      version ? { query: version } : {},
    );
    const name = typeof detail?.name === "string" && detail.name !== "" ? detail.name : `data-connector-${id}`;
    // Names are unique in a workspace; should two collide, the id keeps the logical names apart.
    const logical = names.has(name) ? `${name}-${id}` : name;
    names.add(logical);
    controls.push(liveControlOf({ ...detail, name: typeof detail?.name === "string" ? detail.name : name }, workspaceId, logical));
  }
  return controls;
};
