/**
 * IdentityVerificationSecret's provider through its whole lifecycle against Prism serving Intercom's
 * Preview description (the only one with /secure_mode_secrets): create = POST (the material captured
 * once), refresh and import = GET (metadata only), rotate = a new secret created before the old one is
 * deleted, delete = DELETE; 422, 401; and no token or material in any output but the `secret` output,
 * nor in any error message or log line. Every request it sends must validate (checked after each test).
 */
import fc from "fast-check";
import { identityVerificationSecretProvider } from "../../intercom/identity-verification-secret-provider";
import {
  ProviderState,
  readLiveIdentityVerificationSecrets,
  readLiveMessengerSecretRotation,
  secretRotationByPlatform,
} from "../../intercom/identity-verification-secret-api";
import { IntercomClient } from "../../intercom/client";
import { derivedForms, foldForComparison } from "../../core/redaction";
import { propertyParameters } from "../support/property";
import { PrismServer, useIntercomPrism, vendoredDescriptions } from "../support/prism";
import { createThroughRevivedProvider } from "../support/revived-provider";

const token = "tok_secrets_test_5c4b3a29180716f5e4d3";
/** Prism's examples: POST creates secret 103 with this material; GET lists secret 102. */
const createdExample = { secretId: "103", createdAt: new Date(1734537500 * 1000).toISOString() };
const exampleMaterial = "9Zw0xNs3vKk0fPz9rwKqNbzH3mPVQmQxL9vhSm9Tk4A";
const listedExample = { secretId: "102", name: "Production Web", platforms: ["web"], createdAt: new Date(1734537243 * 1000).toISOString() };
const declared = { workspaceId: "abc123xyz", name: "Production Web", platforms: ["web"], rotation: "2026-11", __provider: "serialized" };

let prism: PrismServer;
useIntercomPrism((server) => (prism = server), vendoredDescriptions.preview);

function configured(withToken = token): ProviderState {
  return {
    config: { get: (key) => ({ "intercom:accessToken": withToken })[key] },
    clientOptions: { sleep: async () => undefined },
  };
}

const requests = () => prism.exchanges.map((e) => `${e.method} ${e.path}`);
const lastOutputs = (overrides: Record<string, unknown> = {}) => ({
  workspaceId: "abc123xyz",
  name: "Production Web",
  platforms: ["web"],
  rotation: "2026-11",
  secretId: "102",
  createdAt: listedExample.createdAt,
  secret: "material-captured-at-create-0000000000",
  appliedThrough: "api",
  ...overrides,
});

/** A list body as Intercom's description shapes it. */
function listBody(entries: { id: string; name?: string; web?: boolean; ios?: boolean; android?: boolean; createdAt: number }[]): string {
  return JSON.stringify({
    type: "list",
    data: entries.map((e) => ({
      type: "identity_verification_secret",
      id: e.id,
      name: e.name ?? "Production Web",
      supports_android: e.android ?? false,
      supports_ios: e.ios ?? false,
      supports_web: e.web ?? false,
      created_at: e.createdAt,
    })),
  });
}

describe("without a token", () => {
  it("create, import and delete fail saying a secret needs the API, and send nothing", async () => {
    const provider = identityVerificationSecretProvider({});
    await expect(provider.create(declared)).rejects.toThrow(/goes through Intercom's API.*intercom:accessToken or INTERCOM_ACCESS_TOKEN/);
    await expect(provider.read!("IdentityVerificationSecret/abc123xyz/102")).rejects.toThrow(/access ?token/i);
    await expect(provider.delete!("IdentityVerificationSecret/abc123xyz/102", lastOutputs())).rejects.toThrow(/access ?token/i);
    expect(prism.exchanges).toHaveLength(0);
  });
});

describe("the lifecycle", () => {
  it("create POSTs name and platform flags with Intercom-Version: Preview, and captures the material once", async () => {
    const created = await identityVerificationSecretProvider(configured()).create(declared);
    expect(requests()).toEqual(["POST /secure_mode_secrets"]);
    const [post] = prism.exchanges;
    expect(post!.requestHeaders["intercom-version"]).toBe("Preview");
    expect(JSON.parse(post!.requestBody)).toEqual({
      name: "Production Web",
      supports_web: true,
      supports_ios: false,
      supports_android: false,
    });
    expect(created.id).toBe("IdentityVerificationSecret/abc123xyz/103");
    // What Intercom answered, the material in `secret`, and nothing else of it.
    expect(created.outs).toEqual({
      workspaceId: "abc123xyz",
      name: "Production Web",
      platforms: ["web"],
      rotation: "2026-11",
      ...createdExample,
      secret: exampleMaterial,
      appliedThrough: "api",
    });
  });

  it("refresh reads the metadata, keeps the material captured at create, and an out-of-band change shows in the next diff", async () => {
    const provider = identityVerificationSecretProvider(configured());
    const recorded = lastOutputs({ platforms: ["web", "ios"] });
    const refreshed = await provider.read!("IdentityVerificationSecret/abc123xyz/102", recorded);
    expect(requests()).toEqual(["GET /secure_mode_secrets"]);
    expect(prism.exchanges[0]!.requestHeaders["intercom-version"]).toBe("Preview");
    // Someone turned iOS off in Intercom: the live secret signs for the web only.
    expect(refreshed.id).toBe("IdentityVerificationSecret/abc123xyz/102");
    expect(refreshed.props).toEqual({ ...recorded, platforms: ["web"] });
    expect(refreshed.inputs).toEqual({ workspaceId: "abc123xyz", name: "Production Web", platforms: ["web"], rotation: "2026-11" });
    const diff = await provider.diff!("id", refreshed.props, { ...declared, platforms: ["web", "ios"] });
    expect(diff).toEqual({ changes: true, replaces: ["platforms"], deleteBeforeReplace: false });
  });

  it("refresh of a secret deleted out of band reads it as gone (empty id), so Pulumi drops it and the next up creates one", async () => {
    const refreshed = await identityVerificationSecretProvider(configured()).read!(
      "IdentityVerificationSecret/abc123xyz/999",
      lastOutputs({ secretId: "999" }),
    );
    expect(refreshed.id).toBe("");
    expect(requests()).toEqual(["GET /secure_mode_secrets"]);
  });

  it("diff: same inputs (platforms as a set) change nothing; every input change replaces; outputs are not inputs", async () => {
    const provider = identityVerificationSecretProvider(configured());
    const olds = lastOutputs({ platforms: ["web", "ios"] });
    expect(await provider.diff!("id", olds, { ...declared, platforms: ["ios", "web"] })).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    for (const [field, value] of [
      ["workspaceId", "zzz999yyy"],
      ["name", "Production Web 2"],
      ["platforms", ["web", "ios", "android"]],
      ["rotation", "2027-05"],
    ] as const) {
      expect(await provider.diff!("id", olds, { ...declared, platforms: ["web", "ios"], [field]: value })).toEqual({
        changes: true,
        replaces: [field],
        deleteBeforeReplace: false,
      });
    }
    // Removing the trigger is a change of it too (replaces); an imported secret has none until one is declared.
    expect((await provider.diff!("id", olds, { ...declared, platforms: ["web", "ios"], rotation: undefined })).replaces).toEqual([
      "rotation",
    ]);
    expect(prism.exchanges).toHaveLength(0);
  });

  it("rotate: a changed `rotation` replaces create-before-delete; the engine's order gives POST (new) then DELETE (old)", async () => {
    const provider = identityVerificationSecretProvider(configured());
    const olds = lastOutputs();
    const diff = await provider.diff!("IdentityVerificationSecret/abc123xyz/102", olds, { ...declared, rotation: "2027-05" });
    // deleteBeforeReplace false: Pulumi creates the replacement, updates dependents, and deletes the old one last.
    expect(diff).toEqual({ changes: true, replaces: ["rotation"], deleteBeforeReplace: false });
    prism.rewrite((request, status, body) =>
      request.method === "POST" && status === 201
        ? JSON.stringify({ ...JSON.parse(body), id: "104", secret: "rotated-material-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" })
        : undefined,
    );
    const replacement = await provider.create({ ...declared, rotation: "2027-05" });
    await provider.delete!("IdentityVerificationSecret/abc123xyz/102", olds);
    expect(requests()).toEqual(["POST /secure_mode_secrets", "DELETE /secure_mode_secrets/102"]);
    expect(replacement.id).toBe("IdentityVerificationSecret/abc123xyz/104");
    expect(replacement.outs).toMatchObject({
      secretId: "104",
      rotation: "2027-05",
      secret: "rotated-material-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    });
  });

  it("import by id reads the metadata: the inputs a program declares to match, and no material", async () => {
    const provider = identityVerificationSecretProvider(configured());
    const imported = await provider.read!("IdentityVerificationSecret/abc123xyz/102");
    // The engine may give an import empty state rather than none: the same read.
    expect(await provider.read!("IdentityVerificationSecret/abc123xyz/102", {})).toEqual(imported);
    expect(requests()).toEqual(["GET /secure_mode_secrets", "GET /secure_mode_secrets"]);
    expect(imported.inputs).toEqual({ workspaceId: "abc123xyz", name: "Production Web", platforms: ["web"] });
    expect(imported.props).toEqual({
      workspaceId: "abc123xyz",
      name: "Production Web",
      platforms: ["web"],
      secretId: "102",
      createdAt: listedExample.createdAt,
      appliedThrough: "api",
    });
  });

  it("import refuses a malformed id or one that leaves the path, before any request; an id not listed fails", async () => {
    const provider = identityVerificationSecretProvider(configured());
    for (const id of [
      "102",
      "IdentityVerificationSecret/abc123xyz/../admins",
      "IdentityVerificationSecret/ABC/102",
      "IpAllowlist/abc123xyz/102",
    ]) {
      await expect(provider.read!(id)).rejects.toThrow(/IdentityVerificationSecret\/<workspaceId>\/<secret id>/);
    }
    expect(prism.exchanges).toHaveLength(0);
    await expect(provider.read!("IdentityVerificationSecret/abc123xyz/555")).rejects.toThrow(/no secret with id 555/);
  });

  it("delete DELETEs the secret by Intercom's id; one already gone (404) counts as deleted", async () => {
    const provider = identityVerificationSecretProvider(configured());
    await provider.delete!("IdentityVerificationSecret/abc123xyz/102", lastOutputs());
    expect(requests()).toEqual(["DELETE /secure_mode_secrets/102"]);
    expect(prism.exchanges[0]!.status).toBe(204);
    expect(prism.exchanges[0]!.requestHeaders["intercom-version"]).toBe("Preview");
    prism.reset();
    prism.prefer("code=404");
    await provider.delete!("IdentityVerificationSecret/abc123xyz/102", lastOutputs());
    expect(prism.exchanges.map((e) => e.status)).toEqual([404]);
  });

  it("a create whose response holds no material deletes the secret it made and fails (a secret nobody holds is useless)", async () => {
    prism.rewrite((request, status, body) => {
      if (request.method !== "POST" || status !== 201) return undefined;
      const { secret: _dropped, ...rest } = JSON.parse(body) as Record<string, unknown>;
      return JSON.stringify(rest);
    });
    await expect(identityVerificationSecretProvider(configured()).create(declared)).rejects.toThrow(
      /held no secret material.*\(103\) was deleted/,
    );
    expect(requests()).toEqual(["POST /secure_mode_secrets", "DELETE /secure_mode_secrets/103"]);
  });

  it("a create Intercom answers for other platforms than asked deletes that secret and fails (else every update would rotate it)", async () => {
    // Prism answers with its example, a web-only secret, whatever was asked.
    await expect(identityVerificationSecretProvider(configured()).create({ ...declared, platforms: ["ios", "web"] })).rejects.toThrow(
      /created a secret for web, not the one asked for \(web, ios\); the secret it created \(103\) was deleted again/,
    );
    expect(JSON.parse(prism.exchanges[0]!.requestBody)).toEqual({
      name: "Production Web",
      supports_web: true,
      supports_ios: true,
      supports_android: false,
    });
    expect(requests()).toEqual(["POST /secure_mode_secrets", "DELETE /secure_mode_secrets/103"]);
  });

  it("a create whose response cannot be read as a secret deletes what it can name, and says what it cannot", async () => {
    const provider = identityVerificationSecretProvider(configured());
    prism.rewrite((request, status, body) => {
      if (request.method !== "POST" || status !== 201) return undefined;
      const { created_at: _dropped, ...rest } = JSON.parse(body) as Record<string, unknown>;
      return JSON.stringify(rest);
    });
    await expect(provider.create(declared)).rejects.toThrow(/no created_at.*\(103\) was deleted again/);
    expect(requests()).toEqual(["POST /secure_mode_secrets", "DELETE /secure_mode_secrets/103"]);
    prism.reset();
    prism.rewrite((request) => (request.method === "POST" ? "<html>created</html>" : undefined));
    await expect(provider.create(declared)).rejects.toThrow(/is not JSON; a secret may have been created that nobody holds/);
    expect(requests()).toEqual(["POST /secure_mode_secrets"]);
  });
});

describe("refusals", () => {
  it("429 on create: retried after Retry-After (Intercom did not act on it), so exactly one secret is created", async () => {
    const sleeps: number[] = [];
    prism.inject({ status: 429, headers: { "retry-after": "2" } });
    const provider = identityVerificationSecretProvider({ ...configured(), clientOptions: { sleep: async (ms) => void sleeps.push(ms) } });
    const created = await provider.create(declared);
    expect(sleeps).toEqual([2000]);
    expect(prism.exchanges.filter((e) => !e.injected).map((e) => `${e.method} ${e.path}`)).toEqual(["POST /secure_mode_secrets"]);
    expect(created.outs).toMatchObject({ secretId: "103", appliedThrough: "api" });
  });

  it("a 5xx or a lost answer on create: not sent again (a POST), and the error says a secret may exist that nobody holds", async () => {
    prism.inject({ status: 503 });
    await expect(identityVerificationSecretProvider(configured()).create(declared)).rejects.toThrow(
      /a secret may have been created that nobody holds/,
    );
    expect(prism.exchanges.map((e) => `${e.method} ${e.path}`)).toEqual(["POST /secure_mode_secrets"]);
  });

  it("422: Intercom's reason fails the create", async () => {
    prism.prefer("code=422");
    await expect(identityVerificationSecretProvider(configured()).create(declared)).rejects.toThrow(
      /refused the change \(422\): name is required/,
    );
  });

  it("401: refresh and delete fail naming where the token comes from, never the token", async () => {
    prism.prefer("code=401");
    const provider = identityVerificationSecretProvider(configured());
    for (const attempt of [
      () => provider.read!("IdentityVerificationSecret/abc123xyz/102", lastOutputs()),
      () => provider.delete!("IdentityVerificationSecret/abc123xyz/102", lastOutputs()),
    ]) {
      const error = (await attempt().catch((e: unknown) => e)) as Error;
      expect(error.message).toMatch(/rejected the access token \(401\).*INTERCOM_ACCESS_TOKEN or intercom:accessToken/);
      expect(error.message).not.toContain(token);
      expect(error.message).not.toContain("material-captured-at-create");
    }
  });
});

describe("live readers (audit --live, import)", () => {
  const client = () => new IntercomClient({ token, baseUrl: prism.url });

  it("list every secret's metadata as IdentityVerificationSecret inputs; the material is unreadable", async () => {
    const live = await readLiveIdentityVerificationSecrets(client(), "abc123xyz");
    expect(requests()).toEqual(["GET /secure_mode_secrets"]);
    expect(live).toEqual([
      {
        control: "IdentityVerificationSecret",
        name: "identity-verification-secret-102",
        props: { workspaceId: "abc123xyz", name: "Production Web", platforms: ["web"] },
        unreadable: ["secret"],
        metadata: { secretId: "102", createdAt: listedExample.createdAt },
      },
    ]);
  });

  it("MessengerSecurity's rotation date per platform is its OLDEST live secret's; the rest is unreadable", async () => {
    prism.rewrite((request) =>
      request.method === "GET"
        ? listBody([
            { id: "1", web: true, ios: true, createdAt: 1700000000 },
            { id: "2", web: true, createdAt: 1760000000 },
            { id: "3", android: true, createdAt: 1750000000 },
          ])
        : undefined,
    );
    const live = await readLiveMessengerSecretRotation(client(), "abc123xyz");
    const at = (seconds: number) => new Date(seconds * 1000).toISOString();
    expect(live.map((c) => [c.props.platform, c.props.secretRotatedAt])).toEqual([
      ["web", at(1700000000)],
      ["ios", at(1700000000)],
      ["android", at(1750000000)],
    ]);
    for (const control of live) {
      expect(control.control).toBe("MessengerSecurity");
      expect(control.unreadable).toEqual(["identityVerification", "enforced", "jwtExpirySeconds", "apiSecret"]);
    }
    expect(secretRotationByPlatform([])).toEqual({});
  });

  it("a list entry without a platform flag is not read as false: the read fails instead", async () => {
    prism.rewrite((request) =>
      request.method === "GET"
        ? JSON.stringify({ type: "list", data: [{ id: "1", name: "x", supports_web: true, created_at: 1 }] })
        : undefined,
    );
    await expect(readLiveIdentityVerificationSecrets(client(), "abc123xyz")).rejects.toThrow(/no supports_ios/);
  });
});

describe("no token or material leaks", () => {
  /** Tokens and secrets shaped like Intercom's (base64 / base64url, long). */
  const tokens = fc.base64String({ minLength: 40, maxLength: 80 }).filter((t) => t.replace(/=/g, "").length >= 24);
  const materials = fc.stringMatching(/^[A-Za-z0-9_-]{32,64}$/);

  /** A value leaks when it, a derived form of it, or any run of 10 of its characters (V8 quotes about that much of bad JSON) appears. */
  function leaksOf(text: string, values: readonly string[]): string[] {
    const folded = foldForComparison(text);
    const runs = (value: string) => Array.from({ length: Math.max(1, value.length - 9) }, (_, i) => value.slice(i, i + 10));
    return values.filter(
      (value) => runs(value).some((run) => text.includes(run)) || derivedForms(value).anywhere.some((form) => folded.includes(form)),
    );
  }

  it("property: whatever the token and material, only the `secret` output holds the material; no message or log line holds either", async () => {
    const logged: string[] = [];
    const capture = (stream: NodeJS.WriteStream) =>
      jest.spyOn(stream, "write").mockImplementation((chunk: unknown) => (logged.push(String(chunk)), true));
    const spies = [
      capture(process.stdout),
      capture(process.stderr),
      ...(["log", "info", "warn", "error", "debug"] as const).map((level) =>
        jest.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" "))),
      ),
    ];
    try {
      await fc.assert(
        fc.asyncProperty(tokens, materials, async (sampleToken, material) => {
          prism.reset();
          logged.length = 0;
          const texts: string[] = [];
          const provider = identityVerificationSecretProvider(configured(sampleToken));
          // The create's response carries the generated material (Prism validated the request).
          prism.rewrite((request, status, body) =>
            request.method === "POST" && status === 201 ? JSON.stringify({ ...JSON.parse(body), secret: material }) : undefined,
          );
          const created = await provider.create(declared);
          expect(created.outs.secret).toBe(material);
          const { secret: _captured, ...otherOutputs } = created.outs;
          texts.push(created.id, JSON.stringify(otherOutputs));
          const refreshed = await provider.read!(created.id, { ...created.outs, secretId: "102" });
          const { secret: _kept, ...refreshedOthers } = refreshed.props;
          texts.push(JSON.stringify(refreshedOthers), JSON.stringify(refreshed.inputs));
          texts.push(
            JSON.stringify(
              await readLiveIdentityVerificationSecrets(new IntercomClient({ token: sampleToken, baseUrl: prism.url }), "abc123xyz"),
            ),
          );
          // A malformed create response around the material: the error quotes none of it.
          for (const malformed of [`{"secret":"${material}", oops`, `{"secret":${material}}`]) {
            prism.rewrite((request) => (request.method === "POST" ? malformed : undefined));
            texts.push(String(((await provider.create(declared).catch((e: unknown) => e)) as Error).message));
          }
          prism.rewrite(undefined);
          for (const code of ["401", "422"]) {
            prism.prefer(`code=${code}`);
            texts.push(String(((await provider.create(declared).catch((e: unknown) => e)) as Error).message));
            texts.push(String(((await provider.read!(created.id, created.outs).catch((e: unknown) => e)) as Error).message));
          }
          prism.prefer(undefined);
          texts.push(...logged);
          // Every request carried the token (so it was there to leak), and validated.
          expect(prism.exchanges.every((e) => e.requestHeaders.authorization === `Bearer ${sampleToken}`)).toBe(true);
          expect(prism.requestViolations()).toEqual([]);
          expect(texts.flatMap((text) => leaksOf(text, [sampleToken, material]))).toEqual([]);
        }),
        propertyParameters(20),
      );
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }
  });
});

describe("as Pulumi runs it", () => {
  it("serializes without the token; revived in another process (dist) and configured by the stack, it creates through the API", async () => {
    const result = await createThroughRevivedProvider("identity-verification-secret-provider.js", "identityVerificationSecretProvider", {
      baseUrl: prism.url,
      token,
      inputs: declared,
    });
    expect(result.text).not.toContain(token);
    expect(result.text).toContain("identity-verification-secret-api");
    expect(result.id).toBe("IdentityVerificationSecret/abc123xyz/103");
    expect(requests()).toEqual(["POST /secure_mode_secrets"]);
  });
});
