/**
 * `audit --live` grading and `import`'s round trip, with the pack launched once and generated live
 * reads (no HTTP: the registry's readers are exercised against Prism in audit-live-prism.test.ts).
 *
 * - Never Secure for what was not read: a live read with random fields unreadable, and random
 *   controls left with no reader, is graded; then the same read with every unreadable field filled
 *   in with some valid value. A row the audit calls Secure must be Secure whatever those values are,
 *   and whenever the filled read fails the run, the audit fails it too. Every unreadable field is
 *   listed as data (unknownValues, reason "not_readable").
 * - Import round trip: the document `import` writes validates against the schema, and `check` on it
 *   gives the audit's verdicts for every (resource, policy) the audit evaluated.
 * Needs a build (the pack is dist/).
 */
import fc from "fast-check";
import * as yaml from "js-yaml";
import { ControlDefinition } from "../../core/control";
import { allControls, workspaceControl } from "../../resources";
import type { LiveControl } from "../../intercom/live-types";
import { LiveWorkspace, liveReaders, settingFields, unreadControl } from "../../intercom/live";
import { PolicyPackSession } from "../../cli/analyzer-client";
import { liveResources, withUnreadableMarked } from "../../cli/audit-live";
import { documentResources } from "../../cli/documents";
import { importPlan, renderImportDocument, renderImportProgram } from "../../cli/import";
import { derivedForms } from "../../core/redaction";
import { urlCredentials } from "../../policies/support/credentials";
import { gradeResources } from "../../cli/preview";
import { HealthCheckReport } from "../../report/model";
import { allFindings, blocks } from "../../cli/verdict";
import { launchPinnedPack, PINNED_AS_OF } from "../support/engine";
import { secureStack } from "../support/fixtures";
import { propertyParameters } from "../support/property";
import { controlPropsArbitrary, getAt } from "../support/unknowns";

const workspaceId = "abc123xyz";
const byName = new Map(allControls.map((c) => [c.name, c]));
const byType = new Map(allControls.map((c) => [c.typeToken, c]));

let session: PolicyPackSession;
beforeAll(async () => {
  session = await launchPinnedPack();
}, 60_000);
afterAll(async () => {
  await session?.close();
});

/** The secure fixture workspace (every control, PHI, mobile and a custom action) as live controls, in registry order. */
const baseControls: LiveControl[] = secureStack({ handlesPhi: true, withMobile: true, withCustomAction: true }).flatMap((r) => {
  const definition = byType.get(r.type);
  return definition ? [{ control: definition.name, name: r.name, props: { ...r.props, workspaceId } }] : [];
});

interface LiveCase {
  readonly live: LiveWorkspace;
  /** The same controls with every unreadable field filled in (stand-ins for unread controls filled whole). */
  readonly filled: LiveWorkspace;
}

function definitionOf(control: LiveControl): ControlDefinition {
  return byName.get(control.control) as ControlDefinition;
}

/**
 * A live read: each control's settings generated (valid, safe or not); some controls have no reader
 * (each replaced by one stand-in with every field unreadable), others random fields unreadable.
 * Its filling takes every unreadable field from another valid value of the control.
 */
const liveCaseArbitrary: fc.Arbitrary<LiveCase> = fc
  .record({
    settings: fc.tuple(...baseControls.map((c) => controlPropsArbitrary(definitionOf(c)))),
    fillings: fc.tuple(...baseControls.map((c) => controlPropsArbitrary(definitionOf(c)))),
    unreadControls: fc.subarray(
      allControls.filter((c) => c !== workspaceControl).map((c) => c.name),
      { maxLength: 6 },
    ),
    unreadable: fc.tuple(...baseControls.map((c) => fc.subarray(settingFields(definitionOf(c))))),
    sparse: fc.boolean(),
  })
  .map(({ settings, fillings, unreadControls, unreadable, sparse }) => {
    const live: LiveControl[] = [];
    const filled: LiveControl[] = [];
    const standIns = new Set<string>();
    baseControls.forEach((base, i) => {
      const definition = definitionOf(base);
      const props = { ...settings[i], workspaceId };
      const filling: Record<string, unknown> = { ...fillings[i], workspaceId };
      if (unreadControls.includes(base.control)) {
        if (standIns.has(base.control)) return;
        standIns.add(base.control);
        live.push(unreadControl(definition, workspaceId));
        filled.push({ ...unreadControl(definition, workspaceId), props: filling, unreadable: [] });
        return;
      }
      // Sparse: most controls fully read, a few fields unreadable; otherwise the generated subsets as they are.
      const fields = sparse && i % 3 !== 0 ? [] : (unreadable[i] as string[]);
      const readable = Object.fromEntries(Object.entries(props).filter(([k]) => !fields.includes(k)));
      live.push({ control: base.control, name: base.name, props: readable, unreadable: fields });
      const fillFields = Object.fromEntries(fields.flatMap((f) => (Object.hasOwn(filling, f) ? [[f, filling[f]]] : [])));
      filled.push({ control: base.control, name: base.name, props: { ...readable, ...fillFields }, unreadable: [] });
    });
    const notRead = [...standIns].map((control) => ({ control, reason: "no_api" as const }));
    return { live: { workspaceId, controls: live, notRead }, filled: { workspaceId, controls: filled, notRead } };
  });

async function audit(live: LiveWorkspace): Promise<HealthCheckReport> {
  const graded = liveResources(live);
  const result = await gradeResources(session, graded.resources, {
    project: graded.project,
    stack: graded.stack,
    dryRun: false,
    asOf: PINNED_AS_OF,
  });
  return withUnreadableMarked(result).report;
}

function rowStatuses(report: HealthCheckReport): Map<string, string> {
  return new Map((report.workspaces[0]?.sections ?? []).flatMap((s) => s.items.map((i) => [`${s.id}/${i.item.id}`, i.status] as const)));
}

const verdict = { failOn: "mandatory" as const, allowUnknown: false };

describe("audit --live grading: what was not read is never Secure", () => {
  it("the registry is a plain list of known controls, each named once", () => {
    for (const reader of liveReaders) expect(byName.has(reader.control)).toBe(true);
    expect(new Set(liveReaders.map((r) => r.control)).size).toBe(liveReaders.length);
  });

  it("a row Secure in the audit is Secure whatever the unreadable values are; the audit fails whenever a filling fails", async () => {
    await fc.assert(
      fc.asyncProperty(liveCaseArbitrary, async ({ live, filled }) => {
        const [audited, complete] = [await audit(live), await audit(filled)];
        const auditRows = rowStatuses(audited);
        const filledRows = rowStatuses(complete);
        for (const [row, status] of auditRows) {
          if (status === "Secure") expect([row, filledRows.get(row)]).toEqual([row, "Secure"]);
        }
        if (blocks(complete, verdict)) expect(blocks(audited, verdict)).toBe(true);

        // Every unreadable field is listed, as data, with its reason; a fully read control is not listed.
        const listed = new Map(audited.unknownValues.map((u) => [u.resourceName, u]));
        for (const control of live.controls) {
          const fields = control.unreadable ?? [];
          const entry = listed.get(control.name);
          if (fields.length === 0) {
            expect(entry).toBeUndefined();
            continue;
          }
          expect(entry?.reason).toBe("not_readable");
          // A secret field is listed by its top-level name (paths are cut at secret paths).
          for (const field of fields) expect(entry?.paths.some((p) => p === field || p.startsWith(`${field}.`))).toBe(true);
        }
        if (live.controls.some((c) => (c.unreadable ?? []).length > 0)) expect(audited.workspaces[0]?.overall).not.toBe("Secure");
      }),
      propertyParameters(10),
    );
  }, 180_000);
});

describe("import round trip", () => {
  it("import's document validates, and check on it gives the audit's verdict for everything the audit evaluated", async () => {
    await fc.assert(
      fc.asyncProperty(liveCaseArbitrary, async ({ live }) => {
        const workspace = live.controls[0] as LiveControl;
        if ((workspace.unreadable ?? []).some((f) => f === "name" || f === "region")) {
          // Neither can be left out of a document, nor invented: import refuses.
          expect(() => importPlan(live, "document")).toThrow(/no document or program can be written/);
          return;
        }
        const plan = importPlan(live, "document");
        const text = renderImportDocument(plan);
        // The secret references the document makes, set to the values read, as a user would set them.
        const env = Object.fromEntries(
          plan.secrets.map((s) => {
            const control = live.controls.find((c) => c.control === s.control && c.name === s.resource) as LiveControl;
            return [s.name, String(getAt(control.props, s.path.split(".")))];
          }),
        );
        expect(text).not.toContain("04da6b54");
        const documents = documentResources([{ label: "imported.yaml", text }], env);
        const checked = await gradeResources(session, documents.resources, {
          project: documents.project,
          stack: documents.stack,
          asOf: PINNED_AS_OF,
        });
        const audited = await audit(live);
        const written = new Set(documents.resources.map((r) => r.urn));
        // A stack policy weighs controls together (which one a duplicate is reported on, say): not evaluated anywhere, it is left out whole.
        const notEvaluated = new Set(
          allFindings(audited)
            .filter((f) => f.status === "not_evaluated")
            .flatMap((f) => [`${f.urn} ${f.policyName}`, ...(f.policy?.kind === "stack" ? [f.policyName] : [])]),
        );
        // A partly read control the document cannot hold (a required field unreadable) still takes part in the audit's
        // stack policies (a duplicate of it, say): with one left out, stack policies are compared no further.
        const standIns = new Set(live.notRead.map((n) => n.control));
        const partlyReadLeftOut = plan.notes.some((n) => !n.written && !standIns.has(n.control));
        // A value held as plain text in Intercom at a sensitive path (a CustomAction header) is written as a secret reference,
        // which the literal-credential rule passes: the document says so instead, and that rule is compared no further there.
        const literal = plan.secrets.filter((p) => p.literalInIntercom);
        if (literal.length > 0) expect(text).toMatch(/Held as plain text in Intercom/);
        const relabelled = new Set(
          literal.map(
            (p) => `${documents.resources.find((r) => r.name === p.resource)?.urn} intercom-custom-action-no-literal-credentials`,
          ),
        );
        const key = (f: { urn: string; policyName: string; status: string; blocking: boolean }) =>
          `${f.urn} ${f.policyName} ${f.status} ${f.blocking}`;
        const evaluated = (f: { urn: string; policyName: string; policy: { kind: string } | undefined }) =>
          written.has(f.urn) &&
          !notEvaluated.has(`${f.urn} ${f.policyName}`) &&
          !notEvaluated.has(f.policyName) &&
          !(partlyReadLeftOut && f.policy?.kind === "stack") &&
          !relabelled.has(`${f.urn} ${f.policyName}`);
        // For every resource written and policy the audit evaluated on it: the same findings.
        expect(allFindings(checked.report).filter(evaluated).map(key).sort()).toEqual(
          allFindings(audited).filter(evaluated).map(key).sort(),
        );
      }),
      propertyParameters(6),
    );
  }, 180_000);
});

describe("import never copies a credential Intercom holds in a Custom Action's URL", () => {
  const credential = fc.stringMatching(/^[A-Za-z0-9]{24,40}$/);
  const credentialUrl = fc.oneof(
    credential.map((c) => ({ url: `https://svc:${c}@api.example.com/orders`, credential: c })),
    credential.map((c) => ({ url: `https://api.example.com/orders?api_key=sk_live_${c}`, credential: `sk_live_${c}` })),
    credential.map((c) => ({ url: `https://hooks.slack.com/services/T0000/B0000/${c}`, credential: c })),
  );
  it("a URL holding a credential is written as a secret reference, noted as held in plain text in Intercom", () => {
    const workspace = baseControls.find((c) => c.control === "Workspace") as LiveControl;
    const action = baseControls.find((c) => c.control === "CustomAction") as LiveControl;
    fc.assert(
      fc.property(credentialUrl, fc.constantFrom(...(["document", "program"] as const)), ({ url, credential }, format) => {
        expect(urlCredentials(url).length).toBeGreaterThan(0);
        const live: LiveWorkspace = {
          workspaceId,
          controls: [workspace, { ...action, props: { ...action.props, url } }],
          notRead: [],
        };
        const plan = importPlan(live, format);
        const text = format === "document" ? renderImportDocument(plan) : renderImportProgram(plan);
        for (const form of [credential, ...derivedForms(credential).anywhere]) expect(text).not.toContain(form);
        expect(plan.secrets).toContainEqual(expect.objectContaining({ control: "CustomAction", path: "url", literalInIntercom: true }));
        expect(text).toMatch(/Held as plain text in Intercom/);
      }),
      propertyParameters(40),
    );
  });
});

describe("import's comments hold whatever a live read names", () => {
  it("a header name with a line break stays inside its comment, in the document and in the program", () => {
    const workspace = baseControls.find((c) => c.control === "Workspace") as LiveControl;
    const action = baseControls.find((c) => c.control === "CustomAction") as LiveControl;
    const breaks = fc.constantFrom("\n", "\r", "\r\n", "\u2028", "\u2029", "\u0085");
    fc.assert(
      fc.property(breaks, fc.stringMatching(/^[A-Za-z-]{1,12}$/), (lineBreak, word) => {
        const header = `X-${word}${lineBreak}injected: 1${lineBreak}process.exit(7)`;
        const live: LiveWorkspace = {
          workspaceId,
          controls: [workspace, { ...action, props: { ...action.props, headers: { [header]: "v" } } }],
          notRead: [],
        };
        const document = renderImportDocument(importPlan(live, "document"));
        expect(Object.keys(yaml.load(document) as object).sort()).toEqual(["project", "schemaVersion", "stack", "workspaces"]);
        const program = renderImportProgram(importPlan(live, "program"));
        expect(program.split(/\r\n|[\n\r\u2028\u2029]/).filter((line) => /^\s*process\.exit/.test(line))).toEqual([]);
      }),
      propertyParameters(30),
    );
  });
});
