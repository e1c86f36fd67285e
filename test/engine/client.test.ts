import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CapturedResource, PolicyPackSession } from "../../cli/analyzer-client";
import { runPreview } from "../../cli/program-runner";

const fixtures = path.join(__dirname, "..", "fixtures");
const tinyPackDir = path.join(fixtures, "tiny-pack");
const tinyProgramDir = path.join(fixtures, "tiny-program");

const WIDGET_TYPE = "pulumi-nodejs:dynamic/tiny:Widget";
const SECRET_SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";
const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const STACK_URN = "urn:pulumi:dev::tiny-program::pulumi:pulumi:Stack::tiny-program-dev";
/** One program run (a few seconds alone, much more on a busy machine). */
const RUN_TIMEOUT_MS = 120_000;
/** The launcher's fast path (PULUMI_NODEJS_TRANSPILE_ONLY), for runs that do not test type checking. */
const FAST = { PULUMI_NODEJS_TRANSPILE_ONLY: "true" };

function widget(name: string, properties: Record<string, unknown>, extra: Partial<CapturedResource> = {}): CapturedResource {
  return {
    type: WIDGET_TYPE,
    name,
    urn: `urn:pulumi:dev::tiny-program::${WIDGET_TYPE}::${name}`,
    properties: { __provider: "exports.handler = function() {}", ...properties },
    parent: STACK_URN,
    ...extra,
  };
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("PolicyPackSession with the tiny pack", () => {
  let session: PolicyPackSession;
  beforeAll(async () => {
    session = await PolicyPackSession.launch(tinyPackDir);
  });

  afterAll(async () => {
    await session?.close();
  });

  afterEach(async () => {
    // Configure replaces the whole config: go back to the pack's defaults after each test.
    await session.configure({});
  });

  it("lists the pack's policies through GetAnalyzerInfo", async () => {
    const info = await session.getAnalyzerInfo();
    expect(info.name).toBe("tiny-pack");
    expect(info.version).toBe("0.3.0");
    expect(info.supportsConfig).toBe(true);
    expect(info.policies.map((p) => [p.name, p.policyType, p.enforcementLevel])).toEqual([
      ["no-bad-widgets", "resource", "mandatory"],
      ["token-length", "resource", "advisory"],
      ["internal-keys-hidden", "resource", "mandatory"],
      ["explode-on-request", "resource", "mandatory"],
      ["max-widgets", "stack", "advisory"],
    ]);
    expect(info.policies[0]?.severity).toBe("high");
    expect(info.policies.find((p) => p.name === "max-widgets")?.configSchema).toEqual({
      properties: { maxWidgets: { type: "integer", minimum: 0, default: 2 } },
      required: [],
    });
  });

  it("reports a violation for a bad resource and none for a good one", async () => {
    const bad = widget("bad-one", { bad: true });
    const diagnostics = await session.analyze(bad);
    expect(diagnostics).toEqual([
      {
        policyName: "no-bad-widgets",
        policyPackName: "tiny-pack",
        policyPackVersion: "0.3.0",
        description: "Widgets must not be bad.",
        message: "Widgets must not be bad.\nThis widget is bad.",
        enforcementLevel: "mandatory",
        urn: bad.urn,
        severity: "high",
      },
    ]);
    expect(await session.analyze(widget("good-one", { bad: false }))).toEqual([]);
  });

  it("tells which policies did not apply to a resource", async () => {
    const result = await session.analyzeDetailed(widget("tokenless", { bad: false }));
    expect(result).toEqual({ diagnostics: [], notApplicable: [{ policyName: "token-length", reason: "the widget has no token" }] });
    const stackResult = await session.analyzeStackDetailed([widget("only", { bad: false })]);
    expect(stackResult).toEqual({ diagnostics: [], notApplicable: [] });
  });

  it("never shows policies internal keys such as __provider, as the CLI", async () => {
    const diagnostics = await session.analyze(widget("nested", { bad: false, nested: { __hidden: 1, shown: 2 } }));
    expect(diagnostics.filter((d) => d.policyName === "internal-keys-hidden")).toEqual([]);
  });

  it("delivers a secret in signature form to the policy unwrapped", async () => {
    const secretValue = "tiny-secret-value";
    const diagnostics = await session.analyze(
      widget("secretive", { bad: false, token: { [SECRET_SIGNATURE_KEY]: SECRET_SIGNATURE, value: secretValue } }),
    );
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]?.policyName).toBe("token-length");
    expect(diagnostics[0]?.message).toContain(`token is a string of length ${secretValue.length}`);
    expect(JSON.stringify(diagnostics)).not.toContain(secretValue);
  });

  it("gives the SDK's advisory when a policy reads an unknown value", async () => {
    const diagnostics = await session.analyze(widget("pending", { bad: UNKNOWN_STRING }));
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ policyName: "no-bad-widgets", enforcementLevel: "advisory" });
    expect(diagnostics[0]?.message).toContain("can't run policy 'no-bad-widgets' from policy pack 'tiny-pack@v0.3.0' during preview");
  });

  it("rejects with the gRPC details when a policy throws", async () => {
    const exploding = widget("exploding", { bad: false, explode: true });
    const failure = session.analyze(exploding);
    await expect(failure).rejects.toThrow(/failed Analyze for .*::exploding \(gRPC UNKNOWN\)/);
    await expect(failure).rejects.toThrow("policy 'explode-on-request' from policy pack 'tiny-pack@v0.3.0'");
    await expect(failure).rejects.toThrow("policy exploded on purpose");
    // The session is still usable afterwards.
    expect(await session.analyze(widget("fine", { bad: false }))).toEqual([]);
  });

  it("runs stack policies through AnalyzeStack, with parents and dependencies resolved", async () => {
    const first = widget("first", { bad: false });
    const resources = [
      { type: "pulumi:pulumi:Stack", name: "tiny-program-dev", urn: STACK_URN, properties: {} },
      first,
      widget("second", { bad: false }, { dependencies: [first.urn], propertyDependencies: { upstream: [first.urn], bad: [] } }),
      widget("third", { bad: false }),
    ];
    const diagnostics = await session.analyzeStack(resources);
    expect(diagnostics).toHaveLength(1);
    // A stack policy's violation that names no resource of the stack is the root stack's, as the engine files it
    // (pulumi/pulumi pkg/resource/deploy/analyze_snapshot.go resolveStackPolicyViolationURN).
    expect(diagnostics[0]).toMatchObject({ policyName: "max-widgets", enforcementLevel: "advisory", urn: STACK_URN });
    expect(diagnostics[0]?.message).toContain("3 widgets (max 2); 3 with a parent; 1 with dependencies; stack tags: 0");
    expect(await session.analyzeStack(resources.slice(0, 3))).toEqual([]);
  });

  it("passes policy config properties and stack tags as the CLI does", async () => {
    const resources = [widget("a", { bad: false }), widget("b", { bad: false }), widget("c", { bad: false })];
    await session.configure({ "max-widgets": { maxWidgets: 3 } });
    expect(await session.analyzeStack(resources)).toEqual([]);
    await session.configure({ "max-widgets": { maxWidgets: 1, enforcementLevel: "mandatory" } });
    await session.configureStack({ stack: "dev", project: "tiny-program", tags: { team: "security" } });
    const diagnostics = await session.analyzeStack(resources);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ enforcementLevel: "mandatory" });
    expect(diagnostics[0]?.message).toContain("3 widgets (max 1)");
    expect(diagnostics[0]?.message).toContain("stack tags: 1");
  });

  it("silences a policy configured as disabled", async () => {
    const sent = await session.configure({ "no-bad-widgets": { enforcementLevel: "disabled" } });
    expect(sent["no-bad-widgets"]).toEqual({ enforcementLevel: "disabled", properties: {} });
    // Other policies keep their defaults, including schema defaults.
    expect(sent["max-widgets"]).toEqual({ enforcementLevel: "advisory", properties: { maxWidgets: 2 } });
    expect(await session.analyze(widget("bad-but-silenced", { bad: true }))).toEqual([]);
    await session.configure({});
    expect(await session.analyze(widget("bad-again", { bad: true }))).toHaveLength(1);
  });

  it("sets every policy's level with the 'all' key and accepts a bare level", async () => {
    const sent = await session.configure({ all: "disabled", "token-length": "mandatory" });
    expect(sent["no-bad-widgets"]?.enforcementLevel).toBe("disabled");
    expect(sent["token-length"]?.enforcementLevel).toBe("mandatory");
  });

  it("rejects config that breaks a policy's schema without echoing the value", async () => {
    await expect(session.configure({ "max-widgets": { maxWidgets: -7 } })).rejects.toThrow(
      /validating policy config: tiny-pack 0\.3\.0 {2}max-widgets: maxWidgets: Must be greater than or equal to 0/,
    );
    await expect(session.configure({ "max-widgets": { maxWidgets: "lots-of-widgets" } })).rejects.toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("lots-of-widgets") }),
    );
    await expect(session.configure({ "no-bad-widgets": "sometimes" as never })).rejects.toThrow(/not a valid enforcement level/);
  });
});

describe("PolicyPackSession launch failures", () => {
  let scratch: string;

  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "analyzer-client-test-"));
  });

  afterAll(() => {
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  function writePack(name: string, files: Record<string, string>): string {
    const dir = path.join(scratch, name);
    fs.mkdirSync(dir, { recursive: true });
    for (const [file, text] of Object.entries(files)) {
      fs.writeFileSync(path.join(dir, file), text);
    }
    return dir;
  }

  const manifest = { "PulumiPolicy.yaml": "runtime: nodejs\n", "package.json": '{"name":"p","version":"1.0.0","main":"index.js"}' };

  it("rejects with the pack's stderr when the pack exits before printing its port", async () => {
    const dir = writePack("crashing", { ...manifest, "index.js": 'throw new Error("crashed while loading, on purpose");' });
    await expect(PolicyPackSession.launch(dir)).rejects.toThrow(
      /exited \(code \d+\) before printing its port[\s\S]*crashed while loading, on purpose/,
    );
  });

  it("rejects after the timeout and leaves no process behind", async () => {
    const dir = writePack("silent", {
      ...manifest,
      "index.js": `require("fs").writeFileSync("pid", String(process.pid)); setInterval(() => {}, 1000);`,
    });
    await expect(PolicyPackSession.launch(dir, { timeoutMs: 3_000 })).rejects.toThrow(/did not print its port within 3000 ms/);
    const pid = Number(fs.readFileSync(path.join(dir, "pid"), "utf8"));
    expect(isProcessAlive(pid)).toBe(false);
  });

  // The launch's own deadline is far beyond the test's: a launch the abort does not end fails the test by its timeout,
  // without asserting a duration.
  const FAR_DEADLINE_MS = 600_000;
  const ABORT_TEST_TIMEOUT_MS = 60_000;

  /** Launches the pack in `dir`, aborts once it has written its pid (and `settleMs` more), and returns the rejection. */
  async function abortedLaunch(dir: string, settleMs = 0): Promise<unknown> {
    const stop = new AbortController();
    const launched = PolicyPackSession.launch(dir, { timeoutMs: FAR_DEADLINE_MS, signal: stop.signal });
    launched.catch(() => undefined);
    while (!fs.existsSync(path.join(dir, "pid"))) await new Promise((resolve) => setTimeout(resolve, 20));
    if (settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs));
    stop.abort();
    return launched.then(
      () => {
        throw new Error("the aborted launch resolved");
      },
      (error: unknown) => error,
    );
  }

  function packPid(dir: string): number {
    return Number(fs.readFileSync(path.join(dir, "pid"), "utf8"));
  }

  it(
    "stops a launch when its signal is aborted, and leaves no process behind",
    async () => {
      const dir = writePack("slow", {
        ...manifest,
        "index.js": `require("fs").writeFileSync("pid", String(process.pid)); setInterval(() => {}, 1000);`,
      });
      expect(String(await abortedLaunch(dir))).toMatch(/before printing its port/);
      expect(isProcessAlive(packPid(dir))).toBe(false);
    },
    ABORT_TEST_TIMEOUT_MS,
  );

  // Aborted after the port is printed, while the client waits for the connection: killing the pack alone leaves
  // waitForReady retrying a closed port until the launch's deadline.
  it(
    "stops a launch aborted while it connects, and leaves no process behind",
    async () => {
      const dir = writePack("gone-port", {
        ...manifest,
        "index.js": [
          `const fs = require("fs"); const server = require("net").createServer();`,
          `server.listen(0, "127.0.0.1", () => { const port = server.address().port; server.close(() => {`,
          `  process.stdout.write(port + "\\n"); fs.writeFileSync("pid", String(process.pid)); }); });`,
          `setInterval(() => {}, 1000);`,
        ].join("\n"),
      });
      await abortedLaunch(dir, 200);
      expect(isProcessAlive(packPid(dir))).toBe(false);
    },
    ABORT_TEST_TIMEOUT_MS,
  );

  it(
    "rejects when the pack exits after printing its port, before accepting the connection",
    async () => {
      const dir = writePack("port-then-exit", {
        ...manifest,
        "index.js": [
          `const server = require("net").createServer();`,
          `server.listen(0, "127.0.0.1", () => { const port = server.address().port;`,
          `  server.close(() => process.stdout.write(port + "\\n", () => process.exit(0))); });`,
        ].join("\n"),
      });
      await expect(PolicyPackSession.launch(dir, { timeoutMs: FAR_DEADLINE_MS })).rejects.toThrow(/process has exited/);
    },
    ABORT_TEST_TIMEOUT_MS,
  );

  // A pack may handle SIGTERM (to flush, say) and go on loading: an aborted launch still ends, the process with it.
  it(
    "stops a launch aborted while a pack that ignores SIGTERM loads, and leaves no process behind",
    async () => {
      const dir = writePack("stubborn", {
        ...manifest,
        "index.js": `process.on("SIGTERM", () => {}); require("fs").writeFileSync("pid", String(process.pid)); setInterval(() => {}, 1000);`,
      });
      await abortedLaunch(dir);
      expect(isProcessAlive(packPid(dir))).toBe(false);
    },
    ABORT_TEST_TIMEOUT_MS,
  );

  it("requires PulumiPolicy.yaml, as the CLI", async () => {
    const dir = writePack("no-manifest", { "package.json": manifest["package.json"], "index.js": "" });
    await expect(PolicyPackSession.launch(dir)).rejects.toThrow(/No PulumiPolicy.yaml/);
  });
});

describe("runPreview", () => {
  let resources: CapturedResource[];

  beforeAll(async () => {
    resources = await runPreview(tinyProgramDir, { env: FAST });
  }, RUN_TIMEOUT_MS);

  it("captures every registration in order, the root stack first, with engine-style URNs", () => {
    expect(resources.map((r) => [r.type, r.name, r.urn, r.parent])).toEqual([
      ["pulumi:pulumi:Stack", "tiny-program-dev", STACK_URN, undefined],
      ["tiny:index:Group", "group", "urn:pulumi:dev::tiny-program::tiny:index:Group::group", STACK_URN],
      // The dynamic provider's default provider, registered before the first resource that needs it, without a
      // parent (pulumi/pulumi pkg/resource/deploy/default_providers.go newRegisterDefaultProviderEvent).
      ["pulumi:providers:pulumi-nodejs", "default", "urn:pulumi:dev::tiny-program::pulumi:providers:pulumi-nodejs::default", undefined],
      [
        WIDGET_TYPE,
        "plain",
        `urn:pulumi:dev::tiny-program::tiny:index:Group$${WIDGET_TYPE}::plain`,
        "urn:pulumi:dev::tiny-program::tiny:index:Group::group",
      ],
      [WIDGET_TYPE, "secretive", `urn:pulumi:dev::tiny-program::${WIDGET_TYPE}::secretive`, STACK_URN],
    ]);
    expect(resources.map((r) => r.custom)).toEqual([false, false, true, true, true]);
  });

  it("keeps inputs in the engine's wire form: secrets in signature form, unknowns as the sentinel, the serialized provider", () => {
    const [, group, , plain, secretive] = resources;
    expect(group?.properties).toEqual({ purpose: "grouping" });
    expect(plain?.properties).toMatchObject({ bad: false, tags: ["a", "b"] });
    expect(typeof plain?.properties["__provider"]).toBe("string");
    expect(secretive?.properties["token"]).toEqual({ [SECRET_SIGNATURE_KEY]: SECRET_SIGNATURE, value: "tiny-secret-value" });
    // An upstream resource's ID is not known until the resource is created: in a preview it is unknown.
    expect(secretive?.properties["upstream"]).toBe(UNKNOWN_STRING);
  });

  it("records dependencies, including those a component's dependsOn expands to", () => {
    const [, , , plain, secretive] = resources;
    expect(secretive?.dependencies).toEqual([plain?.urn]);
    expect(secretive?.propertyDependencies?.["upstream"]).toEqual([plain?.urn]);
  });

  it("feeds a policy pack end to end", async () => {
    const session = await PolicyPackSession.launch(tinyPackDir);
    try {
      const perResource = (await Promise.all(resources.map((r) => session.analyze(r)))).flat();
      expect(perResource.map((d) => [d.policyName, d.urn.split("::").pop(), d.message.split("\n").pop()])).toEqual([
        ["no-bad-widgets", "secretive", "This widget is bad."],
        ["token-length", "secretive", "token is a string of length 17"],
      ]);
      expect(await session.analyzeStack(resources)).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it(
    "answers the program as a preview does: outputs are the inputs, secrets stay secret, new IDs are unknown",
    async () => {
      const captured = await runPreview(path.join(fixtures, "echo-program"), { env: FAST });
      const byName = new Map(captured.map((r) => [r.name, r]));
      const secret = (value: unknown) => ({ [SECRET_SIGNATURE_KEY]: SECRET_SIGNATURE, value });
      expect(byName.get("source")?.properties).toMatchObject({
        plain: "visible",
        hidden: secret("hush"),
        // The dynamic provider declines secrets, so the engine sends it plain values and marks each checked input
        // that held a secret secret as a whole (pulumi/pulumi pkg/resource/plugin/provider_plugin.go Check,
        // annotateSecrets): a list with one secret element is a secret list.
        list: secret(["open", "closed"]),
      });
      expect(byName.get("downstream")?.properties).toMatchObject({ upstreamId: UNKNOWN_STRING, upstreamPlain: "visible" });
      // What the program saw of `source` after its registration.
      expect(byName.get("seen")?.properties).toEqual({
        sourceUrn: byName.get("source")?.urn,
        plain: "visible",
        hiddenIsSecret: true,
        idIsKnown: false,
      });
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "runs again with another stack and project",
    async () => {
      const again = await runPreview(tinyProgramDir, { stack: "prod", project: "renamed", env: FAST });
      expect(again.map((r) => r.urn)[0]).toBe("urn:pulumi:prod::renamed::pulumi:pulumi:Stack::renamed-prod");
      expect(again).toHaveLength(resources.length);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "rejects with the program's own error message, without its stack frames",
    async () => {
      const failure = runPreview(path.join(fixtures, "failing-program"), { env: FAST });
      await expect(failure).rejects.toThrow("Workspace main: region must be one of us, eu, au");
      await expect(failure).rejects.not.toThrow(/^\s+at /m);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "waits for registrations made later, in callbacks and timers, as the engine does",
    async () => {
      const captured = await runPreview(path.join(fixtures, "late-program"), { env: FAST });
      expect(captured.map((r) => r.urn)).toEqual([
        "urn:pulumi:dev::late-program::pulumi:pulumi:Stack::late-program-dev",
        "urn:pulumi:dev::late-program::late:index:First::first",
        "urn:pulumi:dev::late-program::late:index:First$late:index:Second::second",
        // The whole qualified type of the parent, as the engine builds it.
        "urn:pulumi:dev::late-program::late:index:First$late:index:Second$late:index:Late::late",
      ]);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "fails on an unhandled rejection, even a late one, as the language host does",
    async () => {
      await expect(runPreview(path.join(fixtures, "late-program"), { config: { "late-program:fail": "true" }, env: FAST })).rejects.toThrow(
        "late failure in a timer",
      );
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "resolves this package's exported subpaths by name, honours Pulumi.yaml main, config, secret config and cwd",
    async () => {
      const captured = await runPreview(path.join(fixtures, "alias-program"), {
        config: { "alias-program:greeting": "hello", "alias-program:secretGreeting": "psst" },
        secretConfigKeys: ["alias-program:secretGreeting"],
        env: FAST,
      });
      const probe = captured.find((r) => r.type === "alias:index:Probe");
      expect(probe?.properties).toEqual({
        packageName: "intercom-security-health-check",
        // The package's "exports", as Node resolves an installed copy: the build.
        resourcesEntry: path.join("dist", "resources", "index.js"),
        unexportedSubpath: "ERR_PACKAGE_PATH_NOT_EXPORTED",
        cwdIsMainDir: true,
        greeting: "hello",
        secretGreeting: { [SECRET_SIGNATURE_KEY]: SECRET_SIGNATURE, value: "psst" },
      });
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "runs a program in a temp directory without node_modules on this package's SDK and resources, type-checked",
    async () => {
      const program = fs.mkdtempSync(path.join(os.tmpdir(), "temp-program-"));
      try {
        fs.writeFileSync(path.join(program, "Pulumi.yaml"), "name: temp-program\nruntime: nodejs\n");
        fs.writeFileSync(path.join(program, "package.json"), '{ "name": "temp-program", "private": true }\n');
        fs.writeFileSync(
          path.join(program, "index.ts"),
          [
            'import * as pulumi from "@pulumi/pulumi";',
            'import { Workspace } from "intercom-security-health-check/resources";',
            'new Workspace("ws", { workspaceId: "tmp00001", name: "Temp", region: "us" });',
            'new pulumi.ComponentResource("temp:index:Thing", "thing", { secret: pulumi.secret("s3cret") });',
          ].join("\n"),
        );
        const captured = await runPreview(program);
        expect(captured.map((r) => r.type).sort()).toEqual([
          "pulumi-nodejs:dynamic/intercom:Workspace",
          "pulumi:providers:pulumi-nodejs",
          "pulumi:pulumi:Stack",
          "temp:index:Thing",
        ]);
        expect(captured.find((r) => r.name === "ws")?.properties).toMatchObject({ workspaceId: "tmp00001", region: "us" });
      } finally {
        fs.rmSync(program, { recursive: true, force: true });
      }
    },
    RUN_TIMEOUT_MS,
  );

  describe("TypeScript, as Pulumi's launcher compiles it", () => {
    let scratch: string;

    beforeAll(() => {
      // Inside the repository, so that the program resolves @pulumi/pulumi from its node_modules.
      const generatedRoot = path.join(__dirname, "..", ".generated");
      fs.mkdirSync(generatedRoot, { recursive: true });
      scratch = fs.mkdtempSync(path.join(generatedRoot, "type-error-"));
      fs.writeFileSync(path.join(scratch, "Pulumi.yaml"), "name: type-error\nruntime: nodejs\n");
      fs.writeFileSync(path.join(scratch, "package.json"), '{ "name": "type-error", "private": true }\n');
      fs.writeFileSync(
        path.join(scratch, "index.ts"),
        'import * as pulumi from "@pulumi/pulumi";\nconst count: number = "three";\nnew pulumi.ComponentResource("typed:index:Thing", "thing", { count });\n',
      );
    });

    afterAll(() => {
      fs.rmSync(scratch, { recursive: true, force: true });
    });

    it(
      "fails a program with a type error, with the compiler's message",
      async () => {
        await expect(runPreview(scratch)).rejects.toThrow(/Unable to compile TypeScript[\s\S]*index\.ts\(2,7\): error TS2322/);
      },
      RUN_TIMEOUT_MS,
    );

    it(
      "runs it unchecked when its tsconfig opts out of type checking (noCheck), as the launcher does",
      async () => {
        fs.writeFileSync(path.join(scratch, "tsconfig.json"), '{ "compilerOptions": { "noCheck": true } }\n');
        try {
          const captured = await runPreview(scratch);
          expect(captured.find((r) => r.name === "thing")?.properties).toEqual({ count: "three" });
        } finally {
          fs.rmSync(path.join(scratch, "tsconfig.json"));
        }
      },
      RUN_TIMEOUT_MS,
    );
  });

  it("refuses a directory that is not a Node.js Pulumi program before running anything", async () => {
    await expect(runPreview(path.join(os.tmpdir(), "no-such-program"))).rejects.toThrow(/No Pulumi program directory/);
    await expect(runPreview(tinyPackDir)).rejects.toThrow(/has no Pulumi.yaml/);
    const python = fs.mkdtempSync(path.join(os.tmpdir(), "python-program-"));
    try {
      fs.writeFileSync(path.join(python, "Pulumi.yaml"), "name: snake\nruntime:\n  name: python\n");
      await expect(runPreview(python)).rejects.toThrow(/runtime "python" is not supported/);
    } finally {
      fs.rmSync(python, { recursive: true, force: true });
    }
  });
});
