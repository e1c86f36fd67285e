/**
 * What the ProtectedAttribute provider does in Intercom (`GET/POST /data_attributes`,
 * `PUT /data_attributes/{id}`). Kept apart from the provider object, which Pulumi serializes: the
 * provider loads this module by path when it runs (see ip-allowlist-api.ts).
 *
 * Apply: the attribute is found by model and name (a custom attribute by its name or
 * `custom_attributes.<name>`, a standard one by its full name, e.g. `email` or `plan.name`),
 * archived ones included. Missing, it is created (as a `string` custom attribute: the control names
 * no type) with the declared `messenger_writable`; a custom one that differs, or is archived, is
 * PUT with the declared value (and unarchived). Intercom's API gives standard attributes no id and
 * cannot change them: when a standard attribute's live value differs from the declared one, the
 * apply fails saying to change it in Intercom's settings, rather than record a protection that is
 * not there.
 *
 * Delete semantics: Intercom cannot delete data attributes. Deleting the resource (or
 * `pulumi destroy`) leaves the attribute and its `messenger_writable` as they are in Intercom and
 * stops managing it. It neither archives the attribute (that would hide it, and the data in it,
 * from every teammate, workflow and integration using it, and the attribute may predate this
 * resource) nor makes it Messenger-writable again (that would silently drop a protection).
 */
import { IntercomClient, IntercomConnection } from "./client";
import type { LiveControl, LiveReader } from "./live-types";
import { AppliedThrough, connectionOf, ProviderState } from "./ip-allowlist-api";

export type { ProviderState } from "./ip-allowlist-api";

const controlName = "ProtectedAttribute";
const models = ["contact", "company"] as const;
type Model = (typeof models)[number];

/** Intercom's representation (components/schemas/data_attribute). */
interface DataAttributeBody {
  readonly id?: number;
  readonly name?: string;
  readonly full_name?: string;
  readonly model?: string;
  readonly messenger_writable?: boolean;
  readonly custom?: boolean;
  readonly archived?: boolean;
}

interface DataAttributeList {
  readonly data?: DataAttributeBody[];
}

function clientFor(connection: IntercomConnection, state: ProviderState): IntercomClient {
  return new IntercomClient({ ...connection, ...(state.clientOptions ?? {}) });
}

function requireClient(state: ProviderState): IntercomClient {
  const connection = connectionOf(state);
  if (!connection) throw new Error(`${controlName}: no Intercom access token configured`);
  return clientFor(connection, state);
}

/** Applied through the API whenever a token is configured: every attribute can at least be read. */
export function appliedThroughFor(state: ProviderState): AppliedThrough {
  return connectionOf(state) !== undefined ? "api" : "declared";
}

function isModel(value: unknown): value is Model {
  return typeof value === "string" && (models as readonly string[]).includes(value);
}

/**
 * The names the control gives a model's attributes: a standard one's full (dotted) name, e.g.
 * `plan.name`; a custom one's own name, or its full name (`custom_attributes.<name>`) where a
 * standard attribute has that name, so that no two attributes share one.
 */
function controlNames(list: readonly DataAttributeBody[], model: Model): Map<DataAttributeBody, string> {
  const ofModel = list.filter((body) => body.model === model);
  const standard = new Set(ofModel.filter((body) => body.custom !== true).map((body) => body.full_name ?? body.name));
  const names = new Map<DataAttributeBody, string>();
  for (const body of ofModel) {
    const name = body.custom === true ? (standard.has(body.name) ? body.full_name : body.name) : (body.full_name ?? body.name);
    if (typeof name === "string" && name !== "") names.set(body, name);
  }
  return names;
}

async function listAttributes(client: IntercomClient, model: Model, includeArchived: boolean): Promise<DataAttributeBody[]> {
  const list = await client.request<DataAttributeList>("GET", "/data_attributes", {
    query: { model, include_archived: String(includeArchived) },
  });
  if (!Array.isArray(list?.data))
    throw new Error(`${controlName}: Intercom's data attribute list has no data: the live state cannot be read`);
  return list.data.filter((body) => typeof body === "object" && body !== null);
}

/** The live attribute, preferring an active one to an archived one of the same name; undefined when there is none. */
async function findAttribute(client: IntercomClient, model: Model, attribute: string): Promise<DataAttributeBody | undefined> {
  const list = await listAttributes(client, model, true);
  const names = controlNames(list, model);
  const found = list.filter((body) => names.has(body) && (names.get(body) === attribute || body.full_name === attribute));
  const active = found.filter((body) => body.archived !== true);
  if (active.length > 1) {
    throw new Error(
      `${controlName}: Intercom lists ${active.length} ${model} attributes named "${attribute.slice(0, 200)}": name it by its full name`,
    );
  }
  return active[0] ?? found[0];
}

interface AttributeSettings {
  readonly workspaceId: string;
  readonly model: Model;
  readonly attribute: string;
  readonly messengerWritable: boolean;
}

function settingsOf(props: Record<string, unknown>): AttributeSettings {
  if (!isModel(props.model) || typeof props.attribute !== "string" || props.attribute === "") {
    throw new Error(`${controlName}: the model (contact or company) and the attribute's name are needed to find it in Intercom`);
  }
  return {
    workspaceId: String(props.workspaceId),
    model: props.model,
    attribute: props.attribute,
    messengerWritable: props.messengerWritable === true,
  };
}

/** The settings as Intercom holds them, over the resource's other fields. */
function fromIntercom(props: Record<string, unknown>, body: DataAttributeBody): Record<string, unknown> {
  if (typeof body?.messenger_writable !== "boolean") {
    throw new Error(`${controlName}: Intercom's data attribute has no messenger_writable flag: the live state cannot be read`);
  }
  return { ...props, messengerWritable: body.messenger_writable, appliedThrough: "api" };
}

/** Create and update: find the attribute, create it if missing, and set `messenger_writable` as declared. */
export async function applyAttribute(props: Record<string, unknown>, state: ProviderState): Promise<Record<string, unknown>> {
  const client = requireClient(state);
  const settings = settingsOf(props);
  const live = await findAttribute(client, settings.model, settings.attribute);
  if (live === undefined) {
    const created = await client.request<DataAttributeBody>("POST", "/data_attributes", {
      // A custom attribute may be named by its full name; Intercom takes the bare name.
      body: {
        name: settings.attribute.replace(/^custom_attributes\./, ""),
        model: settings.model,
        data_type: "string",
        messenger_writable: settings.messengerWritable,
      },
    });
    return fromIntercom(props, created);
  }
  const archived = live.archived === true;
  if (live.messenger_writable === settings.messengerWritable && !archived) return fromIntercom(props, live);
  if (typeof live.id !== "number") {
    throw new Error(
      `${controlName}: the standard ${settings.model} attribute "${settings.attribute.slice(0, 200)}" is ${
        live.messenger_writable ? "" : "not "
      }Messenger-writable in Intercom, and Intercom's API cannot change a standard attribute: set "Prevent updates via the Messenger" ${
        settings.messengerWritable ? "off" : "on"
      } in Settings > Data, then run pulumi refresh`,
    );
  }
  const updated = await client.request<DataAttributeBody>("PUT", `/data_attributes/${live.id}`, {
    body: { messenger_writable: settings.messengerWritable, ...(archived ? { archived: false } : {}) },
  });
  return fromIntercom(props, updated);
}

/** Refresh and import: the attribute as Intercom holds it, or undefined when it is gone (missing or archived). */
export async function readAttribute(props: Record<string, unknown>, state: ProviderState): Promise<Record<string, unknown> | undefined> {
  const client = requireClient(state);
  const settings = settingsOf(props);
  const live = await findAttribute(client, settings.model, settings.attribute);
  if (live === undefined || live.archived === true) return undefined;
  return fromIntercom(props, live);
}

/** The resource's id: `ProtectedAttribute/<workspaceId>/<model>/<attribute>`, as the declared-state provider names it. */
export function idOf(props: { workspaceId?: unknown; model?: unknown; attribute?: unknown }): string {
  return [controlName, String(props.workspaceId), String(props.model), String(props.attribute)].join("/");
}

/** `pulumi import` gives only the id: the workspace, model and attribute are read back from it. */
export function propsFromId(id: string): { workspaceId: string; model: Model; attribute: string } {
  const match = /^ProtectedAttribute\/([^/]+)\/(contact|company)\/(.+)$/.exec(id);
  if (!match) {
    throw new Error(
      `${controlName}: cannot import "${id.slice(0, 200)}": the id is ProtectedAttribute/<workspaceId>/<contact|company>/<attribute>`,
    );
  }
  return { workspaceId: match[1] as string, model: match[2] as Model, attribute: match[3] as string };
}

/**
 * Every active contact and company attribute of the workspace, standard and custom, as the
 * control's inputs. An attribute whose `messenger_writable` Intercom does not return names it as
 * unreadable, never as protected.
 */
export const readLiveProtectedAttributes: LiveReader = async (client, workspaceId) => {
  const controls: LiveControl[] = [];
  for (const model of models) {
    const list = await listAttributes(client, model, false);
    const names = controlNames(list, model);
    for (const body of list) {
      const attribute = names.get(body);
      if (body.archived === true || attribute === undefined) continue;
      const readable = typeof body.messenger_writable === "boolean";
      controls.push({
        control: controlName,
        name: `${model}-${attribute}`,
        props: { workspaceId, model, attribute, ...(readable ? { messengerWritable: body.messenger_writable } : {}) },
        ...(readable ? {} : { unreadable: ["messengerWritable"] }),
      });
    }
  }
  return controls;
};
