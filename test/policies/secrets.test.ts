/**
 * Secret values never reach a message: not from a secret field, not from an invalid secret field,
 * not from a secret pasted into another field. Every policy of the pack runs on the stack.
 */
import fc from "fast-check";
import { evaluateResourcePolicy, evaluateStackPolicy, Finding, schemaFindings } from "../../core/evaluate";
import { StackModel, StackResource } from "../../core/stack-model";
import { resourcePolicies, stackPolicies } from "../../policies";
import { controlSchema } from "../../policies/configuration/control-schema";
import { allControls, customActionControl, messengerSecurityControl, ssoEnforcementControl } from "../../resources";
import { canary as canaryArbitrary, leaksIn, secretPathsOf, withValueAt } from "../support/canary";
import { gradeAll, names, now, rawResource, secure, secureSample, secureStack, summarize, withProps } from "../support/fixtures";
import { propertyParameters } from "../support/property";

const canary = "canary-SECRET-4f9a";

function canaryStack(secret: string): StackResource[] {
  let stack = secureStack({ handlesPhi: true, withMobile: true, withCustomAction: true });
  stack = withProps(stack, names.webMessenger, { apiSecret: secret });
  stack = withProps(stack, names.iosMessenger, { apiSecret: secret });
  stack = withProps(stack, names.sso, { saml: { ...secure.ssoEnforcement.saml, idpCertificate: secret } });
  stack = withProps(stack, names.customAction, {
    // The literal Authorization header must be reported, never quoted nor named.
    headers: { Authorization: `Bearer ${secret}`, "X-Api-Key": secret, "X-Trace": secret },
    url: `https://api.example.com/orders?api_key=${secret}`,
  });
  return [
    ...stack,
    // Invalid secret fields: a wrong type where the secret goes, and a secret's invalid parent.
    rawResource(messengerSecurityControl, "broken-android-messenger", { ...secure.androidMessengerSecurity, apiSecret: [secret] }),
    rawResource(ssoEnforcementControl, "broken-sso", {
      ...secure.ssoEnforcement,
      saml: { ...secure.ssoEnforcement.saml, idpCertificate: secret, idpSsoUrl: "not a url" },
    }),
    rawResource(customActionControl, "broken-action", {
      ...secure.customAction,
      name: "Broken",
      headers: `Authorization: Bearer ${secret}`,
    }),
    // The secret pasted into a non-secret field that fails its schema: redaction's second line.
    rawResource(messengerSecurityControl, "pasted-secret", {
      ...secure.webMessengerSecurity,
      apiSecret: secret,
      secretRotatedAt: secret,
      identityVerification: secret,
    }),
  ];
}

describe("secret values never appear in a message", () => {
  const findings = gradeAll(canaryStack(canary));

  it("runs the pack on the canary stack and finds problems to talk about", () => {
    // Without non-secure findings the absence check below would prove nothing.
    expect(findings.filter((f) => f.status !== "secure").length).toBeGreaterThanOrEqual(5);
  });

  it("reports the literal Authorization header and API key, and the query parameter, naming none of them", () => {
    const messages = findings
      .filter((f) => f.policy === "intercom-custom-action-no-literal-credentials" && f.status === "needs_review")
      .map((f) => f.message);
    // Header values are sensitive (redacted), not secret: the findings say where and what kind, never a name or value.
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining("literal credential in 2 headers"),
        expect.stringContaining("URL's query string (parameter 1)"),
      ]),
    );
    // Header names sit under a secret path: they are not shown either.
    expect(messages.join("\n")).not.toMatch(/Authorization|X-Api-Key|api_key/);
  });

  it("reports every invalid resource, hiding the secret", () => {
    const schema = findings.filter((f) => f.policy === "intercom-control-schema" && f.status === "needs_review");
    expect(schema.map((f) => f.urn)).toHaveLength(4);
    expect(schema.map((f) => f.message).join("\n")).toMatch(/hidden|\[secret\]/);
  });

  it("never includes the canary", () => {
    expect(summarize(findings).filter((line) => line.includes("canary") || line.includes("4f9a"))).toEqual([]);
  });

  // Regression: values in schema messages used to be cut to 60 characters before redaction, so a
  // long secret pasted into an invalid non-secret field no longer matched and its prefix leaked.
  it("never includes any part of a long secret pasted into an invalid non-secret field", () => {
    const longSecret = `${canary}-${"0123456789abcdef".repeat(5)}`;
    const lines = summarize(gradeAll(canaryStack(longSecret)));
    expect(lines.filter((line) => line.includes(canary))).toEqual([]);
  });
});

/** Every policy of the pack on a stack, with values known to have arrived as Pulumi secrets. */
function gradeAllWithSecrets(stack: readonly StackResource[], secrets: readonly string[]): Finding[] {
  const at = { now, secrets };
  const findings: Finding[] = [];
  for (const r of stack) {
    const definition = allControls.find((c) => c.typeToken === r.type);
    if (definition) findings.push(...schemaFindings(controlSchema.name, { name: r.name, urn: r.urn, props: r.props }, definition, secrets));
    for (const policy of resourcePolicies) {
      if (policy.control.typeToken !== r.type) continue;
      findings.push(...(evaluateResourcePolicy(policy, { name: r.name, urn: r.urn, props: r.props }, at) ?? []));
    }
  }
  const model = StackModel.build(stack, allControls);
  for (const policy of stackPolicies) findings.push(...evaluateStackPolicy(policy, model, at));
  return findings;
}

const secretPaths = secretPathsOf(allControls);
const headerName = fc.stringMatching(/^X-[A-Z][a-z]{2,8}$/);

/**
 * The canary at a secret path, in every shape a program could send there: as it belongs, as a
 * list, as an object whose keys and values are canaries, and beside a schema problem elsewhere
 * (so the schema check writes a message about the resource). None arrives marked secret here.
 */
function atSecretPaths(secret: string, header: string): StackResource[] {
  return secretPaths.flatMap(({ control, path }, i) => {
    const base = secureSample(control);
    const shapes: Array<[string, unknown]> = [
      ["as-given", secret],
      ["listed", [secret, secret.toUpperCase()]],
      ["keyed", { [secret]: secret, nested: { [secret.toLowerCase()]: [secret] } }],
      ["number-like", secret.length],
    ];
    return shapes.flatMap(([shape, value]) => {
      const props = withValueAt(base, path, value, header);
      return [
        rawResource(control, `${control.name}-${i}-${shape}`, props),
        rawResource(control, `${control.name}-${i}-${shape}-broken`, { ...props, notAField: "unexpected" }),
      ];
    });
  });
}

/**
 * The canary as a Pulumi secret in every other field of every control: string fields hold it,
 * lists hold it as an entry, other fields (enums, booleans, numbers, objects) become invalid with
 * it. Policies quote such values (domains, identity attributes, URLs), normalised or in part.
 */
function inOtherFields(secret: string): StackResource[] {
  return allControls.flatMap((control) => {
    const base = secureSample(control);
    return Object.keys(control.schema.shape)
      .filter((field) => field !== "workspaceId" && !control.secretPaths.some((p) => p.split(".")[0] === field))
      .map((field) => {
        const current = base[field];
        const value = Array.isArray(current) ? [secret, ...current] : secret;
        return rawResource(control, `${control.name}-${field}-pasted`, { ...base, [field]: value });
      });
  });
}

describe("generated canaries: nothing derived from a secret reaches a message", () => {
  it("at every secret path of every control, in any shape, marked secret or not", () => {
    expect(secretPaths.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(canaryArbitrary, headerName, (secret, header) => {
        const findings = gradeAll([...secureStack({ withCustomAction: true }), ...atSecretPaths(secret, header)]);
        // Schema problems were found at the secret paths, so there were messages to leak into.
        expect(findings.filter((f) => f.policy === controlSchema.name && f.status === "needs_review").length).toBeGreaterThan(
          secretPaths.length,
        );
        expect(
          leaksIn(
            findings.map((f) => f.message),
            [secret],
          ),
        ).toEqual([]);
      }),
      propertyParameters(25),
    );
  });

  it("as a Pulumi secret in any other field, whatever policies derive from it", () => {
    fc.assert(
      fc.property(canaryArbitrary, (secret) => {
        const findings = gradeAllWithSecrets([...secureStack({ withCustomAction: true }), ...inOtherFields(secret)], [secret]);
        expect(findings.filter((f) => f.status !== "secure").length).toBeGreaterThan(0);
        expect(
          leaksIn(
            findings.map((f) => f.message),
            [secret],
          ),
        ).toEqual([]);
      }),
      propertyParameters(25),
    );
  });

  it("messages about a secret field name the field", () => {
    const secret = "canary-Named-Field-77aa";
    const findings = gradeAll(atSecretPaths(secret, "X-Canary"));
    const schemaMessages = findings.filter((f) => f.policy === controlSchema.name && f.status === "needs_review").map((f) => f.message);
    for (const { path } of secretPaths) {
      const shown = path.replace("*", "X-Canary");
      expect(schemaMessages.some((m) => m.includes(`field ${shown}: got a secret value (hidden)`))).toBe(true);
    }
  });
});
