/**
 * Secret values never reach a message: not from a secret field, not from an invalid secret field,
 * not from a secret pasted into another field. Every policy of the pack runs on the stack.
 */
import { StackResource } from "../../core/stack-model";
import { customActionControl, messengerSecurityControl, ssoEnforcementControl } from "../../resources";
import { gradeAll, names, rawResource, secure, secureStack, summarize, withProps } from "../support/fixtures";

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
    rawResource(ssoEnforcementControl, "broken-sso", { ...secure.ssoEnforcement, saml: { ...secure.ssoEnforcement.saml, idpCertificate: secret, idpSsoUrl: "not a url" } }),
    rawResource(customActionControl, "broken-action", { ...secure.customAction, name: "Broken", headers: `Authorization: Bearer ${secret}` }),
    // The secret pasted into a non-secret field that fails its schema: redaction's second line.
    rawResource(messengerSecurityControl, "pasted-secret", { ...secure.webMessengerSecurity, apiSecret: secret, secretRotatedAt: secret, identityVerification: secret }),
  ];
}

describe("secret values never appear in a message", () => {
  const findings = gradeAll(canaryStack(canary));

  it("runs the pack on the canary stack and finds problems to talk about", () => {
    // Without non-secure findings the absence check below would prove nothing.
    expect(findings.filter((f) => f.status !== "secure").length).toBeGreaterThanOrEqual(5);
  });

  it("reports the literal Authorization header and API key, and the query parameter, naming none of them", () => {
    const messages = findings.filter((f) => f.policy === "intercom-custom-action-no-literal-credentials" && f.status === "needs_review").map((f) => f.message);
    expect(messages).toEqual(
      expect.arrayContaining([expect.stringContaining("literal credential in 2 headers"), expect.stringContaining("URL's query string (parameter 1)")]),
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
