/**
 * Policy configuration (`pulumi preview --policy-pack-config`), sent over Configure as the CLI sends it, to a pack
 * session of its own so that no config leaks into other tests. Every test starts from the pack's defaults.
 */
import { CapturedResource, PolicyPackSession } from "../../cli/analyzer-client";
import {
  analyzeChange,
  captureExample,
  configureWithoutValidation,
  launchPinnedPack,
  mutateResource,
  SETUP_TIMEOUT_MS,
  violationMessage,
} from "../support/engine";

describe("configuring the compiled pack", () => {
  let session: PolicyPackSession | undefined;
  let secure: CapturedResource[] = [];

  beforeAll(async () => {
    const [launched, captured] = await Promise.all([launchPinnedPack(), captureExample("secure-workspace")]);
    session = launched;
    secure = captured;
  }, SETUP_TIMEOUT_MS);

  beforeEach(async () => {
    // Configure replaces the whole config: each test starts from the defaults, as a fresh `pulumi preview`.
    await pack().configure({});
  });

  afterAll(async () => {
    await session?.close();
  });

  function pack(): PolicyPackSession {
    if (!session) {
      throw new Error("setup failed");
    }
    return session;
  }

  const noSsoRequired = () =>
    mutateResource(secure, { control: "SsoEnforcement" }, (p) => {
      p["samlSso"] = "allowed";
    });
  const optionalTwoFactor = () =>
    mutateResource(secure, { control: "TwoFactorAuthentication" }, (p) => {
      p["enforcement"] = "optional";
    });
  const hundredHourSessions = () =>
    mutateResource(secure, { control: "SessionPolicy" }, (p) => {
      p["reauthenticateAfterHours"] = 100;
    });

  it('"disabled" silences intercom-sso-required, in Analyze and AnalyzeStack', async () => {
    const change = noSsoRequired();
    const before = await analyzeChange(pack(), change);
    expect(before.analyze).toEqual(
      expect.arrayContaining([expect.objectContaining({ policyName: "intercom-sso-required", enforcementLevel: "mandatory" })]),
    );

    // A SHALL policy switched off needs accountability beside its level (core/exceptions.ts).
    const sent = await pack().configure({
      "intercom-sso-required": {
        enforcementLevel: "disabled",
        justification: "Migrating identity providers",
        owner: "alice@example.com",
        approver: "bob@example.com",
        expires: "2026-12-15",
      },
    });
    expect(sent["intercom-sso-required"]?.enforcementLevel).toBe("disabled");
    const after = await analyzeChange(pack(), change);
    expect(after.all.filter((d) => d.policyName === "intercom-sso-required")).toEqual([]);
    // Only that policy: the others still grade the same resource.
    expect(sent["intercom-email-password-sign-in-disabled"]?.enforcementLevel).toBe("mandatory");
    const passwordOn = mutateResource(change.resources, { control: "SsoEnforcement" }, (p) => {
      p["emailPasswordSignIn"] = true;
    });
    expect((await pack().analyze(passwordOn.resource)).map((d) => [d.policyName, d.enforcementLevel])).toEqual([
      ["intercom-email-password-sign-in-disabled", "mandatory"],
    ]);
  });

  it('"mandatory" turns intercom-two-factor-required\'s advisory into a blocking violation', async () => {
    // A stack policy: 2FA matters while password sign-in is possible, so that is opened too.
    const change = mutateResource(optionalTwoFactor().resources, { control: "SsoEnforcement" }, (p) => {
      p["emailPasswordSignIn"] = true;
    });
    const pick = (diagnostics: Awaited<ReturnType<PolicyPackSession["analyzeStack"]>>) =>
      diagnostics.filter((d) => d.policyName === "intercom-two-factor-required").map((d) => d.enforcementLevel);

    expect(pick(await pack().analyzeStack(change.resources))).toEqual(["advisory"]);
    await pack().configure({ "intercom-two-factor-required": "mandatory" });
    expect(pick(await pack().analyzeStack(change.resources))).toEqual(["mandatory"]);
    // The secure setting still passes under the stricter level.
    expect(pick(await pack().analyzeStack(secure))).toEqual([]);
  });

  it("a typed argument changes the verdict: intercom-session-length with maxHours", async () => {
    const change = hundredHourSessions();
    const sessionLength = async () =>
      (await pack().analyze(change.resource)).filter((d) => d.policyName === "intercom-session-length").map(violationMessage);

    expect(await sessionLength()).toEqual([expect.stringMatching(/100 hours; the maximum is 24/)]);

    const sent = await pack().configure({ "intercom-session-length": { maxHours: 200 } });
    expect(sent["intercom-session-length"]).toEqual({ enforcementLevel: "advisory", properties: { maxHours: 200 } });
    expect(await sessionLength()).toEqual([]);

    await pack().configure({ "intercom-session-length": { maxHours: 50 } });
    expect(await sessionLength()).toEqual([expect.stringMatching(/100 hours; the maximum is 50/)]);
  });

  it("an argument and a level together, as in a policy-pack-config file", async () => {
    const change = hundredHourSessions();
    await pack().configure({ "intercom-session-length": { enforcementLevel: "mandatory", maxHours: 72 } });
    expect((await pack().analyze(change.resource)).map((d) => [d.policyName, d.enforcementLevel, violationMessage(d)])).toEqual([
      ["intercom-session-length", "mandatory", expect.stringMatching(/the maximum is 72/)],
    ]);
  });

  describe("an argument of the wrong type never passes silently", () => {
    it("is rejected by the engine's validation against the policy's config schema, naming the policy and the field", async () => {
      const change = hundredHourSessions();
      await pack().configure({ "intercom-session-length": { maxHours: 200 } });
      await expect(pack().configure({ "intercom-session-length": { maxHours: "lots-of-hours" } })).rejects.toThrow(
        /intercom-session-length: maxHours: Invalid type\. Expected: integer, given: string/,
      );
      await expect(pack().configure({ "intercom-session-length": { maxHours: 0 } })).rejects.toThrow(
        /intercom-session-length: maxHours: Must be greater than or equal to 1/,
      );
      await expect(pack().configure({ "intercom-sso-required": "sometimes" as never })).rejects.toThrow(/not a valid enforcement level/);
      // Nothing was sent: the pack still runs with the last config it accepted.
      expect(await pack().analyze(change.resource)).toEqual([]);
    });

    it("sent anyway (no engine-side validation), it makes the policy report Not evaluated, never a pass", async () => {
      const change = hundredHourSessions();
      const sent = await pack().configure({});
      await configureWithoutValidation(pack(), {
        ...sent,
        "intercom-session-length": { enforcementLevel: "advisory", properties: { maxHours: "lots-of-hours" } },
      });
      const secureSession = mutateResource(secure, { control: "SessionPolicy" }, () => undefined);
      for (const resource of [change.resource, secureSession.resource]) {
        const diagnostics = (await pack().analyze(resource)).filter((d) => d.policyName === "intercom-session-length");
        expect(diagnostics.map(violationMessage)).toEqual([
          expect.stringMatching(/^Not evaluated: the configuration of intercom-session-length is invalid: maxHours/),
        ]);
        // The message names the field, never the value given.
        expect(diagnostics[0]?.message).not.toContain("lots-of-hours");
      }
    });

    it("a misspelled argument, which the engine's schema validation lets through, makes a SHOULD policy report Not evaluated", async () => {
      const change = hundredHourSessions();
      // The config schemas do not forbid other properties, so the CLI (and the session) send a typo on.
      await pack().configure({ "intercom-session-length": { maxHour: 200 } });
      const resourceDiagnostics = (await pack().analyze(change.resource)).filter((d) => d.policyName === "intercom-session-length");
      expect(resourceDiagnostics.map(violationMessage)).toEqual([
        expect.stringMatching(/^Not evaluated: the configuration of intercom-session-length is invalid: .*maxHour/),
      ]);
    });

    it("an unknown argument of a SHALL policy cannot be shown to keep its floor: the pack's Configure refuses it", async () => {
      await expect(pack().configure({ "intercom-single-instance-controls": { allowDuplicates: true } })).rejects.toThrow(
        /refused the policy configuration: the configuration of intercom-single-instance-controls is refused: allowDuplicates is not one of its arguments/,
      );
      // Nothing changed: the policy still grades with its defaults.
      expect((await pack().analyzeStack(secure)).filter((d) => d.policyName === "intercom-single-instance-controls")).toEqual([]);
    });
  });
});
