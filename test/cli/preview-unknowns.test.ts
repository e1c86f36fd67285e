/**
 * Values not known until the update, generated, through the `preview` tool: a program registers
 * several secure workspaces with values made unknown anywhere in their controls (Pulumi's own
 * unknown output), and the tool must list every unknown value (resource and path, never a value),
 * fail (exit 1) when a SHALL policy could not be evaluated because of one, unless
 * `--allow-unknown`, and still block what is unsafe on known values. Three program runs in all.
 */
import fc from "fast-check";
import { evaluateResourcePolicy, evaluateStackPolicy, Finding } from "../../core/evaluate";
import { StackModel, StackResource } from "../../core/stack-model";
import { allPolicies, resourcePolicies, stackPolicies } from "../../policies";
import { allControls, businessAssociateAgreementControl, workspaceControl } from "../../resources";
import { secureStack } from "../support/fixtures";
import {
  allFindings,
  blockingFor,
  GENERATED_AS_OF,
  GENERATED_RUN_TIMEOUT_MS,
  GeneratedControl,
  GeneratedRun,
  previewGenerated,
  unknownValue,
} from "../support/generated-program";
import { sampleOf } from "../support/property";
import {
  controlsByType,
  definitionOf,
  findUnknowns,
  policiesOf,
  readsOf,
  readsPath,
  setAt,
  shownPath,
  UNKNOWN,
  unknownCaseArbitrary,
  unknownPlaces,
} from "../support/unknowns";

const asOf = new Date(GENERATED_AS_OF);
const shall = new Set(allPolicies.filter((p) => p.criticality === "SHALL").map((p) => p.name));

/** The program's form of props: each unknown sentinel becomes the program's unknown output. */
function forProgram(value: unknown): unknown {
  if (value === UNKNOWN) return unknownValue;
  if (Array.isArray(value)) return value.map(forProgram);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, forProgram(v)]));
  return value;
}

function toProgram(stack: readonly StackResource[]): GeneratedControl[] {
  return stack.map((r) => ({ control: definitionOf(r).name, name: r.name, props: forProgram(r.props) as Record<string, unknown> }));
}

/** A secure workspace under its own id and resource names. */
function secureWorkspace(workspaceId: string, suffix: string, options: Parameters<typeof secureStack>[0] = {}): StackResource[] {
  return secureStack(options)
    .filter((r) => controlsByType.has(r.type))
    .map((r) => {
      const name = `${r.name}-${suffix}`;
      return { ...r, name, urn: `urn:${name}`, props: { ...r.props, workspaceId } };
    });
}

/** Three secure workspaces, with a few values anywhere (but workspaceId) made unknown. */
const unknownsArbitrary: fc.Arbitrary<StackResource[]> = fc
  .array(fc.tuple(fc.nat(), fc.nat()), { minLength: 6, maxLength: 9 })
  .map((picks) => {
    let stack = [
      ...secureWorkspace("alpha0001", "a", { withMobile: true, withCustomAction: true }),
      ...secureWorkspace("bravo0002", "b", { withMobile: true }),
      ...secureWorkspace("charlie003", "c", { withCustomAction: true }),
    ];
    for (const [which, where] of picks) {
      const index = which % stack.length;
      const target = stack[index] as StackResource;
      const places = unknownPlaces(definitionOf(target), target.props).filter((p) => String(p[0]) !== "workspaceId" && p.length > 0);
      const path = places[where % places.length];
      if (!path || findUnknowns(target.props).length > 0) continue;
      stack = stack.map((r, i) => (i === index ? { ...r, props: setAt(r.props, path, UNKNOWN) } : r));
    }
    // A header value not known yet (a token from a secret store): everything under `headers` is secret, its names too.
    return stack.map((r) =>
      r.name === "order-lookup-a" && r.props["headers"] !== UNKNOWN
        ? { ...r, props: setAt(r.props, ["headers", "Authorization"], UNKNOWN) }
        : r,
    );
  });

/** What the pack itself grades (in process, at preview): SHALL findings not evaluated for an unknown, as "policy resource". */
function expectedUnknownBlockers(stack: readonly StackResource[]): string[] {
  const findings: { finding: Finding; name: string }[] = [];
  for (const r of stack) {
    for (const policy of resourcePolicies.filter((p) => p.control.typeToken === r.type)) {
      for (const finding of evaluateResourcePolicy(policy, { name: r.name, urn: r.urn, props: r.props }, { now: asOf, preview: true }) ??
        []) {
        findings.push({ finding, name: r.name });
      }
    }
  }
  const model = StackModel.build(stack, allControls);
  for (const policy of stackPolicies) {
    for (const finding of evaluateStackPolicy(policy, model, { now: asOf, preview: true })) {
      findings.push({ finding, name: stack.find((r) => r.urn === finding.urn)?.name ?? "" });
    }
  }
  return [
    ...new Set(
      findings
        .filter(({ finding }) => finding.unknownFields && shall.has(finding.policy))
        .map(({ finding, name }) => `${finding.policy} ${name}`),
    ),
  ].sort();
}

function unknownValuesOf(stack: readonly StackResource[]): { resource: string; paths: string[] }[] {
  return stack
    .filter((r) => findUnknowns(r.props).length > 0)
    .map((r) => ({ resource: r.name, paths: [...new Set(findUnknowns(r.props).map((p) => shownPath(definitionOf(r), p)))] }))
    .sort((a, b) => a.resource.localeCompare(b.resource));
}

interface ToolReport {
  readonly blocking: boolean;
  readonly allowUnknown: boolean;
  readonly unknownValues: readonly { resource: string; paths: string[]; urn: string }[];
  readonly blockedByUnknowns: readonly { policy: string; resource: string; blocking: boolean; message: string }[];
  readonly unknownWorkspace: {
    resources: { resource: string }[];
    findings: { policy: string; resource: string; blocking: boolean }[];
  } | null;
}

/** Blocking findings about a resource, wherever filed: a workspace, "other", or "workspace not known yet". */
function blocksOn(run: GeneratedRun, resource: string, policy: string): boolean {
  const unplaced = reportOf(run).unknownWorkspace?.findings ?? [];
  return (
    blockingFor(run.report!, resource, policy).length > 0 ||
    unplaced.some((f) => f.blocking && f.resource === resource && f.policy === policy)
  );
}

function reportOf(run: GeneratedRun): ToolReport {
  if (!run.report) throw new Error(`no JSON report (exit ${run.exitCode}): ${run.stderr}`);
  return run.report as unknown as ToolReport;
}

describe("the preview tool with values not known until the update", () => {
  const [stack] = sampleOf(unknownsArbitrary, 1) as [StackResource[]];
  const expected = expectedUnknownBlockers(stack);
  let strict: GeneratedRun;
  let allowing: GeneratedRun;

  beforeAll(() => {
    strict = previewGenerated(toProgram(stack));
    allowing = previewGenerated(toProgram(stack), ["--allow-unknown"]);
  }, 2 * GENERATED_RUN_TIMEOUT_MS);

  it("generates both kinds: unknowns a SHALL policy needs, and unknowns no SHALL policy reads", () => {
    expect(expected.length).toBeGreaterThan(0);
    const needing = new Set(expected.map((line) => line.split(" ")[1]));
    expect(unknownValuesOf(stack).filter((u) => !needing.has(u.resource)).length).toBeGreaterThan(0);
  });

  it("lists every unknown value by resource and path (cut at a secret path), never a value", () => {
    const report = reportOf(strict);
    expect(
      report.unknownValues.map((u) => ({ resource: u.resource, paths: u.paths })).sort((a, b) => a.resource.localeCompare(b.resource)),
    ).toEqual(unknownValuesOf(stack));
    expect(strict.stdout).not.toContain(UNKNOWN);
    // Cut at the secret path headers.*: a header's name is a name and shown, nothing under its value.
    const action = report.unknownValues.find((u) => u.resource === "order-lookup-a");
    expect(action?.paths.some((p) => /^headers\.[^.]+$/.test(p))).toBe(true);
  });

  it("fails (exit 1) because SHALL policies could not be evaluated, naming exactly those, while nothing blocks on known values", () => {
    const report = reportOf(strict);
    expect(report.blocking).toBe(false);
    expect(report.blockedByUnknowns.map((f) => `${f.policy} ${f.resource}`).sort()).toEqual(expected);
    for (const f of report.blockedByUnknowns)
      expect([f.blocking, f.message]).toEqual([false, expect.stringMatching(/^Not evaluated during preview: .* needs /)]);
    expect({ exit: strict.exitCode, stderr: strict.stderr }).toEqual({ exit: 1, stderr: "" });
  });

  it("passes (exit 0) with --allow-unknown, reporting the same", () => {
    const report = reportOf(allowing);
    expect(report.allowUnknown).toBe(true);
    expect(report.blockedByUnknowns.map((f) => `${f.policy} ${f.resource}`).sort()).toEqual(expected);
    expect({ exit: allowing.exitCode, stderr: allowing.stderr }).toEqual({ exit: 0, stderr: "" });
  });

  describe("with --allow-unknown, what is unsafe on known values still blocks", () => {
    // A PHI workspace whose only BAA's workspaceId is unknown, and generated controls with a known
    // unsafe value that blocks and an unknown value the blocking policy does not read.
    const phi = secureWorkspace("phiwork001", "phi", { handlesPhi: true }).map((r) =>
      r.type === businessAssociateAgreementControl.typeToken ? { ...r, props: { ...r.props, workspaceId: UNKNOWN } } : r,
    );
    const baaName = (phi.find((r) => r.type === businessAssociateAgreementControl.typeToken) as StackResource).name;
    const workspaceName = (phi.find((r) => r.type === workspaceControl.typeToken) as StackResource).name;
    const unsafe = sampleOf(unknownCaseArbitrary, 400)
      .map((c, i) => {
        const blockers = policiesOf(c.definition).filter((policy) => {
          const graded = evaluateResourcePolicy(policy, { name: "x", props: c.known }, { now: asOf }) ?? [];
          return (
            shall.has(policy.name) && graded.some((f) => f.status === "needs_review") && !readsPath(readsOf(policy, c.known, asOf), c.path)
          );
        });
        return { c, blockers, name: `unsafe-${i}` };
      })
      .filter((u) => u.blockers.length > 0);
    // Some whose workspaceId is the unknown value: graded on their own settings all the same.
    const chosen = [
      ...unsafe.filter(({ c }) => c.path[0] === "workspaceId").slice(0, 3),
      ...unsafe.filter(({ c }) => c.path[0] !== "workspaceId").slice(0, 9),
    ];
    let run: GeneratedRun;

    beforeAll(() => {
      const controls: StackResource[] = chosen.map(({ c, name }) => ({
        type: c.definition.typeToken,
        name,
        urn: `urn:${name}`,
        props: c.withUnknown,
      }));
      run = previewGenerated(toProgram([...phi, ...controls]), ["--allow-unknown"]);
    }, GENERATED_RUN_TIMEOUT_MS);

    it("blocks each known unsafe value, whatever else in the control is unknown", () => {
      expect(chosen.length).toBeGreaterThan(5);
      const report = reportOf(run);
      for (const { name, blockers } of chosen) {
        for (const policy of blockers) {
          expect({ name, policy: policy.name, blocking: blocksOn(run, name, policy.name) }).toEqual({
            name,
            policy: policy.name,
            blocking: true,
          });
        }
      }
      expect(report.blocking).toBe(true);
      expect(run.exitCode).toBe(1);
    });

    it("never lets a BAA whose workspaceId is unknown satisfy the PHI workspace; files every unknown-workspace control under 'workspace not known yet'", () => {
      expect(blockingFor(run.report!, workspaceName, "intercom-hipaa-baa")).not.toHaveLength(0);
      const unplaced = [baaName, ...chosen.filter(({ c }) => c.path.length === 1 && c.path[0] === "workspaceId").map((u) => u.name)].sort();
      expect(unplaced.length).toBeGreaterThan(1);
      const report = reportOf(run);
      expect(report.unknownWorkspace?.resources.map((r) => r.resource).sort()).toEqual(unplaced);
      // Their findings are filed there, not under a workspace nor among "other".
      expect(report.unknownWorkspace?.findings.every((f) => unplaced.includes(f.resource))).toBe(true);
      expect(allFindings(run.report!).filter((f) => unplaced.includes(f.resource ?? ""))).toEqual([]);
    });
  });
});
