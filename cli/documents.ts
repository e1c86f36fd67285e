/**
 * Workspace documents: Intercom workspaces and their controls declared in JSON or YAML instead of a
 * Pulumi program, for `intercom-health-check check`. The format is schemas/workspace-document.schema.json
 * (generated from the controls' zod schemas by scripts/generate.ts):
 *
 *   schemaVersion: 1
 *   project: acme-intercom          # optional (default intercom-workspaces): URNs name it
 *   stack: prod                     # optional (default dev)
 *   workspaces:
 *     - name: acme                  # the Workspace resource's name
 *       settings: { workspaceId: ab12cd34ef, name: Acme Support, region: us }
 *       controls:
 *         - type: MessengerSecurity # a control's name, or its type token
 *           name: acme-web          # its resource name
 *           settings: { platform: web, identityVerification: jwt, enforced: true,
 *                       apiSecret: { $secretEnv: WEB_MESSENGER_SECRET } }
 *
 * A control's `workspaceId` is its workspace's (given, it must be the same). `{ "$secretEnv": "NAME" }`
 * stands, wherever text is allowed, for that environment variable's value, sent as a Pulumi secret.
 *
 * Each document becomes the resources a program declaring the same things would register, in the
 * engine's wire form (cli/preview-engine.ts): the same type tokens, URNs
 * (`urn:pulumi:<stack>::<project>::<type>::<name>`, parented by the stack), the controls' secret
 * fields wrapped as the resources wrap them (core/resource.ts), each control depending on its
 * workspace's workspaceId as when it takes `workspace.workspaceId`. So the pack grades a document
 * exactly as it grades the equivalent program, and exceptions by URN, name or workspace match alike.
 */
import { ControlDefinition } from "../core/control";
import { isSecretEnvelope, secretSignature, signatureKey } from "../core/secret-envelope";
import { allControls, workspaceControl } from "../resources";
import { CapturedResource, CapturedResourceOptions } from "./analyzer-client";
import {
  documentsRefused,
  DocumentSource,
  jsonPath,
  Problem,
  ReadDocuments,
  readWorkspaceDocuments,
  secretReferenceKey,
} from "./document-reading";
import { resourceUrn, ROOT_STACK_TYPE } from "./preview-engine";

/** More resources than this in one check are refused: the pack grades each in turn. */
export const maxResources = 10_000;

export interface DocumentResources {
  readonly project: string;
  readonly stack: string;
  /** The root stack, then each workspace and its controls, in document order. */
  readonly resources: CapturedResource[];
  /** Every value read from the environment as a secret: no message may show one. */
  readonly secretTexts: string[];
}

/**
 * Reads, validates and converts the documents; every problem of every document is reported at
 * once (InputError, exit 2), by file and JSON path.
 */
export function documentResources(sources: readonly DocumentSource[], env: NodeJS.ProcessEnv = process.env): DocumentResources {
  return resourcesOfDocuments(readWorkspaceDocuments(sources), env);
}

/** Converts documents already read (cli/document-reading.ts); their problems and the conversion's are reported at once. */
export function resourcesOfDocuments(read: ReadDocuments, env: NodeJS.ProcessEnv = process.env): DocumentResources {
  const { project, stack } = read;
  const problems: Problem[] = [...read.problems];
  const secretTexts: string[] = [];
  const stackResource = rootStackResource(project, stack);
  const resources: CapturedResource[] = [stackResource];
  const declaredAt = new Map<string, Problem>();
  const register = (resource: Omit<CapturedResource, "urn" | "parent" | "custom">, at: Problem): CapturedResource => {
    const urn = resourceUrn(project, stack, resource.type, resource.name);
    const earlier = declaredAt.get(urn);
    if (earlier) {
      problems.push({
        ...at,
        message: `a second ${resource.type.split(":").pop()} named ${JSON.stringify(resource.name)} (the first is ${earlier.label}: ${jsonPath(earlier.path)}); names are unique per type`,
      });
    }
    declaredAt.set(urn, at);
    const registered: CapturedResource = { ...resource, urn, parent: stackResource.urn, custom: true };
    resources.push(registered);
    return registered;
  };

  for (const { label, document } of read.documents) {
    document.workspaces.forEach((workspace, w) => {
      const at = (...rest: (string | number)[]): Problem => ({ label, path: ["workspaces", w, ...rest], message: "" });
      const settings = resolveSecretReferences(workspace.settings, at("settings"), env, problems, secretTexts) as Record<string, unknown>;
      const registered = register(controlResource(workspaceControl, workspace.name, settings, []), at("name"));
      const workspaceId = settings["workspaceId"];
      workspace.controls.forEach((control, c) => {
        const definition = controlsByType.get(control.type) as ControlDefinition;
        const own = resolveSecretReferences(control.settings, at("controls", c, "settings"), env, problems, secretTexts) as Record<
          string,
          unknown
        >;
        if (Object.hasOwn(own, "workspaceId") && !sameValue(own["workspaceId"], workspaceId)) {
          problems.push({
            ...at("controls", c, "settings", "workspaceId"),
            message: `is not the workspaceId of the workspace it is listed under (${jsonPath(["workspaces", w, "settings", "workspaceId"])}); list the control under its own workspace`,
          });
        }
        // As a program passing `workspace.workspaceId`: the workspace's value, and a dependency on it.
        const props = { ...own, workspaceId };
        register(controlResource(definition, control.name, props, [registered.urn]), at("controls", c, "name"));
      });
    });
  }
  if (resources.length - 1 > maxResources) {
    problems.push({
      label: read.documents.map((p) => p.label).join(", "),
      path: [],
      message: `more than ${maxResources} resources in one check; split the check`,
    });
  }
  if (problems.length > 0) throw documentsRefused(problems);
  return { project, stack, resources, secretTexts };
}

/** The root stack resource a program of this project and stack registers first. */
export function rootStackResource(project: string, stack: string): CapturedResource {
  const name = `${project}-${stack}`;
  return {
    type: ROOT_STACK_TYPE,
    name,
    urn: resourceUrn(project, stack, ROOT_STACK_TYPE, name),
    properties: {},
    dependencies: [],
    propertyDependencies: {},
    custom: false,
    options: resourceOptions([]),
  };
}

const controlsByType = new Map<string, ControlDefinition>(allControls.flatMap((c) => [[c.name, c] as const, [c.typeToken, c] as const]));

function isSecretReference(value: unknown): value is { [secretReferenceKey]: string } {
  return (
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as Record<string, unknown>)[secretReferenceKey] === "string"
  );
}

/** Pulumi's wire form of a secret (core/secret-envelope.ts). */
function secretEnvelope(value: unknown): Record<string, unknown> {
  return Object.fromEntries([
    [signatureKey, secretSignature],
    ["value", value],
  ]);
}

/** The value with each secret reference replaced by the variable's value as a secret; a missing variable is a problem (named, never its value). */
function resolveSecretReferences(value: unknown, at: Problem, env: NodeJS.ProcessEnv, problems: Problem[], secretTexts: string[]): unknown {
  if (isSecretReference(value)) {
    const name = value[secretReferenceKey];
    const text = Object.hasOwn(env, name) ? env[name] : undefined;
    if (text === undefined) {
      problems.push({ ...at, message: `the environment variable ${name} is not set (the secret reference's value)` });
      return secretEnvelope("");
    }
    if (text !== "") secretTexts.push(text);
    return secretEnvelope(text);
  }
  if (Array.isArray(value))
    return value.map((element, i) => resolveSecretReferences(element, { ...at, path: [...at.path, i] }, env, problems, secretTexts));
  if (value !== null && typeof value === "object") {
    // Built with fromEntries: a key such as "__proto__" stays a plain key.
    return Object.fromEntries(
      Object.entries(value).map(([key, element]) => [
        key,
        resolveSecretReferences(element, { ...at, path: [...at.path, key] }, env, problems, secretTexts),
      ]),
    );
  }
  return value;
}

function sameValue(a: unknown, b: unknown): boolean {
  const plain = (v: unknown) => (isSecretEnvelope(v) ? v.value : v);
  return plain(a) === plain(b);
}

/** One control as its resource class registers it (core/resource.ts): secret paths wrapped, secret top-level fields as additional secret outputs. */
export function controlResource(
  definition: ControlDefinition,
  name: string,
  settings: Record<string, unknown>,
  dependsOn: string[],
): Omit<CapturedResource, "urn" | "parent" | "custom"> {
  const properties = withSecrets(definition, settings);
  const secretTopLevelFields = [...new Set(definition.secretPaths.map((p) => p.split(".")[0] as string))];
  return {
    type: definition.typeToken,
    name,
    properties,
    dependencies: dependsOn,
    propertyDependencies: Object.fromEntries(Object.keys(properties).map((key) => [key, key === "workspaceId" ? dependsOn : []])),
    options: resourceOptions(secretTopLevelFields),
  };
}

export function resourceOptions(additionalSecretOutputs: string[]): CapturedResourceOptions {
  return { protect: false, ignoreChanges: [], additionalSecretOutputs, aliases: [], customTimeouts: { create: 0, update: 0, delete: 0 } };
}

/** As the resource classes do (core/resource.ts `withSecrets`): every secret path's value a Pulumi secret, the leaf only under an object. */
function withSecrets(definition: ControlDefinition, settings: Record<string, unknown>): Record<string, unknown> {
  const secret = (value: unknown) => (isSecretEnvelope(value) ? value : secretEnvelope(value));
  let result: Record<string, unknown> = { ...settings };
  for (const secretPath of definition.secretPaths) {
    const [top, ...rest] = secretPath.split(".") as [string, ...string[]];
    const value = Object.hasOwn(result, top) ? result[top] : undefined;
    if (value === undefined || value === null) continue;
    const leaf = rest[0];
    if (rest.length === 1 && leaf !== "*" && typeof value === "object" && !Array.isArray(value) && !isSecretEnvelope(value)) {
      const record = value as Record<string, unknown>;
      if (Object.hasOwn(record, leaf as string) && record[leaf as string] !== undefined) {
        result = { ...result, [top]: { ...record, [leaf as string]: secret(record[leaf as string]) } };
      }
    } else {
      result = { ...result, [top]: secret(value) };
    }
  }
  return result;
}
