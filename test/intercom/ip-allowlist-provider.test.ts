/**
 * IpAllowlist's provider through its whole lifecycle against Prism serving Intercom's 2.16
 * description: create = PUT, refresh and import = GET, diff, update = PUT, delete = PUT off and
 * empty; 422, 429 with retry, 401. Every request it sends must validate (checked after each test).
 */
import * as http from "http";
import * as net from "net";
import fc from "fast-check";
import { ipAllowlistProvider } from "../../intercom/ip-allowlist-provider";
import type { ProviderState } from "../../intercom/ip-allowlist-api";
import { derivedForms } from "../../core/redaction";
import { propertyParameters } from "../support/property";
import { PrismServer, useIntercomPrism } from "../support/prism";
import { createThroughRevivedProvider } from "../support/revived-provider";

const token = "tok_ipallowlist_test_9f8e7d6c5b4a39281706";
/** Prism answers GET and PUT /ip_allowlist with the description's example. */
const intercomExample = { enabled: true, entries: ["192.168.1.0/24", "10.0.0.1"] };
const declared = { workspaceId: "abc123xyz", scope: "rest_api", enabled: false, entries: [] as string[], __provider: "serialized" };

let prism: PrismServer;
useIntercomPrism((server) => (prism = server));

function configured(sleeps: number[] = []): ProviderState {
  return {
    config: { get: (key) => ({ "intercom:accessToken": token })[key] },
    clientOptions: { sleep: async (ms) => void sleeps.push(ms) },
  };
}

const putBodies = () => prism.exchanges.filter((e) => e.method === "PUT" && !e.injected).map((e) => JSON.parse(e.requestBody) as unknown);

describe("without a token, or for the dashboard scope: declared state only", () => {
  it("records the settings, says so, and sends nothing", async () => {
    const provider = ipAllowlistProvider({});
    const created = await provider.create(declared);
    expect(created.outs).toEqual({ workspaceId: "abc123xyz", scope: "rest_api", enabled: false, entries: [], appliedThrough: "declared" });
    const dashboard = await ipAllowlistProvider(configured()).create({ ...declared, scope: "dashboard" });
    expect(dashboard.outs.appliedThrough).toBe("declared");
    expect(prism.exchanges).toHaveLength(0);
  });

  it("cannot import without a token, and never imports the dashboard scope", async () => {
    await expect(ipAllowlistProvider({}).read!("IpAllowlist/abc123xyz/rest_api")).rejects.toThrow(/access token/);
    await expect(ipAllowlistProvider(configured()).read!("IpAllowlist/abc123xyz/dashboard")).rejects.toThrow(/only the REST API allowlist/);
  });
});

describe("applied through the API", () => {
  it("create PUTs the declared settings and outputs what Intercom saved", async () => {
    const created = await ipAllowlistProvider(configured()).create(declared);
    expect(created.id).toBe("IpAllowlist/abc123xyz/rest_api");
    expect(putBodies()).toEqual([{ enabled: false, ip_allowlist: [] }]);
    expect(prism.exchanges[0]!.requestHeaders["intercom-version"]).toBe("2.16");
    expect(created.outs).toEqual({ workspaceId: "abc123xyz", scope: "rest_api", ...intercomExample, appliedThrough: "api" });
  });

  it("refresh reads the live allowlist (an out-of-band change shows), and the next diff wants it back", async () => {
    const provider = ipAllowlistProvider(configured());
    const recorded = { workspaceId: "abc123xyz", scope: "rest_api", enabled: false, entries: [], appliedThrough: "api" };
    const refreshed = await provider.read!("IpAllowlist/abc123xyz/rest_api", recorded);
    expect(prism.exchanges.map((e) => e.method)).toEqual(["GET"]);
    expect(refreshed.props).toEqual({ ...recorded, ...intercomExample });
    expect(refreshed.inputs).toEqual({ workspaceId: "abc123xyz", scope: "rest_api", ...intercomExample });
    const diff = await provider.diff!("IpAllowlist/abc123xyz/rest_api", refreshed.props, declared);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
  });

  it("diff: same settings, no change; another workspace or scope replaces; a token configured since applies it", async () => {
    const provider = ipAllowlistProvider(configured());
    const olds = { workspaceId: "abc123xyz", scope: "rest_api", enabled: false, entries: [], appliedThrough: "api" };
    expect((await provider.diff!("id", olds, declared)).changes).toBe(false);
    expect(await provider.diff!("id", olds, { ...declared, workspaceId: "zzz999yyy" })).toMatchObject({
      changes: true,
      replaces: ["workspaceId"],
    });
    expect(await provider.diff!("id", olds, { ...declared, scope: "dashboard" })).toMatchObject({ changes: true, replaces: ["scope"] });
    expect((await provider.diff!("id", { ...olds, appliedThrough: "declared" }, declared)).changes).toBe(true);
    expect(prism.exchanges).toHaveLength(0);
  });

  it("update PUTs the new settings", async () => {
    const updated = await ipAllowlistProvider(configured()).update!(
      "IpAllowlist/abc123xyz/rest_api",
      {},
      { ...declared, enabled: true, entries: ["203.0.113.0/24"] },
    );
    expect(putBodies()).toEqual([{ enabled: true, ip_allowlist: ["203.0.113.0/24"] }]);
    expect(updated.outs).toMatchObject({ appliedThrough: "api", ...intercomExample });
  });

  it("delete turns the REST API allowlist off and empties it (Intercom's default); declared state deletes nothing", async () => {
    const provider = ipAllowlistProvider(configured());
    await provider.delete!("IpAllowlist/abc123xyz/rest_api", {
      workspaceId: "abc123xyz",
      scope: "rest_api",
      enabled: true,
      entries: ["203.0.113.0/24"],
      appliedThrough: "api",
    });
    expect(putBodies()).toEqual([{ enabled: false, ip_allowlist: [] }]);
    prism.reset();
    await provider.delete!("IpAllowlist/abc123xyz/rest_api", {
      workspaceId: "abc123xyz",
      scope: "rest_api",
      enabled: true,
      entries: [],
      appliedThrough: "declared",
    });
    expect(prism.exchanges).toHaveLength(0);
    await expect(
      ipAllowlistProvider({}).delete!("id", {
        workspaceId: "abc123xyz",
        scope: "rest_api",
        enabled: true,
        entries: [],
        appliedThrough: "api",
      }),
    ).rejects.toThrow(/needs the access token/);
  });

  it("import by id reads the workspace's allowlist", async () => {
    const imported = await ipAllowlistProvider(configured()).read!("IpAllowlist/abc123xyz/rest_api");
    expect(prism.exchanges.map((e) => e.method)).toEqual(["GET"]);
    expect(imported.inputs).toEqual({ workspaceId: "abc123xyz", scope: "rest_api", ...intercomExample });
    expect(imported.props).toMatchObject({ appliedThrough: "api" });
  });
});

describe("refusals", () => {
  it("422: a change that would lock the caller out fails the create, saying why", async () => {
    prism.prefer("code=422");
    await expect(ipAllowlistProvider(configured()).create({ ...declared, enabled: true, entries: ["203.0.113.7"] })).rejects.toThrow(
      /refused the change \(422\).*lock you out/,
    );
  });

  it("429: retried after Retry-After, then applied", async () => {
    const sleeps: number[] = [];
    prism.inject({ status: 429, headers: { "retry-after": "3" } });
    const created = await ipAllowlistProvider(configured(sleeps)).create(declared);
    expect(sleeps).toEqual([3000]);
    expect(created.outs).toMatchObject({ appliedThrough: "api" });
    expect(putBodies()).toEqual([{ enabled: false, ip_allowlist: [] }]);
  });

  it("401: refresh fails with a message naming where the token comes from, never the token", async () => {
    prism.prefer("code=401");
    const error = (await ipAllowlistProvider(configured()).read!("IpAllowlist/abc123xyz/rest_api").catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/rejected the access token \(401\)/);
    for (const form of [token, ...derivedForms(token).anywhere]) expect(error.message).not.toContain(form);
  });
});

describe("as Pulumi runs it", () => {
  it("serializes without the token; deserialized in another process (dist), configured by the stack, it applies through the API", async () => {
    const result = await createThroughRevivedProvider("ip-allowlist-provider.js", "ipAllowlistProvider", {
      baseUrl: prism.url,
      token,
      inputs: declared,
    });
    expect(result.text).not.toContain(token);
    expect(result.text).toContain("ip-allowlist-api");
    expect(result.outs).toMatchObject({ appliedThrough: "api", ...intercomExample });
    expect(putBodies()).toEqual([{ enabled: false, ip_allowlist: [] }]);
  });
});

describe("replacement, in the order Pulumi carries it out", () => {
  /** One workspace's REST API allowlist, as Intercom holds it: the token names the workspace, whatever the program calls it. */
  async function statefulIntercom(): Promise<{ url: string; live: () => unknown; close: () => Promise<void> }> {
    let live: unknown = { type: "ip_allowlist", enabled: false, ip_allowlist: [] };
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        if (req.method === "PUT") live = { type: "ip_allowlist", ...(JSON.parse(body) as object) };
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(live));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    return { url: `http://127.0.0.1:${port}`, live: () => live, close: () => new Promise((resolve) => server.close(() => resolve())) };
  }

  it("a replacement (another workspace id or scope) leaves Intercom with the new settings, never the old resource's delete", async () => {
    const intercom = await statefulIntercom();
    process.env.INTERCOM_API_BASE_URL = intercom.url;
    try {
      const entry = fc.ipV4().map((ip) => `${ip}/32`);
      const settings = fc.record({ enabled: fc.constant(true), entries: fc.uniqueArray(entry, { minLength: 1, maxLength: 4 }) });
      await fc.assert(
        fc.asyncProperty(settings, settings, fc.constantFrom("zzz999yyy", "abc123xyz"), async (before, after, workspaceId) => {
          const provider = ipAllowlistProvider(configured());
          const olds = (await provider.create({ ...declared, ...before })).outs;
          const news = { ...declared, ...after, workspaceId };
          const diff = await provider.diff!("IpAllowlist/abc123xyz/rest_api", olds, news);
          if ((diff.replaces ?? []).length === 0) return;
          // Pulumi replaces create-before-delete unless the provider asks for delete-before-replace.
          if (diff.deleteBeforeReplace) {
            await provider.delete!("IpAllowlist/abc123xyz/rest_api", olds);
            await provider.create(news);
          } else {
            await provider.create(news);
            await provider.delete!("IpAllowlist/abc123xyz/rest_api", olds);
          }
          expect(intercom.live()).toEqual({ type: "ip_allowlist", enabled: true, ip_allowlist: after.entries });
        }),
        propertyParameters(15),
      );
    } finally {
      process.env.INTERCOM_API_BASE_URL = prism.url;
      await intercom.close();
    }
  });
});
