import { z } from "zod";

/** The module every control registers under: type tokens read `pulumi-nodejs:dynamic/intercom:<Name>`. */
export const controlModule = "intercom";

export function typeTokenOf(controlName: string): string {
  return `pulumi-nodejs:dynamic/${controlModule}:${controlName}`;
}

/**
 * One Intercom security control: its zod schema is the single source of its TypeScript type,
 * its runtime validation and (generated) its JSON Schema. Everything else here is metadata the
 * resource, the provider, the policies and the catalogs read.
 */
export interface ControlDefinition<S extends z.ZodObject = z.ZodObject> {
  /** The contract's resource name, e.g. "SsoEnforcement". */
  readonly name: string;
  readonly typeToken: string;
  /** One sentence for catalogs and the JSON Schema description. */
  readonly description: string;
  /** Every control's schema includes `workspaceId`. */
  readonly schema: S;
  /**
   * Dot paths of secret-bearing fields (`*` matches every key of a record). They are stored as
   * Pulumi secrets whatever the caller passed, and their values never appear in a message.
   */
  readonly secretPaths: readonly string[];
  /**
   * Fields that, with `workspaceId`, tell one instance of this control from another (e.g. a
   * MessengerSecurity's `platform`). Empty: one per workspace. Changing one replaces the resource.
   */
  readonly identityFields: readonly string[];
  /**
   * What Intercom does when nobody configured this control. Present only for controls the
   * Health Check grades: a workspace that declares none is graded on these settings.
   */
  readonly intercomDefaults?: readonly Record<string, unknown>[];
  /** Plain-words summary of `intercomDefaults`, for reports. */
  readonly intercomDefaultSummary?: string;
  /** The REST endpoint that can apply this control, if Intercom has one; otherwise an admin applies it. */
  readonly restApi?: string;
}

export type SettingsOf<D> = D extends ControlDefinition<infer S> ? z.output<S> : never;
export type InputsOf<D> = D extends ControlDefinition<infer S> ? z.input<S> : never;

export function defineControl<S extends z.ZodObject>(
  definition: Omit<ControlDefinition<S>, "typeToken">,
): ControlDefinition<S> {
  if (!("workspaceId" in definition.schema.shape)) {
    throw new Error(`Control ${definition.name} must have a workspaceId field`);
  }
  for (const field of definition.identityFields) {
    if (!(field in definition.schema.shape)) {
      throw new Error(`Control ${definition.name}: identity field ${field} is not in its schema`);
    }
  }
  for (const defaults of definition.intercomDefaults ?? []) {
    // Defaults are graded like declared settings, so they must be valid settings themselves.
    const parsed = definition.schema.safeParse({ ...defaults, workspaceId: "default0" });
    if (!parsed.success) throw new Error(`Control ${definition.name}: its Intercom defaults do not match its schema`);
  }
  return { ...definition, typeToken: typeTokenOf(definition.name) };
}

/** The workspace an Intercom control belongs to: the Intercom APP_ID. */
export const workspaceIdField = z
  .string()
  .regex(/^[a-z0-9]{6,16}$/, "an Intercom APP_ID: 6 to 16 lowercase letters or digits")
  .describe("The Intercom workspace (APP_ID) this control belongs to.");

/** The identity of one instance: workspace plus identity fields, as a stable string. */
export function instanceKey(definition: ControlDefinition, settings: Record<string, unknown>): string {
  return [definition.name, settings["workspaceId"], ...definition.identityFields.map((f) => settings[f])]
    .map((part) => String(part))
    .join("/");
}

/** Every string value found at the definition's secret paths, for redaction. */
export function secretValuesOf(definition: ControlDefinition, props: unknown): string[] {
  const found: string[] = [];
  for (const path of definition.secretPaths) collectAt(props, path.split("."), found);
  return found;
}

function collectAt(value: unknown, path: readonly string[], found: string[]): void {
  if (value === null || value === undefined) return;
  if (path.length === 0) {
    collectStrings(value, found);
    return;
  }
  if (typeof value !== "object") return;
  const [head, ...rest] = path;
  const record = value as Record<string, unknown>;
  const keys = head === "*" ? Object.keys(record) : [head as string];
  for (const key of keys) collectAt(record[key], rest, found);
}

function collectStrings(value: unknown, found: string[]): void {
  if (typeof value === "string") found.push(value);
  else if (typeof value === "number") found.push(String(value));
  else if (Array.isArray(value)) value.forEach((v) => collectStrings(v, found));
  else if (value && typeof value === "object") Object.values(value).forEach((v) => collectStrings(v, found));
}

export function isSecretPath(definition: ControlDefinition, path: readonly (string | number)[]): boolean {
  return definition.secretPaths.some((secretPath) => {
    const parts = secretPath.split(".");
    if (path.length < parts.length) {
      // A parent of a secret (e.g. the whole `saml` object) holds the secret too.
      return parts.slice(0, path.length).every((part, i) => part === "*" || part === String(path[i]));
    }
    return parts.every((part, i) => part === "*" || part === String(path[i]));
  });
}
