/**
 * What the IpAllowlist provider does in Intercom (`GET/PUT /ip_allowlist`, API 2.14+). Kept apart
 * from the provider object, which Pulumi serializes: the provider loads this module by path when it
 * runs, so nothing here is captured into the state file.
 *
 * Only the `rest_api` scope is applied: the endpoint sets the workspace's REST API IP allowlist.
 * The dashboard's allowlist has no public API and stays declared state.
 *
 * Delete semantics: deleting the resource (or `pulumi destroy`) PUTs `{enabled: false, ip_allowlist: []}`,
 * Intercom's default: the REST API accepts calls from every address again. To stop managing the
 * allowlist without opening it, give the resource `retainOnDelete: true` before removing it.
 */
import { ConfigSource, connectionFrom, IntercomClient, IntercomConnection } from "./client";
import type { LiveControl, LiveReader } from "./live-types";

export type AppliedThrough = "api" | "declared";

/** Intercom's representation (components/schemas/ip_allowlist). */
interface IpAllowlistBody {
  readonly type?: string;
  readonly enabled?: boolean;
  readonly ip_allowlist?: string[];
}

export interface IpAllowlistProps {
  readonly workspaceId: string;
  readonly scope: "dashboard" | "rest_api";
  readonly enabled: boolean;
  readonly entries: readonly string[];
  readonly [key: string]: unknown;
}

export interface ProviderState {
  /** Set by the provider's configure (the stack's configuration); the environment is read otherwise. */
  config?: ConfigSource;
  /** Tests only: client options (an injected sleep, say). */
  clientOptions?: { sleep?: (ms: number) => Promise<void>; maxAttempts?: number };
}

export function connectionOf(state: ProviderState): IntercomConnection | undefined {
  return connectionFrom(state.config, process.env);
}

function clientFor(connection: IntercomConnection, state: ProviderState): IntercomClient {
  return new IntercomClient({ ...connection, ...(state.clientOptions ?? {}) });
}

/** Whether these settings are applied through the API: a token is configured and the scope has an endpoint. */
export function appliedThroughFor(props: { scope?: unknown }, state: ProviderState): AppliedThrough {
  return props.scope === "rest_api" && connectionOf(state) !== undefined ? "api" : "declared";
}

/** Intercom's representation as the control's settings: the one mapping the provider, `audit --live` and `import` share. */
function settingsFromIntercom(body: IpAllowlistBody): { enabled: boolean; entries: string[] } {
  if (typeof body?.enabled !== "boolean" || !Array.isArray(body.ip_allowlist)) {
    throw new Error("Intercom's IP allowlist response has no enabled flag or list: the live state cannot be read");
  }
  return { enabled: body.enabled, entries: [...body.ip_allowlist] };
}

/** The settings as Intercom holds them, over the resource's other fields. */
function fromIntercom(props: Record<string, unknown>, body: IpAllowlistBody): Record<string, unknown> {
  return { ...props, ...settingsFromIntercom(body), appliedThrough: "api" };
}

export async function putAllowlist(
  props: Record<string, unknown>,
  state: ProviderState,
  settings: { enabled: boolean; entries: readonly string[] },
): Promise<Record<string, unknown>> {
  const connection = connectionOf(state);
  if (!connection) throw new Error("IpAllowlist: no Intercom access token configured");
  const body = await clientFor(connection, state).request<IpAllowlistBody>("PUT", "/ip_allowlist", {
    body: { enabled: settings.enabled, ip_allowlist: [...settings.entries] },
  });
  return fromIntercom(props, body);
}

export async function getAllowlist(props: Record<string, unknown>, state: ProviderState): Promise<Record<string, unknown>> {
  const connection = connectionOf(state);
  if (!connection) throw new Error("IpAllowlist: no Intercom access token configured");
  const body = await clientFor(connection, state).request<IpAllowlistBody>("GET", "/ip_allowlist");
  return fromIntercom(props, body);
}

/** The resource's id: `IpAllowlist/<workspaceId>/<scope>`, as the declared-state provider names it. */
export function idOf(props: { workspaceId?: unknown; scope?: unknown }): string {
  return ["IpAllowlist", String(props.workspaceId), String(props.scope)].join("/");
}

/** `pulumi import` gives only the id: the workspace and scope are read back from it. */
export function propsFromId(id: string): { workspaceId: string; scope: "rest_api" } {
  const match = /^IpAllowlist\/([^/]+)\/rest_api$/.exec(id);
  if (!match)
    throw new Error(
      `IpAllowlist: cannot import "${id.slice(0, 200)}": the id is IpAllowlist/<workspaceId>/rest_api (only the REST API allowlist can be read)`,
    );
  return { workspaceId: match[1] as string, scope: "rest_api" };
}

/**
 * `audit --live` and `import`: the REST API allowlist as Intercom holds it (GET), and the dashboard's
 * allowlist, which no endpoint reads: its settings are unreadable (graded not evaluated, never Secure).
 */
export const readIpAllowlist: LiveReader = async (client: IntercomClient, workspaceId: string): Promise<LiveControl[]> => {
  const body = await client.request<IpAllowlistBody>("GET", "/ip_allowlist");
  return [
    { control: "IpAllowlist", name: "rest-api-allowlist", props: { workspaceId, scope: "rest_api", ...settingsFromIntercom(body) } },
    { control: "IpAllowlist", name: "dashboard-allowlist", props: { workspaceId, scope: "dashboard" }, unreadable: ["enabled", "entries"] },
  ];
};
