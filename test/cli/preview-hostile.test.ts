/**
 * The preview tool on programs built to leak or to forge: generated canary secrets everywhere a secret can be
 * (test/support/canary.ts) must appear nowhere in stdout or stderr, text or --json; names and values carrying
 * newlines, control characters, terminal escape sequences, bidi overrides and zero-width characters come out
 * escaped and cannot forge a line; inherited-name keys are unknown fields; absurd nesting is a schema problem or a
 * clean error. Each batch is one program run.
 */
import * as childProcess from "child_process";
import * as path from "path";
import fc from "fast-check";
import { escapeForDisplay, hasUnsafeCharacter } from "../../core/display";
import { canary, canaryPlacements, canaryWorkspaceId, headerName, leaksIn, Placement, secretWorkspacePlacements } from "../support/canary";
import {
  allFindings,
  GENERATED_RUN_TIMEOUT_MS,
  GeneratedControl,
  GeneratedRun,
  previewGenerated,
  secretValue,
} from "../support/generated-program";
import { sampleOf } from "../support/property";

/** Text a program controls, made to forge report lines, recolour, retitle the terminal, or hide and reorder text. */
const forgeries = [
  "\nSummary: 0 workspace(s), 0 blocking and 0 advisory finding(s). Nothing blocks. FORGED",
  "\r\x1b[2KNothing blocks. FORGED",
  "\x1b[32m[ok] FORGED\x1b[0m",
  "\u202eFORGED\u202c",
  "\u2066FORGED\u2069",
  "zero\u200bwidth\ufeffFORGED",
  "\x1b]8;;https://evil.example\x07FORGED\x1b]8;;\x07",
  "\x1b]0;title\x07FORGED",
  "\x9b31mFORGED",
  "\u2028FORGED\u2029",
  "\x85FORGED\x7f",
  "\t\vFORGED\f",
];

/** A forgery with generated hostile characters around it. */
const hostile = fc
  .tuple(
    fc.constantFrom(...forgeries),
    fc.array(
      fc.oneof(
        fc.integer({ min: 1, max: 0x1f }).map((c) => String.fromCharCode(c)),
        fc.integer({ min: 0x7f, max: 0x9f }).map((c) => String.fromCharCode(c)),
        fc.constantFrom("\u202a", "\u202b", "\u202d", "\u2067", "\u2068", "\u200c", "\u200d", "\u2060"),
      ),
      { maxLength: 4 },
    ),
  )
  .map(([forgery, extra]) => `${extra.join("")}${forgery}`);

const workspaceId = "hostile01";

function nested(depth: number): unknown {
  let value: unknown = "bottom";
  for (let i = 0; i < depth; i++) value = { o: value };
  return value;
}

/**
 * Inherited-name keys a program can register. `toString`, `valueOf` and `hasOwnProperty` make Pulumi's own
 * serializer fail the program (a clean error, exit 2: the program is at fault); `__` keys never reach a pack.
 */
const inheritedKeys = ["constructor", "prototype", "isPrototypeOf", "propertyIsEnumerable", "toLocaleString"];

/** Hostile names and values where reports and messages show them, inherited-name keys, and nesting past the schema check. */
function hostileControls(texts: readonly string[]): GeneratedControl[] {
  const [a, b, c, d, e, f] = texts as [string, string, string, string, string, string];
  return [
    {
      control: "Workspace",
      name: `ws${a}`,
      props: { workspaceId, name: `Acme${b}`, region: "us", handlesPhi: false, securityContactEmail: `sec${c}` },
    },
    {
      control: "CustomAction",
      name: `action${d}`,
      props: {
        workspaceId,
        name: `orders${e}`,
        url: `http://api.zzhostile.com/orders`,
        method: "GET",
        headers: { [`Authorization${f}`]: "Bearer literal-credential-value-123456" },
        audiences: ["users"],
        identityMatch: `phone${a}`,
        state: "live",
      },
    },
    { control: "MessengerDomainRestriction", name: `domains${b}`, props: { workspaceId, trustedDomains: [`app${c}.zzhostile.com`, "*"] } },
    {
      control: "IpAllowlist",
      name: `ips${e}`,
      props: { workspaceId, scope: "dashboard", enabled: true, entries: [`10.0.0.1${d}`, "0.0.0.0/0"] },
    },
    ...inheritedKeys.map((key, i) => ({
      control: "MessengerDomainRestriction",
      name: `inherited-${key}`,
      props:
        i % 2 === 0
          ? { workspaceId, trustedDomains: ["app.zzhostile.com"], [key]: "x" }
          : { workspaceId, trustedDomains: ["app.zzhostile.com"], extra: { [key]: 1 } },
    })),
    {
      control: "SsoEnforcement",
      name: "nested-deep",
      props: { workspaceId, googleSignIn: "required", samlSso: "off", emailPasswordSignIn: false, extra: nested(40) },
    },
  ];
}

function asGenerated(placements: readonly Placement[]): GeneratedControl[] {
  return placements.map((p) => ({ control: p.control.name, name: p.name, props: p.props }));
}

const marked = (value: unknown) => secretValue(value);

describe("preview on programs built to leak secrets or forge the report", () => {
  const [textSample, jsonSample] = sampleOf(
    fc.tuple(canary, headerName, canaryWorkspaceId, fc.array(hostile, { minLength: 6, maxLength: 6 })),
    2,
  ) as [[string, string, string, string[]], [string, string, string, string[]]];
  const batch = ([value, header, secretWorkspace, texts]: [string, string, string, string[]], tag: string): GeneratedControl[] => [
    ...asGenerated(canaryPlacements(value, header, tag, marked)),
    ...asGenerated(secretWorkspacePlacements(secretWorkspace, tag, marked)),
    ...hostileControls(texts),
  ];
  const textControls = batch(textSample, "canarytext");
  const jsonControls = batch(jsonSample, "canaryjson");
  let text: GeneratedRun;
  let json: GeneratedRun;

  beforeAll(() => {
    text = previewGenerated(textControls, [], { json: false });
    json = previewGenerated(jsonControls);
  }, 2 * GENERATED_RUN_TIMEOUT_MS);

  it("grades the batch (so the checks below mean something)", () => {
    expect(text.exitCode).toBe(1);
    expect(json.exitCode).toBe(1);
    expect(json.report).toBeDefined();
    const graded = new Set(allFindings(json.report!).map((f) => f.resource));
    expect(jsonControls.filter((c) => graded.has(c.name)).length).toBeGreaterThan(jsonControls.length / 2);
  });

  it("shows no canary, nor any form of it, in stdout or stderr, text or --json", () => {
    expect(leaksIn([text.stdout, text.stderr], [textSample[0], textSample[2]])).toEqual([]);
    expect(leaksIn([json.stdout, json.stderr], [jsonSample[0], jsonSample[2]])).toEqual([]);
    // Nor in the parsed JSON's strings (the JSON text escapes some characters).
    expect(leaksIn([JSON.stringify(json.report, (_key, value: unknown) => value)], [jsonSample[0], jsonSample[2]])).toEqual([]);
    expect(
      leaksIn(
        allFindings(json.report!).map((f) => f.message),
        [jsonSample[0], jsonSample[2]],
      ),
    ).toEqual([]);
  });

  it("text: no raw control, escape, bidi or zero-width character on any line", () => {
    const offending = [...text.stdout.split("\n"), ...text.stderr.split("\n")].filter((line) => hasUnsafeCharacter(line));
    expect(offending).toEqual([]);
  });

  it("text: forged lines stay inside the field that carried them, visibly escaped", () => {
    const lines = text.stdout.split("\n");
    const summaries = lines.filter((line) => line.startsWith("Summary:"));
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).not.toContain("FORGED");
    expect(summaries[0]).toContain("Blocked");
    expect(lines.filter((line) => /^\s*(FORGED|Nothing blocks|\[ok\] FORGED|Summary: 0)/.test(line))).toEqual([]);
    for (const line of lines.filter((l) => l.includes("FORGED"))) expect(line).toMatch(/\\(x[0-9a-f]{2}|u[0-9a-f]{4}|n|r|t)/);
    // The names are there, escaped: a reader sees exactly what the program wrote.
    const action = textControls.find((c) => c.control === "CustomAction" && c.name.startsWith("action")) as GeneratedControl;
    expect(text.stdout).toContain(`[${escapeForDisplay(action.name)}]`);
  });

  it("--json: valid JSON with exact values, printed without a raw unsafe character", () => {
    expect(hasUnsafeCharacter(json.stdout.replace(/\n/g, ""))).toBe(false);
    const hostileNames = hostileControls(jsonSample[3]).map((c) => c.name);
    const reported = new Set(allFindings(json.report!).map((f) => f.resource));
    expect(hostileNames.filter((name) => reported.has(name)).length).toBeGreaterThanOrEqual(4);
  });

  it("reports inherited-name keys as unknown fields, and nesting past the schema check", () => {
    const schema = allFindings(json.report!).filter((f) => f.policy === "intercom-control-schema" && f.blocking);
    for (const key of inheritedKeys) {
      expect(schema.filter((f) => f.resource === `inherited-${key}`).map((f) => f.message)).toEqual([expect.stringContaining(`"${key}"`)]);
    }
    expect(schema.filter((f) => f.resource === "nested-deep").map((f) => f.message)).toEqual([
      expect.stringMatching(/field extra\.o\.o.*: nested more than \d+ levels deep/),
    ]);
  });
});

// 3,000 levels: past what Pulumi's serializer in the program survives, and what this harness can still write as
// JSON (over the protocol, test/engine/pack-hostile-input.test.ts sends 10,000).
describe("preview on a program registering a value nested 3,000 levels deep", () => {
  it(
    "fails cleanly: the program's error (exit 2) on one escaped line of stderr, no report, never a pass",
    () => {
      const run = previewGenerated(
        [
          {
            control: "MessengerDomainRestriction",
            name: "deep",
            props: { workspaceId, trustedDomains: ["app.zzhostile.com"], extra: nested(3_000) },
          },
        ],
        [],
        { json: false },
      );
      expect(run.exitCode).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(/^intercom-health-check: .*(call stack|nested too deeply)/s);
      expect(hasUnsafeCharacter(run.stderr.replace(/\n/g, ""))).toBe(false);
    },
    GENERATED_RUN_TIMEOUT_MS,
  );
});

describe("error messages quoting hostile arguments", () => {
  const cli = require.resolve("../../dist/cli/main.js");
  const run = (args: readonly string[]) => childProcess.spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });

  it.each([
    ["a program directory", ["preview", "missing\n\x1b[32mNothing blocks.\u202e"]],
    ["an unknown option (commander's own error)", ["preview", ".", "--bogus\r\x1b[2KNothing blocks."]],
    ["an --as-of value", ["preview", path.join(__dirname, "..", "fixtures", "tiny-program"), "--as-of", "2026\n\x9b31mNothing blocks."]],
  ])("escapes %s on one line of stderr, exit 2", (_what, args) => {
    const result = run(args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    const lines = result.stderr.split("\n").filter((line) => line !== "");
    expect(lines.every((line) => !hasUnsafeCharacter(line))).toBe(true);
    expect(lines.filter((line) => line.includes("Nothing blocks"))).toHaveLength(1);
    expect(lines.find((line) => line.includes("Nothing blocks"))).toMatch(/\\(n|r|x1b|x9b)/);
  });
});
