/**
 * Literal credentials in Custom Actions over the Analyzer protocol. Generated credential-shaped headers and
 * credential-bearing URLs are sent to the compiled pack as a program registers them: plain (a literal in code) they
 * block; in a secret envelope of their own (headers.<name>, url) they pass. What the pack cannot tell from a literal
 * fails closed: an envelope around the whole headers object, and the former companion fields (secretHeaderNames,
 * urlGivenAsSecret), which a raw registration could forge and the schema now refuses. URLs that parsers read
 * differently are schema violations, and no other policy grades them. No generated value appears in any diagnostic.
 */
import { AnalyzerDiagnostic, CapturedResource, PolicyPackSession } from "../../cli/analyzer-client";
import { ambiguousUrl, credentialHeader, credentialUrl, safeHeaders, safeUrl } from "../support/credentials";
import { CONTROL_SCHEMA_POLICY, controlType, launchPinnedPack, secret, SETUP_TIMEOUT_MS, violationMessage } from "../support/engine";
import { sampleOf } from "../support/property";

const POLICY = "intercom-custom-action-no-literal-credentials";

/** A live action that every other Custom Action policy passes (identity, https, tested...). */
const baseProps = {
  workspaceId: "cred1234",
  name: "Order lookup",
  url: "https://api.example.com/orders",
  method: "GET",
  tokenId: "orders_token",
  audiences: ["users"],
  identityMatch: "email",
  state: "live",
  testedAt: "2026-10-15",
};

let counter = 0;

/** An action with these properties exactly as the engine sends them (secrets in their envelopes where given). */
function action(properties: Record<string, unknown>): CapturedResource {
  const name = `generated-action-${++counter}`;
  const type = controlType("CustomAction");
  return {
    type,
    name,
    urn: `urn:pulumi:dev::credentials::${type}::${name}`,
    properties: { ...baseProps, ...properties },
    custom: true,
    dependencies: [],
  };
}

describe("literal credentials in Custom Actions, over the Analyzer protocol", () => {
  let session: PolicyPackSession | undefined;
  const shown: AnalyzerDiagnostic[] = [];

  beforeAll(async () => {
    session = await launchPinnedPack();
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await session?.close();
  });

  async function diagnosticsFor(resource: CapturedResource): Promise<AnalyzerDiagnostic[]> {
    if (!session) throw new Error("setup failed");
    const diagnostics = await session.analyze(resource);
    shown.push(...diagnostics);
    return diagnostics;
  }

  async function credentialDiagnostics(resource: CapturedResource): Promise<AnalyzerDiagnostic[]> {
    return (await diagnosticsFor(resource)).filter((d) => d.policyName === POLICY);
  }

  const headerSamples = sampleOf(credentialHeader, 50);
  const urlSamples = sampleOf(credentialUrl, 40);
  const ambiguousSamples = sampleOf(ambiguousUrl, 40);
  const safe = sampleOf(safeHeaders, headerSamples.length);

  it("blocks every generated credential-shaped header written as a literal", async () => {
    for (const [i, [name, value]] of headerSamples.entries()) {
      const found = await credentialDiagnostics(action({ headers: { ...safe[i], [name]: value } }));
      expect(found.map((d) => [d.enforcementLevel, violationMessage(d)])).toEqual([
        ["mandatory", expect.stringMatching(/^Custom Action "Order lookup" carries a literal credential in a header: /)],
      ]);
    }
  });

  it("passes the same header values each sent in a secret envelope of its own", async () => {
    for (const [i, [name, value]] of headerSamples.entries()) {
      expect(await credentialDiagnostics(action({ headers: { ...safe[i], [name]: secret(value) } }))).toEqual([]);
    }
  });

  it("fails closed for one envelope around the whole headers object, even with the credential also in its own", async () => {
    for (const [name, value] of headerSamples.slice(0, 20)) {
      for (const headers of [
        secret({ Accept: "application/json", [name]: value }),
        secret({ Accept: "application/json", [name]: secret(value) }),
      ]) {
        const found = await credentialDiagnostics(action({ headers }));
        expect(found.map((d) => d.enforcementLevel)).toEqual(["mandatory"]);
        expect(violationMessage(found[0] as AnalyzerDiagnostic)).toMatch(/literal credential in a header/);
      }
    }
  });

  it("refuses the former companion fields as schema violations: forging them lets nothing through", async () => {
    for (const [name, value] of headerSamples.slice(0, 15)) {
      for (const forged of [
        { headers: { [name]: value }, secretHeaderNames: [name] },
        { headers: { [name]: value }, secretHeaderNames: secret([name]) },
        { headers: { [name]: value }, urlGivenAsSecret: true },
      ]) {
        const diagnostics = await diagnosticsFor(action(forged));
        expect(diagnostics.filter((d) => d.policyName === CONTROL_SCHEMA_POLICY).map((d) => d.enforcementLevel)).toEqual(["mandatory"]);
        expect(diagnostics.filter((d) => d.policyName === POLICY).map(violationMessage)).toEqual([expect.stringMatching(/^Not evaluated/)]);
      }
    }
  });

  it("blocks every generated credential-bearing URL written as a literal, and passes it sent as a secret", async () => {
    for (const { part, url } of urlSamples) {
      const literal = await credentialDiagnostics(action({ url }));
      expect(literal.length).toBeGreaterThan(0);
      expect(literal.every((d) => d.enforcementLevel === "mandatory")).toBe(true);
      expect(literal.map(violationMessage).join("\n")).toContain(part === "userinfo" ? "user-info" : part === "host" ? "host name" : part);
      expect(await credentialDiagnostics(action({ url: secret(url) }))).toEqual([]);
    }
  });

  it("refuses every generated ambiguous URL in the schema, plain or secret; no other policy grades it", async () => {
    for (const { url } of ambiguousSamples) {
      for (const sent of [url, secret(url)]) {
        const diagnostics = await diagnosticsFor(action({ url: sent }));
        const schema = diagnostics.filter((d) => d.policyName === CONTROL_SCHEMA_POLICY);
        expect(schema.map((d) => [d.enforcementLevel, violationMessage(d)])).toEqual([
          ["mandatory", expect.stringContaining("a URL every client reads alike")],
        ]);
        const others = diagnostics.filter((d) => d.policyName !== CONTROL_SCHEMA_POLICY);
        expect(others.length).toBeGreaterThan(0);
        expect(others.filter((d) => !violationMessage(d).startsWith("Not evaluated"))).toEqual([]);
      }
    }
  });

  it("passes ordinary headers, token references and ordinary URLs", async () => {
    const headers = sampleOf(safeHeaders, 40);
    const urls = sampleOf(safeUrl, 40);
    for (const [i, h] of headers.entries()) {
      expect(await credentialDiagnostics(action({ headers: h, url: urls[i] }))).toEqual([]);
    }
  });

  it("never shows a generated value in any diagnostic of any policy", () => {
    // Runs after the cases above, over everything they received.
    expect(shown.length).toBeGreaterThan(headerSamples.length);
    const text = JSON.stringify(shown.map((d) => [d.message, d.description, d.urn]));
    const values = [
      ...headerSamples.map(([, value]) => value),
      ...urlSamples.map(({ url }) => url),
      ...ambiguousSamples.map(({ url }) => url),
    ].filter((v) => v.length >= 12);
    expect(values.filter((value) => text.includes(value))).toEqual([]);
  });
});
