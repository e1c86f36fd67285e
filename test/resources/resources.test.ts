import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import { validateKnownInputs } from "../../core/validation";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { propertyParameters } from "../support/property";
import {
  allControls,
  ControlInputError,
  CustomAction,
  CustomActionArgs,
  MessengerSecurity,
  SsoEnforcement,
  Workspace,
  workspaceControl,
} from "../../resources";

const secretSignatureKey = "4dabf18193072939515e22adb298388d";

/** What each registration sent, as the mock monitor saw it. */
const registered: { type: string; name: string; inputs: Record<string, unknown> }[] = [];
/**
 * Each registration's inputs in their wire form, before the mock deserializes them (deserializing
 * lifts a nested secret onto the object holding it; the engine and the pack keep it in place).
 */
const wireInputs = new Map<string, Record<string, unknown>>();

beforeAll(() => {
  const prototype = MockMonitor.prototype as unknown as {
    registerResource: (
      req: { getName(): string; getObject(): { toJavaScript(): Record<string, unknown> } },
      callback: unknown,
    ) => Promise<void>;
  };
  const original = prototype.registerResource;
  prototype.registerResource = function (this: unknown, req, callback) {
    wireInputs.set(req.getName(), req.getObject().toJavaScript());
    return original.call(this, req, callback);
  };
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
    // Header values are sensitive (hidden in messages) but keep the secretness they were given.
    expect(await pulumi.isSecret(action.headers)).toBe(false);
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
    expect(message).toMatch(
      /field securityContactEmail: got a value from an Output \(not shown: it may be secret\); expected an email address/,
    );
    expect(message).not.toContain("canary-late-secret");
  });
});

describe("CustomAction sends each header value and its URL with the secretness the program gave them", () => {
  const base = {
    workspaceId: "abc123xyz",
    name: "Lookup",
    url: "https://api.example.com/orders",
    method: "GET" as const,
    audiences: ["users" as const],
    identityMatch: "email",
    state: "draft" as const,
  };
  let counter = 0;

  const isSecretForm = (value: unknown) =>
    typeof value === "object" && value !== null && (value as Record<string, unknown>)[secretSignatureKey] !== undefined;
  const plain = (value: unknown) => (isSecretForm(value) ? (value as { value: unknown }).value : value);

  /** Registers an action with these inputs and returns them as the mock monitor saw them. */
  async function registeredInputs(args: Partial<CustomActionArgs>): Promise<Record<string, unknown>> {
    const name = `action-${++counter}`;
    const action = new CustomAction(name, { ...base, ...args });
    await settled(action.urn);
    const found = wireInputs.get(name);
    if (!found) throw new Error(`${name} was not registered`);
    return found;
  }

  it("sends plain header values plain, in a headers object that is not itself secret", async () => {
    const inputs = await registeredInputs({ headers: { Accept: "application/json", Authorization: "Bearer literal" } });
    expect(isSecretForm(inputs["headers"])).toBe(false);
    expect(inputs["headers"]).toEqual({ Accept: "application/json", Authorization: "Bearer literal" });
    expect(inputs["url"]).toBe(base.url);
  });

  it("secret exactly the header values given as secrets, whatever the mix (generated)", async () => {
    const headerSet = fc.uniqueArray(
      fc.record({ name: fc.stringMatching(/^X-[A-Za-z]{1,8}$/), kind: fc.constantFrom("plain", "secret", "output", "promise") }),
      { minLength: 1, maxLength: 5, selector: (h) => h.name },
    );
    await fc.assert(
      fc.asyncProperty(headerSet, async (headers) => {
        const given = Object.fromEntries(
          headers.map(({ name, kind }) => {
            const value = `value-of-${name}`;
            const input =
              kind === "secret"
                ? pulumi.secret(value)
                : kind === "output"
                  ? pulumi.output(value)
                  : kind === "promise"
                    ? Promise.resolve(value)
                    : value;
            return [name, input];
          }),
        );
        const inputs = await registeredInputs({ headers: given });
        expect(isSecretForm(inputs["headers"])).toBe(false);
        const sent = inputs["headers"] as Record<string, unknown>;
        expect(
          Object.keys(sent)
            .filter((name) => isSecretForm(sent[name]))
            .sort(),
        ).toEqual(
          headers
            .filter((h) => h.kind === "secret")
            .map((h) => h.name)
            .sort(),
        );
        expect(Object.fromEntries(Object.entries(sent).map(([name, value]) => [name, plain(value)]))).toEqual(
          Object.fromEntries(headers.map(({ name }) => [name, `value-of-${name}`])),
        );
      }),
      propertyParameters(25),
    );
  });

  it("sends a headers object given whole as one secret as one secret envelope (which vouches for no single value)", async () => {
    const whole = await registeredInputs({ headers: pulumi.secret({ Authorization: "Bearer x", Accept: "application/json" }) });
    expect(isSecretForm(whole["headers"])).toBe(true);
    const output = await registeredInputs({ headers: pulumi.output({ Authorization: "Bearer x" }) });
    expect(output["headers"]).toEqual({ Authorization: "Bearer x" });
  });

  it("sends a URL given as a secret in its envelope, and one given as a plain Output plain", async () => {
    expect(isSecretForm((await registeredInputs({ url: pulumi.secret("https://hooks.slack.com/services/T0/B0/abc") }))["url"])).toBe(true);
    expect((await registeredInputs({ url: pulumi.output("https://api.example.com/orders") }))["url"]).toBe(
      "https://api.example.com/orders",
    );
  });

  it.each([
    ["secretHeaderNames", ["Authorization"]],
    ["urlGivenAsSecret", true],
  ])("refuses %s, a field the contract does not have", (field, value) => {
    expect(() => new CustomAction("by-hand", { ...base, [field]: value } as CustomActionArgs)).toThrow(
      new RegExp(`unknown field "${field}"`),
    );
  });
});
