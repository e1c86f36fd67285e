/**
 * What the bench sends: stacks of N workspaces, each with every control, built from the repository's own secure
 * workspace document (examples/documents/secure-workspace.yaml, plus the Business Associate Agreement of the
 * healthcare document, the one control it lacks) through `check`'s own reading of documents (cli/documents.ts), so
 * the resources are exactly what the engine would send for them.
 */
import * as fs from "fs";
import * as path from "path";
import { loadYaml } from "./yaml";
import { CapturedResource } from "../cli/analyzer-client";
import { documentResources, maxResources } from "../cli/documents";
import { allControls } from "../resources";

export const repositoryRoot = path.resolve(__dirname, "..", "..");
const documentsDir = path.join(repositoryRoot, "examples", "documents");

/** Values for the documents' secret references (bench-only, never real). */
export const secretEnv: NodeJS.ProcessEnv = {
  WEB_MESSENGER_SECRET: "bench-only-not-a-real-web-messenger-secret",
  IOS_MESSENGER_SECRET: "bench-only-not-a-real-ios-messenger-secret",
  ANDROID_MESSENGER_SECRET: "bench-only-not-a-real-android-messenger-secret",
};

interface DocumentControl {
  type: string;
  name: string;
  settings: Record<string, unknown>;
}
interface DocumentWorkspace {
  name: string;
  settings: Record<string, unknown>;
  controls: DocumentControl[];
}
interface WorkspaceDocument {
  schemaVersion: 1;
  project?: string;
  stack?: string;
  workspaces: DocumentWorkspace[];
}

function readDocument(name: string): WorkspaceDocument {
  return loadYaml(fs.readFileSync(path.join(documentsDir, name), "utf8")) as WorkspaceDocument;
}

/** One workspace with every control type (some more than once, as the secure example declares them). */
function templateWorkspace(): DocumentWorkspace {
  const secure = readDocument("secure-workspace.yaml").workspaces[0] as DocumentWorkspace;
  const present = new Set(secure.controls.map((c) => c.type));
  const missing = readDocument("healthcare-workspace.yaml")
    .workspaces.flatMap((w) => w.controls)
    .filter((c) => !present.has(c.type));
  const controls = [...secure.controls, ...missing.filter((c, i) => missing.findIndex((m) => m.type === c.type) === i)];
  const types = new Set(controls.map((c) => c.type));
  const absent = allControls.filter((c) => c.name !== "Workspace" && !types.has(c.name)).map((c) => c.name);
  if (absent.length > 0) {
    throw new Error(`The bench's template workspace lacks ${absent.join(", ")}: add a secure sample of it to bench/workload.ts.`);
  }
  return { ...secure, controls };
}

/** A document of `count` workspaces, each a renamed copy of the template with its own APP_ID. */
export function workspacesDocument(count: number, options: { controls?: boolean } = {}): WorkspaceDocument {
  const template = templateWorkspace();
  const workspaces = Array.from({ length: count }, (_, i): DocumentWorkspace => {
    const suffix = String(i).padStart(6, "0");
    return {
      name: `${template.name}-${suffix}`,
      settings: { ...template.settings, workspaceId: `bench${suffix}` },
      controls: options.controls === false ? [] : template.controls.map((c) => ({ ...c, name: `${c.name}-${suffix}` })),
    };
  });
  return { schemaVersion: 1, project: "bench", stack: "dev", workspaces };
}

/** The controls one workspace of the workload has (the workspace itself included). */
export function resourcesPerWorkspace(): number {
  return templateWorkspace().controls.length + 1;
}

/**
 * The stack the engine would send for `count` workspaces with every control: the root stack, then each workspace and
 * its controls. Read in parts because `check` refuses more than {@link maxResources} resources in one go; the parts
 * share one project and stack, so their URNs are those of one document.
 */
export function workspacesStack(count: number): CapturedResource[] {
  const perPart = Math.max(1, Math.floor(maxResources / resourcesPerWorkspace()));
  const whole = workspacesDocument(count);
  const resources: CapturedResource[] = [];
  for (let start = 0; start < count; start += perPart) {
    const part = { ...whole, workspaces: whole.workspaces.slice(start, start + perPart) };
    const read = documentResources([{ label: `bench-part-${start}`, text: JSON.stringify(part) }], secretEnv).resources;
    // Each part has the same root stack: keep the first.
    resources.push(...(start === 0 ? read : read.slice(1)));
  }
  return resources;
}
