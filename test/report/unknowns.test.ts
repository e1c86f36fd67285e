/**
 * The report with values not known until the update: controls whose workspace is not known are
 * filed apart, every unknown value is listed (resource and path), and the SHALL policies that
 * could not be evaluated because of one are singled out (the tool fails on them unless
 * --allow-unknown). Hand-made policies, resources and verdicts.
 */
import { AnyPolicy } from "../../core/policy";
import { buildReport, DeclaredResource, ReportInput, UnknownValues } from "../../report/model";
import { renderText } from "../../report/text";
import { appliedTo, control, policy, verdict, workspace } from "./fixtures";

const options = { subject: "program", packName: "pack", packVersion: "1.0.0" };
const notEvaluated = "Not evaluated during preview: X needs y, not known until the update; it is checked at update.";

const ws = workspace("ws1", "main");
const domains = control("MessengerDomainRestriction", "domains", "ws1");
const unplaced: DeclaredResource = { ...control("BusinessAssociateAgreement", "baa", undefined), workspaceUnknown: true };
const shall = policy("intercom-test-shall", ["messenger.domain-restrictions"], { severity: "critical" });
const should = {
  ...policy("intercom-test-should", ["messenger.session-duration"], { severity: "medium" }),
  criticality: "SHOULD",
} as AnyPolicy;
const schema = policy("intercom-test-schema", ["config.schema"], { kind: "schema" });
const stackShall = policy("intercom-test-stack", ["config.workspace"], { kind: "stack" });
const policies = [shall, should, schema, stackShall];
const resources = [ws, domains, unplaced];
const unknownValues: UnknownValues[] = [
  { urn: domains.urn, resourceName: domains.name, type: domains.type, paths: ["trustedDomains.1"] },
  { urn: unplaced.urn, resourceName: unplaced.name, type: unplaced.type, paths: ["workspaceId"] },
];

function report(extra: Partial<ReportInput> = {}) {
  return buildReport({
    policies,
    resources,
    applied: appliedTo(resources, policies),
    unknownValues,
    verdicts: [
      verdict(shall.name, domains.urn, notEvaluated, "advisory", "not_evaluated"),
      verdict(should.name, domains.urn, notEvaluated, "advisory", "not_evaluated"),
      verdict(schema.name, domains.urn, notEvaluated, "advisory", "not_evaluated"),
      verdict(stackShall.name, unplaced.urn, notEvaluated, "advisory", "not_evaluated"),
      verdict(shall.name, unplaced.urn, "Known and unsafe.", "mandatory"),
    ],
    ...extra,
  });
}

describe("buildReport with values not known until the update", () => {
  it("singles out SHALL policies not evaluated for an unknown value (not SHOULD ones, not the schema check)", () => {
    expect(
      report()
        .blockedByUnknowns.map((f) => `${f.policyName} ${f.resourceName}`)
        .sort(),
    ).toEqual(["intercom-test-shall domains", "intercom-test-stack baa"]);
  });

  it("leaves out a SHALL policy whose configured level would not block at update", () => {
    const blockingPolicies = new Set([stackShall.name]);
    expect(report({ blockingPolicies }).blockedByUnknowns.map((f) => f.policyName)).toEqual([stackShall.name]);
  });

  it("leaves out a not-evaluated finding about a resource with no unknown value (a schema mismatch, say)", () => {
    expect(report({ unknownValues: [] }).blockedByUnknowns).toEqual([]);
  });

  it("files a control whose workspace is not known yet apart, with its findings, and lists every unknown value", () => {
    const built = report();
    expect(built.workspaces.map((w) => w.workspaceId)).toEqual(["ws1"]);
    expect(built.unknownWorkspace?.resources.map((r) => r.name)).toEqual(["baa"]);
    expect(built.unknownWorkspace?.findings.map((f) => `${f.policyName} ${f.blocking}`).sort()).toEqual([
      "intercom-test-shall true",
      "intercom-test-stack false",
    ]);
    expect(built.other).toEqual([]);
    expect(built.blocking).toBe(true);
    expect(built.unknownValues).toEqual(unknownValues);
  });

  it("has no unknown-workspace group when every workspace is known", () => {
    const built = buildReport({ policies, resources: [ws, domains], applied: new Set(), verdicts: [] });
    expect(built.unknownWorkspace).toBeUndefined();
    expect(built.unknownValues).toEqual([]);
  });
});

describe("renderText with values not known until the update", () => {
  it("shows the unknown-workspace group and the unknown values, never more than a path", () => {
    const text = renderText(report(), options);
    expect(text).toContain("Workspace not known yet");
    expect(text).toMatch(
      /\n {2}BusinessAssociateAgreement \[baa\]\n( {4}.*\n)* {4}BLOCKING intercom-test-shall \[baa\]: Known and unsafe\.\n/,
    );
    expect(text).toContain("Values not known until the update");
    expect(text).toContain(`  [domains] trustedDomains.1 (${domains.urn})`);
    expect(text).toContain(`  [baa] workspaceId (${unplaced.urn})`);
  });

  it("says why the run fails without --allow-unknown, and that the flag accepted it with it", () => {
    const nothingBlocks = report({ verdicts: [verdict(shall.name, domains.urn, notEvaluated, "advisory", "not_evaluated")] });
    expect(renderText(nothingBlocks, options)).toMatch(/Fails: 1 SHALL policy could not be evaluated .* Pass --allow-unknown/);
    expect(renderText(nothingBlocks, { ...options, allowUnknown: true })).toMatch(
      /Nothing blocks now, but 1 SHALL policy .*accepted by --allow-unknown/,
    );
    expect(renderText(report(), options)).toMatch(/Blocked: mandatory policies failed;.* Also, 2 SHALL policies could not be evaluated/);
  });
});
