/**
 * The text report's colour and quiet mode: when colour is on (a pure function of whether stdout is
 * a terminal and the environment), that colour codes wrap only the report's own labels and never
 * let program text carry an escape sequence, that files never get colour, and that --quiet shows
 * only what fails and the summary line.
 */
import fc from "fast-check";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { colourFor, planOutputs, renderFormat, RenderContext, writeOutputs } from "../../cli/output";
import { findingsThatFail } from "../../cli/verdict";
import { buildReport, HealthCheckReport, Verdict } from "../../report/model";
import { renderText } from "../../report/text";
import { propertyParameters } from "../support/property";
import { appliedTo, control, onePolicyPerItem, policyNameFor, verdict, workspace } from "./fixtures";

// eslint-disable-next-line no-control-regex -- the codes this renderer writes are the point
const ourCode = /\x1b\[(?:31|32|33|35|2|1|0)m/g;
const labels = new Set([
  "[ok]",
  "[!!]",
  "[??]",
  "[wv]",
  "[--]",
  "Secure",
  "Needs review",
  "Not evaluated",
  "Waived",
  "Not in use",
  "Issues found",
  "BLOCKING",
  "BLOCKING (not evaluated)",
  "NOT EVALUATED",
  "ADVISORY",
  "WAIVED",
]);

// eslint-disable-next-line no-control-regex -- looking for escape introducers is the point
const escapeIntroducer = /[\x1b\u009b]/;

function withoutColour(text: string): string {
  return text.replace(ourCode, "");
}

describe("colourFor: colour only on a terminal; NO_COLOR and FORCE_COLOR honoured", () => {
  it("decides by the documented rule for every combination", () => {
    const value = fc.option(fc.constantFrom("", "0", "1", "2", "3", "true", "false", "FALSE", " 0 ", "yes"), { nil: undefined });
    fc.assert(
      fc.property(
        fc.boolean(),
        value,
        value,
        fc.option(fc.constantFrom("dumb", "xterm-256color"), { nil: undefined }),
        (isTTY, noColor, forceColor, term) => {
          const env = { NO_COLOR: noColor, FORCE_COLOR: forceColor, TERM: term };
          const expected =
            noColor !== undefined && noColor !== ""
              ? false
              : forceColor !== undefined
                ? !["0", "false"].includes(forceColor.trim().toLowerCase())
                : isTTY && term !== "dumb";
          expect(colourFor(isTTY, env)).toBe(expected);
        },
      ),
      propertyParameters(300),
    );
  });

  it("examples: a pipe or file gets none, a terminal gets it, NO_COLOR wins over FORCE_COLOR", () => {
    expect(colourFor(false, {})).toBe(false);
    expect(colourFor(true, {})).toBe(true);
    expect(colourFor(true, { NO_COLOR: "1" })).toBe(false);
    expect(colourFor(true, { NO_COLOR: "" })).toBe(true);
    expect(colourFor(false, { FORCE_COLOR: "1" })).toBe(true);
    expect(colourFor(true, { FORCE_COLOR: "0" })).toBe(false);
    expect(colourFor(false, { NO_COLOR: "1", FORCE_COLOR: "1" })).toBe(false);
  });
});

/** Program text meant to break out: raw escapes (7-bit and 8-bit CSI), resets, newlines, bidi and zero-width characters. */
const hostile = fc.oneof(
  fc.string({
    unit: fc.constantFrom("\x1b", "[", "3", "1", "m", "0", "\u009b", "\n", "\r", "\u2028", "\u202e", "\u200b", "\u0085", "a", " ", "\\"),
  }),
  fc.constantFrom(
    "\x1b[0m",
    "\x1b[32mNothing blocks.\x1b[0m",
    "\u009b31m",
    "\x1b]8;;https://evil\x07x\x1b]8;;\x07",
    "ok\nSummary: Nothing blocks.",
  ),
  fc.string(),
);

function reportWith(name: string, message: string): HealthCheckReport {
  const ws = workspace("ws1", name);
  const other = control("TwoFactorAuthentication", name, "ws1");
  const policies = onePolicyPerItem();
  const verdicts: Verdict[] = [
    verdict(policyNameFor("auth.sign-in-methods"), ws.urn, message, "mandatory"),
    verdict(policyNameFor("auth.two-factor"), other.urn, message, "advisory"),
    verdict(policyNameFor("data.attachments"), ws.urn, message, "advisory", "not_evaluated"),
    verdict("intercom-from-elsewhere", other.urn, message, "advisory"),
  ];
  return buildReport({ policies, resources: [ws, other], verdicts, applied: appliedTo([ws, other], policies) });
}

const options = { subject: "prog", packName: "pack", packVersion: "1" };

describe("renderText with colour", () => {
  it("off: exactly the plain report; on: the same text once our codes are taken out, and codes only around fixed labels", () => {
    fc.assert(
      fc.property(hostile, hostile, (name, message) => {
        const report = reportWith(name, message);
        const plain = renderText(report, options);
        expect(renderText(report, { ...options, colour: false })).toBe(plain);
        const coloured = renderText(report, { ...options, colour: true });
        expect(withoutColour(coloured)).toBe(plain);
        // Every ESC in the output is one of ours: program text carries none, 7-bit or 8-bit.
        expect(coloured.replace(ourCode, "")).not.toMatch(escapeIntroducer);
        // Each coloured span holds one fixed label (or the summary's fixed verdict), never program text.
        // eslint-disable-next-line no-control-regex -- the codes this renderer writes are the point
        for (const [, label] of coloured.matchAll(/\x1b\[(?:31|32|33|35|2|1)m([^\x1b]*)\x1b\[0m/g)) {
          const summaryVerdict = /^(Blocked: |Nothing blocks|Fails: )/.test(label as string);
          expect(labels.has(label as string) || summaryVerdict).toBe(true);
        }
        expect(coloured).toContain("\x1b[31mBLOCKING\x1b[0m");
      }),
      propertyParameters(120),
    );
  });

  it("never in a file: --output text=<file> is plain even when stdout is coloured", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ihc-colour-"));
    try {
      const file = path.join(dir, "report.txt");
      const report = reportWith("main", "No SSO is required.");
      const context: RenderContext = { ...options, toolName: "t", toolVersion: "1", allowUnknown: false, colour: true };
      const stdout = writeOutputs(planOutputs(["text"], [`text=${file}`], false), report, context);
      expect(stdout).toBe("");
      expect(fs.readFileSync(file, "utf8")).toBe(renderText(report, options));
      // And on stdout, with colour asked for, it is coloured.
      expect(renderFormat("text", report, context)).toContain("\x1b[");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("renderText --quiet: only what fails, then the summary line", () => {
  const render = (report: HealthCheckReport, failOn: "mandatory" | "advisory", allowUnknown = false) =>
    renderFormat("text", report, { ...options, toolName: "t", toolVersion: "1", allowUnknown, quiet: true, failOn });

  it("shows each failing finding on its line and the summary, nothing else, under either --fail-on", () => {
    fc.assert(
      fc.property(hostile, fc.constantFrom("mandatory" as const, "advisory" as const), (name, failOn) => {
        const report = reportWith(name, "a finding");
        const failing = findingsThatFail(report, { failOn, allowUnknown: false });
        const lines = render(report, failOn).split("\n");
        expect(lines.pop()).toBe("");
        expect(lines.pop()).toMatch(/^Summary: /);
        // Every line left is a failing finding (no expired exception here, so one line each).
        expect(lines).toHaveLength(failing.length);
        expect(lines.every((line) => /^(BLOCKING|BLOCKING \(not evaluated\)|NOT EVALUATED|ADVISORY) /.test(line))).toBe(true);
        expect(lines.filter((l) => l.startsWith("BLOCKING ")).length).toBe(failing.filter((f) => f.blocking).length);
        if (failOn === "mandatory") expect(lines.every((l) => l.startsWith("BLOCKING"))).toBe(true);
        expect(lines.join("\n")).not.toMatch(/Workspace |Fix:|Checked:|Intercom Security Health Check/);
      }),
      propertyParameters(60),
    );
  });

  it("a run where nothing fails prints only the summary line", () => {
    const ws = workspace("ws1", "main");
    const policies = onePolicyPerItem();
    const report = buildReport({
      policies,
      resources: [ws],
      verdicts: [verdict(policyNameFor("auth.two-factor"), ws.urn, "2FA is optional.", "advisory")],
      applied: appliedTo([ws], policies),
    });
    expect(render(report, "mandatory")).toBe("Summary: 1 workspace(s), 0 blocking and 1 advisory finding(s). Nothing blocks.\n");
    expect(render(report, "advisory")).toBe(
      `ADVISORY ${policyNameFor("auth.two-factor")} [main]: 2FA is optional.\nSummary: 1 workspace(s), 0 blocking and 1 advisory finding(s). Nothing blocks.\n`,
    );
  });
});
