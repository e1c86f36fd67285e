/**
 * Pulumi's `remediate` enforcement level over the Remediate RPC, through the compiled pack, as the
 * engine drives it: Remediate first, then Analyze on the properties it returned. Generated
 * controls: a fixable one comes back fixed (Analyze then finds the policy's problem gone) with only
 * the policy's declared fields changed; nothing else comes back; no remediation ever touches a
 * field that decides who can sign in or reach the workspace; a value not known yet means no fix;
 * a secret stays a secret and its value is never echoed, and no fix rests on a secret value.
 */
import fc from "fast-check";
import { CapturedResource, PolicyPackSession } from "../../cli/analyzer-client";
import { ResourcePolicy } from "../../core/policy";
import { remediatingPolicies } from "../../core/remediation";
import { resourcePolicies } from "../../policies";
import { allControls } from "../../resources";
import { canaryWorkspaceId } from "../support/canary";
import {
  controlType,
  launchPinnedPack,
  newResource,
  secret,
  SECRET_SIGNATURE,
  SECRET_SIGNATURE_KEY,
  SETUP_TIMEOUT_MS,
  UNKNOWN,
} from "../support/engine";
import { sampleOf } from "../support/property";
import { unwrapSecrets } from "../support/unknowns";
import { canonicalJson, changedFields, controlNamed, generatedSettings, lockoutFields, remediationSpecs } from "../support/remediation";

const root: CapturedResource = {
  type: "pulumi:pulumi:Stack",
  name: "remediate-dev",
  urn: "urn:pulumi:dev::remediate::pulumi:pulumi:Stack::remediate-dev",
  properties: {},
  custom: false,
};

const policiesByName = new Map(resourcePolicies.map((p) => [p.name, p]));
const remediatingNames = remediatingPolicies(resourcePolicies).map((p) => p.name);

function resourceOf(control: string, name: string, props: Record<string, unknown>): CapturedResource {
  return newResource([root], controlType(control), name, props);
}

/** Generated settings of the spec's control: half drawn from the fixable class, half from all settings. */
function samplesFor(spec: (typeof remediationSpecs)[number], count: number): Record<string, unknown>[] {
  const settings = generatedSettings(controlNamed(spec.control));
  return sampleOf(fc.oneof(settings.filter(spec.fixable), settings), count);
}

function isSecretOnWire(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SECRET_SIGNATURE_KEY] === SECRET_SIGNATURE;
}

describe("remediation over the Remediate RPC (generated controls)", () => {
  let session: PolicyPackSession | undefined;

  beforeAll(async () => {
    // Every policy at `remediate`: the ones that do not remediate must return nothing.
    session = await launchPinnedPack({ config: { all: "remediate" } });
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await session?.close();
  });

  it.each(remediationSpecs.map((s) => [s.policy, s] as const))(
    "%s: fixes exactly the fixable class, changing only its declared fields, and Analyze then finds the problem gone",
    async (_name, spec) => {
      if (!session) throw new Error("setup failed");
      const policy = policiesByName.get(spec.policy) as ResourcePolicy;
      const wrong: string[] = [];
      let fixed = 0;
      for (const [i, props] of samplesFor(spec, 40).entries()) {
        const resource = resourceOf(spec.control, `fix-${i}`, props);
        const { remediations } = await session.remediate(resource);
        const own = remediations.filter((r) => r.policyName === spec.policy);
        const others = remediations.filter((r) => r.policyName !== spec.policy);
        if (others.length > 0) wrong.push(`${JSON.stringify(props)}: remediated by ${others.map((r) => r.policyName).join(", ")}`);
        if (!spec.fixable(props)) {
          if (own.length > 0) wrong.push(`${JSON.stringify(props)}: remediated though not fixable`);
          continue;
        }
        const properties = own[0]?.properties;
        if (own.length !== 1 || !properties || own[0]?.diagnostic) {
          wrong.push(`${JSON.stringify(props)}: expected one fix, got ${JSON.stringify(own)}`);
          continue;
        }
        fixed++;
        const changed = changedFields(props, properties);
        if (changed.length === 0 || changed.some((f) => !(policy.remediates ?? []).includes(f as never))) {
          wrong.push(`${JSON.stringify(props)}: changed ${changed.join(", ")}`);
        }
        const violationsOf = async (r: CapturedResource) =>
          (await session!.analyze(r)).filter((d) => d.policyName === spec.policy).map((d) => d.message);
        const before = await violationsOf(resource);
        const after = await violationsOf({ ...resource, properties });
        if (after.length >= before.length || after.some((m) => !before.includes(m))) {
          wrong.push(`${JSON.stringify(props)}: violations ${JSON.stringify(before)} became ${JSON.stringify(after)}`);
        }
        if (spec.fullyFixed(props) && after.length > 0) wrong.push(`${JSON.stringify(props)}: still ${JSON.stringify(after)}`);
      }
      expect(wrong).toEqual([]);
      expect(fixed).toBeGreaterThanOrEqual(10);
    },
  );

  it("never touches a field that decides who can sign in or reach the workspace, on any control", async () => {
    if (!session) throw new Error("setup failed");
    const wrong: string[] = [];
    let remediated = 0;
    for (const control of allControls) {
      const lockout = lockoutFields[control.name] ?? [];
      for (const [i, props] of sampleOf(generatedSettings(control), 15).entries()) {
        const { remediations } = await session.remediate(resourceOf(control.name, `lockout-${i}`, props));
        let current = props;
        for (const remediation of remediations) {
          if (!remediatingNames.includes(remediation.policyName)) wrong.push(`${remediation.policyName} remediated ${control.name}`);
          if (!remediation.properties) continue;
          remediated++;
          const touched = changedFields(current, remediation.properties).filter((f) => lockout.includes(f));
          if (touched.length > 0) wrong.push(`${remediation.policyName} changed ${touched.join(", ")} of ${JSON.stringify(props)}`);
          current = remediation.properties;
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(remediated).toBeGreaterThan(0);
  });

  it("returns nothing when any field is not known yet (no fix, no diagnostic)", async () => {
    if (!session) throw new Error("setup failed");
    const wrong: string[] = [];
    for (const spec of remediationSpecs) {
      const settings = generatedSettings(controlNamed(spec.control)).filter(spec.fixable);
      for (const [i, [props, pick]] of sampleOf(fc.tuple(settings, fc.nat()), 15).entries()) {
        const fields = Object.keys(props);
        const field = fields[pick % fields.length] as string;
        const { remediations } = await session.remediate(resourceOf(spec.control, `unknown-${i}`, { ...props, [field]: UNKNOWN }));
        if (remediations.length > 0) wrong.push(`${spec.policy} with ${field} unknown: ${JSON.stringify(remediations)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("keeps every secret a secret, makes no fix when the field it fixes is secret, and never echoes a secret value", async () => {
    if (!session) throw new Error("setup failed");
    const wrong: string[] = [];
    const secretTexts: string[] = [];
    let [fixedWithSecrets, refused] = [0, 0];
    for (const spec of remediationSpecs) {
      const policy = policiesByName.get(spec.policy) as ResourcePolicy;
      const settings = generatedSettings(controlNamed(spec.control)).filter(spec.fixable);
      const cases = sampleOf(fc.tuple(settings, canaryWorkspaceId, fc.subarray([...(policy.remediates ?? [])])), 10);
      for (const [i, [props, workspaceId, secretFields]] of cases.entries()) {
        secretTexts.push(workspaceId);
        const sent: Record<string, unknown> = { ...props, workspaceId: secret(workspaceId) };
        for (const field of secretFields) if (field in props) sent[field] = secret(props[field]);
        // A secret nested in a field the fix does not touch (the SAML certificate) comes back as sent.
        const saml = props["saml"] as Record<string, unknown> | undefined;
        if (saml) sent["saml"] = { ...saml, idpCertificate: secret(saml["idpCertificate"]) };
        const { remediations } = await session.remediate(resourceOf(spec.control, `secret-${i}`, sent));
        const properties = remediations.find((r) => r.policyName === spec.policy)?.properties;
        // Fixed exactly when it is the wrong value, a secret field's fix would show that value: none is made.
        if (secretFields.some((field) => field in props)) {
          if (remediations.length > 0) wrong.push(`${spec.policy}: fixed a secret field of ${JSON.stringify(sent)}`);
          refused++;
          continue;
        }
        if (!properties) {
          wrong.push(`${spec.policy}: no fix for ${JSON.stringify(sent)}`);
          continue;
        }
        fixedWithSecrets++;
        for (const [field, value] of Object.entries(sent)) {
          if (isSecretOnWire(value) && !isSecretOnWire(properties[field])) wrong.push(`${spec.policy}: ${field} came back not secret`);
        }
        const untouched = Object.keys(sent).filter((field) => !(policy.remediates ?? []).includes(field as never));
        for (const field of untouched) {
          if (canonicalJson(properties[field]) !== canonicalJson(sent[field])) wrong.push(`${spec.policy}: ${field} changed`);
        }
        // The fix itself was made, under the secret envelope where the field was secret.
        const changed = changedFields(unwrapSecrets(sent) as Record<string, unknown>, unwrapSecrets(properties) as Record<string, unknown>);
        if (changed.length === 0 || changed.some((f) => !(policy.remediates ?? []).includes(f as never))) {
          wrong.push(`${spec.policy}: fixed ${changed.join(", ")} of ${JSON.stringify(sent)}`);
        }
        const text = JSON.stringify(remediations.map((r) => [r.description, r.diagnostic ?? ""]));
        if (text.includes(workspaceId)) wrong.push(`${spec.policy}: echoed the secret workspace id`);
      }
    }
    expect(wrong).toEqual([]);
    expect([fixedWithSecrets > 0, refused > 0]).toEqual([true, true]);
    const packOutput = session.stdout + session.stderr;
    expect(secretTexts.filter((t) => packOutput.includes(t))).toEqual([]);
  });

  it("leaves a resource an unexpired exception waives (by URN, or by workspace and name), and fixes it once the exception expired", async () => {
    if (!session) throw new Error("setup failed");
    const accountable = {
      justification: "Card numbers never reach this legacy inbox.",
      owner: "alice@example.com",
      approver: "bob@example.com",
    };
    const wrong: string[] = [];
    try {
      for (const spec of remediationSpecs) {
        const [props] = sampleOf(generatedSettings(controlNamed(spec.control)).filter(spec.fixable), 1) as [Record<string, unknown>];
        const resource = resourceOf(spec.control, "waived", props);
        const byUrn = { urn: resource.urn };
        const byName = { workspace: props["workspaceId"], resource: resource.name };
        for (const [label, target, expires, fixed] of [
          ["urn, unexpired", byUrn, "2027-01-15", false],
          ["workspace and name, unexpired", byName, "2027-01-15", false],
          ["urn, expired", byUrn, "2026-11-01", true],
        ] as const) {
          await session.configure({
            all: "remediate",
            [spec.policy]: { enforcementLevel: "remediate", exceptions: [{ ...target, ...accountable, expires }] },
          } as never);
          const own = (await session.remediate(resource)).remediations.filter((r) => r.policyName === spec.policy);
          if (own.length > 0 !== fixed) wrong.push(`${spec.policy} (${label}): ${own.length > 0 ? "fixed" : "not fixed"}`);
        }
      }
    } finally {
      await session.configure({ all: "remediate" });
    }
    expect(wrong).toEqual([]);
  });

  it("remediates nothing at the policies' own levels: remediate is never a default", async () => {
    if (!session) throw new Error("setup failed");
    await session.configure({});
    try {
      const wrong: string[] = [];
      for (const spec of remediationSpecs) {
        const [props] = sampleOf(generatedSettings(controlNamed(spec.control)).filter(spec.fixable), 1);
        const result = await session.remediate(resourceOf(spec.control, "default-level", props as Record<string, unknown>));
        if (result.remediations.length > 0) wrong.push(spec.policy);
      }
      expect(wrong).toEqual([]);
    } finally {
      await session.configure({ all: "remediate" });
    }
  });
});
