/**
 * The registry of live readers (`audit --live`, `import`): for each control, the function that reads
 * its instances from Intercom's REST API. A plain list: to add a control, export a {@link LiveReader}
 * from the module that maps it (beside its provider's API calls) and add one entry here. Every
 * control without an entry, and every field a reader names in `unreadable`, is reported as "not
 * readable through the API: declare it" and graded as not evaluated, never Secure.
 */
import { ControlDefinition } from "../core/control";
import { allControls, workspaceControl } from "../resources";
import { IntercomApiError, IntercomClient } from "./client";
import { readLiveCustomActions } from "./data-connector-api";
import { readLiveProtectedAttributes } from "./data-attribute-api";
import { readLiveMessengerSecretRotation } from "./identity-verification-secret-api";
import { readIpAllowlist } from "./ip-allowlist-api";
import type { LiveControl, LiveReader } from "./live-types";
import { readWorkspaceIdentity } from "./workspace-api";

export interface RegisteredLiveReader {
  /** The control's name (its ControlDefinition name). */
  readonly control: string;
  readonly read: LiveReader;
}

/** Every control the API can read (the Workspace itself is read from `/me` first: its id is every reader's argument). */
export const liveReaders: readonly RegisteredLiveReader[] = [
  { control: "IpAllowlist", read: readIpAllowlist },
  // Only the rotation date: a MessengerSecurity per platform holding a secret, every other field unreadable.
  { control: "MessengerSecurity", read: readLiveMessengerSecretRotation },
  { control: "ProtectedAttribute", read: readLiveProtectedAttributes },
  { control: "CustomAction", read: readLiveCustomActions },
];

/** Why a control was not read: no endpoint exposes it, or the token may not read it (403). */
export type UnreadableReason = "no_api" | "forbidden";

export interface LiveWorkspace {
  readonly workspaceId: string;
  /** The Workspace control first, then every other control: read ones, and one unreadable stand-in per control that was not read. */
  readonly controls: readonly LiveControl[];
  /** The controls that were not read at all, and why. */
  readonly notRead: readonly { readonly control: string; readonly reason: UnreadableReason }[];
}

/** Top-level fields of a control but its workspaceId: what a stand-in for an unread control leaves unknown. */
export function settingFields(definition: ControlDefinition): string[] {
  return Object.keys(definition.schema.shape).filter((field) => field !== "workspaceId");
}

/** A control nothing read: every field unreadable (optional ones too, so that no rule grades an absence it cannot see). */
export function unreadControl(definition: ControlDefinition, workspaceId: string): LiveControl {
  return { control: definition.name, name: kebabCase(definition.name), props: { workspaceId }, unreadable: settingFields(definition) };
}

function kebabCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

/**
 * Reads the workspace the client's token belongs to with every registered reader. A reader refused
 * with 403 (a token without that scope) leaves its control unread, as one without a reader; any other
 * failure (401, an outage) ends the read: a partial read is never graded as the whole.
 */
export async function readLiveWorkspace(
  client: IntercomClient,
  readers: readonly RegisteredLiveReader[] = liveReaders,
): Promise<LiveWorkspace> {
  const workspace = await readWorkspaceIdentity(client);
  const workspaceId = workspace.props["workspaceId"] as string;
  const controls: LiveControl[] = [workspace];
  const notRead: Array<{ control: string; reason: UnreadableReason }> = [];
  for (const definition of allControls) {
    if (definition === workspaceControl) continue;
    const own = readers.filter((r) => r.control === definition.name);
    if (own.length === 0) {
      controls.push(unreadControl(definition, workspaceId));
      notRead.push({ control: definition.name, reason: "no_api" });
      continue;
    }
    for (const reader of own) {
      try {
        const read = await reader.read(client, workspaceId);
        // A reader answers for its own control, in this workspace: anything else is its bug, not Intercom's state.
        for (const control of read) {
          if (control.control !== definition.name || control.props["workspaceId"] !== workspaceId) {
            throw new Error(`the ${definition.name} reader returned a ${control.control} of another workspace`);
          }
        }
        controls.push(...read);
      } catch (error) {
        if (!(error instanceof IntercomApiError && error.kind === "forbidden")) throw error;
        controls.push(unreadControl(definition, workspaceId));
        notRead.push({ control: definition.name, reason: "forbidden" });
      }
    }
  }
  return { workspaceId, controls, notRead };
}
