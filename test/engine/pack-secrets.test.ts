/**
 * Secrets over the protocol. The engine sends secrets in Pulumi's secret form and the policy SDK unwraps them before a
 * policy runs, so a policy cannot tell a secret from any other value. Canary values are sent as secrets in
 * secret-bearing fields and in ordinary fields whose values policies quote; no diagnostic of Analyze or AnalyzeStack
 * may contain a canary, and the violations must still be reported.
 */
import fc from "fast-check";
import { AnalyzerDiagnostic, CapturedResource, PolicyPackSession } from "../../cli/analyzer-client";
import { canary, canaryPlacements, canaryWorkspaceId, headerName, leaksIn, secretWorkspacePlacements } from "../support/canary";
import {
  analyzeChange,
  analyzeEverything,
  captureExample,
  ChangedStack,
  CONTROL_SCHEMA_POLICY,
  controlType,
  findResource,
  launchPinnedPack,
  mutateResource,
  newResource,
  secret,
  SETUP_TIMEOUT_MS,
  violationMessage,
} from "../support/engine";
import { sampleOf } from "../support/property";

/** Every text of a diagnostic that reaches a user: what must never contain a canary. */
function shownText(diagnostics: readonly AnalyzerDiagnostic[]): string {
  return JSON.stringify(diagnostics.map((d) => ({ message: d.message, description: d.description, urn: d.urn, policy: d.policyName })));
}

interface SecretCase {
  name: string;
  change: (resources: readonly CapturedResource[]) => Required<ChangedStack>;
  /** Strings that must appear in no diagnostic. */
  canaries: string[];
  /** Violations that must still be reported (mandatory), from Analyze of the changed resource or AnalyzeStack. */
  reported: Array<{ policy: string; via: "analyze" | "stack"; message: RegExp }>;
  /** Left out of the all-at-once run: it changes a field another case changes, or is checked on its own. */
  alone?: true;
}

const API_SECRET = "canary-messenger-api-secret-6d1f0c";
const IDP_CERTIFICATE = "-----BEGIN CERTIFICATE-----\ncanary-idp-certificate-42aa\n-----END CERTIFICATE-----";
const AUTHORIZATION = "Bearer canary-literal-credential-9b7e";
const API_KEY = "canary-api-key-value-0c3d";
const SECRET_DOMAIN = "canary-secret-domain.example";
const SECRET_BAD_DOMAIN = "https://canary-secret-bad-domain.example";
const SECRET_IP_ENTRY = "canary-ip-allowlist-entry";
const SECRET_IDENTITY_MATCH = "canary_identity_match_attribute";
const SECRET_BAD_ENUM = "canary-bad-enum";
const SECRET_BAD_TYPE = 8675309123;

const cases: SecretCase[] = [
  {
    name: "MessengerSecurity.apiSecret (a secret-bearing field), on a Messenger that is not enforced",
    change: (r) =>
      mutateResource(r, { control: "MessengerSecurity", name: "acme-messenger-web" }, (p) => {
        p["apiSecret"] = secret(API_SECRET);
        p["enforced"] = false;
      }),
    canaries: [API_SECRET],
    reported: [
      { policy: "intercom-web-identity-verification", via: "analyze", message: /not enforced/ },
      { policy: "intercom-custom-action-protected-match", via: "stack", message: /web identity verification is not enforced/ },
    ],
  },
  {
    name: "SsoEnforcement.saml.idpCertificate (a secret-bearing nested field), with SSO not required and unsigned assertions",
    change: (r) =>
      mutateResource(r, { control: "SsoEnforcement" }, (p) => {
        p["samlSso"] = "allowed";
        p["saml"] = { ...(p["saml"] as Record<string, unknown>), idpCertificate: secret(IDP_CERTIFICATE), signedAssertions: false };
      }),
    canaries: ["canary-idp-certificate-42aa"],
    reported: [
      { policy: "intercom-sso-required", via: "analyze", message: /No SSO is required/ },
      { policy: "intercom-saml-signed-assertions", via: "analyze", message: /signedAssertions: false/ },
    ],
  },
  {
    name: "CustomAction headers as the resource stores them (the whole object secret), with a literal Authorization credential",
    change: (r) =>
      mutateResource(r, { control: "CustomAction" }, (p) => {
        p["headers"] = secret({ Accept: "application/json", Authorization: AUTHORIZATION, "X-Api-Key": API_KEY });
      }),
    canaries: [AUTHORIZATION, "canary-literal-credential-9b7e", API_KEY],
    reported: [
      // Authorization and X-Api-Key: one finding for both, naming neither (header names are secret too).
      {
        policy: "intercom-custom-action-no-literal-credentials",
        via: "analyze",
        message: /the finding rests on secret values \(headers\), so it is not described further/,
      },
    ],
  },
  {
    // Authorization in a secret of its own is accepted; the literal X-Api-Key beside it is
    // reported, and hidden like every header value (a sensitive path) though sent plain.
    name: "CustomAction header values: one secret of its own, one literal credential",
    alone: true,
    change: (r) =>
      mutateResource(r, { control: "CustomAction" }, (p) => {
        p["headers"] = { Accept: "application/json", Authorization: secret(AUTHORIZATION), "X-Api-Key": API_KEY };
      }),
    canaries: [AUTHORIZATION, "canary-literal-credential-9b7e", API_KEY],
    reported: [
      {
        policy: "intercom-custom-action-no-literal-credentials",
        via: "analyze",
        message: /the finding rests on secret values \(headers\), so it is not described further/,
      },
    ],
  },
  {
    name: 'a trusted-domain list sent as a secret, the canary domain together with "*"',
    change: (r) =>
      mutateResource(r, { control: "MessengerDomainRestriction" }, (p) => {
        p["trustedDomains"] = secret([SECRET_DOMAIN, "*"]);
      }),
    canaries: [SECRET_DOMAIN],
    // "*" was sent as a secret too: the violation is reported, the entry hidden like any secret.
    reported: [
      { policy: "intercom-messenger-trusted-domains", via: "analyze", message: /the finding rests on secret values \(trustedDomains\)/ },
    ],
  },
  {
    name: "a secret trusted domain that is itself a violation (a scheme)",
    alone: true,
    change: (r) =>
      mutateResource(r, { control: "MessengerDomainRestriction" }, (p) => {
        p["trustedDomains"] = ["www.acme.example.com", secret(SECRET_BAD_DOMAIN)];
      }),
    canaries: [SECRET_BAD_DOMAIN, "canary-secret-bad-domain"],
    reported: [
      { policy: "intercom-messenger-trusted-domains", via: "analyze", message: /the finding rests on secret values \(trustedDomains\)/ },
    ],
  },
  {
    name: "secret IP allowlist entries (one malformed, one admitting everyone)",
    change: (r) =>
      mutateResource(r, { control: "IpAllowlist", name: "acme-dashboard-ips" }, (p) => {
        p["entries"] = ["203.0.113.0/24", secret(SECRET_IP_ENTRY), secret("0.0.0.0/0")];
      }),
    canaries: [SECRET_IP_ENTRY, "0.0.0.0/0"],
    reported: [
      { policy: "intercom-ip-allowlist-entries", via: "analyze", message: /the finding rests on secret values \(entries\)/ },
      { policy: "intercom-ip-allowlist-entries", via: "analyze", message: /IpAllowlist "[^"]+": the finding rests/ },
    ],
  },
  {
    name: "a secret CustomAction identityMatch",
    change: (r) =>
      mutateResource(r, { control: "CustomAction" }, (p) => {
        p["identityMatch"] = secret(SECRET_IDENTITY_MATCH);
      }),
    canaries: [SECRET_IDENTITY_MATCH],
    reported: [
      { policy: "intercom-custom-action-identity-match", via: "analyze", message: /the finding rests on secret values \(identityMatch\)/ },
      { policy: "intercom-custom-action-protected-match", via: "stack", message: /which is not declared protected from Messenger writes/ },
    ],
  },
  {
    name: "a schema-invalid value in secret form (enforcement: secret(canary-bad-enum))",
    change: (r) =>
      mutateResource(r, { control: "TwoFactorAuthentication" }, (p) => {
        p["enforcement"] = secret(SECRET_BAD_ENUM);
      }),
    canaries: [SECRET_BAD_ENUM],
    reported: [
      { policy: CONTROL_SCHEMA_POLICY, via: "analyze", message: /field enforcement: got .*; allowed: "off", "optional", "required"/ },
    ],
  },
  {
    name: "a wrongly typed secret-bearing field (idpCertificate as a number)",
    alone: true,
    change: (r) =>
      mutateResource(r, { control: "SsoEnforcement" }, (p) => {
        (p["saml"] as Record<string, unknown>)["idpCertificate"] = secret(SECRET_BAD_TYPE);
      }),
    canaries: [String(SECRET_BAD_TYPE)],
    reported: [{ policy: CONTROL_SCHEMA_POLICY, via: "analyze", message: /field saml\.idpCertificate: got .*; expected string/ }],
  },
  {
    name: "a secret too long to be quoted in full (a message quotes a shortened value)",
    alone: true,
    change: (r) =>
      mutateResource(r, { control: "CustomAction" }, (p) => {
        p["identityMatch"] = secret(`canary_long_secret_${"q".repeat(70)}`);
      }),
    // Any part of it is a leak: the shortened quote shows its first ~60 characters.
    canaries: ["canary_long_secret_"],
    reported: [
      { policy: "intercom-custom-action-identity-match", via: "analyze", message: /the finding rests on secret values \(identityMatch\)/ },
    ],
  },
  {
    name: "a secret URL whose host a message names (MobileSdk.apiEndpoint)",
    alone: true,
    change: (r) =>
      mutateResource(r, { control: "MobileSdk", name: "acme-ios" }, (p) => {
        p["apiEndpoint"] = secret("http://canary-proxy-host.example.net/sdk");
      }),
    // The host is part of the secret: naming it shows part of the secret.
    canaries: ["canary-proxy-host"],
    reported: [{ policy: "intercom-mobile-api-endpoint", via: "analyze", message: /the finding rests on secret values \(apiEndpoint\)/ }],
  },
];

describe("secrets sent to the compiled pack never appear in a diagnostic", () => {
  let session: PolicyPackSession | undefined;
  let secure: CapturedResource[] = [];

  beforeAll(async () => {
    const [launched, captured] = await Promise.all([launchPinnedPack(), captureExample("secure-workspace")]);
    session = launched;
    secure = captured;
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await session?.close();
  });

  function pack(): PolicyPackSession {
    if (!session) {
      throw new Error("setup failed");
    }
    return session;
  }

  it("sends the canaries in Pulumi's secret form, as the engine would", () => {
    const change = cases[0]?.change(secure);
    expect(change?.resource.properties["apiSecret"]).toEqual({
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      value: API_SECRET,
    });
    // The captured example already carries its secret-bearing fields in that form.
    expect(findResource(secure, { control: "SsoEnforcement" }).properties["saml"]).toMatchObject({
      idpCertificate: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" },
    });
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const change = c.change(secure);
    const verdict = await analyzeChange(pack(), change);
    for (const expected of c.reported) {
      expect(expected.via === "analyze" ? verdict.analyze : verdict.stack).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            policyName: expected.policy,
            enforcementLevel: "mandatory",
            message: expect.stringMatching(expected.message),
          }),
        ]),
      );
    }
    const shown = shownText(verdict.all);
    for (const canary of c.canaries) {
      expect(shown).not.toContain(canary);
    }
  });

  it("leaks no canary when every one of them is in the stack at once, Analyze of every resource and AnalyzeStack", async () => {
    const together = cases.filter((c) => !c.alone);
    let resources = secure;
    for (const c of together) {
      resources = c.change(resources).resources;
    }
    const canaries = together.flatMap((c) => c.canaries);
    // Every canary really is in what is sent (no case undid another).
    for (const canary of canaries) {
      expect(JSON.stringify(resources)).toContain(JSON.stringify(canary).slice(1, -1));
    }
    const verdict = await analyzeEverything(pack(), resources);
    expect(verdict.all.length).toBeGreaterThan(0);
    const shown = shownText(verdict.all);
    for (const canary of canaries) {
      expect(shown).not.toContain(canary);
    }
    // Messages that had to mention a secret value say so instead of showing it.
    expect(verdict.all.map(violationMessage).some((m) => m.includes("[secret]") || m.includes("secret value (hidden)"))).toBe(true);
  });
});

/**
 * Generated canaries (test/support/canary.ts) at every secret path of every control, marked secret and not, in every
 * shape, and as secrets in every other field and as workspace ids: everything is sent over the protocol at once.
 */
describe("generated canary secrets over the Analyzer protocol", () => {
  let session: PolicyPackSession | undefined;
  let secure: CapturedResource[] = [];

  beforeAll(async () => {
    const [launched, captured] = await Promise.all([launchPinnedPack(), captureExample("secure-workspace")]);
    session = launched;
    secure = captured;
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await session?.close();
  });

  it("no diagnostic of Analyze or AnalyzeStack shows a canary, or any form of it, in its message or description", async () => {
    if (!session) {
      throw new Error("setup failed");
    }
    const samples = sampleOf(fc.tuple(canary, headerName, canaryWorkspaceId), 6);
    const placements = samples.flatMap(([value, header, workspaceId], i) => [
      ...canaryPlacements(value, header, `canary${i}`, secret),
      ...secretWorkspacePlacements(workspaceId, `canary${i}`, secret),
    ]);
    const resources = [...secure, ...placements.map((p) => newResource(secure, controlType(p.control.name), p.name, p.props))];
    const verdict = await analyzeEverything(session, resources);
    // The generated resources were graded and talked about (so the absence below means something).
    const aboutCanaries = verdict.all.filter((d) => d.urn.includes("::canary"));
    expect(aboutCanaries.filter((d) => d.policyName === CONTROL_SCHEMA_POLICY).length).toBeGreaterThan(samples.length * 10);
    expect(new Set(aboutCanaries.map((d) => d.policyName)).size).toBeGreaterThan(10);
    const shown = verdict.all.flatMap((d) => [d.message, d.description]);
    expect(
      leaksIn(
        shown,
        samples.flatMap(([value, , workspaceId]) => [value, workspaceId]),
      ),
    ).toEqual([]);
  });
});
