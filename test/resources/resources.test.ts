import * as pulumi from "@pulumi/pulumi";
import { validateKnownInputs } from "../../core/validation";
import { allControls, ControlInputError, CustomAction, MessengerSecurity, SsoEnforcement, Workspace, workspaceControl } from "../../resources";

const secretSignatureKey = "4dabf18193072939515e22adb298388d";

/** What each registration sent, as the mock monitor saw it. */
const registered: { type: string; name: string; inputs: Record<string, unknown> }[] = [];

beforeAll(() => {
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: () => ({}),
    },
    "test",
    "dev",
    true,
  );
});

function settled<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

describe("control resources", () => {
  it("register the contract's type tokens and expose them as __pulumiType", () => {
    expect(Workspace.__pulumiType).toBe("pulumi-nodejs:dynamic/intercom:Workspace");
    expect(SsoEnforcement.__pulumiType).toBe("pulumi-nodejs:dynamic/intercom:SsoEnforcement");
    expect(new Set(allControls.map((c) => c.typeToken)).size).toBe(allControls.length);
    for (const control of allControls) expect(control.typeToken).toBe(`pulumi-nodejs:dynamic/intercom:${control.name}`);
  });

  it("reject a bad input at construction, naming resource, field, given and allowed values", () => {
    expect(
      () =>
        new SsoEnforcement("corp", {
          workspaceId: "abc123xyz",
          googleSignIn: "maybe" as never,
          samlSso: "off",
          emailPasswordSignIn: false,
        }),
    ).toThrow(/SsoEnforcement "corp".*field googleSignIn: got string "maybe"; allowed: "off", "allowed", "required"/);
  });

  it("reject missing and unknown fields", () => {
    const attempt = () => new Workspace("w", { workspaceId: "abc123xyz", region: "us", colour: "blue" } as never);
    expect(attempt).toThrow(ControlInputError);
    expect(attempt).toThrow(/field name: missing/);
    expect(attempt).toThrow(/unknown field "colour"/);
  });

  it("never show a secret value in a validation error", () => {
    expect(
      () =>
        new MessengerSecurity("m", {
          workspaceId: "abc123xyz",
          platform: "web",
          identityVerification: "jwt",
          enforced: true,
          apiSecret: "" as never,
        }),
    ).toThrow(/field apiSecret: got a secret value \(hidden\)/);
  });

  it("store secret-bearing fields as Pulumi secrets even when given plain values", async () => {
    const messenger = new MessengerSecurity("web", {
      workspaceId: "abc123xyz",
      platform: "web",
      identityVerification: "jwt",
      enforced: true,
      apiSecret: "plain-canary-secret",
    });
    const action = new CustomAction("lookup", {
      workspaceId: "abc123xyz",
      name: "Lookup",
      url: "https://api.example.com/orders",
      method: "GET",
      headers: { Accept: "application/json" },
      audiences: ["users"],
      identityMatch: "email",
      state: "draft",
    });
    expect(await pulumi.isSecret(messenger.apiSecret)).toBe(true);
    expect(await pulumi.isSecret(action.headers)).toBe(true);
    expect(await pulumi.isSecret(messenger.platform)).toBe(false);
    await settled(messenger.urn);
    const inputs = registered.find((r) => r.name === "web")?.inputs ?? {};
    expect((inputs["apiSecret"] as Record<string, unknown>)[secretSignatureKey]).toBeDefined();
  });

  it("validate Output inputs once they resolve", async () => {
    const workspace = new Workspace("acme", { workspaceId: "abc123xyz", name: "Acme", region: "eu" });
    const sso = new SsoEnforcement("acme-sso", {
      workspaceId: workspace.workspaceId,
      googleSignIn: "required",
      samlSso: "off",
      emailPasswordSignIn: false,
    });
    expect(await settled(sso.workspaceId)).toBe("abc123xyz");
  });
});

describe("validation of Output inputs once resolved", () => {
  it("never shows a value that resolved from an Output, which may have been secret", () => {
    const problems = validateKnownInputs(
      workspaceControl,
      { workspaceId: "abc123xyz", name: "Late", region: "us", securityContactEmail: "canary-late-secret-not-an-email" },
      ["workspaceId", "name", "region", "securityContactEmail"],
      { hideGivenValues: true },
    );
    const message = problems.map((p) => p.message).join("; ");
    expect(message).toMatch(/field securityContactEmail: got a value from an Output \(not shown: it may be secret\); expected an email address/);
    expect(message).not.toContain("canary-late-secret");
  });
});
