/**
 * The generated JSON Schemas (scripts/generate.ts) are what tools outside TypeScript validate
 * with, so they must agree with the zod schemas they come from: a value zod accepts, they accept;
 * a value zod rejects (wrong type, unknown enum value, missing field...), they reject.
 */
import * as fs from "fs";
import * as path from "path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { z } from "zod";
import { governanceKeys } from "../core/exceptions";
import { floorsOf } from "../core/floors";
import { allPolicies } from "../policies";
import { allControls } from "../resources";
import { controlSchemaId, generatedFiles, JsonSchema } from "../scripts/generate";
import { invalidPropsFor, secureSample } from "./support/fixtures";

const root = path.join(__dirname, "..");
const files = generatedFiles();

function generated(file: string): JsonSchema {
  const text = files.get(file);
  if (text === undefined) throw new Error(`${file} is not generated`);
  return JSON.parse(text) as JsonSchema;
}

function newAjv(): Ajv2020 {
  // strict: an unknown keyword or format is an error, not silently ignored. The x- keywords are
  // this project's annotations; the discriminator is OpenAPI's, which Ajv supports on request.
  const ajv = new Ajv2020({ strict: true, allErrors: true, discriminator: true });
  addFormats(ajv);
  ajv.addVocabulary(["x-pulumi-type", "x-secret-paths", "x-sensitive-paths", "x-identity-fields", "x-floor"]);
  return ajv;
}

const ajv = newAjv();
for (const control of allControls) ajv.addSchema(generated(`schemas/${control.name}.schema.json`));

function ajvAccepts(schemaId: string, value: unknown): boolean {
  const validate = ajv.getSchema(schemaId);
  if (!validate) throw new Error(`No schema ${schemaId}`);
  return validate(value) as boolean;
}

const ws = "ab12cd34ef";

/**
 * Per control: settings zod accepts and settings it rejects. Left out on purpose, as JSON Schema
 * cannot say them: a regex that does not compile (PanRedaction customRules pattern) and a date
 * that matches the ISO shape but is not a calendar date.
 */
const samples: Record<string, { valid: Record<string, unknown>[]; invalid: Record<string, unknown>[] }> = {
  Workspace: {
    valid: [
      { workspaceId: ws, name: "Acme", region: "us" },
      { workspaceId: ws, name: "Acme", region: "eu", securityContactEmail: "security@acme.example.com", handlesPhi: true },
    ],
    invalid: [
      { workspaceId: ws, name: "Acme", region: "uk" },
      { workspaceId: "AB-12", name: "Acme", region: "us" },
      { workspaceId: ws, region: "us" },
      { workspaceId: ws, name: "", region: "us" },
      { workspaceId: ws, name: "Acme", region: "us", handlesPhi: "yes" },
      { workspaceId: ws, name: "Acme", region: "us", securityContactEmail: "not-an-email" },
      { workspaceId: ws, name: "Acme", region: "us", plan: "enterprise" },
    ],
  },
  SsoEnforcement: {
    valid: [
      { workspaceId: ws, googleSignIn: "required", samlSso: "off", emailPasswordSignIn: false },
      {
        workspaceId: ws,
        googleSignIn: "off",
        samlSso: "required",
        emailPasswordSignIn: false,
        saml: { idpEntityId: "idp", idpSsoUrl: "https://idp.example.com/sso", idpCertificate: "cert", signedAssertions: true },
        scimProvisioning: true,
      },
    ],
    invalid: [
      { workspaceId: ws, googleSignIn: "mandatory", samlSso: "off", emailPasswordSignIn: false },
      { workspaceId: ws, googleSignIn: "required", samlSso: "off", emailPasswordSignIn: "false" },
      { workspaceId: ws, googleSignIn: "required", samlSso: "off" },
      {
        workspaceId: ws,
        googleSignIn: "off",
        samlSso: "required",
        emailPasswordSignIn: false,
        saml: { idpEntityId: "idp", idpSsoUrl: "https://idp.example.com/sso", idpCertificate: "cert" },
      },
      {
        workspaceId: ws,
        googleSignIn: "off",
        samlSso: "required",
        emailPasswordSignIn: false,
        saml: { idpEntityId: "idp", idpSsoUrl: "ftp://idp.example.com/sso", idpCertificate: "cert", signedAssertions: true },
      },
      {
        workspaceId: ws,
        googleSignIn: "off",
        samlSso: "required",
        emailPasswordSignIn: false,
        saml: { idpEntityId: "idp", idpSsoUrl: "not a url", idpCertificate: "cert", signedAssertions: true },
      },
    ],
  },
  TwoFactorAuthentication: {
    valid: [{ workspaceId: ws, enforcement: "required" }],
    invalid: [{ workspaceId: ws, enforcement: "sometimes" }, { workspaceId: ws }, { workspaceId: ws, enforcement: true }],
  },
  SessionPolicy: {
    valid: [
      { workspaceId: ws, reauthenticateAfterHours: 12 },
      { workspaceId: ws, reauthenticateAfterHours: null },
    ],
    invalid: [
      { workspaceId: ws, reauthenticateAfterHours: 0 },
      { workspaceId: ws, reauthenticateAfterHours: 12.5 },
      { workspaceId: ws, reauthenticateAfterHours: 24 * 90 + 1 },
      { workspaceId: ws, reauthenticateAfterHours: "12" },
      { workspaceId: ws },
    ],
  },
  IpAllowlist: {
    valid: [
      { workspaceId: ws, scope: "dashboard", enabled: true, entries: ["203.0.113.0/24"] },
      // Malformed entries are well-typed: the policies, not the schema, grade them.
      { workspaceId: ws, scope: "rest_api", enabled: true, entries: ["0.0.0.0/0", "10.0.0.300"] },
    ],
    invalid: [
      { workspaceId: ws, scope: "api", enabled: true, entries: [] },
      { workspaceId: ws, scope: "dashboard", enabled: true, entries: "203.0.113.0/24" },
      { workspaceId: ws, scope: "dashboard", entries: [] },
    ],
  },
  MessengerSecurity: {
    valid: [
      { workspaceId: ws, platform: "web", identityVerification: "off", enforced: false },
      {
        workspaceId: ws,
        platform: "ios",
        identityVerification: "jwt",
        enforced: true,
        jwtExpirySeconds: 3600,
        secretRotatedAt: "2026-09-01T09:00:00Z",
        apiSecret: "example-only",
      },
    ],
    invalid: [
      { workspaceId: ws, platform: "windows", identityVerification: "jwt", enforced: true },
      { workspaceId: ws, platform: "web", identityVerification: "saml", enforced: true },
      { workspaceId: ws, platform: "web", identityVerification: "jwt", enforced: true, jwtExpirySeconds: 0 },
      { workspaceId: ws, platform: "web", identityVerification: "jwt", enforced: true, jwtExpirySeconds: 1.5 },
      { workspaceId: ws, platform: "web", identityVerification: "jwt", enforced: true, secretRotatedAt: "last week" },
      { workspaceId: ws, platform: "web", identityVerification: "jwt", enforced: true, apiSecret: "" },
    ],
  },
  MessengerDomainRestriction: {
    valid: [
      { workspaceId: ws, trustedDomains: [] },
      { workspaceId: ws, trustedDomains: ["app.example.com", "*"] },
    ],
    invalid: [
      { workspaceId: ws, trustedDomains: "app.example.com" },
      { workspaceId: ws, trustedDomains: [1] },
    ],
  },
  MessengerSession: {
    valid: [{ workspaceId: ws, sessionDurationMinutes: 720 }],
    invalid: [
      { workspaceId: ws, sessionDurationMinutes: 0 },
      { workspaceId: ws, sessionDurationMinutes: 1.5 },
      { workspaceId: ws, sessionDurationMinutes: "720" },
    ],
  },
  NotificationPrivacy: {
    valid: [{ workspaceId: ws, emailNotificationContent: "none", pushNotificationContent: "generic" }],
    invalid: [
      { workspaceId: ws, emailNotificationContent: "none", pushNotificationContent: "summary" },
      { workspaceId: ws, emailNotificationContent: "partial", pushNotificationContent: "generic" },
    ],
  },
  MobileSdk: {
    valid: [
      { workspaceId: ws, platform: "android", encryptedMode: true },
      {
        workspaceId: ws,
        platform: "ios",
        apiEndpoint: "https://api-iam.intercom.io",
        encryptedMode: true,
        push: { credential: "apns_p8_key", expiresAt: "2027-01-31" },
      },
    ],
    invalid: [
      { workspaceId: ws, platform: "web", encryptedMode: true },
      { workspaceId: ws, platform: "ios" },
      { workspaceId: ws, platform: "ios", encryptedMode: true, push: { credential: "apns_token" } },
      { workspaceId: ws, platform: "ios", encryptedMode: true, push: { credential: "apns_p8_key", expiresAt: "soon" } },
      { workspaceId: ws, platform: "ios", encryptedMode: true, push: { credential: "apns_p8_key", teamId: "x" } },
    ],
  },
  PanRedaction: {
    valid: [
      { workspaceId: ws, enabled: false, creditCards: false, socialSecurityNumbers: false, channels: [] },
      {
        workspaceId: ws,
        enabled: true,
        creditCards: true,
        socialSecurityNumbers: true,
        channels: ["web", "email", "phone"],
        customRules: [{ name: "Account numbers", pattern: "ACME-\\d{8}" }],
      },
    ],
    invalid: [
      { workspaceId: ws, enabled: true, creditCards: true, socialSecurityNumbers: true, channels: ["sms"] },
      {
        workspaceId: ws,
        enabled: true,
        creditCards: true,
        socialSecurityNumbers: true,
        channels: [],
        customRules: Array.from({ length: 11 }, (_, i) => ({ name: `rule ${i}`, pattern: "x" })),
      },
      {
        workspaceId: ws,
        enabled: true,
        creditCards: true,
        socialSecurityNumbers: true,
        channels: [],
        customRules: [{ name: "x".repeat(101), pattern: "x" }],
      },
      { workspaceId: ws, enabled: true, creditCards: true, channels: [] },
    ],
  },
  LinkSafety: {
    valid: [{ workspaceId: ws, warnOnUntrustedLinks: true, warnOnMaliciousLinks: true, trustedDomains: [], blockedDomains: [] }],
    invalid: [
      { workspaceId: ws, warnOnUntrustedLinks: "yes", warnOnMaliciousLinks: true, trustedDomains: [], blockedDomains: [] },
      { workspaceId: ws, warnOnUntrustedLinks: true, warnOnMaliciousLinks: true, blockedDomains: [] },
    ],
  },
  AttachmentPolicy: {
    valid: [
      { workspaceId: ws, customerUploads: "users_only", allowedFileTypes: ["pdf", "png"] },
      { workspaceId: ws, customerUploads: "everyone", allowedFileTypes: ["exe"] },
    ],
    invalid: [
      { workspaceId: ws, customerUploads: "all", allowedFileTypes: [] },
      { workspaceId: ws, customerUploads: "users_only", allowedFileTypes: [".pdf"] },
      { workspaceId: ws, customerUploads: "users_only", allowedFileTypes: ["averyveryverylongext"] },
    ],
  },
  ProtectedAttribute: {
    valid: [{ workspaceId: ws, model: "contact", attribute: "email", messengerWritable: false }],
    invalid: [
      { workspaceId: ws, model: "user", attribute: "email", messengerWritable: false },
      { workspaceId: ws, model: "contact", attribute: "", messengerWritable: false },
    ],
  },
  DataAttributeSettings: {
    valid: [{ workspaceId: ws, allowAttributeCreationViaMessenger: false }],
    invalid: [{ workspaceId: ws, allowAttributeCreationViaMessenger: "false" }, { workspaceId: ws }],
  },
  CustomAction: {
    valid: [
      {
        workspaceId: ws,
        name: "Order status",
        url: "https://api.example.com/orders",
        method: "GET",
        headers: { Authorization: "Bearer {{token}}" },
        tokenId: "orders",
        audiences: ["users"],
        identityMatch: "email",
        state: "live",
        testedAt: "2026-10-15",
        responseMappings: [{ from: "order.status", toAttribute: "last_order_status" }],
        bypassAuthentication: false,
      },
      // Unsafe but well-typed: for the policies to judge.
      {
        workspaceId: ws,
        name: "x",
        url: "http://10.0.0.12:8080/orders",
        method: "POST",
        audiences: ["visitors"],
        identityMatch: "id",
        state: "draft",
      },
    ],
    invalid: [
      {
        workspaceId: ws,
        name: "x",
        url: "https://a.example.com",
        method: "FETCH",
        audiences: ["users"],
        identityMatch: "email",
        state: "live",
      },
      { workspaceId: ws, name: "x", url: "https://a.example.com", method: "GET", audiences: [], identityMatch: "email", state: "live" },
      {
        workspaceId: ws,
        name: "x",
        url: "https://a.example.com",
        method: "GET",
        audiences: ["admins"],
        identityMatch: "email",
        state: "live",
      },
      { workspaceId: ws, name: "x", url: "not a url", method: "GET", audiences: ["users"], identityMatch: "email", state: "live" },
      {
        workspaceId: ws,
        name: "x",
        url: "https://a.example.com",
        method: "GET",
        headers: { "X-Count": 1 },
        audiences: ["users"],
        identityMatch: "email",
        state: "live",
      },
      {
        workspaceId: ws,
        name: "x",
        url: "https://a.example.com",
        method: "GET",
        audiences: ["users"],
        identityMatch: "email",
        state: "live",
        responseMappings: [{ from: "a" }],
      },
      {
        workspaceId: ws,
        name: "x",
        url: "https://a.example.com",
        method: "GET",
        audiences: ["users"],
        identityMatch: "email",
        state: "live",
        testedAt: "yesterday",
      },
      {
        workspaceId: ws,
        name: "x",
        url: "https://a.example.com",
        method: "GET",
        audiences: ["users"],
        identityMatch: "email",
        state: "enabled",
      },
    ],
  },
  MessengerInstallation: {
    valid: [
      { workspaceId: ws, loadAfterConsent: true, consentVerifiedServerSide: true, trackPageViews: false, productTours: false },
      {
        workspaceId: ws,
        loadAfterConsent: true,
        consentVerifiedServerSide: true,
        trackPageViews: true,
        productTours: false,
        excludedPaths: ["/records"],
      },
    ],
    invalid: [
      {
        workspaceId: ws,
        loadAfterConsent: true,
        consentVerifiedServerSide: true,
        trackPageViews: true,
        productTours: false,
        excludedPaths: ["records"],
      },
      { workspaceId: ws, loadAfterConsent: "after", consentVerifiedServerSide: true, trackPageViews: false, productTours: false },
    ],
  },
  BusinessAssociateAgreement: {
    valid: [
      { workspaceId: ws, signed: true, signedOn: "2026-03-02", coversAllDataCategories: true },
      { workspaceId: ws, signed: false, coversAllDataCategories: false },
    ],
    invalid: [
      { workspaceId: ws, signed: "yes", coversAllDataCategories: true },
      { workspaceId: ws, signed: true, signedOn: "March 2026", coversAllDataCategories: true },
      { workspaceId: ws, signed: true },
    ],
  },
};

describe("per-control JSON Schemas", () => {
  it("exist for every control, and the agreement samples name only controls", () => {
    expect(Object.keys(samples).filter((name) => !allControls.some((c) => c.name === name))).toEqual([]);
    for (const control of allControls) expect(files.has(`schemas/${control.name}.schema.json`)).toBe(true);
  });

  it.each(allControls.map((c) => [c.name, c] as const))(
    "%s compiles under Ajv's strict draft 2020-12 and carries its metadata",
    (_name, control) => {
      const schema = generated(`schemas/${control.name}.schema.json`);
      expect(() => newAjv().compile(schema)).not.toThrow();
      expect(schema["$id"]).toBe(controlSchemaId(control.name));
      expect(schema["x-pulumi-type"]).toBe(control.typeToken);
      expect(schema["x-secret-paths"]).toEqual(control.secretPaths);
      expect(schema["x-sensitive-paths"]).toEqual(control.sensitivePaths ?? []);
      expect(schema["x-identity-fields"]).toEqual(control.identityFields);
    },
  );

  it.each(allControls.map((c) => [c.name, c] as const))("%s agrees with zod on valid and invalid settings", (_name, control) => {
    // A control's secure sample and that sample with a stray field, beside its hand-picked samples (if any).
    const own = samples[control.name] ?? { valid: [], invalid: [] };
    const valid = [secureSample(control), ...own.valid];
    const invalid = [invalidPropsFor(control), ...own.invalid];
    const disagreements: string[] = [];
    for (const [expected, values] of [
      [true, valid],
      [false, invalid],
    ] as const) {
      for (const value of values) {
        const zodOk = control.schema.safeParse(value).success;
        const jsonOk = ajvAccepts(controlSchemaId(control.name), value);
        if (zodOk !== expected || jsonOk !== expected) {
          disagreements.push(`${JSON.stringify(value)}: expected ${expected}, zod ${zodOk}, JSON Schema ${jsonOk}`);
        }
      }
    }
    expect(disagreements).toEqual([]);
  });
});

/** Workspace documents built like the examples in examples/: settings as the examples declare them. */
function document(workspace: Record<string, unknown>, controls: [type: string, name: string, settings: Record<string, unknown>][]) {
  return {
    schemaVersion: 1,
    workspaces: [
      {
        name: "workspace",
        settings: workspace,
        controls: controls.map(([type, name, settings]) => ({
          type,
          name,
          settings: { workspaceId: workspace["workspaceId"], ...settings },
        })),
      },
    ],
  };
}

const secureDocument = document(
  { workspaceId: ws, name: "Acme Support", region: "us", securityContactEmail: "security@acme.example.com", handlesPhi: false },
  [
    [
      "SsoEnforcement",
      "acme-sso",
      {
        googleSignIn: "off",
        samlSso: "required",
        emailPasswordSignIn: false,
        saml: {
          idpEntityId: "https://idp.acme.example.com/saml/metadata",
          idpSsoUrl: "https://idp.acme.example.com/saml/sso",
          idpCertificate: "example-only",
          signedAssertions: true,
        },
        scimProvisioning: true,
      },
    ],
    ["TwoFactorAuthentication", "acme-2fa", { enforcement: "required" }],
    ["SessionPolicy", "acme-session", { reauthenticateAfterHours: 12 }],
    ["IpAllowlist", "acme-dashboard-ips", { scope: "dashboard", enabled: true, entries: ["203.0.113.0/24", "198.51.100.17"] }],
    ...(["web", "ios", "android"] as const).map((platform): [string, string, Record<string, unknown>] => [
      "MessengerSecurity",
      `acme-messenger-${platform}`,
      { platform, identityVerification: "jwt", enforced: true, jwtExpirySeconds: 3600, secretRotatedAt: "2026-09-01" },
    ]),
    ["MessengerDomainRestriction", "acme-trusted-domains", { trustedDomains: ["www.acme.example.com", "app.acme.example.com"] }],
    ["MessengerSession", "acme-messenger-session", { sessionDurationMinutes: 720 }],
    ["NotificationPrivacy", "acme-notifications", { emailNotificationContent: "summary", pushNotificationContent: "generic" }],
    [
      "MobileSdk",
      "acme-ios",
      { platform: "ios", apiEndpoint: "https://api-iam.intercom.io", encryptedMode: true, push: { credential: "apns_p8_key" } },
    ],
    ["MobileSdk", "acme-android", { platform: "android", encryptedMode: true, push: { credential: "fcm_service_account" } }],
    [
      "PanRedaction",
      "acme-redaction",
      { enabled: true, creditCards: true, socialSecurityNumbers: true, channels: ["web", "ios", "android", "email", "phone"] },
    ],
    [
      "LinkSafety",
      "acme-link-safety",
      { warnOnUntrustedLinks: true, warnOnMaliciousLinks: true, trustedDomains: ["acme.example.com"], blockedDomains: [] },
    ],
    ["AttachmentPolicy", "acme-attachments", { customerUploads: "users_only", allowedFileTypes: ["pdf", "png", "jpg"] }],
    ["ProtectedAttribute", "acme-protect-email", { model: "contact", attribute: "email", messengerWritable: false }],
    ["ProtectedAttribute", "acme-protect-user_id", { model: "contact", attribute: "user_id", messengerWritable: false }],
    ["DataAttributeSettings", "acme-attribute-creation", { allowAttributeCreationViaMessenger: false }],
    [
      "CustomAction",
      "acme-order-status",
      {
        name: "Order status",
        url: "https://api.acme.example.com/v1/orders/latest",
        method: "GET",
        headers: { Accept: "application/json", Authorization: "Bearer {{orders_api_token}}" },
        tokenId: "orders_api_token",
        audiences: ["users"],
        identityMatch: "email",
        state: "live",
        testedAt: "2026-10-15",
      },
    ],
    [
      "MessengerInstallation",
      "acme-installation",
      { loadAfterConsent: true, consentVerifiedServerSide: true, trackPageViews: false, productTours: false },
    ],
  ],
);

const healthcareDocument = document(
  {
    workspaceId: "hc01pt22",
    name: "Northwind Clinic",
    region: "us",
    securityContactEmail: "privacy@northwind-clinic.example.com",
    handlesPhi: true,
  },
  [
    ["BusinessAssociateAgreement", "clinic-baa", { signed: true, signedOn: "2026-03-02", coversAllDataCategories: true }],
    [
      "MessengerInstallation",
      "clinic-installation",
      { loadAfterConsent: true, consentVerifiedServerSide: true, trackPageViews: false, productTours: false, excludedPaths: ["/records"] },
    ],
    ["NotificationPrivacy", "clinic-notifications", { emailNotificationContent: "none", pushNotificationContent: "generic" }],
    ["PanRedaction", "clinic-redaction", { enabled: true, creditCards: true, socialSecurityNumbers: true, channels: ["web", "email"] }],
  ],
);

describe("workspace-document.schema.json", () => {
  const validate = newAjv().compile(generated("schemas/workspace-document.schema.json"));
  const controlsOf = (doc: typeof secureDocument) => doc.workspaces[0]?.controls ?? [];

  it("validates documents built like the secure and healthcare examples, whose every control zod accepts", () => {
    for (const doc of [secureDocument, healthcareDocument]) {
      expect(validate(doc) ? [] : validate.errors).toEqual([]);
      for (const control of controlsOf(doc)) {
        const definition = allControls.find((c) => c.name === control.type);
        expect(definition?.schema.safeParse(control.settings).success).toBe(true);
      }
    }
  });

  it("validates a document declaring every control with its secure sample (test/support/fixtures.ts)", () => {
    const { workspaceId: sampleWorkspace, ...workspaceSettings } = secureSample(allControls[0] as (typeof allControls)[0]);
    const controls = allControls.slice(1).map((control): [string, string, Record<string, unknown>] => {
      const { workspaceId: _id, ...settings } = secureSample(control);
      return [control.name, `sample-${control.name}`, settings];
    });
    const sampleDocument = document({ workspaceId: sampleWorkspace, ...workspaceSettings }, controls);
    expect(validate(sampleDocument) ? [] : validate.errors).toEqual([]);
  });

  it("rejects an unknown type, settings of another type, a missing name and stray top-level keys", () => {
    const first = controlsOf(secureDocument)[0] as { type: string; name: string; settings: Record<string, unknown> };
    const workspace = secureDocument.workspaces[0] as (typeof secureDocument.workspaces)[0];
    const withWorkspace = (changed: Record<string, unknown>) => ({ ...secureDocument, workspaces: [{ ...workspace, ...changed }] });
    const variants = [
      withWorkspace({ controls: [{ ...first, type: "Firewall" }] }),
      withWorkspace({ controls: [{ ...first, type: "TwoFactorAuthentication" }] }),
      withWorkspace({ controls: [{ type: first.type, settings: first.settings }] }),
      withWorkspace({ controls: [{ ...first, settings: { ...first.settings, googleSignIn: "mandatory" } }] }),
      withWorkspace({ settings: { ...workspace.settings, region: "uk" } }),
      { ...secureDocument, generatedAt: "today" },
      { workspaces: secureDocument.workspaces },
    ];
    for (const variant of variants) expect(validate(variant)).toBe(false);
  });

  it("allows a secret reference wherever text is allowed, and nowhere else", () => {
    const workspace = secureDocument.workspaces[0] as (typeof secureDocument.workspaces)[0];
    const withControl = (control: Record<string, unknown>) => ({ ...secureDocument, workspaces: [{ ...workspace, controls: [control] }] });
    const reference = { $secretEnv: "WEB_MESSENGER_SECRET" };
    expect(
      validate(
        withControl({
          type: "MessengerSecurity",
          name: "m",
          settings: { platform: "web", identityVerification: "jwt", enforced: true, apiSecret: reference },
        }),
      ),
    ).toBe(true);
    expect(validate(withControl({ type: "SessionPolicy", name: "s", settings: { reauthenticateAfterHours: reference } }))).toBe(false);
    expect(
      validate(
        withControl({
          type: "MessengerSecurity",
          name: "m",
          settings: { platform: "web", identityVerification: "jwt", enforced: true, apiSecret: { $secretEnv: "A", value: "x" } },
        }),
      ),
    ).toBe(false);
  });
});

describe("policy-pack-config.schema.json", () => {
  const validate = newAjv().compile(generated("schemas/policy-pack-config.schema.json"));

  it("accepts a level or an object with a level and typed arguments, for any policy, and 'all'", () => {
    expect(validate({ "intercom-session-length": { enforcementLevel: "advisory", maxHours: 12 } })).toBe(true);
    expect(validate({ all: "mandatory", "intercom-pan-redaction": "disabled" })).toBe(true);
    expect(validate({ "intercom-attachment-file-types": { safeFileTypes: ["pdf", "png"] } })).toBe(true);
    expect(validate(Object.fromEntries(allPolicies.map((p) => [p.name, "advisory"])))).toBe(true);
  });

  it("rejects an unknown policy name, a wrong argument type, an unknown argument and an unknown level", () => {
    expect(validate({ "intercom-no-such-policy": "advisory" })).toBe(false);
    expect(validate({ "intercom-session-length": { maxHours: "12" } })).toBe(false);
    expect(validate({ "intercom-session-length": { maxHourz: 12 } })).toBe(false);
    expect(validate({ "intercom-session-length": "blocking" })).toBe(false);
    expect(validate({ "intercom-session-length": { enforcementLevel: "remediate" } })).toBe(false);
  });

  it("accepts exceptions and a lower level's accountability beside any policy's arguments, and rejects malformed ones", () => {
    const exception = {
      workspace: "abc123xyz",
      resource: "redaction",
      justification: "Legacy channel, replaced in Q1",
      owner: "a@example.com",
      approver: "b@example.com",
      expires: "2027-01-15",
    };
    expect(validate({ "intercom-pan-redaction": { exceptions: [exception] } })).toBe(true);
    expect(
      validate({
        "intercom-sso-required": {
          enforcementLevel: "disabled",
          justification: "Migrating identity providers",
          owner: "a",
          approver: "b",
          ticket: "SEC-1",
          expires: "2027-01-15",
        },
      }),
    ).toBe(true);
    expect(validate({ "intercom-pan-redaction": { exceptions: [{ ...exception, expires: "soon" }] } })).toBe(false);
    expect(validate({ "intercom-pan-redaction": { exceptions: [{ ...exception, note: "x" }] } })).toBe(false);
    expect(validate({ "intercom-pan-redaction": { exceptions: [{ ...exception, justification: "short" }] } })).toBe(false);
  });

  it("agrees with each policy's zod config schema on its arguments", () => {
    const cases: [policy: string, args: Record<string, unknown>][] = [
      ["intercom-session-length", { maxHours: 0 }],
      ["intercom-session-length", { maxHours: 1.5 }],
      ["intercom-ip-allowlist-entries", { minPrefixLength: 33 }],
      ["intercom-ip-allowlist-entries", { minPrefixLength: 16 }],
      ["intercom-ip-allowlist-entries", { minPrefixLength: 8 }],
      ["intercom-ip-allowlist-entries", { minPrefixLength: 7 }],
      ["intercom-redaction-channels", { requiredChannels: ["web", "sms"] }],
      ["intercom-redaction-channels", { requiredChannels: ["web", "phone"] }],
      ["intercom-messenger-jwt-expiry", { maxSeconds: 30 }],
      ["intercom-mobile-push-credentials", { expiryWarningDays: 14 }],
    ];
    for (const [name, args] of cases) {
      const policy = allPolicies.find((p) => p.name === name);
      const zodOk = (policy?.configSchema as z.ZodObject).safeParse(args).success;
      expect({ name, args, jsonOk: validate({ [name]: args }) }).toEqual({ name, args, jsonOk: zodOk });
    }
  });
});

describe("argument floors in policy-pack-config.schema.json", () => {
  const schema = generated("schemas/policy-pack-config.schema.json") as { properties: Record<string, { oneOf: JsonSchema[] }> };
  const argumentsOf = (name: string) => (schema.properties[name]?.oneOf[1]?.["properties"] ?? {}) as Record<string, JsonSchema>;

  it.each(allPolicies.map((p) => [p.name, p] as const))(
    "%s: a SHALL argument carries its floor (its default), a SHOULD one none",
    (name, policy) => {
      const declared = new Map(floorsOf(policy.configSchema as z.ZodObject).map((f) => [f.argument, f.floor]));
      for (const [argument, json] of Object.entries(argumentsOf(name))) {
        // The level and the governance beside the arguments (core/exceptions.ts) are not arguments.
        if (argument === "enforcementLevel" || (governanceKeys as readonly string[]).includes(argument)) continue;
        const floor = declared.get(argument);
        if (policy.criticality === "SHOULD") {
          expect(json["x-floor"]).toBeUndefined();
          continue;
        }
        expect({ argument, declared: floor !== undefined }).toEqual({ argument, declared: true });
        expect(json["x-floor"]).toMatchObject({ direction: floor?.direction, value: floor?.value });
        expect(json["default"]).toEqual(floor?.value);
        if (floor?.direction === "rise") expect(json["minimum"]).toBe(floor.value);
        if (floor?.direction === "fall") expect(json["maximum"]).toBe(floor.value);
      }
    },
  );
});

describe("generated files on disk", () => {
  it("are up to date (otherwise run `npm run generate`)", () => {
    const stale = [...files].filter(([file, content]) => {
      const target = path.join(root, file);
      return !fs.existsSync(target) || fs.readFileSync(target, "utf8") !== content;
    });
    expect(stale.map(([file]) => file)).toEqual([]);
  });
});
