import { z } from "zod";
import { secretValuesIn, unwrapSecret } from "./secret-envelope";
import { rawProperties } from "./sdk/policy-proxy";

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
   * Pulumi secrets whatever the caller passed, and nothing under them (values, and keys of
   * objects nested under a value) appears in a message. The keys a `*` selects are names, not
   * secrets: `headers.*` hides every header's value, not the header's name.
   */
  readonly secretPaths: readonly string[];
  /**
   * Dot paths of fields that are sensitive but not stored as secrets by the resource: nothing
   * under them appears in a message, exactly as for `secretPaths`, whether or not they arrived as
   * Pulumi secrets. Their values keep the secretness the program gave each of them, so a policy
   * can tell a value given as a Pulumi secret from a literal (CustomAction's `headers.*`).
   */
  readonly sensitivePaths?: readonly string[];
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
  /**
   * Where the control stands in `allControls`, the catalogs and the schemas (the contract's order),
   * ascending and unique among controls; spaced by ten so a new control fits between two. Present
   * on every Health Check control ({@link defineControl}); absent on an API resource that is not one
   * ({@link defineApiResource}), which resources/registry.ts therefore leaves out of `allControls`.
   */
  readonly catalogOrder?: number;
}

export type SettingsOf<D> = D extends ControlDefinition<infer S> ? z.output<S> : never;
export type InputsOf<D> = D extends ControlDefinition<infer S> ? z.input<S> : never;

/** Every path whose content is hidden in messages: secret paths and sensitive paths alike. */
export function hiddenPathsOf(definition: ControlDefinition): readonly string[] {
  return [...definition.secretPaths, ...(definition.sensitivePaths ?? [])];
}

/** A Health Check control: the pack grades it, and `npm run generate` lists it in resources/registry.ts. */
export function defineControl<S extends z.ZodObject>(
  definition: Omit<ControlDefinition<S>, "typeToken" | "catalogOrder"> & { readonly catalogOrder: number },
): ControlDefinition<S> {
  if (!Number.isSafeInteger(definition.catalogOrder) || definition.catalogOrder < 0) {
    throw new Error(`Control ${definition.name}: catalogOrder must be a non-negative integer`);
  }
  return checkedDefinition(definition);
}

/**
 * A resource this package declares that is not a Health Check control (IdentityVerificationSecret):
 * validated like a control, never graded nor counted in a workspace, so it has no catalog position
 * and no Intercom defaults.
 */
export function defineApiResource<S extends z.ZodObject>(
  definition: Omit<ControlDefinition<S>, "typeToken" | "catalogOrder" | "intercomDefaults" | "intercomDefaultSummary">,
): ControlDefinition<S> {
  return checkedDefinition(definition);
}

function checkedDefinition<S extends z.ZodObject>(definition: Omit<ControlDefinition<S>, "typeToken">): ControlDefinition<S> {
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

type PropertyPath = readonly (string | number)[];

/**
 * Every text at the definition's secret and sensitive paths, for redaction: string and number values, and the
 * keys of objects nested under a secret value, whether or not they arrived as Pulumi secrets.
 * A `*` segment selects every entry of a record: the entries' values are secret, their keys are
 * names (a CustomAction header's name, `headers.*`), as are field names the schema declares.
 * Reads the raw properties behind the policy SDK's proxy, so an unknown value does not throw;
 * Pulumi secret envelopes (the tool's wire form) are looked through.
 */
export function secretValuesOf(definition: ControlDefinition, props: unknown): string[] {
  const found: string[] = [];
  const root = isRecord(props) ? rawProperties(props) : props;
  for (const secretPath of hiddenPathsOf(definition)) {
    for (const { value, path } of entriesAt(root, secretPath.split("."))) {
      collectSecretTexts(definition, value, path, found);
    }
  }
  return found;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The values a dot path (with `*` segments) selects, each with its concrete path. */
function entriesAt(root: unknown, segments: readonly string[]): Array<{ value: unknown; path: PropertyPath }> {
  let current: Array<{ value: unknown; path: PropertyPath }> = [{ value: root, path: [] }];
  for (const segment of segments) {
    const next: Array<{ value: unknown; path: PropertyPath }> = [];
    for (const { value, path } of current) {
      const container = unwrapSecret(value).value;
      if (!isRecord(container)) continue;
      const keys = segment === "*" ? Object.keys(container) : Object.hasOwn(container, segment) ? [segment] : [];
      for (const key of keys) next.push({ value: container[key], path: [...path, key] });
    }
    current = next;
  }
  return current.filter(({ value }) => value !== undefined && value !== null);
}

/** Strings, numbers and (undeclared) keys in a value, however deep: iterative, so depth cannot overflow the stack. */
function collectSecretTexts(definition: ControlDefinition, value: unknown, path: PropertyPath, found: string[]): void {
  const pending: Array<{ value: unknown; path: PropertyPath | undefined }> = [{ value, path }];
  const seen = new Set<object>();
  for (let item = pending.pop(); item; item = pending.pop()) {
    const current = unwrapSecret(item.value).value;
    if (typeof current === "string") found.push(current);
    else if (typeof current === "number" || typeof current === "bigint") found.push(String(current));
    else if (typeof current === "object" && current !== null && !seen.has(current)) {
      seen.add(current);
      const parentPath = item.path;
      if (Array.isArray(current)) current.forEach((element, i) => pending.push({ value: element, path: childPath(parentPath, i) }));
      else {
        for (const key of Object.keys(current)) {
          if (parentPath === undefined || !isPublicKey(definition, parentPath, key)) found.push(key);
          pending.push({ value: (current as Record<string, unknown>)[key], path: childPath(parentPath, key) });
        }
      }
    }
  }
}

/**
 * Paths are followed only as deep as any schema declares fields (far less than this); deeper,
 * no key is a name, and copying ever longer paths would make a deep value quadratic to walk.
 */
const namedPathDepth = 32;

function childPath(path: PropertyPath | undefined, segment: string | number): PropertyPath | undefined {
  return path !== undefined && path.length < namedPathDepth ? [...path, segment] : undefined;
}

/**
 * Whether a key of the object at `parentPath` is a name rather than secret content: a field the
 * control's schema declares there, or a record key that a secret path's `*` selects.
 */
export function isPublicKey(definition: ControlDefinition, parentPath: PropertyPath, key: string): boolean {
  if (declaredFieldsAt(definition.schema, parentPath).has(key)) return true;
  return hiddenPathsOf(definition).some((secretPath) => {
    const parts = secretPath.split(".");
    return (
      parts.length > parentPath.length &&
      parts[parentPath.length] === "*" &&
      parentPath.every((segment, i) => parts[i] === "*" || parts[i] === String(segment))
    );
  });
}

interface SchemaDefinition {
  readonly type?: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly out?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly left?: z.ZodType;
  readonly right?: z.ZodType;
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly items?: readonly z.ZodType[];
  readonly getter?: () => z.ZodType;
}

function definitionOf(schema: z.ZodType): SchemaDefinition {
  return (schema as unknown as { _zod: { def: SchemaDefinition } })._zod.def;
}

/** The schema without wrappers (optional, nullable, default, pipe, lazy), unions split into their options. */
function unwrapSchema(schema: z.ZodType, depth = 0): z.ZodType[] {
  if (depth > 32) return [schema];
  const def = definitionOf(schema);
  const inner = [def.innerType, def.in, def.out, def.left, def.right, ...(def.options ?? [])].filter(
    (s): s is z.ZodType => s !== undefined,
  );
  if (def.type === "lazy" && def.getter) inner.push(def.getter());
  if (inner.length === 0) return [schema];
  return inner.flatMap((s) => unwrapSchema(s, depth + 1));
}

/** The schemas a value at this path may be checked against (several under a union). */
export function schemasAt(schema: z.ZodType, path: PropertyPath): z.ZodType[] {
  let current = unwrapSchema(schema);
  for (const segment of path) {
    const next: z.ZodType[] = [];
    for (const candidate of current) {
      const def = definitionOf(candidate);
      if (def.type === "object" && def.shape && Object.hasOwn(def.shape, String(segment)))
        next.push(def.shape[String(segment)] as z.ZodType);
      else if (def.type === "record" && def.valueType) next.push(def.valueType);
      else if (def.type === "array" && def.element) next.push(def.element);
      else if (def.type === "tuple" && def.items && typeof segment === "number" && def.items[segment]) next.push(def.items[segment]);
    }
    current = next.flatMap((s) => unwrapSchema(s));
  }
  return current;
}

/** Field names the schema declares for an object at this path. */
export function declaredFieldsAt(schema: z.ZodType, path: PropertyPath): Set<string> {
  const fields = new Set<string>();
  for (const candidate of schemasAt(schema, path)) {
    const def = definitionOf(candidate);
    if (def.type === "object" && def.shape) Object.keys(def.shape).forEach((key) => fields.add(key));
  }
  return fields;
}

/**
 * Every secret text in a control's properties as the engine sends them: what sits at its secret
 * paths, and what arrived in Pulumi's secret form anywhere (with the keys under it that are not
 * names, see {@link isPublicKey}). The tool redacts its whole output with these.
 */
export function secretTextsOf(definition: ControlDefinition | undefined, wireProperties: unknown): string[] {
  if (!definition) return secretValuesIn(wireProperties, () => false);
  return [
    ...secretValuesOf(definition, wireProperties),
    ...secretValuesIn(wireProperties, (parentPath, key) => isPublicKey(definition, parentPath, key)),
  ];
}

export function isSecretPath(definition: ControlDefinition, path: readonly (string | number)[]): boolean {
  return hiddenPathsOf(definition).some((secretPath) => {
    const parts = secretPath.split(".");
    if (path.length < parts.length) {
      // A parent of a secret (e.g. the whole `saml` object) holds the secret too.
      return parts.slice(0, path.length).every((part, i) => part === "*" || part === String(path[i]));
    }
    return parts.every((part, i) => part === "*" || part === String(path[i]));
  });
}
