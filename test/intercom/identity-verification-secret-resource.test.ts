/**
 * The IdentityVerificationSecret resource in a Pulumi program (mocked engine): its type token, input
 * validation, `secret` registered as a secret output, deleteBeforeReplace refused, and the wiring into
 * MessengerSecurity (apiSecret from `secret`, secretRotatedAt from `createdAt`).
 */
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { allControls, ControlInputError, IdentityVerificationSecret, MessengerSecurity } from "../../resources";

const secretSignatureKey = "4dabf18193072939515e22adb298388d";
const material = "mock-material-7Hq2pL9xZ0aB3cD4eF5gH6iJ";
const createdAt = "2026-11-01T09:00:00.000Z";

/** Each registration as the mock monitor received it: type, wire inputs, additional secret outputs. */
const registrations = new Map<string, { type: string; inputs: Record<string, unknown>; additionalSecretOutputs: string[] }>();

beforeAll(() => {
  const prototype = MockMonitor.prototype as unknown as {
    registerResource: (
      req: {
        getName(): string;
        getType(): string;
        getObject(): { toJavaScript(): Record<string, unknown> };
        getAdditionalsecretoutputsList(): string[];
      },
      callback: unknown,
    ) => Promise<void>;
  };
  const original = prototype.registerResource;
  prototype.registerResource = function (this: unknown, req, callback) {
    registrations.set(req.getName(), {
      type: req.getType(),
      inputs: req.getObject().toJavaScript(),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
    });
    return original.call(this, req, callback);
  };
  pulumi.runtime.setMocks(
    {
      newResource: (args) =>
        args.type === IdentityVerificationSecret.__pulumiType
          ? {
              id: `IdentityVerificationSecret/${args.inputs.workspaceId}/103`,
              state: { ...args.inputs, secretId: "103", createdAt, secret: material },
            }
          : { id: `${args.name}-id`, state: args.inputs },
      call: () => ({}),
    },
    "test",
    "dev",
    false,
  );
});

function settled<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

const valid = { workspaceId: "abc123xyz", name: "Production web", platforms: ["web" as const] };

describe("IdentityVerificationSecret", () => {
  it("registers pulumi-nodejs:dynamic/intercom:IdentityVerificationSecret, and is not a Health Check control", () => {
    expect(IdentityVerificationSecret.__pulumiType).toBe("pulumi-nodejs:dynamic/intercom:IdentityVerificationSecret");
    expect(allControls.map((c) => c.name)).not.toContain("IdentityVerificationSecret");
  });

  it("rejects bad inputs at construction, naming resource, field and what is allowed", () => {
    expect(() => new IdentityVerificationSecret("s", { ...valid, platforms: [] })).toThrow(/IdentityVerificationSecret "s".*platforms/);
    expect(() => new IdentityVerificationSecret("s", { ...valid, platforms: ["web", "web"] })).toThrow(/each platform once/);
    expect(() => new IdentityVerificationSecret("s", { ...valid, platforms: ["desktop" as never] })).toThrow(/"web", "ios", "android"/);
    expect(() => new IdentityVerificationSecret("s", { ...valid, name: "" })).toThrow(/field name/);
    // Intercom may trim a name: one it would save otherwise would differ from the input on every diff.
    expect(() => new IdentityVerificationSecret("s", { ...valid, name: " web " })).toThrow(/no leading or trailing spaces/);
    expect(() => new IdentityVerificationSecret("s", { ...valid, secret: "x" } as never)).toThrow(ControlInputError);
  });

  it("refuses deleteBeforeReplace: a rotation must create the new secret before deleting the old", () => {
    expect(() => new IdentityVerificationSecret("s", valid, { deleteBeforeReplace: true })).toThrow(
      /deleteBeforeReplace.*creates the new secret first/,
    );
  });

  it("registers `secret` as a secret output, sends no material, and feeds MessengerSecurity its secret and rotation date", async () => {
    const webSecret = new IdentityVerificationSecret("web-secret", { ...valid, rotation: "2026-11" });
    const messenger = new MessengerSecurity("web", {
      workspaceId: "abc123xyz",
      platform: "web",
      identityVerification: "jwt",
      enforced: true,
      apiSecret: webSecret.secret,
      secretRotatedAt: webSecret.createdAt,
    });
    expect(await settled(webSecret.secretId)).toBe("103");
    expect(await settled(messenger.secretRotatedAt)).toBe(createdAt);
    const registered = registrations.get("web-secret");
    expect(registered?.type).toBe(IdentityVerificationSecret.__pulumiType);
    // The engine marks the output secret in state and outputs from this list (the mock monitor does not apply it).
    expect(registered?.additionalSecretOutputs).toContain("secret");
    expect(JSON.stringify(registered?.inputs)).not.toContain(material);
    // MessengerSecurity stores apiSecret as a secret on the wire, whatever it was given.
    const messengerInputs = registrations.get("web")?.inputs as Record<string, unknown>;
    expect(messengerInputs["apiSecret"]).toMatchObject({ [secretSignatureKey]: expect.any(String), value: material });
    expect(messengerInputs["secretRotatedAt"]).toBe(createdAt);
  });
});
