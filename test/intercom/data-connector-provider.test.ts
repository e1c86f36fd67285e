/**
 * CustomAction's provider and live reader against Prism serving Intercom's 2.16 description:
 * create = list (name free?) then POST (and PATCH live), refresh and import = GET, diff, update =
 * PATCH, delete = PATCH draft then DELETE; 409, 422, 429 with retry, 401; no token nor header value
 * in any output (but at its own header's path), error or log. Every request it sends must validate.
 *
 * Prism answers with the description's examples: the list holds "Order Status Service" (id 12345,
 * live) and always offers the same next cursor; POST answers connector 125 in draft.
 */
import fc from "fast-check";
import { dataConnectorProvider } from "../../intercom/data-connector-provider";
import { declaredOnlyFields, ProviderState, readLiveCustomActions } from "../../intercom/data-connector-api";
import { IntercomApiError, IntercomClient } from "../../intercom/client";
import { derivedForms } from "../../core/redaction";
import { propertyParameters } from "../support/property";
import { PrismServer, useIntercomPrism } from "../support/prism";
import { createThroughRevivedProvider } from "../support/revived-provider";

const token = "tok_dataconnector_test_0f1e2d3c4b5a69788796";
const workspaceId = "abc123xyz";
const secretHeader = "Bearer sk_live_4f3e2d1c0b9a8f7e6d5c";
const action = {
  workspaceId,
  name: "Refund lookup",
  url: "https://api.example.com/refunds/{{order_id}}",
  method: "POST",
  headers: { Authorization: secretHeader, "Content-Type": "application/json" },
  tokenId: "tok-1",
  audiences: ["users"],
  identityMatch: "user_id",
  state: "draft",
};
const declared = { ...action, __provider: "serialized" };
/** The outputs of an action applied as connector 12345 (the description's example). */
const recorded = { ...action, connectorId: "12345", appliedThrough: "api" };
const recordedId = "CustomAction/abc123xyz/12345";

let prism: PrismServer;
useIntercomPrism((server) => (prism = server));

function configured(sleeps: number[] = [], accessToken = token): ProviderState {
  return {
    config: { get: (key) => ({ "intercom:accessToken": accessToken })[key] },
    clientOptions: { sleep: async (ms) => void sleeps.push(ms) },
  };
}

const forwarded = () => prism.exchanges.filter((e) => !e.injected);
const calls = () => prism.exchanges.map((e) => `${e.method} ${e.path.split("?")[0]}`);
const writes = () =>
  forwarded()
    .filter((e) => e.method !== "GET")
    .map((e) => [e.method, e.path, e.requestBody === "" ? undefined : (JSON.parse(e.requestBody) as unknown)]);
const connectorRequest = {
  name: "Refund lookup",
  http_method: "post",
  url: "https://api.example.com/refunds/{{order_id}}",
  audiences: ["users"],
  headers: [
    { name: "Authorization", value: secretHeader },
    { name: "Content-Type", value: "application/json" },
  ],
  token_ids: ["tok-1"],
  bypass_authentication: false,
};

describe("without a token: declared state only", () => {
  it("records the settings, says so, sends nothing, and cannot import", async () => {
    const provider = dataConnectorProvider({});
    const created = await provider.create(declared);
    expect(created).toEqual({ id: "CustomAction/abc123xyz/Refund lookup", outs: { ...action, appliedThrough: "declared" } });
    expect((await provider.read!(created.id, created.outs)).props).toEqual(created.outs);
    await expect(provider.read!(recordedId)).rejects.toThrow(/access token/);
    // Applied through the API earlier, the token since removed: refresh keeps the record, and the next diff applies the change.
    expect((await provider.read!(recordedId, recorded)).props).toEqual(recorded);
    expect((await provider.diff!(recordedId, recorded, declared)).changes).toBe(true);
    await provider.delete!(created.id, created.outs);
    expect(prism.exchanges).toHaveLength(0);
  });
});

describe("applied through the API: the whole lifecycle", () => {
  it("create checks the name is free (every page), POSTs the mapped fields, and outputs what Intercom saved", async () => {
    const created = await dataConnectorProvider(configured()).create(declared);
    // The list's cursor repeats in Prism's example: the second page is the last.
    expect(calls()).toEqual(["GET /data_connectors", "GET /data_connectors", "POST /data_connectors"]);
    expect(prism.exchanges[1]!.path).toMatch(/starting_after=/);
    expect(writes()).toEqual([["POST", "/data_connectors", connectorRequest]]);
    expect(prism.exchanges[2]!.requestHeaders["intercom-version"]).toBe("2.16");
    expect(created.id).toBe("CustomAction/abc123xyz/125");
    // Prism's example connector, over the declared fields it does not return (URL, header values).
    expect(created.outs).toEqual({
      ...action,
      name: "Get Order Status",
      method: "GET",
      audiences: ["leads", "visitors"],
      state: "draft",
      bypassAuthentication: false,
      tokenId: undefined,
      connectorId: "125",
      appliedThrough: "api",
    });
    expect(Object.hasOwn(created.outs, "tokenId")).toBe(false);
  });

  it("a live action is created in draft (as Intercom does), then set live", async () => {
    await dataConnectorProvider(configured()).create({ ...declared, state: "live" });
    expect(writes()).toEqual([
      ["POST", "/data_connectors", connectorRequest],
      ["PATCH", "/data_connectors/125", { state: "live" }],
    ]);
  });

  it("setting a new connector live refused: the error says where the draft is, so the next attempt can import it", async () => {
    const list = JSON.stringify({ type: "list", data: [], pages: { type: "pages", per_page: 50, next: null } });
    prism.inject({ status: 200, body: list });
    const created = JSON.stringify({ type: "data_connector", id: "125", name: "Refund lookup", state: "draft" });
    prism.inject({ status: 201, body: created });
    prism.prefer("code=422");
    await expect(dataConnectorProvider(configured()).create({ ...declared, state: "live" })).rejects.toThrow(
      /PATCH \/data_connectors\/125: Intercom refused the change \(422\).*created in draft \(id 125\): import it with the id CustomAction\/<workspaceId>\/125/,
    );
  });

  it("create refuses a name a connector already has, naming the id to import", async () => {
    await expect(dataConnectorProvider(configured()).create({ ...declared, name: "Order Status Service" })).rejects.toThrow(
      /already has a data connector named "Order Status Service" \(id 12345\).*CustomAction\/<workspaceId>\/12345/,
    );
    expect(writes()).toEqual([]);
  });

  it("refresh reads the connector: an out-of-band change shows, and the next diff wants it back", async () => {
    const provider = dataConnectorProvider(configured());
    const refreshed = await provider.read!(recordedId, recorded);
    expect(calls()).toEqual(["GET /data_connectors/12345"]);
    expect(refreshed.props).toEqual({
      ...recorded,
      name: "Order Status Service",
      audiences: ["users", "leads"],
      state: "live",
      bypassAuthentication: false,
      tokenId: undefined,
    });
    expect(refreshed.inputs).not.toHaveProperty("connectorId");
    const diff = await provider.diff!(recordedId, refreshed.props!, declared);
    // Renamed in Intercom: the same connector is renamed back, not replaced.
    expect(diff).toMatchObject({ changes: true, replaces: [] });
  });

  it("refresh: a header added by hand shows with Intercom's redaction marker; recorded values are kept (whatever the name's case), never read", async () => {
    const detail = await (
      await fetch(`${prism.url}/data_connectors/12345`, { headers: { Authorization: "Bearer x", "Intercom-Version": "2.16" } })
    ).json();
    prism.reset();
    const headers = [
      { name: "authorization", value: "****" },
      { name: "X-Added-By-Hand", value: "****" },
    ];
    prism.inject({ status: 200, body: JSON.stringify({ ...(detail as object), headers }) });
    const refreshed = await dataConnectorProvider(configured()).read!(recordedId, recorded);
    expect(refreshed.props!.headers).toEqual({ Authorization: secretHeader, "X-Added-By-Hand": "****" });
  });

  it("refresh after the connector was deleted in Intercom: Pulumi is told it is gone (empty id)", async () => {
    prism.prefer("code=404");
    expect((await dataConnectorProvider(configured()).read!(recordedId, recorded)).id).toBe("");
  });

  it("diff: the same, reordered audiences and an absent default are no change; the workspace replaces; declared, the name replaces", async () => {
    const provider = dataConnectorProvider(configured());
    expect((await provider.diff!(recordedId, { ...recorded, bypassAuthentication: false }, declared)).changes).toBe(false);
    const two = { ...recorded, audiences: ["users", "leads"] };
    expect((await provider.diff!(recordedId, two, { ...declared, audiences: ["leads", "users"] })).changes).toBe(false);
    expect(await provider.diff!(recordedId, recorded, { ...declared, workspaceId: "zzz999yyy" })).toMatchObject({
      replaces: ["workspaceId"],
    });
    expect(await provider.diff!(recordedId, recorded, { ...declared, headers: { Authorization: "Bearer other" } })).toMatchObject({
      changes: true,
      replaces: [],
    });
    const declaredOnly = { ...action, appliedThrough: "declared" };
    expect(await provider.diff!("id", declaredOnly, { ...declared, name: "Other" })).toMatchObject({ changes: true, replaces: ["name"] });
    expect((await provider.diff!("id", declaredOnly, declared)).changes).toBe(true); // a token configured since
    expect(prism.exchanges).toHaveLength(0);
  });

  it("update PATCHes every applied field, state included; a declared-only record is created in Intercom instead", async () => {
    const provider = dataConnectorProvider(configured());
    const updated = await provider.update!(recordedId, recorded, { ...declared, state: "live" });
    expect(writes()).toEqual([["PATCH", "/data_connectors/12345", { ...connectorRequest, state: "live" }]]);
    expect(updated.outs).toMatchObject({ connectorId: "12345", appliedThrough: "api", headers: action.headers });
    prism.reset();
    const adopted = await provider.update!("CustomAction/abc123xyz/Refund lookup", { ...action, appliedThrough: "declared" }, declared);
    expect(writes()).toEqual([["POST", "/data_connectors", connectorRequest]]);
    expect(adopted.outs).toMatchObject({ connectorId: "125", appliedThrough: "api" });
  });

  it("import by id reads the connector; the fields Intercom does not return are left out", async () => {
    const provider = dataConnectorProvider(configured());
    const imported = await provider.read!(recordedId);
    expect(imported.inputs).toEqual({
      workspaceId,
      name: "Order Status Service",
      method: "POST",
      audiences: ["users", "leads"],
      state: "live",
      bypassAuthentication: false,
    });
    expect(imported.props).toMatchObject({ connectorId: "12345", appliedThrough: "api" });
    await expect(provider.read!("CustomAction/abc123xyz")).rejects.toThrow(
      /the id is CustomAction\/<workspaceId>\/<Intercom data connector id>/,
    );
    prism.prefer("code=404");
    await expect(provider.read!(recordedId)).rejects.toThrow(/no such data connector/);
  });

  it("delete drafts the connector, then deletes it", async () => {
    await dataConnectorProvider(configured()).delete!(recordedId, recorded);
    expect(writes()).toEqual([
      ["PATCH", "/data_connectors/12345", { state: "draft" }],
      ["DELETE", "/data_connectors/12345", undefined],
    ]);
    await expect(dataConnectorProvider({}).delete!(recordedId, recorded)).rejects.toThrow(/needs the access token/);
  });

  it("delete of a connector in use: Intercom's 409 becomes a message saying what to do", async () => {
    prism.prefer("code=409");
    await expect(dataConnectorProvider(configured()).delete!(recordedId, recorded)).rejects.toThrow(
      /will not delete data connector 12345 while a workflow or AI agent uses it \(409\).*retainOnDelete: true/,
    );
  });
});

describe("refusals", () => {
  it("422: Intercom's reason fails the update", async () => {
    prism.prefer("code=422");
    await expect(dataConnectorProvider(configured()).update!(recordedId, recorded, declared)).rejects.toThrow(
      /PATCH \/data_connectors\/12345: Intercom refused the change \(422\): Invalid audiences/,
    );
  });

  it("a header value Intercom echoes cut into pieces across its error entries is not shown piece by piece", async () => {
    const values = fc.stringMatching(/^[A-Za-z0-9]{24,48}$/).map((v) => `sk_live_${v}`);
    const splits = values.chain((value) =>
      fc
        .uniqueArray(fc.integer({ min: 1, max: value.length - 1 }), { minLength: 1, maxLength: 4 })
        .map((cuts) => ({ value, cuts: [...cuts].sort((a, b) => a - b) })),
    );
    await fc.assert(
      fc.asyncProperty(splits, async ({ value, cuts }) => {
        prism.reset();
        const pieces = [0, ...cuts].map((start, i) => value.slice(start, cuts[i] ?? value.length));
        prism.inject({ status: 422, body: JSON.stringify({ type: "error.list", errors: pieces.map((p) => ({ code: p, message: p })) }) });
        const news = { ...declared, headers: { "X-Api-Key": value } };
        const error = (await dataConnectorProvider(configured()).update!(recordedId, recorded, news).catch(
          (e: Error) => e,
        )) as IntercomApiError;
        expect(error).toBeInstanceOf(IntercomApiError);
        for (const shown of [error.message, error.codes.join("")]) {
          const together = shown.replace(/; |, /g, "");
          for (const form of [value, ...derivedForms(value).anywhere]) expect(together).not.toContain(form);
        }
      }),
      propertyParameters(25),
    );
  });

  it("429: retried after Retry-After, then applied", async () => {
    const sleeps: number[] = [];
    prism.inject({ status: 429, headers: { "retry-after": "4" } });
    const updated = await dataConnectorProvider(configured(sleeps)).update!(recordedId, recorded, declared);
    expect(sleeps).toEqual([4000]);
    expect(updated.outs).toMatchObject({ appliedThrough: "api" });
  });

  it("401: refresh fails naming where the token comes from", async () => {
    // The description's 401 example for /data_connectors is invalid against its own schema (request_id is no UUID): Prism generates one.
    prism.prefer("code=401, dynamic=true");
    await expect(dataConnectorProvider(configured()).read!(recordedId, recorded)).rejects.toThrow(
      /rejected the access token \(401\).*INTERCOM_ACCESS_TOKEN/,
    );
  });

  it("no token nor header value, nor a form of one, in any output (but at its header's own path), error or log", async () => {
    const tokens = fc.base64String({ minLength: 40, maxLength: 80 }).filter((t) => t.replace(/=/g, "").length >= 24);
    const headerValues = fc.string({ unit: "grapheme-ascii", minLength: 12, maxLength: 60 }).filter((v) => v.trim().length >= 12);
    const logged: string[] = [];
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((level) =>
      jest.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" "))),
    );
    try {
      await fc.assert(
        fc.asyncProperty(tokens, headerValues, async (generated, value) => {
          prism.reset();
          logged.length = 0;
          const provider = dataConnectorProvider(configured([], generated));
          const inputs = { ...declared, headers: { Authorization: `Bearer ${value}`, "X-Api-Key": value } };
          const created = await provider.create(inputs);
          const refreshed = await provider.read!(created.id, created.outs);
          // The description's 401 example for /data_connectors is invalid against its own schema (request_id is no UUID): Prism generates one.
          prism.prefer("code=401, dynamic=true");
          const unauthorized = await provider.read!(created.id, created.outs).catch((e: Error) => e);
          prism.prefer(undefined);
          // Intercom echoing the token and the header value back in its refusal.
          prism.inject({
            status: 422,
            body: JSON.stringify({
              type: "error.list",
              request_id: generated,
              errors: [{ code: "parameter_invalid", message: `header X-Api-Key=${value} rejected for ${generated}` }],
            }),
          });
          const echoed = await provider.update!(created.id, created.outs, inputs).catch((e: Error) => e);
          prism.prefer("code=409");
          const inUse = await provider.delete!(created.id, created.outs).catch((e: Error) => e);
          prism.prefer(undefined);
          expect((unauthorized as Error).message).toMatch(/\(401\)/);
          expect((echoed as Error).message).toMatch(/\(422\)/);
          expect((inUse as Error).message).toMatch(/\(409\)/);
          // Header values stay at their own path (Pulumi keeps each one's secretness there) and nowhere else.
          expect(created.outs.headers).toEqual(inputs.headers);
          expect(refreshed.props!.headers).toEqual(inputs.headers);
          const withoutHeaders = [created.outs, refreshed.props!, refreshed.inputs!].map(({ headers: _headers, ...rest }) => rest);
          const shown = [
            JSON.stringify(withoutHeaders),
            created.id,
            ...[unauthorized, echoed, inUse].map((e) => `${(e as Error).message} ${JSON.stringify(e)}`),
            ...logged,
          ].join("\n");
          for (const secret of [generated, value, `Bearer ${value}`]) {
            for (const form of [secret, ...derivedForms(secret).anywhere]) expect(shown).not.toContain(form);
          }
        }),
        propertyParameters(8),
      );
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});

describe("live reader (audit --live, import)", () => {
  it("lists every connector, reads each in the version it runs in, and names what Intercom does not return", async () => {
    const client = new IntercomClient({ token, baseUrl: prism.url });
    const live = await readLiveCustomActions(client, workspaceId);
    expect(calls()).toEqual(["GET /data_connectors", "GET /data_connectors", "GET /data_connectors/12345"]);
    expect(forwarded()[2]!.path).toBe("/data_connectors/12345?state_version=live");
    expect(live).toEqual([
      {
        control: "CustomAction",
        name: "Order Status Service",
        props: {
          workspaceId,
          name: "Order Status Service",
          method: "POST",
          audiences: ["users", "leads"],
          state: "live",
          bypassAuthentication: false,
        },
        // The example's detail has no URL and no headers list; identityMatch, testedAt and responseMappings are never returned.
        unreadable: ["url", "headers", ...declaredOnlyFields],
      },
    ]);
  });

  it("a list that has not ended when the page bound is reached fails the read, never graded as the whole workspace", async () => {
    // Every page names one connector and a fresh cursor: a read stopped at any page bound has missed some.
    let pages = 0;
    const endless = (async (url: URL) => {
      const id = url.pathname.split("/")[2];
      const body =
        id !== undefined
          ? { type: "data_connector", id, name: `c${id}`, state: "live", http_method: "get", url: "https://x.example/a" }
          : {
              type: "list",
              data: [{ type: "data_connector", id: String(++pages), name: `c${pages}`, state: "live" }],
              pages: { type: "pages", per_page: 50, next: { starting_after: `cursor-${pages}` } },
            };
      return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
    }) as unknown as typeof fetch;
    const client = new IntercomClient({ token, baseUrl: "http://127.0.0.1:9", fetch: endless, sleep: async () => undefined });
    await expect(readLiveCustomActions(client, workspaceId)).rejects.toThrow(/data connector list/);
  });

  it("a listed connector without a usable id fails the read; a numeric id is read as its text; none is skipped unseen", async () => {
    const answer = (summary: Record<string, unknown>) =>
      (async (url: URL) => {
        const id = url.pathname.split("/")[2];
        const body =
          id !== undefined
            ? { type: "data_connector", id, name: "Insecure", state: "live", http_method: "get", url: "http://x.example/a" }
            : { type: "list", data: [{ type: "data_connector", name: "Insecure", state: "live", ...summary }], pages: { next: null } };
        return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
      }) as unknown as typeof fetch;
    const client = (summary: Record<string, unknown>) =>
      new IntercomClient({ token, baseUrl: "http://127.0.0.1:9", fetch: answer(summary), sleep: async () => undefined });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<unknown>(undefined, null, "", true, {}, [], 1.5), async (id) => {
        await expect(readLiveCustomActions(client(id === undefined ? {} : { id }), workspaceId)).rejects.toThrow(/no id/);
      }),
      propertyParameters(10),
    );
    const numeric = await readLiveCustomActions(client({ id: 77 }), workspaceId);
    expect(numeric.map((c) => c.props.url)).toEqual(["http://x.example/a"]);
  });

  it("headers with values are unreadable (Intercom returns ****); no headers at all are read as none; several tokens are unreadable", async () => {
    const client = new IntercomClient({ token, baseUrl: prism.url, maxAttempts: 1 });
    const list = JSON.stringify({
      type: "list",
      data: [
        { type: "data_connector", id: "1", name: "a", state: "draft" },
        { type: "data_connector", id: "2", name: "b", state: "live" },
      ],
      pages: { type: "pages", per_page: 50, next: null },
    });
    const detail = (id: string, name: string, extra: Record<string, unknown>) =>
      JSON.stringify({
        type: "data_connector",
        id,
        name,
        state: "live",
        http_method: "get",
        url: "https://x.example/a",
        audiences: ["users"],
        bypass_authentication: true,
        ...extra,
      });
    prism.inject(
      { status: 200, body: list },
      { status: 200, body: detail("1", "a", { headers: [{ name: "Authorization", value: "****" }], token_ids: ["t1"] }) },
      { status: 200, body: detail("2", "b", { headers: [], token_ids: ["t1", "t2"] }) },
    );
    const [a, b] = await readLiveCustomActions(client, workspaceId);
    expect(prism.exchanges.map((e) => e.path)).toEqual([
      "/data_connectors?per_page=50",
      "/data_connectors/1?state_version=draft",
      "/data_connectors/2?state_version=live",
    ]);
    expect(a).toEqual({
      control: "CustomAction",
      name: "a",
      props: {
        workspaceId,
        name: "a",
        method: "GET",
        url: "https://x.example/a",
        audiences: ["users"],
        state: "live",
        bypassAuthentication: true,
        tokenId: "t1",
      },
      unreadable: ["headers", ...declaredOnlyFields],
    });
    expect(b!.props.headers).toEqual({});
    expect(b!.props).not.toHaveProperty("tokenId");
    expect(b!.unreadable).toEqual(["tokenId", ...declaredOnlyFields]);
  });
});

describe("as Pulumi runs it", () => {
  it("serializes without the token; revived in another process (dist) and configured by the stack, it applies through the API", async () => {
    const result = await createThroughRevivedProvider("data-connector-provider.js", "dataConnectorProvider", {
      baseUrl: prism.url,
      token,
      inputs: declared,
    });
    expect(result.text).not.toContain(token);
    expect(result.text).toContain("data-connector-api");
    expect(result.id).toBe("CustomAction/abc123xyz/125");
    expect(result.outs).toMatchObject({ appliedThrough: "api", connectorId: "125" });
    expect(writes()).toEqual([["POST", "/data_connectors", connectorRequest]]);
  });
});
