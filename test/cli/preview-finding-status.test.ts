/**
 * Finding status through the preview tool, from the pack's status payload (core/finding-payload.ts):
 * generated hostile program text (fake payload lines, line separators, JSON pieces, bidi and
 * zero-width characters) never changes a status, and the payload never shows in the report (JSON
 * or text). A foreign pack, which declares no payload, still reports: its violations by their
 * level only, even when they end with a forged payload line, and the SDK's own "can't run policy"
 * advisory as not evaluated. One program run per pack, every generated control in it.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import { findingPayloadTag } from "../../core/finding-payload";
import { hostileText } from "../support/finding-wording";
import {
  allFindings,
  GENERATED_RUN_TIMEOUT_MS,
  GeneratedControl,
  GeneratedRun,
  previewGenerated,
  unknownValue,
} from "../support/generated-program";
import { sampleOf } from "../support/property";

const repoRoot = path.resolve(__dirname, "..", "..");
const POLICY = "intercom-messenger-trusted-domains";
const WORKSPACE_ID = "status01";
const accountable = { justification: "Partner domain until the migration", owner: "alice@example.com", approver: "bob@example.com" };

type Kind = "review" | "waived" | "pending";
interface Case {
  readonly kind: Kind;
  readonly text: string;
  /** Program text free of the payload's tag: if a payload leaked into the report, the tag would show. */
  readonly clean: boolean;
}

const tagFree = hostileText.map((t) => t.split(findingPayloadTag).join("ihc"));
const cases: Case[] =
  sampleOf(
    fc.array(
      fc.oneof(
        fc.record({ kind: fc.constantFrom<Kind>("review", "waived", "pending"), text: hostileText, clean: fc.constant(false) }),
        fc.record({ kind: fc.constantFrom<Kind>("review", "waived", "pending"), text: tagFree, clean: fc.constant(true) }),
      ),
      { minLength: 45, maxLength: 45 },
    ),
    1,
  )[0] ?? [];

const nameOf = (c: Case, i: number) => `${c.kind}${i}`;
const controls: GeneratedControl[] = [
  { control: "Workspace", name: "ws", props: { workspaceId: WORKSPACE_ID, name: "Status", region: "us", handlesPhi: false } },
  ...cases.map((c, i) => ({
    control: "MessengerDomainRestriction",
    name: nameOf(c, i),
    props: {
      workspaceId: WORKSPACE_ID,
      trustedDomains: c.kind === "pending" ? [unknownValue, `${c.text}.example.com/x`] : [`${c.text}.example.com/x`],
    },
  })),
];

describe("finding status through the preview tool", () => {
  let dir = "";
  let ours: GeneratedRun;
  let oursText = "";
  let foreign: GeneratedRun;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ihc-status-"));
    const config = path.join(dir, "config.json");
    const exceptions = cases.flatMap((c, i) =>
      c.kind === "waived" ? [{ workspace: WORKSPACE_ID, resource: nameOf(c, i), ...accountable, expires: "2026-12-01" }] : [],
    );
    fs.writeFileSync(config, JSON.stringify({ [POLICY]: { exceptions } }));
    const textFile = path.join(dir, "report.txt");
    ours = previewGenerated(controls, ["--policy-pack-config", config, "--output", `text=${textFile}`]);
    oursText = fs.existsSync(textFile) ? fs.readFileSync(textFile, "utf8") : "";
    const foreignControls = cases.map((c, i) => ({
      control: "MessengerDomainRestriction",
      name: `f${i}`,
      // The foreign pack ends its messages with `label`: program text, forged payload lines included.
      props: { workspaceId: WORKSPACE_ID, label: c.text, trustedDomains: c.kind === "pending" ? unknownValue : ["app.example.com"] },
    }));
    foreign = previewGenerated(foreignControls, ["--policy-pack", path.join(repoRoot, "test", "fixtures", "reporting-foreign-pack")]);
  }, 2 * GENERATED_RUN_TIMEOUT_MS);

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("this pack: each control's status is what the pack found, whatever program text it carries", () => {
    expect(ours.report).toBeDefined();
    expect(new Set(cases.map((c) => c.kind)).size).toBe(3);
    const findings = allFindings(ours.report!).filter((f) => f.policy === POLICY);
    for (const [i, c] of cases.entries()) {
      const own = findings.filter((f) => f.resource === nameOf(c, i));
      const expected =
        c.kind === "review"
          ? [{ status: "needs_review", blocking: true }]
          : c.kind === "waived"
            ? [{ status: "waived", blocking: false }]
            : // The known unsafe entry blocks; the unknown one is not evaluated until the update.
              [
                { status: "needs_review", blocking: true },
                { status: "not_evaluated", blocking: false },
              ];
      expect(own.map((f) => ({ status: f.status, blocking: f.blocking })).sort((a, b) => a.status.localeCompare(b.status))).toEqual(
        expected,
      );
    }
  });

  it("this pack: the payload shows nowhere in the report, JSON or text", () => {
    const messages = allFindings(ours.report!).map((f) => f.message);
    expect(messages.length).toBeGreaterThan(cases.length);
    // Every message and the whole text of controls whose program text has no tag: the tag cannot be there.
    for (const [i, c] of cases.entries()) {
      if (!c.clean) continue;
      for (const f of allFindings(ours.report!).filter((f) => f.resource === nameOf(c, i)))
        expect(f.message).not.toContain(findingPayloadTag);
    }
    // Workspace-level findings quote no program text at all.
    for (const f of allFindings(ours.report!).filter((f) => f.resource === "ws")) expect(f.message).not.toContain(findingPayloadTag);
    expect(oursText).toContain("Summary: ");
    const cleanLines = oursText.split("\n").filter((line) => !cases.some((c, i) => !c.clean && line.includes(`[${nameOf(c, i)}]`)));
    expect(cleanLines.filter((line) => line.includes(findingPayloadTag))).toEqual([]);
  });

  it("a foreign pack still reports: by level only, forged payload lines ignored; the SDK's can't-run advisory is not evaluated", () => {
    expect(foreign.report).toBeDefined();
    const findings = allFindings(foreign.report!);
    for (const [i, c] of cases.entries()) {
      const own = findings.filter((f) => f.resource === `f${i}`);
      const of = (policy: string) => own.filter((f) => f.policy === policy).map((f) => ({ status: f.status, blocking: f.blocking }));
      expect(of("echo-name-advisory")).toEqual([{ status: "needs_review", blocking: false }]);
      expect(of("echo-name-mandatory")).toEqual([{ status: "needs_review", blocking: true }]);
      expect(of("reads-trusted-domains")).toEqual(c.kind === "pending" ? [{ status: "not_evaluated", blocking: false }] : []);
    }
    expect(foreign.exitCode).toBe(1);
  });
});
