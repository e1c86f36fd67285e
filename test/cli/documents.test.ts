/**
 * Workspace documents (cli/documents.ts): what `check` reads, refuses and sends to the pack. Every
 * refusal names the file and the JSON path and never the value there (it could be a secret);
 * nothing a document says is silently dropped.
 */
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import { InputError } from "../../cli/errors";
import { DocumentSource, jsonPath, maxDocumentBytes, readDocumentSources } from "../../cli/document-reading";
import { documentResources, maxResources } from "../../cli/documents";
import { isSecretEnvelope } from "../../core/secret-envelope";
import { allControls } from "../../resources";
import { secureSample } from "../support/fixtures";
import { propertyParameters } from "../support/property";

const repoRoot = path.resolve(__dirname, "..", "..");
const documentsDir = path.join(repoRoot, "examples", "documents");
const canary = "CANARY-document-value-93c1e";

const controls = allControls.filter((c) => c.name !== "Workspace");
const workspaceSettings = { workspaceId: "abc123xyz", name: "Acme", region: "us" };

function docWith(controlsOfWorkspace: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemaVersion: 1, workspaces: [{ name: "acme", settings: workspaceSettings, controls: controlsOfWorkspace }], ...extra };
}

function source(document: unknown, label = "doc.json"): DocumentSource {
  return { label, text: typeof document === "string" ? document : JSON.stringify(document) };
}

/** The refusal's message (fails when the documents are accepted). */
function refusal(sources: DocumentSource[], env: NodeJS.ProcessEnv = {}): string {
  try {
    documentResources(sources, env);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return error.message;
  }
  throw new Error("the documents were accepted");
}

function sampleSettings(name: string): Record<string, unknown> {
  const { workspaceId: _id, ...settings } = secureSample(allControls.find((c) => c.name === name) as never);
  return settings;
}

describe("the example documents", () => {
  const files = fs.readdirSync(documentsDir).sort();

  it("are read as the resources their programs register: URNs under the stack, secret fields secret, each control on its workspace", () => {
    expect(files).toEqual(["declared-workspace.yaml", "healthcare-workspace.yaml", "insecure-workspace.yaml", "secure-workspace.yaml"]);
    const env = { WEB_MESSENGER_SECRET: canary, IOS_MESSENGER_SECRET: "i", ANDROID_MESSENGER_SECRET: "a" };
    const read = documentResources(readDocumentSources(path.join(documentsDir, "secure-workspace.yaml")), env);
    expect([read.project, read.stack]).toEqual(["secure-workspace", "dev"]);
    const [stack, workspace, ...rest] = read.resources;
    expect(stack?.urn).toBe("urn:pulumi:dev::secure-workspace::pulumi:pulumi:Stack::secure-workspace-dev");
    expect(workspace?.urn).toBe("urn:pulumi:dev::secure-workspace::pulumi-nodejs:dynamic/intercom:Workspace::acme");
    for (const control of rest) {
      expect(control.parent).toBe(stack?.urn);
      expect(control.urn).toBe(`urn:pulumi:dev::secure-workspace::${control.type}::${control.name}`);
      expect(control.properties["workspaceId"]).toBe("ab12cd34ef");
      expect(control.propertyDependencies?.["workspaceId"]).toEqual([workspace?.urn]);
    }
    const web = rest.find((r) => r.name === "acme-messenger-web");
    expect(web?.properties["apiSecret"]).toEqual({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: canary });
    const sso = rest.find((r) => r.name === "acme-sso")?.properties["saml"] as Record<string, unknown>;
    // The certificate is written out in the document; the control keeps it secret, as its resource class does.
    expect(isSecretEnvelope(sso["idpCertificate"])).toBe(true);
    expect(isSecretEnvelope(sso["idpSsoUrl"])).toBe(false);
    expect(read.secretTexts).toContain(canary);
  });

  it("a directory is every document in it, sorted, graded as one stack", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "documents-"));
    try {
      const second = {
        ...docWith([]),
        workspaces: [{ name: "b", settings: { ...workspaceSettings, workspaceId: "bbb222" }, controls: [] }],
      };
      fs.writeFileSync(path.join(dir, "b.json"), JSON.stringify(second));
      fs.writeFileSync(path.join(dir, "a.yml"), "schemaVersion: 1\nworkspaces: []\n");
      fs.writeFileSync(
        path.join(dir, "c.yaml"),
        `schemaVersion: 1\nproject: p1\nworkspaces:\n  - name: c\n    settings: { workspaceId: ccc333, name: C, region: eu }\n    controls: []\n`,
      );
      fs.writeFileSync(path.join(dir, "notes.txt"), "not a document");
      const sources = readDocumentSources(dir);
      expect(sources.map((s) => path.basename(s.label))).toEqual(["a.yml", "b.json", "c.yaml"]);
      const read = documentResources(sources, {});
      expect(read.project).toBe("p1");
      expect(read.resources.map((r) => r.name)).toEqual(["p1-dev", "b", "c"]);
      fs.writeFileSync(path.join(dir, "d.json"), JSON.stringify({ ...docWith([]), project: "p2", workspaces: [] }));
      expect(refusal(readDocumentSources(dir))).toMatch(/d\.json: \$\.project: is not the project .*c\.yaml names/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "documents-"));
    try {
      expect(() => readDocumentSources(empty)).toThrow(/holds no workspace document/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe("the README's document", () => {
  it("is a valid document, read as the README says", () => {
    const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
    const section = readme.split("### `check`: workspace documents, without Pulumi")[1]?.split("\n### ")[0] ?? "";
    const yamlBlock = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    if (!yamlBlock) throw new Error("the README's check section shows no YAML document");
    const read = documentResources([source(yamlBlock, "README.md")], { WEB_MESSENGER_SECRET: canary });
    expect(read.resources.map((r) => r.urn)).toEqual([
      "urn:pulumi:prod::acme-intercom::pulumi:pulumi:Stack::acme-intercom-prod",
      "urn:pulumi:prod::acme-intercom::pulumi-nodejs:dynamic/intercom:Workspace::acme",
      "urn:pulumi:prod::acme-intercom::pulumi-nodejs:dynamic/intercom:TwoFactorAuthentication::acme-2fa",
      "urn:pulumi:prod::acme-intercom::pulumi-nodejs:dynamic/intercom:MessengerSecurity::acme-web",
    ]);
  });
});

describe("refused documents: every problem, by file and JSON path, no value", () => {
  it("a control type may be its name or its type token; an unknown type is refused", () => {
    const settings = sampleSettings("TwoFactorAuthentication");
    const accepted = documentResources(
      [
        source(
          docWith([
            { type: "TwoFactorAuthentication", name: "a", settings },
            { type: "pulumi-nodejs:dynamic/intercom:SessionPolicy", name: "b", settings: sampleSettings("SessionPolicy") },
          ]),
        ),
      ],
      {},
    );
    expect(accepted.resources.map((r) => r.type.split(":").pop())).toEqual([
      "Stack",
      "Workspace",
      "TwoFactorAuthentication",
      "SessionPolicy",
    ]);
    for (const type of ["Firewall", "twofactorauthentication", "pulumi-nodejs:dynamic/intercom:Workspace", "Workspace"]) {
      expect(refusal([source(docWith([{ type, name: "a", settings }]))])).toContain("doc.json: $.workspaces[0].controls[0].type:");
    }
  });

  it("an unknown field anywhere is refused at its path, its value never shown", () => {
    const places = fc.constantFrom("top", "workspace", "workspaceSettings", "control", "settings", "nested");
    fc.assert(
      fc.property(fc.constantFrom(...controls), places, fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,12}$/), (control, place, field) => {
        const settings = sampleSettings(control.name);
        fc.pre(
          !Object.hasOwn(settings, field) &&
            ![
              "name",
              "settings",
              "controls",
              "type",
              "workspaces",
              "schemaVersion",
              "project",
              "stack",
              "workspaceId",
              "region",
              "securityContactEmail",
              "handlesPhi",
            ].includes(field),
        );
        const entry: Record<string, unknown> = { type: control.name, name: "c", settings: { ...settings } };
        const doc = docWith([entry]) as { workspaces: Array<Record<string, unknown>> } & Record<string, unknown>;
        let expected: (string | number)[];
        const ws = doc.workspaces[0] as Record<string, unknown>;
        if (place === "top") [doc[field], expected] = [canary, [field]];
        else if (place === "workspace") [ws[field], expected] = [canary, ["workspaces", 0, field]];
        else if (place === "workspaceSettings")
          [ws["settings"], expected] = [{ ...workspaceSettings, [field]: canary }, ["workspaces", 0, "settings", field]];
        else if (place === "control") [entry[field], expected] = [canary, ["workspaces", 0, "controls", 0, field]];
        else if (place === "settings")
          [(entry["settings"] as Record<string, unknown>)[field], expected] = [canary, ["workspaces", 0, "controls", 0, "settings", field]];
        else {
          const nestedKey = Object.keys(settings).find(
            (k) => typeof settings[k] === "object" && settings[k] !== null && !Array.isArray(settings[k]) && k !== "headers",
          );
          fc.pre(nestedKey !== undefined);
          const nested = settings[nestedKey as string] as Record<string, unknown>;
          fc.pre(!Object.hasOwn(nested, field));
          (entry["settings"] as Record<string, unknown>)[nestedKey as string] = { ...nested, [field]: canary };
          expected = ["workspaces", 0, "controls", 0, "settings", nestedKey as string, field];
        }
        const message = refusal([source(doc)]);
        expect(message).toContain(`doc.json: ${jsonPath(expected)}: is not a field here`);
        expect(message).not.toContain(canary);
      }),
      propertyParameters(150),
    );
  });

  it("a value of the wrong type or outside its allowed values is refused at its path, never shown", () => {
    const fieldsOf = (name: string) => Object.keys(sampleSettings(name));
    const drawn = fc
      .constantFrom(...controls)
      .chain((control) => fc.tuple(fc.constant(control), fc.constantFrom(...fieldsOf(control.name))));
    const wrong = fc.oneof(
      fc.constant({ nested: canary }),
      fc.constant([canary, { x: canary }]),
      fc.constant(`${canary}`),
      fc.constant(true),
      fc.constant(-1.5),
    );
    fc.assert(
      fc.property(drawn, wrong, ([control, field], value) => {
        const settings = { ...sampleSettings(control.name), [field]: value };
        const parsed = control.schema.safeParse({ ...settings, workspaceId: "abc123xyz" });
        // Only values the control's own schema refuses: the document's schema is generated from it.
        fc.pre(!parsed.success);
        const message = refusal([source(docWith([{ type: control.name, name: "c", settings }]))]);
        expect(message).toContain(`doc.json: ${jsonPath(["workspaces", 0, "controls", 0, "settings", field])}`);
        expect(message).not.toContain(canary);
      }),
      propertyParameters(150),
    );
  });

  it("reports every problem of every document at once", () => {
    const bad = (n: number) =>
      source(
        docWith([{ type: "TwoFactorAuthentication", name: "t", settings: { enforcement: "sometimes" } }], { [`extra${n}`]: 1 }),
        `doc${n}.json`,
      );
    const message = refusal([bad(1), bad(2)]);
    for (const n of [1, 2]) {
      expect(message).toContain(`doc${n}.json: $.extra${n}: is not a field here`);
      expect(message).toContain(
        `doc${n}.json: $.workspaces[0].controls[0].settings.enforcement: must be one of "off", "optional", "required"`,
      );
    }
  });

  it("a missing schemaVersion, or another version, is refused", () => {
    expect(refusal([source({ workspaces: [] })])).toContain("$.schemaVersion: is required");
    expect(refusal([source({ schemaVersion: 2, workspaces: [] })])).toContain("$.schemaVersion: must be 1");
  });
});

describe("names and workspaces", () => {
  it("two resources of one type with one name are refused (their URNs would be one); the same name on two types is not", () => {
    const tfa = { type: "TwoFactorAuthentication", name: "same", settings: sampleSettings("TwoFactorAuthentication") };
    const session = { type: "SessionPolicy", name: "same", settings: sampleSettings("SessionPolicy") };
    expect(documentResources([source(docWith([tfa, session]))], {}).resources).toHaveLength(4);
    expect(refusal([source(docWith([tfa, { ...tfa, type: "pulumi-nodejs:dynamic/intercom:TwoFactorAuthentication" }]))])).toMatch(
      /\$\.workspaces\[0\]\.controls\[1\]\.name: a second TwoFactorAuthentication named "same" \(the first is doc\.json: \$\.workspaces\[0\]\.controls\[0\]\.name\)/,
    );
    const twoWorkspaces = {
      schemaVersion: 1,
      workspaces: [0, 1].map((i) => ({ name: "ws", settings: { ...workspaceSettings, workspaceId: `abc12${i}` }, controls: [] })),
    };
    expect(refusal([source(twoWorkspaces)])).toContain("$.workspaces[1].name: a second Workspace");
    // Across documents too.
    expect(refusal([source(docWith([tfa]), "a.json"), source(docWith([tfa]), "b.json")])).toContain(
      "b.json: $.workspaces[0].name: a second Workspace",
    );
  });

  it("a control giving another workspace's id is refused; giving its own is the same as giving none", () => {
    fc.assert(
      fc.property(fc.constantFrom(...controls), fc.stringMatching(/^[a-z0-9]{6,16}$/), (control, otherId) => {
        fc.pre(otherId !== workspaceSettings.workspaceId);
        const settings = sampleSettings(control.name);
        const message = refusal([source(docWith([{ type: control.name, name: "c", settings: { ...settings, workspaceId: otherId } }]))]);
        expect(message).toContain(
          "$.workspaces[0].controls[0].settings.workspaceId: is not the workspaceId of the workspace it is listed under",
        );
        const own = documentResources(
          [source(docWith([{ type: control.name, name: "c", settings: { ...settings, workspaceId: workspaceSettings.workspaceId } }]))],
          {},
        );
        const none = documentResources([source(docWith([{ type: control.name, name: "c", settings }]))], {});
        expect(own.resources).toEqual(none.resources);
      }),
      propertyParameters(40),
    );
  });
});

describe("prototype keys", () => {
  const protoKeys = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "__defineGetter__"];

  it("are refused where the format names its fields", () => {
    fc.assert(
      fc.property(fc.constantFrom(...protoKeys), fc.constantFrom("top", "workspace", "control", "settings"), (key, place) => {
        const quoted = JSON.stringify(key);
        const control = `{"type": "TwoFactorAuthentication", "name": "t", "settings": {"enforcement": "required"${place === "settings" ? `, ${quoted}: {"polluted": true}` : ""}}${place === "control" ? `, ${quoted}: {"polluted": true}` : ""}}`;
        const workspace = `{"name": "acme", "settings": {"workspaceId": "abc123xyz", "name": "A", "region": "us"}, "controls": [${control}]${place === "workspace" ? `, ${quoted}: {"polluted": true}` : ""}}`;
        const text = `{"schemaVersion": 1, "workspaces": [${workspace}]${place === "top" ? `, ${quoted}: {"polluted": true}` : ""}}`;
        const message = refusal([source(text)]);
        expect(message).toContain(`is not a field here`);
        expect(message).toContain(jsonPath([key]).slice(1));
        expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
      }),
      propertyParameters(60),
    );
  });

  it("are kept as plain names where any name is allowed (a CustomAction header), and graded", () => {
    const settings = sampleSettings("CustomAction");
    for (const key of protoKeys) {
      const text = `{"schemaVersion": 1, "workspaces": [{"name": "acme", "settings": {"workspaceId": "abc123xyz", "name": "A", "region": "us"}, "controls": [{"type": "CustomAction", "name": "c", "settings": ${JSON.stringify({ ...settings, headers: {} }).replace('"headers":{}', `"headers":{${JSON.stringify(key)}: "Bearer sk_live_${canary}"}`)}}]}]}`;
      const read = documentResources([source(text)], {});
      const headers = read.resources[2]?.properties["headers"] as Record<string, unknown>;
      expect(Object.getPrototypeOf(headers)).toBe(Object.prototype);
      expect(Object.hasOwn(headers, key)).toBe(true);
      expect(headers[key]).toBe(`Bearer sk_live_${canary}`);
    }
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });
});

describe("secret references", () => {
  it("send the variable's value as a Pulumi secret wherever text is allowed, and refuse a missing variable by name", () => {
    const settings = {
      ...sampleSettings("CustomAction"),
      headers: { Authorization: { $secretEnv: "API_TOKEN" }, Accept: "application/json" },
    };
    const doc = docWith([{ type: "CustomAction", name: "c", settings }]);
    const read = documentResources([source(doc)], { API_TOKEN: canary });
    const headers = read.resources[2]?.properties["headers"] as Record<string, unknown>;
    expect(headers["Authorization"]).toEqual({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: canary });
    expect(headers["Accept"]).toBe("application/json");
    expect(read.secretTexts).toEqual([canary]);
    expect(refusal([source(doc)], {})).toContain(
      "$.workspaces[0].controls[0].settings.headers.Authorization: the environment variable API_TOKEN is not set",
    );
  });

  it("a malformed reference, or one where no text is allowed, is refused", () => {
    const tfa = (enforcement: unknown) => docWith([{ type: "TwoFactorAuthentication", name: "t", settings: { enforcement } }]);
    expect(refusal([source(tfa({ $secretEnv: "lower-case-not-a-name" }))], {})).toContain(
      "$.workspaces[0].controls[0].settings.enforcement",
    );
    expect(refusal([source(tfa({ $secretEnv: "A", other: 1 }))], { A: "required" })).toContain(
      "$.workspaces[0].controls[0].settings.enforcement",
    );
    const session = docWith([{ type: "SessionPolicy", name: "s", settings: { reauthenticateAfterHours: { $secretEnv: "HOURS" } } }]);
    expect(refusal([source(session)], { HOURS: "12" })).toContain("$.workspaces[0].controls[0].settings.reauthenticateAfterHours");
  });
});

describe("huge and hostile input", () => {
  it("refuses input beyond the size bound before parsing it", () => {
    const big = " ".repeat(maxDocumentBytes + 1);
    expect(() => readDocumentSources("-", () => big)).toThrow(/exceed/);
    expect(refusal([source(big)])).toMatch(/exceed/);
  });

  it("refuses what is not a regular file (a device, a directory named like a document) rather than reading or skipping it", () => {
    if (fs.existsSync("/dev/zero")) expect(() => readDocumentSources("/dev/zero")).toThrow(/is not a regular file/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "documents-"));
    try {
      fs.mkdirSync(path.join(dir, "nested.yaml"));
      expect(() => readDocumentSources(dir)).toThrow(/nested\.yaml is not a regular file/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses YAML whose aliases expand beyond the bound (an alias bomb)", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++)
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(", ")}]`,
      );
    expect(refusal([source(levels.join("\n"), "bomb.yaml")])).toMatch(/bomb\.yaml: its aliases expand to more than/);
  });

  it("refuses duplicate keys (JSON.parse would keep the last one silently)", () => {
    expect(refusal([source('{"schemaVersion": 1, "schemaVersion": 1, "workspaces": []}')])).toMatch(/duplicated mapping key/);
  });

  it("refuses nesting deeper than the reader's stack, and more resources than the bound", () => {
    const deep = "[".repeat(200_000) + "]".repeat(200_000);
    expect(refusal([source(deep)])).toMatch(/doc\.json/);
    const many = Array.from({ length: maxResources + 1 }, (_, i) => ({
      type: "TwoFactorAuthentication",
      name: `t${i}`,
      settings: { enforcement: "required" },
    }));
    expect(refusal([source(docWith(many))])).toContain(`more than ${maxResources} resources`);
  });

  it("refuses what is not a document at all, by file", () => {
    for (const text of ["", "null", "[]", "42", "just text", "{ unclosed"]) {
      expect(refusal([source(text, "odd.yaml")])).toMatch(/^.*odd\.yaml/s);
    }
  });
});

describe("the check command", () => {
  const main = path.join(repoRoot, "dist", "cli", "main.js");
  it("exits 2 on a refused document, with every problem, as JSON under --json, before launching the pack", () => {
    const doc = JSON.stringify(
      docWith([{ type: "TwoFactorAuthentication", name: "t", settings: { enforcement: canary } }], { stray: canary }),
    );
    const run = childProcess.spawnSync(process.execPath, [main, "check", "-", "--json"], {
      input: doc,
      encoding: "utf8",
      cwd: repoRoot,
      timeout: 60_000,
    });
    expect(run.status).toBe(2);
    const body = JSON.parse(run.stdout) as { error: { kind: string; message: string } };
    expect(body.error.kind).toBe("input");
    expect(body.error.message).toContain("<stdin>: $.stray: is not a field here");
    expect(body.error.message).toContain("<stdin>: $.workspaces[0].controls[0].settings.enforcement: must be one of");
    expect(run.stdout + run.stderr).not.toContain(canary);
  });

  // check starts the pack once the documents are read and valid, while it converts them: a problem found in the
  // conversion, and one with the pack directory, are still reported as they were, the documents' own first.
  it("reports a problem found while converting the documents after the pack has started, and before a bad pack directory", () => {
    const doc = JSON.stringify(
      docWith([
        {
          type: "MessengerSecurity",
          name: "web",
          settings: {
            platform: "web",
            identityVerification: "jwt",
            enforced: true,
            apiSecret: { $secretEnv: "CHECK_TEST_UNSET_VARIABLE" },
          },
        },
      ]),
    );
    const env = { ...process.env };
    delete env["CHECK_TEST_UNSET_VARIABLE"];
    for (const packArgs of [[], ["--policy-pack", path.join(repoRoot, "no-such-pack")]]) {
      const run = childProcess.spawnSync(process.execPath, [main, "check", "-", "--json", ...packArgs], {
        input: doc,
        encoding: "utf8",
        cwd: repoRoot,
        env,
        timeout: 60_000,
      });
      expect(run.status).toBe(2);
      const body = JSON.parse(run.stdout) as { error: { kind: string; message: string } };
      expect(body.error.kind).toBe("input");
      expect(body.error.message).toContain("the environment variable CHECK_TEST_UNSET_VARIABLE is not set");
    }
  }, 120_000);

  it("refuses standard input beyond the size bound without buffering all of it", () => {
    const run = childProcess.spawnSync(process.execPath, [main, "check", "-"], {
      input: "#".repeat(maxDocumentBytes + 1024),
      encoding: "utf8",
      cwd: repoRoot,
      timeout: 60_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("exceed");
  });

  it("grades standard input as a document", () => {
    const run = childProcess.spawnSync(process.execPath, [main, "check", "-", "--json", "--as-of", "2026-11-21"], {
      input: fs.readFileSync(path.join(documentsDir, "insecure-workspace.yaml"), "utf8"),
      encoding: "utf8",
      cwd: repoRoot,
      timeout: 120_000,
    });
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { blocking: boolean; workspaces: { workspaceId: string }[] };
    expect(report.blocking).toBe(true);
    expect(report.workspaces.map((w) => w.workspaceId)).toEqual(["zx98yw76"]);
  }, 120_000);
});
