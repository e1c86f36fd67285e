/**
 * Through the `preview` tool (three program runs):
 *
 * - A secret that matches a piece of the fixed "Not evaluated" wording (a Workspace `name` of
 *   `{ $secret: "Not" }`, say) cannot turn a pending SHALL verdict into a plain advisory: the run
 *   still fails (exit 1) without --allow-unknown, and passes with it.
 * - An unknown list entry hides no known unsafe entry: generated lists of every entry-by-entry
 *   field, the unknown at any index, block when a known entry is unsafe (with --allow-unknown
 *   too), and stay not evaluated (never blocking) beside only safe entries.
 */
import fc from "fast-check";
import { notEvaluatedOpenings } from "../../core/evaluate";
import { ResourcePolicy } from "../../core/policy";
import { StackResource } from "../../core/stack-model";
import { workspaceControl } from "../../resources";
import { secureStack } from "../support/fixtures";
import {
  allFindings,
  blockingFor,
  GENERATED_RUN_TIMEOUT_MS,
  GeneratedControl,
  GeneratedRun,
  previewGenerated,
  secretValue,
  unknownValue,
} from "../support/generated-program";
import { sampleOf } from "../support/property";
import { entryClasses, withEntries } from "../support/unknown-entries";
import { controlsByType, definitionOf, UNKNOWN } from "../support/unknowns";

/** A SHALL policy whose default level blocks: what the preview cannot vouch for when not evaluated. */
const blocksAtUpdate = (policy: ResourcePolicy) => policy.criticality === "SHALL" && policy.enforcementLevel === "mandatory";

function forProgram(value: unknown): unknown {
  if (value === UNKNOWN) return unknownValue;
  if (Array.isArray(value)) return value.map(forProgram);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, forProgram(v)]));
  return value;
}

interface ToolReport {
  readonly blocking: boolean;
  readonly blockedByUnknowns: readonly { policy: string; resource: string; status: string; blocking: boolean }[];
}

const reportOf = (run: GeneratedRun): ToolReport => {
  if (!run.report) throw new Error(`no JSON report (exit ${run.exitCode}): ${run.stderr}`);
  return run.report as unknown as ToolReport;
};

/** A secure workspace under its own id and names, its Workspace name a secret, one list of each entry-by-entry field holding an unknown beside safe entries. */
function secureWorkspaceWithUnknownEntries(
  workspaceId: string,
  suffix: string,
  secretName: string,
  safeLists: ReadonlyMap<string, unknown[]>,
): GeneratedControl[] {
  return secureStack({ withCustomAction: true })
    .filter((r) => controlsByType.has(r.type))
    .map((r: StackResource) => {
      let props: Record<string, unknown> = { ...r.props, workspaceId };
      if (r.type === workspaceControl.typeToken) props = { ...props, name: secretValue(secretName) };
      for (const entryClass of entryClasses) {
        const list = safeLists.get(`${entryClass.policy.name} ${entryClass.field}`);
        // The dashboard allowlist only: the REST API one shares the control.
        if (list && entryClass.policy.control.typeToken === r.type && (r.props["scope"] ?? "dashboard") === "dashboard") {
          props = { ...props, [entryClass.field]: list };
        }
      }
      return { control: definitionOf(r).name, name: `${r.name}-${suffix}`, props: forProgram(props) as Record<string, unknown> };
    });
}

/** Any piece of the fixed not-evaluated wording: what a short secret may equal. */
const wordingPiece = fc
  .tuple(fc.constantFrom(...notEvaluatedOpenings), fc.nat(), fc.integer({ min: 1, max: 12 }))
  .map(([text, a, length]) => text.slice(a % 8, (a % 8) + length).trim() || "Not");

describe("the preview tool with a secret matching the not-evaluated wording", () => {
  // One safe-only case per field (the link-safety fields share a control: one list each).
  const safeCases = new Map<string, unknown[]>();
  for (const entryClass of entryClasses) {
    const [safe] = sampleOf(
      entryClass.caseArbitrary.filter((c) => !c.unsafe),
      1,
    );
    safeCases.set(`${entryClass.policy.name} ${entryClass.field}`, [...(safe?.entries ?? [])]);
  }
  const secrets = ["Not", ...sampleOf(wordingPiece, 2)];
  const controls = secrets.flatMap((secret, i) => secureWorkspaceWithUnknownEntries(`wording00${i}`, `w${i}`, secret, safeCases));
  let strict: GeneratedRun;
  let allowing: GeneratedRun;

  beforeAll(() => {
    strict = previewGenerated(controls);
    allowing = previewGenerated(controls, ["--allow-unknown"]);
  }, 2 * GENERATED_RUN_TIMEOUT_MS);

  it("fails (exit 1) on the pending SHALL verdicts, filed as not evaluated, and passes with --allow-unknown", () => {
    const report = reportOf(strict);
    expect(report.blocking).toBe(false);
    for (const [i] of secrets.entries()) {
      for (const entryClass of entryClasses.filter((c) => blocksAtUpdate(c.policy))) {
        const resource = controls.find((c) => c.name.endsWith(`-w${i}`) && c.control === entryClass.policy.control.name)?.name;
        expect(report.blockedByUnknowns).toContainEqual(
          expect.objectContaining({ policy: entryClass.policy.name, resource, status: "not_evaluated", blocking: false }),
        );
      }
    }
    expect({ exit: strict.exitCode, stderr: strict.stderr }).toEqual({ exit: 1, stderr: "" });
    expect({ exit: allowing.exitCode, stderr: allowing.stderr }).toEqual({ exit: 0, stderr: "" });
  });
});

describe("the preview tool with an unknown list entry beside known ones", () => {
  const generated = entryClasses.flatMap((entryClass, c) =>
    sampleOf(entryClass.caseArbitrary, 8).map((entryCase, i) => ({ entryClass, entryCase, name: `entries-${c}-${i}` })),
  );
  let run: GeneratedRun;

  beforeAll(() => {
    // Each in its own workspace id: one control of a kind per workspace, as single-instance wants.
    run = previewGenerated(
      generated.map(({ entryClass, entryCase, name }) => ({
        control: entryClass.policy.control.name,
        name,
        props: forProgram({ ...withEntries(entryClass, entryCase.entries), workspaceId: name.replace(/-/g, "") }) as Record<
          string,
          unknown
        >,
      })),
      ["--allow-unknown"],
    );
  }, GENERATED_RUN_TIMEOUT_MS);

  it("blocks every known unsafe entry whatever index the unknown takes, even with --allow-unknown; beside only safe entries, nothing blocks", () => {
    expect(generated.filter((g) => g.entryCase.unsafe).length).toBeGreaterThan(10);
    expect(generated.filter((g) => !g.entryCase.unsafe).length).toBeGreaterThan(5);
    const findings = allFindings(run.report!);
    for (const { entryClass, entryCase, name } of generated) {
      const blocking = blockingFor(run.report!, name, entryClass.policy.name).length > 0;
      const violation = findings.some((f) => f.resource === name && f.policy === entryClass.policy.name && f.status === "needs_review");
      expect({ name, entries: entryCase.entries, violation, blocking }).toEqual({
        name,
        entries: entryCase.entries,
        violation: entryCase.unsafe,
        // At the policy's own level: a SHOULD (advisory) policy reports, a SHALL one blocks.
        blocking: entryCase.unsafe && blocksAtUpdate(entryClass.policy),
      });
      // The unknown entry itself stays not evaluated, beside the violation.
      expect(findings.some((f) => f.resource === name && f.policy === entryClass.policy.name && f.status === "not_evaluated")).toBe(true);
    }
    expect(run.exitCode).toBe(1);
  });
});
