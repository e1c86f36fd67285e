/**
 * What the IdentityVerificationSecret provider does in Intercom: `/secure_mode_secrets`, which only
 * Intercom's Preview API version has (each request sends `Intercom-Version: Preview`). Kept apart from
 * the provider object, which Pulumi serializes: the provider loads this module by path when it runs.
 *
 * - create: `POST /secure_mode_secrets`. Its response is the only one that holds the secret's material;
 *   it becomes the `secret` output, which the resource registers as a Pulumi secret. A create whose
 *   response has no material deletes the secret it made and fails: a secret nobody holds is useless.
 * - read (`pulumi refresh`, `pulumi import`): `GET /secure_mode_secrets`, metadata only. Refresh keeps the
 *   material captured at create; an import has none (the `secret` output stays absent). A secret deleted
 *   in Intercom reads as gone, so Pulumi drops it from the state and the next `pulumi up` creates one.
 * - update: there is none. Intercom cannot change a secret, so every change of an input replaces it, and
 *   Pulumi replaces create-before-delete: the new secret is created, the resources that use its outputs
 *   are updated, and the old secret is deleted last. Changing `rotation` is how a program rotates.
 * - delete: `DELETE /secure_mode_secrets/{id}`. Every `user_hash` or JWT signed with that secret stops
 *   verifying at once. A secret already deleted in Intercom (404) counts as deleted.
 *
 * Nothing here puts a response's text, the material or the token into a message.
 */
import { escapeForDisplay } from "../core/display";
import { connectionFrom, IntercomApiError, IntercomClient, IntercomConnection, previewIntercomVersion } from "./client";
import type { ProviderState } from "./ip-allowlist-api";
import type { LiveControl, LiveReader } from "./live-types";

export type { ProviderState };

export const identityVerificationSecretName = "IdentityVerificationSecret";
export const secretsPath = "/secure_mode_secrets";

export const secretPlatforms = ["web", "ios", "android"] as const;
export type SecretPlatform = (typeof secretPlatforms)[number];

/** Intercom's flag for each platform (components/schemas/identity_verification_secret). */
const platformFlags: Readonly<Record<SecretPlatform, "supports_web" | "supports_ios" | "supports_android">> = {
  web: "supports_web",
  ios: "supports_ios",
  android: "supports_android",
};

/** Intercom's representation, metadata only (the list and every response but the create's). */
interface SecretBody {
  readonly type?: unknown;
  readonly id?: unknown;
  readonly name?: unknown;
  readonly supports_web?: unknown;
  readonly supports_ios?: unknown;
  readonly supports_android?: unknown;
  readonly created_at?: unknown;
}

/** The create's response: the metadata and, this once, the material. */
interface SecretWithMaterialBody extends SecretBody {
  readonly secret?: unknown;
}

interface SecretListBody {
  readonly data?: unknown;
}

/** One secret's metadata as read: never its material. */
export interface SecretMetadata {
  readonly secretId: string;
  readonly name: string;
  /** The platforms it signs for, in the order web, ios, android. */
  readonly platforms: SecretPlatform[];
  /** When Intercom created it (ISO 8601, UTC): the age that rotation is graded on. */
  readonly createdAt: string;
}

/** The inputs a program declares. */
export interface SecretInputs {
  readonly workspaceId: string;
  readonly name: string;
  readonly platforms: readonly SecretPlatform[];
  /** Any text: changing it replaces the secret (a rotation). Intercom does not hold it. */
  readonly rotation?: string;
}

/** Intercom's ids are numeric strings; anything that could leave the path segment is refused (an imported id is user text). */
const secretIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

function connectionOf(state: ProviderState): IntercomConnection | undefined {
  return connectionFrom(state.config, process.env);
}

function clientFor(state: ProviderState, doing: string): IntercomClient {
  const connection = connectionOf(state);
  if (!connection) {
    throw new Error(
      `${identityVerificationSecretName}: ${doing} goes through Intercom's API (it has no declared-only form): configure the secret intercom:accessToken or INTERCOM_ACCESS_TOKEN`,
    );
  }
  return new IntercomClient({ ...connection, ...(state.clientOptions ?? {}) });
}

function unreadable(what: string): Error {
  return new IntercomApiError(`${secretsPath}: Intercom's response has no ${what}: the secret cannot be read`, "unexpected", undefined);
}

/** Metadata from a response entry; a field missing or of another type fails (no response text is quoted). */
export function metadataFrom(body: SecretBody): SecretMetadata {
  if (typeof body !== "object" || body === null) throw unreadable("secret object");
  if (typeof body.id !== "string" || !secretIdPattern.test(body.id)) throw unreadable("valid id");
  if (typeof body.name !== "string") throw unreadable("name");
  const platforms: SecretPlatform[] = [];
  for (const platform of secretPlatforms) {
    const flag = body[platformFlags[platform]];
    // A missing flag is not read as false: which platforms a secret signs for decides its rotation age.
    if (typeof flag !== "boolean") throw unreadable(platformFlags[platform]);
    if (flag) platforms.push(platform);
  }
  if (typeof body.created_at !== "number" || !Number.isInteger(body.created_at) || body.created_at < 0) throw unreadable("created_at");
  const created = new Date(body.created_at * 1000);
  if (Number.isNaN(created.getTime())) throw unreadable("created_at");
  return { secretId: body.id, name: body.name, platforms, createdAt: created.toISOString() };
}

/** The platforms in Intercom's order, without repeats. */
export function canonicalPlatforms(platforms: readonly unknown[]): SecretPlatform[] {
  return secretPlatforms.filter((p) => platforms.includes(p));
}

/** The resource's id: `IdentityVerificationSecret/<workspaceId>/<Intercom's secret id>`. */
export function idOf(workspaceId: string, secretId: string): string {
  return [identityVerificationSecretName, workspaceId, secretId].join("/");
}

/** `pulumi import` gives only the id: the workspace and Intercom's secret id are read back from it. */
export function propsFromId(id: string): { workspaceId: string; secretId: string } {
  const match = /^IdentityVerificationSecret\/([a-z0-9]{6,16})\/([A-Za-z0-9_-]{1,64})$/.exec(id);
  if (!match) {
    throw new Error(
      `${identityVerificationSecretName}: cannot import "${escapeForDisplay(id.slice(0, 200))}": the id is IdentityVerificationSecret/<workspaceId>/<secret id> (the id GET /secure_mode_secrets lists)`,
    );
  }
  return { workspaceId: match[1] as string, secretId: match[2] as string };
}

/** The outputs: the inputs, what Intercom says of the secret, and (when captured) the material. */
function outputsOf(inputs: SecretInputs, metadata: SecretMetadata, secret: string | undefined): Record<string, unknown> {
  return {
    workspaceId: inputs.workspaceId,
    name: metadata.name,
    platforms: metadata.platforms,
    ...(inputs.rotation !== undefined ? { rotation: inputs.rotation } : {}),
    secretId: metadata.secretId,
    createdAt: metadata.createdAt,
    ...(secret !== undefined ? { secret } : {}),
    appliedThrough: "api",
  };
}

/** The inputs as the program gave them (the provider's own outputs and `__provider` left out). */
export function inputsOf(props: Record<string, unknown>): SecretInputs {
  return {
    workspaceId: String(props.workspaceId),
    name: String(props.name),
    platforms: canonicalPlatforms(Array.isArray(props.platforms) ? props.platforms : []),
    ...(typeof props.rotation === "string" ? { rotation: props.rotation } : {}),
  };
}

export async function createSecret(inputs: SecretInputs, state: ProviderState): Promise<{ id: string; outs: Record<string, unknown> }> {
  const client = clientFor(state, "creating a secret");
  if (inputs.platforms.length === 0) throw new Error(`${identityVerificationSecretName}: a secret signs for at least one platform`);
  const body = {
    name: inputs.name,
    supports_web: inputs.platforms.includes("web"),
    supports_ios: inputs.platforms.includes("ios"),
    supports_android: inputs.platforms.includes("android"),
  };
  let created: SecretWithMaterialBody;
  try {
    created = await client.request<SecretWithMaterialBody>("POST", secretsPath, { body, version: previewIntercomVersion });
  } catch (error) {
    const mayHaveActed =
      error instanceof IntercomApiError &&
      ((error.kind === "unexpected" && error.status !== undefined && error.status < 300) ||
        error.kind === "network" ||
        error.kind === "server");
    if (mayHaveActed) {
      // Intercom accepted the request but its answer cannot be read, or the request may have reached it before the
      // answer was lost (a POST is never sent twice): the secret may exist, with nobody holding it.
      throw new IntercomApiError(
        `${error.message}; a secret may have been created that nobody holds: list them (GET ${secretsPath}) and delete it`,
        error.kind,
        error.status,
      );
    }
    throw error;
  }
  const createdId = typeof created?.id === "string" && secretIdPattern.test(created.id) ? created.id : undefined;
  let metadata: SecretMetadata;
  let material: string;
  try {
    metadata = metadataFrom(created);
    if (typeof created.secret !== "string" || created.secret === "") {
      throw new IntercomApiError(`POST ${secretsPath}: Intercom's response held no secret material`, "unexpected", undefined);
    }
    material = created.secret;
    // Outputs that differ from the inputs would make every later diff replace the secret: a rotation on every update.
    if (metadata.name !== inputs.name || metadata.platforms.join(",") !== inputs.platforms.join(",")) {
      throw new IntercomApiError(
        `POST ${secretsPath}: Intercom created a secret for ${metadata.platforms.join(", ") || "no platform"}${metadata.name !== inputs.name ? " under another name" : ""}, not the one asked for (${inputs.platforms.join(", ")})`,
        "unexpected",
        undefined,
      );
    }
  } catch (error) {
    // The material is returned this once: a secret created without it (or unreadable) can never be used. Remove it.
    const reason = error instanceof Error ? error.message : "the response cannot be read";
    if (createdId === undefined) {
      throw new IntercomApiError(
        `${reason}; the response names no secret id, so a secret may exist that nobody holds: list them (GET ${secretsPath}) and delete it`,
        "unexpected",
        undefined,
      );
    }
    await deleteSecret(createdId, state);
    throw new IntercomApiError(`${reason}; the secret it created (${createdId}) was deleted again`, "unexpected", undefined);
  }
  return { id: idOf(inputs.workspaceId, metadata.secretId), outs: outputsOf(inputs, metadata, material) };
}

/** Every secret's metadata in the workspace the token belongs to. */
export async function listSecrets(client: IntercomClient): Promise<SecretMetadata[]> {
  const list = await client.request<SecretListBody>("GET", secretsPath, { version: previewIntercomVersion });
  if (typeof list !== "object" || list === null || !Array.isArray(list.data)) throw unreadable("list of secrets");
  return list.data.map((entry: SecretBody) => metadataFrom(entry));
}

/**
 * Refresh (props: the last outputs) or import (no props). A secret no longer listed reads as gone: an
 * empty id, which Pulumi takes as deleted on refresh. The material cannot be read: refresh keeps what
 * create captured, an import has none.
 */
export async function readSecret(
  id: string,
  props: Record<string, unknown> | undefined,
  state: ProviderState,
): Promise<{ id: string; props: Record<string, unknown>; inputs?: Record<string, unknown> }> {
  // An import gives no state (or an empty one): the id names the workspace and the secret.
  const importing = props === undefined || typeof props.secretId !== "string";
  const fromId = importing ? propsFromId(id) : undefined;
  const secretId = fromId?.secretId ?? String(props?.secretId);
  const workspaceId = fromId?.workspaceId ?? String(props?.workspaceId);
  const client = clientFor(state, importing ? "importing a secret" : "refreshing a secret");
  const found = (await listSecrets(client)).find((s) => s.secretId === secretId);
  if (!found) {
    if (importing)
      throw new Error(`${identityVerificationSecretName}: no secret with id ${secretId} in the workspace the token belongs to`);
    return { id: "", props: {} };
  }
  const rotation = typeof props?.rotation === "string" ? props.rotation : undefined;
  const inputs: SecretInputs = {
    workspaceId,
    name: found.name,
    platforms: found.platforms,
    ...(rotation !== undefined ? { rotation } : {}),
  };
  const material = typeof props?.secret === "string" ? props.secret : undefined;
  return { id: idOf(workspaceId, found.secretId), props: outputsOf(inputs, found, material), inputs: { ...inputs } };
}

/** Deletes a secret; one already gone (404) counts as deleted. */
export async function deleteSecret(secretId: string, state: ProviderState): Promise<void> {
  if (!secretIdPattern.test(secretId)) throw new Error(`${identityVerificationSecretName}: not an Intercom secret id`);
  const client = clientFor(state, "deleting a secret");
  try {
    await client.request("DELETE", `${secretsPath}/${encodeURIComponent(secretId)}`, { version: previewIntercomVersion });
  } catch (error) {
    if (error instanceof IntercomApiError && error.status === 404) return;
    throw error;
  }
}

/** The secret a resource's state names: its `secretId` output, else its id. */
export function secretIdOf(id: string, props: Record<string, unknown>): string {
  return typeof props.secretId === "string" ? props.secretId : propsFromId(id).secretId;
}

/** Fields that replace the secret when they change; every input does, Intercom has no update. */
export const replacingFields = ["workspaceId", "name", "platforms", "rotation"] as const;

/** Which inputs changed; platforms compare as sets. Outputs and `__provider` are not inputs. */
export function changedFields(olds: Record<string, unknown>, news: Record<string, unknown>): string[] {
  const before = inputsOf(olds);
  const after = inputsOf(news);
  return replacingFields.filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]));
}

// ---------------------------------------------------------------------------------------------
// Live readers (audit --live, import): metadata only, never the material.

/** One secret as read: the resource's inputs, and its Intercom id and creation date beside them. */
export interface LiveIdentityVerificationSecret extends LiveControl {
  readonly metadata: { readonly secretId: string; readonly createdAt: string };
}

/**
 * Every identity-verification secret of the workspace, as IdentityVerificationSecret inputs. `secret`
 * (the material) is never returned after create, so it is unreadable; `rotation` is the program's own
 * trigger, not Intercom's, so it is not listed.
 */
export const readLiveIdentityVerificationSecrets: LiveReader = async (client, workspaceId) => {
  const secrets = await listSecrets(client);
  return secrets.map((s): LiveIdentityVerificationSecret => ({
    control: identityVerificationSecretName,
    name: `identity-verification-secret-${s.secretId}`,
    props: { workspaceId, name: s.name, platforms: s.platforms },
    unreadable: ["secret"],
    metadata: { secretId: s.secretId, createdAt: s.createdAt },
  }));
};

/**
 * For each platform, the creation date of the OLDEST secret still enabled for it: a secret left in
 * place after a rotation still verifies, so the platform is only as fresh as its oldest live secret.
 * Platforms no secret signs for are absent.
 */
export function secretRotationByPlatform(secrets: readonly SecretMetadata[]): Partial<Record<SecretPlatform, string>> {
  const result: Partial<Record<SecretPlatform, string>> = {};
  for (const secret of secrets) {
    for (const platform of secret.platforms) {
      const known = result[platform];
      if (known === undefined || Date.parse(secret.createdAt) < Date.parse(known)) result[platform] = secret.createdAt;
    }
  }
  return result;
}

/**
 * MessengerSecurity as far as `/secure_mode_secrets` shows it: `secretRotatedAt` per platform that has a
 * secret (see {@link secretRotationByPlatform}); whether verification is on, enforced and its JWT expiry
 * have no public API, and the material is never returned, so those are unreadable (graded as unknown).
 */
export const readLiveMessengerSecretRotation: LiveReader = async (client, workspaceId) => {
  const rotated = secretRotationByPlatform(await listSecrets(client));
  return secretPlatforms.flatMap((platform): LiveControl[] => {
    const secretRotatedAt = rotated[platform];
    if (secretRotatedAt === undefined) return [];
    return [
      {
        control: "MessengerSecurity",
        name: `messenger-security-${platform}`,
        props: { workspaceId, platform, secretRotatedAt },
        unreadable: ["identityVerification", "enforced", "jwtExpirySeconds", "apiSecret"],
      },
    ];
  });
};
