/**
 * Exceptions and level-change accountability over the Analyzer protocol, against the compiled pack, with the clock
 * injected (INTERCOM_HEALTH_CHECK_AS_OF): an insecure control passes, advisory only, under an unexpired exception and
 * blocks once it has expired; Configure refuses a SHALL policy switched off without accountability (string and object
 * form), a malformed exception and an expiry too far ahead, and accepts a downgrade with full accountability.
 */
import fc from "fast-check";
import { AnalyzerDiagnostic, CapturedResource, PolicyConfigurationRefused, PolicyPackSession } from "../../cli/analyzer-client";
import { waivedOpening } from "../../core/evaluate";
import { exceptionsPolicyName, PolicyExceptionInput } from "../../core/exceptions";
import {
  configureWithoutValidation,
  controlType,
  findingPayload,
  launchPinnedPack,
  SETUP_TIMEOUT_MS,
  summarize,
  violationMessage,
} from "../support/engine";
import { readsWaived } from "../support/finding-wording";
import { sampleOf } from "../support/property";

const WORKSPACE_ID = "waive01";
const PAN = "intercom-pan-redaction";
const SSO = "intercom-sso-required";
/** The clocks of the two packs: before and after the exceptions' expiry. */
const BEFORE = "2026-11-21T00:00:00Z";
const AFTER = "2026-12-02T00:00:00Z";
const EXPIRES = "2026-12-01";
const accountable = {
  justification: "Legacy redaction replaced in the next release",
  owner: "alice@example.com",
  approver: "bob@example.com",
  ticket: "SEC-42",
};

function control(controlName: string, name: string, properties: Record<string, unknown>): CapturedResource {
  const type = controlType(controlName);
  return { type, name, urn: `urn:pulumi:dev::waivers::${type}::${name}`, properties, custom: true, dependencies: [] };
}

const insecureRedaction = (name: string) =>
  control("PanRedaction", name, {
    workspaceId: WORKSPACE_ID,
    enabled: true,
    creditCards: false,
    socialSecurityNumbers: true,
    channels: ["web"],
    customRules: [],
  });

const ssoAllowed = control("SsoEnforcement", "sso", {
  workspaceId: WORKSPACE_ID,
  googleSignIn: "off",
  samlSso: "allowed",
  emailPasswordSignIn: false,
  saml: {
    idpEntityId: "https://idp.example.com/e",
    idpSsoUrl: "https://idp.example.com/sso",
    idpCertificate: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
    signedAssertions: true,
  },
  scimProvisioning: true,
});

const ofPolicy = (diagnostics: readonly AnalyzerDiagnostic[], policy: string) => diagnostics.filter((d) => d.policyName === policy);

/** How each generated resource is (or is not) covered. */
type Cover = "by-name" | "by-urn" | "look-alike" | "other-workspace" | "none";
const cover: fc.Arbitrary<Cover> = fc.constantFrom("by-name", "by-urn", "look-alike", "other-workspace", "none");

describe("exceptions over the Analyzer protocol", () => {
  let before: PolicyPackSession | undefined;
  let after: PolicyPackSession | undefined;

  beforeAll(async () => {
    [before, after] = await Promise.all([
      launchPinnedPack({ env: { INTERCOM_HEALTH_CHECK_AS_OF: BEFORE } }),
      launchPinnedPack({ env: { INTERCOM_HEALTH_CHECK_AS_OF: AFTER } }),
    ]);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all([before?.close(), after?.close()]);
  });

  function packs(): [PolicyPackSession, PolicyPackSession] {
    if (!before || !after) throw new Error("setup failed");
    return [before, after];
  }

  it(
    "generated resources: covered ones pass with an advisory Waived before expiry and block after it; look-alikes always block",
    async () => {
      const [early, late] = packs();
      const cases =
        sampleOf(
          fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{2,12}$/), cover), {
            minLength: 20,
            maxLength: 30,
            selector: ([name]) => name,
          }),
          1,
        )[0] ?? [];
      const resources = cases.map(([name]) => insecureRedaction(name));
      const exceptions = cases.flatMap(([name, how], i): PolicyExceptionInput[] => {
        const resource = resources[i] as CapturedResource;
        if (how === "by-name") return [{ workspace: WORKSPACE_ID, resource: name, ...accountable, expires: EXPIRES }];
        if (how === "by-urn") return [{ urn: resource.urn, ...accountable, expires: EXPIRES }];
        if (how === "look-alike")
          return [{ workspace: WORKSPACE_ID, resource: `${name.toUpperCase()}\u200b`, ...accountable, expires: EXPIRES }];
        if (how === "other-workspace") return [{ workspace: "waive02", resource: name, ...accountable, expires: EXPIRES }];
        return [];
      });
      expect(cases.some(([, how]) => how === "by-name" || how === "by-urn")).toBe(true);
      for (const pack of [early, late]) await pack.configure({ [PAN]: { exceptions } });

      for (const [i, [, how]] of cases.entries()) {
        const resource = resources[i] as CapturedResource;
        const covered = how === "by-name" || how === "by-urn";
        const beforeExpiry = ofPolicy(await early.analyze(resource), PAN);
        const afterExpiry = ofPolicy(await late.analyze(resource), PAN);
        if (covered) {
          expect(summarize(beforeExpiry)).toEqual([expect.stringMatching(/^advisory /)]);
          const message = violationMessage(beforeExpiry[0] as AnalyzerDiagnostic);
          const index = exceptions.findIndex((e) => ("urn" in e ? e.urn === resource.urn : e.resource === resource.name));
          // The status as data; the wording for people reading pulumi preview.
          expect(findingPayload(beforeExpiry[0] as AnalyzerDiagnostic)).toEqual({ status: "waived", exception: index, expires: EXPIRES });
          expect(readsWaived(message)).toBe(true);
          expect(message.startsWith(waivedOpening(PAN, { expires: EXPIRES, index }))).toBe(true);
          expect(summarize(afterExpiry)).toEqual([
            expect.stringMatching(/^mandatory .*Exception expired: .* since 2026-12-02T00:00:00\.000Z/),
          ]);
          expect(findingPayload(afterExpiry[0] as AnalyzerDiagnostic)).toEqual({
            status: "needs_review",
            exception: index,
            expires: EXPIRES,
            expired: true,
          });
        } else {
          for (const diagnostics of [beforeExpiry, afterExpiry]) {
            expect(summarize(diagnostics)).toEqual([expect.stringMatching(/^mandatory /)]);
            expect(readsWaived(violationMessage(diagnostics[0] as AnalyzerDiagnostic))).toBe(false);
            expect(findingPayload(diagnostics[0] as AnalyzerDiagnostic)).toEqual({ status: "needs_review" });
          }
        }
      }

      // intercom-policy-exceptions names each exception that matches no resource, advisory.
      const unmatched = ofPolicy(await early.analyzeStack(resources), exceptionsPolicyName);
      const expectedUnmatched = cases.filter(([, how]) => how === "look-alike" || how === "other-workspace").length;
      expect(unmatched.filter((d) => /matches no resource/.test(d.message))).toHaveLength(expectedUnmatched);
      expect(unmatched.every((d) => d.enforcementLevel === "advisory")).toBe(true);
    },
    SETUP_TIMEOUT_MS,
  );

  it("refuses a SHALL policy switched off without accountability: string form and object form", async () => {
    const [pack] = packs();
    for (const config of [
      { [SSO]: "disabled" as const },
      { [SSO]: { enforcementLevel: "disabled" } },
      { [SSO]: { enforcementLevel: "advisory", justification: "We are migrating IdPs" } },
    ]) {
      const refusal = pack.configure(config);
      await expect(refusal).rejects.toBeInstanceOf(PolicyConfigurationRefused);
      await expect(pack.configure(config)).rejects.toThrow(
        /intercom-sso-required: a SHALL policy (switched off|run as advisory instead of mandatory) needs justification, owner, approver/,
      );
    }
    // As the engine would send it without validating first, too.
    await expect(configureWithoutValidation(pack, { [SSO]: { enforcementLevel: "disabled", properties: {} } })).rejects.toThrow(
      /INVALID_ARGUMENT/,
    );
  });

  it("refuses a malformed exception, naming its path, and an expiry beyond the maximum", async () => {
    const [pack] = packs();
    const malformed = { workspace: WORKSPACE_ID, resource: "r", ...accountable, approver: "Alice@Example.com", expires: EXPIRES };
    await expect(
      configureWithoutValidation(pack, { [PAN]: { enforcementLevel: "mandatory", properties: { exceptions: [malformed] } } }),
    ).rejects.toThrow(
      /INVALID_ARGUMENT.*malformed exception: exceptions\[0\]\.approver: the approver must be someone other than the owner/s,
    );
    await expect(
      pack.configure({ [PAN]: { exceptions: [{ ...malformed, owner: "carol@example.com", expires: "2027-03-01" }] } }),
    ).rejects.toThrow(/exceptions\[0\] expires 2027-03-01, more than 90 days ahead/);
    // A longer maximum, configured on intercom-policy-exceptions, lets it through.
    await pack.configure({
      [exceptionsPolicyName]: { maxExceptionDays: 120 },
      [PAN]: { exceptions: [{ ...malformed, owner: "carol@example.com", expires: "2027-03-01" }] },
    });
    // Refused by the CLI's own validation of the schema GetAnalyzerInfo reports, before the pack sees it.
    await expect(pack.configure({ [PAN]: { exceptions: [{ ...malformed, expires: "next week" }] } })).rejects.toBeInstanceOf(
      PolicyConfigurationRefused,
    );
  });

  it("accepts a SHALL policy switched off with full accountability, and shows it as advisory in the stack's findings", async () => {
    const [pack] = packs();
    await pack.configure({ [SSO]: { enforcementLevel: "disabled", ...accountable, expires: EXPIRES } });
    expect(ofPolicy(await pack.analyze(ssoAllowed), SSO)).toEqual([]);
    const shown = ofPolicy(await pack.analyzeStack([ssoAllowed]), exceptionsPolicyName);
    // Filed under the root stack (no resource named): analyze_snapshot.go resolveStackPolicyViolationURN.
    expect(summarize(shown)).toEqual([
      expect.stringMatching(
        /^advisory intercom-policy-exceptions @waivers-dev: intercom-sso-required runs disabled instead of mandatory: justification "Legacy redaction replaced in the next release", owner "alice@example.com", approver "bob@example.com", ticket "SEC-42", until 2026-12-01\.$/,
      ),
    ]);
    // Its approval expired by the other pack's clock: refused there.
    await expect(packs()[1].configure({ [SSO]: { enforcementLevel: "disabled", ...accountable, expires: EXPIRES } })).rejects.toThrow(
      /expired after 2026-12-01/,
    );
    await pack.configure({});
  });
});
