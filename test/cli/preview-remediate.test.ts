/**
 * `preview --remediate` through the compiled tool, on a generated program: each fix the pack makes
 * over the Remediate RPC is shown as the before and after of the properties it changed (a secret as
 * [secret], never its value), the report grades the fixed resources, and a control with a value not
 * known yet, or whose fix would rest on a secret value, gets no fix.
 */
import fc from "fast-check";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ResourcePolicy } from "../../core/policy";
import { resourcePolicies } from "../../policies";
import { canaryWorkspaceId } from "../support/canary";
import {
  allFindings,
  GENERATED_RUN_TIMEOUT_MS,
  GeneratedControl,
  previewGenerated,
  secretValue,
  unknownValue,
} from "../support/generated-program";
import { sampleOf } from "../support/property";
import { controlNamed, generatedSettings, remediate, remediationSpecs } from "../support/remediation";

const policiesByName = new Map(resourcePolicies.map((p) => [p.name, p]));

type Shown = { value: unknown } | { secret: true } | { unknown: true } | { absent: true };
interface ShownRemediation {
  resource: string;
  policy: string;
  changes: { field: string; before: Shown; after: Shown }[];
}

interface Case {
  control: GeneratedControl;
  policy: string;
  /** The fix the policy's own decision makes on these settings (none for a case with an unknown). */
  fix?: Record<string, unknown>;
  /** Fields sent as secrets. */
  secretFields: readonly string[];
  fullyFixed: boolean;
}

/** Per remediating policy: fixable settings, some with the workspace id or the fixed field secret, some with a value not known yet. */
function cases(): { cases: Case[]; secretTexts: string[] } {
  const all: Case[] = [];
  const secretTexts: string[] = [];
  for (const spec of remediationSpecs) {
    const policy = policiesByName.get(spec.policy) as ResourcePolicy;
    const settings = generatedSettings(controlNamed(spec.control)).filter(spec.fixable);
    const drawn = sampleOf(
      fc.tuple(settings, fc.constantFrom("plain", "secret", "secretField", "unknown"), canaryWorkspaceId, fc.nat()),
      12,
    );
    drawn.forEach(([props, kind, workspaceId, pick], i) => {
      const name = `${spec.control.toLowerCase()}-${i}`;
      const fix = remediate(policy, props);
      if (!fix) throw new Error(`${spec.policy} made no fix on fixable settings ${JSON.stringify(props)}`);
      if (kind === "unknown") {
        const fields = Object.keys(props);
        const field = fields[pick % fields.length] as string;
        all.push({
          control: { control: spec.control, name, props: { ...props, [field]: unknownValue } },
          policy: spec.policy,
          secretFields: [],
          fullyFixed: false,
        });
        return;
      }
      if (kind === "secret") {
        // A secret the fix does not read: the fix is made, the workspace id stays hidden.
        secretTexts.push(workspaceId);
        const sent = { ...props, workspaceId: secretValue(workspaceId) };
        all.push({
          control: { control: spec.control, name, props: sent },
          policy: spec.policy,
          fix,
          secretFields: ["workspaceId"],
          fullyFixed: spec.fullyFixed(props),
        });
        return;
      }
      if (kind === "secretField") {
        // A fix of a secret field would show its value (it is fixed exactly when it is the wrong one): none is made.
        const [field] = Object.keys(fix) as [string];
        const sent = { ...props, [field]: secretValue(props[field]) };
        all.push({ control: { control: spec.control, name, props: sent }, policy: spec.policy, secretFields: [field], fullyFixed: false });
        return;
      }
      all.push({
        control: { control: spec.control, name, props },
        policy: spec.policy,
        fix,
        secretFields: [],
        fullyFixed: spec.fullyFixed(props),
      });
    });
  }
  return { cases: all, secretTexts };
}

describe("preview --remediate (generated program)", () => {
  const { cases: batch, secretTexts } = cases();

  it(
    "shows each fix as before/after of the changed properties, grades the fixed resources, fixes nothing on unknowns, leaks no secret",
    () => {
      const run = previewGenerated(
        batch.map((c) => c.control),
        ["--remediate"],
      );
      expect(run.report).toBeDefined();
      expect([0, 1]).toContain(run.exitCode);
      const remediations = (run.report as unknown as { remediations: ShownRemediation[] }).remediations;
      const findings = allFindings(run.report as NonNullable<typeof run.report>);
      // A value equal to a text some resource sent as a secret is hidden too, as everywhere in the report.
      // (Before and after: the fixed value of a secret field is a secret too.)
      const secretStrings = batch
        .flatMap((c) => c.secretFields.flatMap((field) => [(c.control.props[field] as { $secret: unknown }).$secret, c.fix?.[field]]))
        .filter((v): v is string => typeof v === "string");
      const shownAs = (value: unknown) =>
        typeof value === "string" && secretStrings.some((s) => s.toLowerCase() === value.toLowerCase()) ? { secret: true } : { value };
      const wrong: string[] = [];
      for (const c of batch) {
        const shown = remediations.filter((r) => r.resource === c.control.name);
        if (!c.fix) {
          if (shown.length > 0) wrong.push(`${c.control.name}: fixed though a value is unknown or the fix rests on a secret`);
          continue;
        }
        const expected = Object.entries(c.fix)
          .map(([field, after]) =>
            c.secretFields.includes(field)
              ? { field, before: { secret: true }, after: { secret: true } }
              : { field, before: shownAs(c.control.props[field]), after: shownAs(after) },
          )
          .sort((a, b) => a.field.localeCompare(b.field));
        if (shown.length !== 1 || shown[0]?.policy !== c.policy || JSON.stringify(shown[0]?.changes) !== JSON.stringify(expected)) {
          wrong.push(`${c.control.name}: expected ${JSON.stringify(expected)}, shown ${JSON.stringify(shown)}`);
        }
        const remaining = findings.filter((f) => f.resource === c.control.name && f.policy === c.policy && f.status === "needs_review");
        if (c.fullyFixed && remaining.length > 0) wrong.push(`${c.control.name}: still ${JSON.stringify(remaining.map((f) => f.message))}`);
      }
      expect(wrong).toEqual([]);
      expect(batch.filter((c) => c.fix && c.secretFields.length > 0).length).toBeGreaterThan(0);
      expect(batch.filter((c) => !c.fix && c.secretFields.length > 0).length).toBeGreaterThan(0);
      expect(batch.filter((c) => !c.fix).length).toBeGreaterThan(0);
      expect(secretTexts.filter((t) => run.stdout.includes(t) || run.stderr.includes(t))).toEqual([]);
    },
    GENERATED_RUN_TIMEOUT_MS,
  );

  it(
    "remediates under a profile too: a profile's levels are not the user's (the user's own level still wins)",
    () => {
      const controls: GeneratedControl[] = [
        {
          control: "PanRedaction",
          name: "cards",
          props: { workspaceId: "abc123xyz", enabled: true, creditCards: false, socialSecurityNumbers: false, channels: ["web"] },
        },
        {
          control: "LinkSafety",
          name: "links",
          props: {
            workspaceId: "abc123xyz",
            warnOnUntrustedLinks: false,
            warnOnMaliciousLinks: true,
            trustedDomains: [],
            blockedDomains: [],
          },
        },
      ];
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ihc-remediate-profile-"));
      try {
        const userFile = path.join(dir, "policy-config.json");
        fs.writeFileSync(userFile, JSON.stringify({ "intercom-link-safety-warnings": "advisory" }));
        const fixedBy = (args: string[]) =>
          (
            (previewGenerated(controls, ["--remediate", ...args]).report as unknown as { remediations?: ShownRemediation[] })
              .remediations ?? []
          )
            .map((r) => r.policy)
            .sort();
        expect(fixedBy(["--profile", "baseline"])).toEqual(["intercom-link-safety-warnings", "intercom-pan-redaction"]);
        expect(fixedBy(["--profile", "strict", "--policy-pack-config", userFile])).toEqual(["intercom-pan-redaction"]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    GENERATED_RUN_TIMEOUT_MS * 2,
  );

  it(
    "prints a Remediations block in the text report",
    () => {
      const controls: GeneratedControl[] = [
        {
          control: "PanRedaction",
          name: "cards",
          props: { workspaceId: "abc123xyz", enabled: true, creditCards: false, socialSecurityNumbers: false, channels: ["web"] },
        },
        {
          control: "LinkSafety",
          name: "links",
          props: {
            workspaceId: "abc123xyz",
            warnOnUntrustedLinks: false,
            warnOnMaliciousLinks: true,
            trustedDomains: [],
            blockedDomains: [],
          },
        },
      ];
      const run = previewGenerated(controls, ["--remediate"], { json: false });
      expect(run.stdout).toContain("Remediations");
      expect(run.stdout).toContain(`PanRedaction "cards" by intercom-pan-redaction\n    creditCards: false → true`);
      expect(run.stdout).toContain(`LinkSafety "links" by intercom-link-safety-warnings\n    warnOnUntrustedLinks: false → true`);
      // Without --remediate nothing is fixed and no block is printed.
      const plain = previewGenerated(controls, [], { json: false });
      expect(plain.stdout).not.toContain("Remediations");
    },
    GENERATED_RUN_TIMEOUT_MS,
  );
});
