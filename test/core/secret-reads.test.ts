/**
 * The pieces behind "nothing derived from a secret" (issue 5, item 4): the read-tracking settings,
 * the field a read is named by, whole-token hosts in redaction, unknown keys of Output values, and
 * the SDK proxy's key followed only on the SDK's own proxy.
 */
import fc from "fast-check";
import { unknownCheckingProxy } from "@pulumi/policy/proxy";
import { secretTextsOf, secretValuesOf } from "../../core/control";
import { evaluateResourcePolicy } from "../../core/evaluate";
import { redactSecrets } from "../../core/redaction";
import { fieldOfSecretRead, trackSecretReads } from "../../core/secret-reads";
import { rawProperties } from "../../core/sdk/policy-proxy";
import { validateKnownInputs } from "../../core/validation";
import { resourcePolicies } from "../../policies";
import { secretRotation } from "../../policies/messenger-security/messenger-secret-rotation";
import { messengerSecurityControl, ssoEnforcementControl } from "../../resources";
import { recase } from "../support/canary";
import { now, secure, secureSample } from "../support/fixtures";
import { propertyParameters } from "../support/property";

// The SDK's own proxy, the one its policy server hands policies: it is @internal, so the published typings leave it out.
declare module "@pulumi/policy/proxy" {
  export function unknownCheckingProxy<T extends object>(toProxy: T): T;
}

describe("trackSecretReads", () => {
  const settings = { plain: "p", list: ["a", "b"], nested: { secret: "s", other: 1 }, record: { k1: "v1" } };
  const secretAt = (paths: string[]) => (path: readonly (string | number)[]) => paths.some((p) => path.join(".").startsWith(p));

  it("records leaf reads, a list's length and keys inside a secret; not a parent's keys, nor plain reads", () => {
    const tracked = trackSecretReads(settings, secretAt(["list", "nested.secret", "record.k1"]));
    void tracked.settings.plain;
    void Object.keys(tracked.settings.record);
    void tracked.settings.nested.other;
    expect(tracked.reads()).toEqual([]);
    void tracked.settings.list.length;
    void tracked.settings.nested.secret;
    void Object.values(tracked.settings.record);
    expect(tracked.reads()).toEqual([["list"], ["nested", "secret"], ["record", "k1"]]);
  });

  it("sees reads made by spreading, JSON and array methods, and Object.keys of a secret object", () => {
    for (const read of [
      (s: typeof settings) => JSON.stringify(s.nested),
      (s: typeof settings) => ({ ...s.nested }),
      (s: typeof settings) => s.list.map((x) => x.toUpperCase()),
      (s: typeof settings) => Object.entries(s.nested),
      (s: typeof settings) => Object.keys(s.nested),
    ]) {
      const tracked = trackSecretReads(settings, secretAt(["nested", "list"]));
      read(tracked.settings);
      expect(tracked.reads().length).toBeGreaterThan(0);
    }
  });

  it("names a read by the field that arrived secret, before list indexes and record keys a `*` selects", () => {
    expect(fieldOfSecretRead(["entries", 3], [], [])).toEqual(["entries"]);
    expect(fieldOfSecretRead(["saml", "idpCertificate"], [["saml"]], [])).toEqual(["saml"]);
    expect(fieldOfSecretRead(["headers", "ghp_token"], [], ["headers.*"])).toEqual(["headers"]);
  });
});

describe("a resource policy whose check read a secret value", () => {
  const messenger = { ...secure.webMessengerSecurity, secretRotatedAt: "2019-03-17" };

  it("keeps its status and names the field, nothing derived; the same value not secret is described", () => {
    const plain = evaluateResourcePolicy(secretRotation, { name: "ms", props: messenger }, { now });
    expect(plain?.[0]?.message).toMatch(/days ago/);
    const secret = evaluateResourcePolicy(secretRotation, { name: "ms", props: messenger }, { now, sentAsSecret: [["secretRotatedAt"]] });
    expect(secret).toEqual([
      expect.objectContaining({
        status: "needs_review",
        message: `MessengerSecurity "ms": the finding rests on secret values (secretRotatedAt), so it is not described further. ${secretRotation.description}`,
      }),
    ]);
  });

  it("for every resource policy on Intercom's (insecure) defaults, any fields sent as secret: its messages name only fields", () => {
    let reviewed = 0;
    fc.assert(
      fc.property(fc.constantFrom(...resourcePolicies), fc.integer(), (policy, seed) => {
        const defaults = policy.control.intercomDefaults?.[0];
        const props = defaults ? { ...defaults, workspaceId: "abc123xyz" } : secureSample(policy.control);
        const fields = Object.keys(props).filter((f, i) => f !== "workspaceId" && (seed >>> i) & 1);
        const findings = evaluateResourcePolicy(policy, { name: "r", props }, { now, sentAsSecret: fields.map((f) => [f]) }) ?? [];
        const read = new Set(fields);
        for (const f of findings.filter((x) => x.status === "needs_review")) {
          const named = /^\w+ "r": the finding rests on secret values \(([^)]*)\), so it is not described further\. /.exec(f.message);
          // Described in full only when it read none of the secret fields; otherwise it names only those.
          if (named) {
            reviewed += 1;
            for (const field of (named[1] as string).split(", ")) expect(read.has(field.split(".")[0] as string)).toBe(true);
          }
        }
      }),
      propertyParameters(150),
    );
    expect(reviewed).toBeGreaterThan(0);
  });
});

describe("redaction of a secret URL's host, user-info and email parts, however short", () => {
  const label = fc.stringMatching(/^[a-z][a-z0-9]{0,4}$/);
  it("hides each as a whole token in any casing", () => {
    fc.assert(
      fc.property(label, label, label, fc.integer(), (host, user, local, seed) => {
        const url = `http://${user}:pw@${recase(host, seed)}:8443/orders`;
        const email = `${local}@${host}.zz-example.net`;
        const message = `targets a single-label name (${host.toLowerCase()}) as ${user.toUpperCase()}; mail ${local}`;
        const out = redactSecrets(message, [url, email]);
        for (const token of [host, user, local])
          expect(out.toLowerCase()).not.toMatch(new RegExp(`(^|[^a-z0-9_-])${token}($|[^a-z0-9_-])`));
      }),
      propertyParameters(100),
    );
  });
});

describe("unknown keys of a value from an Output", () => {
  it("are counted, not named", () => {
    const saml = { ...(secureSample(ssoEnforcementControl)["saml"] as object), CANARYKEY: "v", OTHERKEY: "w" };
    const known = { ...secureSample(ssoEnforcementControl), saml };
    const problems = validateKnownInputs(ssoEnforcementControl, known, Object.keys(known), { hideGivenValues: true });
    const text = problems.map((p) => p.message).join("\n");
    expect(text).toMatch(/field saml: 2 unknown fields \(names not shown/);
    expect(text).not.toMatch(/CANARYKEY|OTHERKEY/);
    // Given values shown (not from an Output): the names are named, as before.
    expect(
      validateKnownInputs(ssoEnforcementControl, known, Object.keys(known))
        .map((p) => p.message)
        .join(),
    ).toMatch(/CANARYKEY/);
  });
});

describe("the SDK proxy's key", () => {
  it("is followed on the SDK's own proxy only: a program's own key hides no secret from the tool", () => {
    const props = { ...secureSample(messengerSecurityControl), apiSecret: "canary-api-secret-1", __getSpecialProxyTarget: {} };
    expect(rawProperties(props)).toBe(props);
    expect(secretValuesOf(messengerSecurityControl, props)).toContain("canary-api-secret-1");
    expect(secretTextsOf(messengerSecurityControl, props)).toContain("canary-api-secret-1");
    const proxied = unknownCheckingProxy(props);
    expect(rawProperties(proxied)).toBe(props);
    expect(secretValuesOf(messengerSecurityControl, proxied)).toContain("canary-api-secret-1");
  });
});
