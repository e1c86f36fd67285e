/**
 * `import`: a starting point from the live workspace (intercom/live.ts), as a workspace document
 * (the `check` format, schemas/workspace-document.schema.json, written as YAML with comments) or as a
 * TypeScript Pulumi program using this package's resources.
 *
 * Never written: a token, or any value at a secret or sensitive path. Those become a reference the
 * user fills in (`{ $secretEnv: NAME }` in a document, `config.requireSecret("key")` in a program).
 * Never invented: a field the API cannot read is left out with a note saying to declare it; a control
 * that cannot be written without one of its required fields is written only as a commented template.
 */
import * as yaml from "js-yaml";
import { ControlDefinition, hiddenPathsOf } from "../core/control";
import { allControls, workspaceControl } from "../resources";
import { customActionControl } from "../resources/custom-action";
import { urlCredentials } from "../policies/support/credentials";
import type { LiveControl } from "../intercom/live-types";
import { LiveWorkspace } from "../intercom/live";
import { defaultProject, secretReferenceKey } from "./document-reading";
import { liveStack } from "./audit-live";
import { InputError } from "./errors";

import { ImportFormat } from "./import-formats";
export { importFormats, type ImportFormat } from "./import-formats";

/** The package the program imports its resources from (package.json `exports`). */
export const resourcesModule = "intercom-security-health-check/resources";

const controlsByName = new Map(allControls.map((c) => [c.name, c]));

/** One value a user supplies at import's placeholder: where it goes and what names it. */
export interface SecretPlaceholder {
  readonly control: string;
  readonly resource: string;
  readonly path: string;
  /** The environment variable (document) or the configuration key (program). */
  readonly name: string;
  /**
   * A sensitive (not secret) path, held as plain text in Intercom (a CustomAction header): the reference
   * makes it a secret in what `check` grades, which a rule against literal credentials passes, while
   * `audit --live` grades the literal Intercom holds. Noted, so the import does not read as a fix.
   */
  readonly literalInIntercom: boolean;
}

/** What import leaves for the user to declare. */
export interface ImportNote {
  readonly control: string;
  readonly resource: string;
  /** Fields the API does not expose. */
  readonly unreadable: readonly string[];
  /** Whether the control is written (unreadable fields left out) or only as a commented template (a required field is unreadable). */
  readonly written: boolean;
}

export interface ImportPlan {
  readonly workspace: LiveControl;
  /** Controls written, their readable settings with secret values replaced. */
  readonly controls: readonly { readonly live: LiveControl; readonly settings: Record<string, unknown> }[];
  readonly notes: readonly ImportNote[];
  readonly secrets: readonly SecretPlaceholder[];
}

function definitionOf(control: LiveControl): ControlDefinition {
  const definition = controlsByName.get(control.control);
  if (!definition) throw new Error(`a live reader returned an unknown control ${control.control}`);
  return definition;
}

/** Whether the control's schema accepts the field left out (optional, or with a default). */
function isOptional(definition: ControlDefinition, field: string): boolean {
  const schema = (definition.schema.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>)[field];
  return schema === undefined || schema.safeParse(undefined).success;
}

/** Upper snake case of the parts, for an environment variable or (camel-cased) a configuration key. */
function words(...parts: string[]): string[] {
  return parts
    .flatMap((p) => p.replace(/([a-z0-9])([A-Z])/g, "$1 $2").split(/[^A-Za-z0-9]+/))
    .filter((w) => w !== "")
    .map((w) => w.toLowerCase());
}

function placeholderName(format: ImportFormat, control: LiveControl, path: string[]): string {
  const parts = words(control.name, ...path);
  if (format === "document") return ["INTERCOM", ...parts].join("_").toUpperCase();
  return parts.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join("");
}

/**
 * The settings with every value at a secret or sensitive path replaced by `replace(path)`: the live
 * value is never copied, so nothing of it can reach the output.
 */
function withoutSecretValues(
  definition: ControlDefinition,
  settings: Record<string, unknown>,
  replace: (path: string[]) => unknown,
): Record<string, unknown> {
  const hidden = [...hiddenPathsOf(definition), ...credentialPathsOf(definition, settings)].map((p) => p.split("."));
  const walk = (value: unknown, at: string[]): unknown => {
    const matches = hidden.filter((h) => h.length >= at.length && at.every((s, i) => h[i] === "*" || h[i] === s));
    if (matches.some((h) => h.length === at.length) && at.length > 0) return replace(at);
    if (matches.length === 0 || value === null || typeof value !== "object" || Array.isArray(value)) return value;
    return Object.fromEntries(Object.entries(value).map(([key, element]) => [key, walk(element, [...at, key])]));
  };
  return walk(settings, []) as Record<string, unknown>;
}

/**
 * A Custom Action's URL is no sensitive path, yet Intercom may hold a credential in it (user-info, an
 * API key in the query, a webhook path): copied, it would land in a file meant for version control.
 */
function credentialPathsOf(definition: ControlDefinition, settings: Record<string, unknown>): string[] {
  return definition === customActionControl && typeof settings.url === "string" && urlCredentials(settings.url).length > 0 ? ["url"] : [];
}

/** A program's secret placeholder: `config.requireSecret(key)`. */
class SecretConfig {
  constructor(readonly key: string) {}
}

/** What import writes and what it leaves to the user, decided once for both formats. */
export function importPlan(live: LiveWorkspace, format: ImportFormat): ImportPlan {
  const [workspace, ...others] = live.controls;
  if (!workspace || workspace.control !== workspaceControl.name) throw new Error("the live read has no Workspace first");
  const missing = (workspace.unreadable ?? []).filter((f) => !isOptional(workspaceControl, f));
  if (missing.length > 0) {
    throw new InputError(`Intercom did not give the workspace's ${missing.join(", ")}: no document or program can be written without them`);
  }
  const notes: ImportNote[] = [];
  const secrets: SecretPlaceholder[] = [];
  const controls: Array<{ live: LiveControl; settings: Record<string, unknown> }> = [];
  if ((workspace.unreadable ?? []).length > 0) {
    notes.push({ control: workspace.control, resource: workspace.name, unreadable: workspace.unreadable ?? [], written: true });
  }
  for (const control of others) {
    const definition = definitionOf(control);
    const unreadable = control.unreadable ?? [];
    const written = unreadable.every((f) => isOptional(definition, f));
    if (unreadable.length > 0) notes.push({ control: control.control, resource: control.name, unreadable, written });
    if (!written) continue;
    const { workspaceId: _workspaceId, ...own } = control.props;
    const settings = withoutSecretValues(definition, own, (path) => {
      // Two paths can spell the same name (headers "X-Key" and "X_Key"): each placeholder names one value.
      const base = placeholderName(format, control, path);
      let name = base;
      for (let n = 2; secrets.some((s) => s.name === name); n++) name = `${base}${format === "document" ? "_" : ""}${n}`;
      const literalInIntercom = !definition.secretPaths.some((p) => {
        const parts = p.split(".");
        return parts.length === path.length && parts.every((part, i) => part === "*" || part === path[i]);
      });
      secrets.push({ control: control.control, resource: control.name, path: path.join("."), name, literalInIntercom });
      return format === "document" ? { [secretReferenceKey]: name } : new SecretConfig(name);
    });
    controls.push({ live: control, settings });
  }
  return { workspace, controls, notes, secrets };
}

/** Text for a comment: one line, printable ASCII only (a name from Intercom can end neither a YAML nor a TypeScript comment). */
function commentText(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).replace(/\*\//g, "*\\/");
}

function noteLines(plan: ImportPlan, prefix: string): string[] {
  if (plan.notes.length === 0) return [];
  return [
    `${prefix}Not readable through Intercom's API: declare it. audit --live grades these as not evaluated, never Secure.`,
    ...plan.notes.map(
      (n) =>
        `${prefix}  ${n.control} ${commentText(JSON.stringify(n.resource))}: ${commentText(n.unreadable.join(", "))}` +
        (n.written ? "" : " (required: the control is left out below; declare it in full)"),
    ),
  ];
}

function literalLines(plan: ImportPlan, prefix: string): string[] {
  const literals = plan.secrets.filter((s) => s.literalInIntercom);
  if (literals.length === 0) return [];
  return [
    `${prefix}Held as plain text in Intercom: written here as secret references, which a rule against literal credentials passes;`,
    `${prefix}audit --live grades what Intercom holds. Move a credential to an Intercom token rather than only here:`,
    ...literals.map((s) => `${prefix}  ${s.control} ${commentText(JSON.stringify(s.resource))} ${commentText(s.path)}`),
  ];
}

/** The workspace document, as YAML: notes and secret placeholders in comments at the top. */
export function renderImportDocument(plan: ImportPlan): string {
  const { workspaceId: _workspaceId, ...workspaceSettings } = plan.workspace.props;
  const document = {
    schemaVersion: 1,
    project: defaultProject,
    stack: liveStack,
    workspaces: [
      {
        name: plan.workspace.name,
        settings: { workspaceId: plan.workspace.props["workspaceId"], ...workspaceSettings },
        controls: plan.controls.map((c) => ({ type: c.live.control, name: c.live.name, settings: c.settings })),
      },
    ],
  };
  const header = [
    "# Intercom workspace document written by `intercom-health-check import` from the live workspace.",
    "# Grade it with `intercom-health-check check <this file>` (schemas/workspace-document.schema.json).",
    ...noteLines(plan, "# "),
    ...(plan.secrets.length > 0
      ? [
          "# Secret values are never written: set these environment variables before `check`:",
          ...plan.secrets.map((s) => `#   ${s.name} (${s.control} ${commentText(JSON.stringify(s.resource))} ${commentText(s.path)})`),
        ]
      : []),
    ...literalLines(plan, "# "),
  ];
  // JSON-compatible quoting and no aliases: the document reads back exactly, whatever the text.
  return `${header.join("\n")}\n${yaml.dump(document, { noRefs: true, lineWidth: -1, quotingType: '"' })}`;
}

/**
 * Resource arguments as a TypeScript object literal. A control's inputs take a Pulumi Output only at
 * the top level: a field holding a secret deeper down (`saml.idpCertificate`, `headers.*`) becomes
 * one Output built from its secrets, `pulumi.all([config.requireSecret(...)]).apply(([s0]) => ({...}))`.
 */
function argumentsExpression(settings: Record<string, unknown>, first?: string): string {
  const entries = Object.entries(settings).map(([key, value]) => {
    const secrets: SecretConfig[] = [];
    const plain = expression(value, "  ", (secret) => {
      if (value === secret) return `config.requireSecret(${literal(secret.key)})`;
      secrets.push(secret);
      return `s${secrets.length - 1}`;
    });
    const lifted =
      secrets.length === 0
        ? plain
        : `pulumi.all([${secrets.map((s) => `config.requireSecret(${literal(s.key)})`).join(", ")}]).apply(([${secrets
            .map((_, i) => `s${i}`)
            .join(", ")}]) => (${plain}))`;
    return `  ${literal(key)}: ${lifted},`;
  });
  return `{\n${[...(first !== undefined ? [`  ${first},`] : []), ...entries].join("\n")}\n}`;
}

/** A value as a TypeScript expression: JSON literals, each secret placeholder as `secret` writes it. */
function expression(value: unknown, indent: string, secret: (placeholder: SecretConfig) => string): string {
  if (value instanceof SecretConfig) return secret(value);
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const inner = `${indent}  `;
    const entries = Object.entries(value).map(([k, v]) => `${inner}${literal(k)}: ${expression(v, inner, secret)},`);
    return entries.length === 0 ? "{}" : `{\n${entries.join("\n")}\n${indent}}`;
  }
  if (Array.isArray(value)) return `[${value.map((v) => expression(v, indent, secret)).join(", ")}]`;
  return literal(value);
}

/** A JSON literal, every character outside printable ASCII escaped (a U+2028 ends a line in TypeScript source). */
function literal(value: unknown): string {
  return (JSON.stringify(value) ?? "undefined").replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function variableName(index: number): string {
  return `control${index + 1}`;
}

/** The TypeScript Pulumi program declaring what was read; unreadable fields noted, never filled in. */
export function renderImportProgram(plan: ImportPlan): string {
  const classes = [...new Set([workspaceControl.name, ...plan.controls.map((c) => c.live.control)])].sort();
  const { workspaceId: _workspaceId, ...workspaceSettings } = plan.workspace.props;
  const lines = [
    "// Written by `intercom-health-check import --format program` from the live Intercom workspace.",
    ...noteLines(plan, "// "),
    ...(plan.secrets.length > 0
      ? ["// Secret values are never written: set them with `pulumi config set --secret <key>` for these keys:"]
      : []),
    ...plan.secrets.map((s) => `//   ${s.name} (${s.control} ${commentText(JSON.stringify(s.resource))} ${commentText(s.path)})`),
    ...literalLines(plan, "// "),
    'import * as pulumi from "@pulumi/pulumi";',
    `import { ${classes.join(", ")} } from ${literal(resourcesModule)};`,
    "",
    ...(plan.secrets.length > 0 ? ["const config = new pulumi.Config();", ""] : []),
    `export const workspace = new Workspace(${literal(plan.workspace.name)}, ${argumentsExpression({
      workspaceId: plan.workspace.props["workspaceId"],
      ...workspaceSettings,
    })});`,
    "",
    ...plan.controls.map(
      (c, i) =>
        `export const ${variableName(i)} = new ${c.live.control}(${literal(c.live.name)}, ${argumentsExpression(
          c.settings,
          "workspaceId: workspace.workspaceId",
        )});`,
    ),
    // Keeps `pulumi` used when no secret needs the Config (the program may grow to use it).
    ...(plan.secrets.length > 0 ? [] : ["", "export const stack = pulumi.getStack();"]),
    "",
  ];
  return lines.join("\n");
}
