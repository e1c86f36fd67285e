/**
 * `audit --live` and `import` against Prism serving Intercom's 2.16 description (every request the
 * registry's readers send must validate), generic over the registry (intercom/live.ts): a reader
 * added there is exercised here without a new test. Also: the program `import` writes type-checks
 * against the package's resources (as the examples are type-checked); and no token, whatever its
 * text, reaches any output, even when Intercom's answers echo it. Needs a build (dist/).
 */
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import ts from "typescript";
import { allControls, workspaceControl } from "../../resources";
import { IntercomClient } from "../../intercom/client";
import { liveReaders, readLiveWorkspace, settingFields } from "../../intercom/live";
import { documentResources } from "../../cli/documents";
import { importPlan, renderImportDocument, renderImportProgram } from "../../cli/import";
import { derivedForms } from "../../core/redaction";
import { expectExitCode, runNode } from "../support/node-process";
import { propertyParameters } from "../support/property";
import { PrismServer, startVersionedPrism } from "../support/prism";
import { secureStack } from "../support/fixtures";

const root = path.resolve(__dirname, "..", "..");
const tool = path.join(root, "dist", "cli", "main.js");
/** The compiled tool's main, run in process (from dist, as installed: it finds package.json two levels up). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { main } = require(tool) as { main: (argv: readonly string[]) => Promise<number> };
const token = "tok_audit_live_test_5e4d3c2b1a0f9e8d7c6b";
/** A /me answer with an APP_ID of Intercom's form (the description's example id is 41 characters, which no APP_ID is). */
const me = {
  type: "admin",
  id: "991267459",
  email: "admin@example.com",
  name: "Admin",
  app: { type: "app", id_code: "abc123xyz", name: "Acme Support", region: "EU", timezone: "Europe/Dublin", created_at: 1734537243 },
};
const registered = new Set(liveReaders.map((r) => r.control));
const unreadControls = allControls.filter((c) => c !== workspaceControl && !registered.has(c.name));

let prism: PrismServer;
let workDir: string;
beforeAll(async () => {
  prism = await startVersionedPrism();
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "audit-live-"));
});
afterAll(async () => {
  await prism?.stop();
  fs.rmSync(workDir, { recursive: true, force: true });
});
beforeEach(() => prism.reset());
afterEach(() => expect(prism.requestViolations()).toEqual([]));

const client = () => new IntercomClient({ token, baseUrl: prism.url, sleep: async () => undefined });

describe("the registry's readers against Prism", () => {
  it("reads the workspace (/me) and every registered control with valid requests; each unread control is a stand-in, every field unreadable", async () => {
    const live = await readLiveWorkspace(client());
    expect(prism.exchanges.map((e) => `${e.method} ${e.path.split("?")[0]}`)[0]).toBe("GET /me");
    // Secure-mode secrets exist only in the Preview version; everything else is read with 2.16.
    const versionOf = (path: string) => (path.startsWith("/secure_mode_secrets") ? "Preview" : "2.16");
    expect(prism.exchanges.every((e) => e.requestHeaders["intercom-version"] === versionOf(e.path) && !e.injected)).toBe(true);
    expect(live.controls[0]).toMatchObject({ control: "Workspace", unreadable: ["securityContactEmail", "handlesPhi"] });
    expect(live.controls[0]?.props).toMatchObject({ name: "MyApp 1", region: "us" });
    // Every control read is the workspace, a registered one, or the one stand-in of a control no reader reads.
    for (const control of live.controls) {
      expect(
        control.control === "Workspace" || registered.has(control.control) || live.notRead.some((n) => n.control === control.control),
      ).toBe(true);
    }
    expect(live.notRead).toEqual(unreadControls.map((c) => ({ control: c.name, reason: "no_api" })));
    for (const definition of unreadControls) {
      const standIns = live.controls.filter((c) => c.control === definition.name);
      expect(standIns).toEqual([
        {
          control: definition.name,
          name: expect.any(String),
          props: { workspaceId: live.workspaceId },
          unreadable: settingFields(definition),
        },
      ]);
    }
    // IpAllowlist: the REST API list as Intercom's example holds it; the dashboard's has no endpoint.
    expect(live.controls.filter((c) => c.control === "IpAllowlist")).toEqual([
      expect.objectContaining({
        props: { workspaceId: live.workspaceId, scope: "rest_api", enabled: true, entries: ["192.168.1.0/24", "10.0.0.1"] },
      }),
      expect.objectContaining({ props: { workspaceId: live.workspaceId, scope: "dashboard" }, unreadable: ["enabled", "entries"] }),
    ]);
  });

  it("a reader refused with 403 leaves its control unread (forbidden), never read as empty; a 401 ends the read", async () => {
    const answers = (status: (path: string) => number) =>
      (async (url: URL) => {
        const code = status(url.pathname);
        const body = code === 200 ? me : { type: "error.list", errors: [{ code: "forbidden", message: "no" }] };
        return new Response(JSON.stringify(body), { status: code, headers: { "content-type": "application/json" } });
      }) as unknown as typeof fetch;
    const scripted = (status: (path: string) => number) =>
      new IntercomClient({ token, baseUrl: "http://127.0.0.1:9", fetch: answers(status), sleep: async () => undefined });
    const forbidden = await readLiveWorkspace(scripted((p) => (p === "/me" ? 200 : 403)));
    for (const control of registered) {
      expect(forbidden.notRead).toContainEqual({ control, reason: "forbidden" });
      const definition = allControls.find((c) => c.name === control)!;
      expect(forbidden.controls.filter((c) => c.control === control)).toEqual([
        expect.objectContaining({ unreadable: settingFields(definition) }),
      ]);
    }
    await expect(readLiveWorkspace(scripted((p) => (p === "/me" ? 200 : 401)))).rejects.toThrow(/401/);
  });
});

describe("audit --live through the tool", () => {
  it("grades the workspace: exit 1, what no reader reads listed as not readable (data), never Secure; text says declare it", async () => {
    const env = { INTERCOM_ACCESS_TOKEN: token, INTERCOM_API_BASE_URL: prism.url, INTERCOM_REGION: "" };
    const run = await runNode([tool, "audit", "--live", "--json", "--output", `text=${path.join(workDir, "audit.txt")}`], {
      cwd: root,
      env,
      timeoutMs: 60_000,
    });
    expectExitCode(run, 1);
    const report = JSON.parse(run.stdout) as {
      evidence: { input: { kind: string } };
      unknownValues: { type: string; resource: string; paths: string[]; reason?: string }[];
      workspaces: { overall: string }[];
    };
    expect(report.evidence.input.kind).toBe("live");
    expect(report.workspaces[0]?.overall).toBe("Issues found");
    expect(report.unknownValues.every((u) => u.reason === "not_readable")).toBe(true);
    for (const definition of unreadControls) {
      expect(report.unknownValues.filter((u) => u.type === definition.typeToken).flatMap((u) => u.paths)).toEqual(
        expect.arrayContaining(settingFields(definition)),
      );
    }
    const text = fs.readFileSync(path.join(workDir, "audit.txt"), "utf8");
    expect(text).toContain("Not readable through the API: declare it");
    for (const form of [token, ...derivedForms(token).anywhere]) expect(run.stdout + run.stderr + text).not.toContain(form);
  }, 90_000);

  it("no token: a usage error, nothing sent", async () => {
    const run = await runNode([tool, "audit", "--live"], {
      cwd: root,
      env: { INTERCOM_ACCESS_TOKEN: "", INTERCOM_API_BASE_URL: prism.url },
      timeoutMs: 30_000,
    });
    expectExitCode(run, 2);
    expect(prism.exchanges).toHaveLength(0);
  });
});

describe("the connection, as the providers take it", () => {
  it("import --program reads the token from the stack configuration (intercom:accessToken, a secret given by --secret-env)", async () => {
    const program = fs.mkdtempSync(path.join(workDir, "program-"));
    fs.writeFileSync(path.join(program, "Pulumi.yaml"), "name: acme\nruntime: nodejs\n");
    fs.writeFileSync(path.join(program, "Pulumi.prod.yaml"), "config:\n  intercom:region: eu\n");
    const run = await runNode(
      [tool, "import", "--program", program, "--stack", "prod", "--secret-env", "intercom:accessToken=ACME_INTERCOM_TOKEN"],
      { cwd: root, env: { ACME_INTERCOM_TOKEN: token, INTERCOM_ACCESS_TOKEN: "", INTERCOM_API_BASE_URL: prism.url }, timeoutMs: 30_000 },
    );
    expectExitCode(run, 0);
    expect(prism.exchanges.map((e) => e.requestHeaders["authorization"])).toEqual(prism.exchanges.map(() => `Bearer ${token}`));
    expect(run.stdout).toMatch(/^schemaVersion: 1$/m);
    for (const form of [token, ...derivedForms(token).anywhere]) expect(run.stdout + run.stderr).not.toContain(form);
  }, 60_000);
});

describe("import", () => {
  it("the document validates against the schema; the program type-checks against the package's resources", async () => {
    prism.inject({ status: 200, body: JSON.stringify(me) });
    const live = await readLiveWorkspace(client());
    const document = renderImportDocument(importPlan(live, "document"));
    // documentResources validates against schemas/workspace-document.schema.json and refuses otherwise.
    const resources = documentResources([{ label: "imported.yaml", text: document }], {});
    expect(resources.resources.map((r) => r.name)).toEqual(expect.arrayContaining(["workspace-abc123xyz", "rest-api-allowlist"]));
    expect(document).toMatch(/Not readable through Intercom's API: declare it/);

    const programFile = path.join(workDir, "index.ts");
    fs.writeFileSync(programFile, renderImportProgram(importPlan(live, "program")));
    // The check can fail: the same program with a value the resource's type does not allow.
    const wrongFile = path.join(workDir, "wrong.ts");
    fs.writeFileSync(wrongFile, fs.readFileSync(programFile, "utf8").replace('"rest_api"', '"everywhere"'));
    // Every control, secrets (config.requireSecret) and nested settings included: the secure fixture workspace, as read.
    const fullFile = path.join(workDir, "full.ts");
    const everyControl = secureStack({ handlesPhi: true, withMobile: true, withCustomAction: true }).flatMap((r) => {
      const definition = allControls.find((c) => c.typeToken === r.type);
      return definition ? [{ control: definition.name, name: r.name, props: { ...r.props, workspaceId: "abc123xyz" } }] : [];
    });
    const fullPlan = importPlan({ workspaceId: "abc123xyz", controls: everyControl, notRead: [] }, "program");
    expect(fullPlan.secrets.map((p) => p.path)).toEqual(expect.arrayContaining(["apiSecret", "saml.idpCertificate"]));
    const fullProgram = renderImportProgram(fullPlan);
    expect(fullProgram).toContain("config.requireSecret(");
    for (const secret of ["fixture-web-messenger-secret", "MIIBfixture"]) expect(fullProgram).not.toContain(secret);
    fs.writeFileSync(fullFile, fullProgram);
    const errors = typeErrors([programFile, wrongFile, fullFile]);
    expect(errors.get(programFile)).toEqual([]);
    expect(errors.get(fullFile)).toEqual([]);
    expect(errors.get(wrongFile)?.join("\n")).toMatch(/everywhere/);
  }, 90_000);
});

/** Type-checks files as the examples are (tsconfig.examples.json: the package's name mapped to these sources); each file's errors. */
function typeErrors(files: string[]): Map<string, string[]> {
  const configFile = path.join(root, "tsconfig.examples.json");
  const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configFile, ts.sys.readFile).config, ts.sys, root);
  // The files lie outside the repository: bare imports resolve from its node_modules.
  const options = {
    ...parsed.options,
    rootDir: undefined,
    paths: { ...parsed.options.paths, "*": ["node_modules/*", "node_modules/@types/*"] },
  };
  const program = ts.createProgram(files, options);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  return new Map(
    files.map((file) => [
      file,
      diagnostics
        .filter((d) => d.file?.fileName === file || d.file === undefined)
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")),
    ]),
  );
}

describe("no token in any output", () => {
  /**
   * A loopback Intercom that echoes the token back: in the workspace name, an allowlist entry, or (refusing) in a 401's
   * message and request id. Any other endpoint (a reader added to the registry) is answered by Prism.
   */
  async function echoingIntercom(echo: string, refuse: boolean): Promise<{ url: string; close: () => Promise<void> }> {
    const server = http.createServer((req, res) => {
      const url = req.url ?? "/";
      res.setHeader("content-type", "application/json");
      if (url.startsWith("/me")) {
        res.end(JSON.stringify({ ...me, app: { ...me.app, name: `Acme ${echo}` } }));
      } else if (refuse) {
        res.statusCode = 401;
        res.end(JSON.stringify({ type: "error.list", request_id: echo, errors: [{ code: "unauthorized", message: `bad token ${echo}` }] }));
      } else if (url.startsWith("/ip_allowlist")) {
        res.end(JSON.stringify({ type: "ip_allowlist", enabled: true, ip_allowlist: ["10.0.0.1", echo] }));
      } else {
        void fetch(`${prism.url}${url}`, {
          method: req.method ?? "GET",
          headers: {
            authorization: `Bearer ${echo}`,
            accept: "application/json",
            "intercom-version": String(req.headers["intercom-version"] ?? ""),
          },
        })
          .then(async (answer) => {
            res.statusCode = answer.status;
            res.end(await answer.text());
          })
          .catch(() => {
            res.statusCode = 502;
            res.end();
          });
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
  }

  /** main() in process, its stdout and stderr captured. */
  async function runMain(args: string[]): Promise<{ code: number; out: string }> {
    let out = "";
    const capture = (chunk: string | Uint8Array) => {
      out += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
      return true;
    };
    const stdout = jest.spyOn(process.stdout, "write").mockImplementation(capture);
    const stderr = jest.spyOn(process.stderr, "write").mockImplementation(capture);
    try {
      return { code: await main(args), out };
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
  }

  it("audit --live in every format, import in both, and a refused token: none shows the token or a form of it", async () => {
    const saved = { ...process.env };
    try {
      await fc.assert(
        fc.asyncProperty(fc.stringMatching(/^[A-Za-z0-9_=+/-]{24,64}$/), fc.boolean(), async (secret, refuse) => {
          const intercom = await echoingIntercom(secret, refuse);
          process.env.INTERCOM_ACCESS_TOKEN = secret;
          process.env.INTERCOM_API_BASE_URL = intercom.url;
          delete process.env.INTERCOM_REGION;
          const dir = fs.mkdtempSync(path.join(workDir, "run-"));
          try {
            const files = ["text", "sarif", "junit", "github", "markdown", "html"].map((f) => [f, path.join(dir, `report.${f}`)] as const);
            const audit = await runMain([
              "audit",
              "--live",
              "--policy-pack",
              root,
              "--format",
              "json",
              ...files.flatMap(([f, file]) => ["--output", `${f}=${file}`]),
            ]);
            const imports = [await runMain(["import"]), await runMain(["import", "--format", "program"])];
            expect(audit.code).toBe(refuse ? 2 : 1);
            const everything = [
              audit.out,
              ...imports.map((r) => r.out),
              ...files.filter(([, f]) => fs.existsSync(f)).map(([, f]) => fs.readFileSync(f, "utf8")),
            ];
            for (const text of everything) {
              for (const form of [secret, ...derivedForms(secret).anywhere]) expect(text).not.toContain(form);
            }
          } finally {
            await intercom.close();
          }
        }),
        propertyParameters(3),
      );
    } finally {
      process.env = saved;
    }
  }, 120_000);
});
