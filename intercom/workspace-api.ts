/**
 * The workspace the access token belongs to, read from `GET /me` (2.16: `admin_with_app`): its
 * APP_ID (`app.id_code`), name and data-hosting region. Nothing else of the Workspace control is
 * exposed: the security contact and whether conversations carry PHI are the admin's to declare.
 */
import { IntercomClient, isIntercomRegion } from "./client";
import type { LiveControl } from "./live-types";

interface MeBody {
  readonly app?: { readonly id_code?: unknown; readonly name?: unknown; readonly region?: unknown } | null;
}

/** Workspace fields no endpoint reads. */
export const unreadableWorkspaceFields = ["securityContactEmail", "handlesPhi"] as const;

/** The Workspace control as `/me` shows it; a field Intercom does not return (or returns in a form the control does not know) is unreadable. */
export async function readWorkspaceIdentity(client: IntercomClient): Promise<LiveControl> {
  const body = await client.request<MeBody>("GET", "/me");
  const app = body?.app;
  const workspaceId = typeof app?.id_code === "string" && app.id_code !== "" ? app.id_code : undefined;
  if (workspaceId === undefined)
    throw new Error("Intercom's /me response names no workspace (app.id_code): the token's workspace cannot be read");
  const name = typeof app?.name === "string" && app.name.trim() !== "" ? app.name : undefined;
  // Intercom writes the region in capitals ("US"); the control's values are lower case.
  const region = typeof app?.region === "string" ? app.region.toLowerCase() : undefined;
  const props: Record<string, unknown> = {
    workspaceId,
    ...(name !== undefined ? { name } : {}),
    ...(isIntercomRegion(region) ? { region } : {}),
  };
  const unreadable = [
    ...(name === undefined ? ["name"] : []),
    ...(isIntercomRegion(region) ? [] : ["region"]),
    ...unreadableWorkspaceFields,
  ];
  return { control: "Workspace", name: workspaceResourceName(workspaceId), props, unreadable };
}

/** The Workspace resource's name in what `audit --live` grades and `import` writes. */
export function workspaceResourceName(workspaceId: string): string {
  return `workspace-${workspaceId}`;
}
