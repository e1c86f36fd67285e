/**
 * ProtectedAttribute's provider and live reader against Prism serving Intercom's 2.16 description:
 * create = find (GET) then PUT or POST, refresh and import = GET, diff, update = PUT, delete leaves
 * the attribute; 422, 429 with retry, 401, and no token in any output, error or log. Every request
 * it sends must validate (checked after each test).
 *
 * Prism answers GET /data_attributes with the description's example whatever the query: company
 * attributes, among them the custom "The One Ring" (id 34, Messenger-writable) and the standard
 * "website" (no id, Messenger-writable).
 */
import fc from "fast-check";
import { dataAttributeProvider } from "../../intercom/data-attribute-provider";
import { readLiveProtectedAttributes, ProviderState } from "../../intercom/data-attribute-api";
import { IntercomClient } from "../../intercom/client";
import { derivedForms } from "../../core/redaction";
import { propertyParameters } from "../support/property";
import { PrismServer, useIntercomPrism } from "../support/prism";
import { createThroughRevivedProvider } from "../support/revived-provider";

const token = "tok_dataattribute_test_5a4b3c2d1e0f9a8b7c6d";
const workspaceId = "abc123xyz";
const ring = { workspaceId, model: "company", attribute: "The One Ring", messengerWritable: false };
const ringId = "ProtectedAttribute/abc123xyz/company/The One Ring";
const declared = { ...ring, __provider: "serialized" };

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
    .map((e) => [e.method, e.path, JSON.parse(e.requestBody) as unknown]);

/** The description's list example, with The One Ring changed as if by hand in Intercom. */
async function listWithRing(change: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${prism.url}/data_attributes?model=company`, {
    headers: { Authorization: "Bearer x", Accept: "application/json", "Intercom-Version": "2.16" },
  });
  const list = (await response.json()) as { data: Array<Record<string, unknown>> };
  prism.reset();
  return JSON.stringify({ ...list, data: list.data.map((a) => (a.name === "The One Ring" ? { ...a, ...change } : a)) });
}

describe("without a token: declared state only", () => {
  it("records the settings, says so, sends nothing, and cannot import", async () => {
    const provider = dataAttributeProvider({});
    const created = await provider.create(declared);
    expect(created).toEqual({ id: ringId, outs: { ...ring, appliedThrough: "declared" } });
    const refreshed = await provider.read!(ringId, created.outs);
    expect(refreshed.props).toEqual(created.outs);
    await expect(provider.read!(ringId)).rejects.toThrow(/access token/);
    expect(prism.exchanges).toHaveLength(0);
  });
});

describe("applied through the API: the whole lifecycle", () => {
  it("create finds the custom attribute by model and name and PUTs messenger_writable; outputs what Intercom saved", async () => {
    const created = await dataAttributeProvider(configured()).create(declared);
    expect(created.id).toBe(ringId);
    expect(calls()).toEqual(["GET /data_attributes", "PUT /data_attributes/34"]);
    expect(forwarded()[0]!.path).toBe("/data_attributes?model=company&include_archived=true");
    expect(writes()).toEqual([["PUT", "/data_attributes/34", { messenger_writable: false }]]);
    expect(prism.exchanges[1]!.requestHeaders["intercom-version"]).toBe("2.16");
    // Prism answers with the description's example, which is Messenger-writable.
    expect(created.outs).toEqual({ ...ring, messengerWritable: true, appliedThrough: "api" });
  });

  it("create of a missing attribute POSTs it with the declared messenger_writable", async () => {
    const created = await dataAttributeProvider(configured()).create({ ...declared, attribute: "Palantir" });
    expect(writes()).toEqual([
      ["POST", "/data_attributes", { name: "Palantir", model: "company", data_type: "string", messenger_writable: false }],
    ]);
    expect(created.outs).toMatchObject({ attribute: "Palantir", messengerWritable: false, appliedThrough: "api" });
    prism.reset();
    // Named by its full name: found as such, created with the bare name Intercom takes.
    await dataAttributeProvider(configured()).create({ ...declared, attribute: "custom_attributes.Palantir" });
    expect(writes()).toEqual([
      ["POST", "/data_attributes", { name: "Palantir", model: "company", data_type: "string", messenger_writable: false }],
    ]);
    prism.reset();
    await dataAttributeProvider(configured()).create({ ...declared, attribute: "custom_attributes.The One Ring" });
    expect(writes()).toEqual([["PUT", "/data_attributes/34", { messenger_writable: false }]]);
  });

  it("an archived attribute of that name is unarchived rather than created again", async () => {
    prism.inject({ status: 200, body: await listWithRing({ archived: true, messenger_writable: false }) });
    await dataAttributeProvider(configured()).create(declared);
    expect(writes()).toEqual([["PUT", "/data_attributes/34", { messenger_writable: false, archived: false }]]);
  });

  it("a standard attribute: nothing sent when it already matches; a clear refusal when it does not (the API cannot change it)", async () => {
    const provider = dataAttributeProvider(configured());
    const matching = await provider.create({ ...declared, attribute: "website", messengerWritable: true });
    expect(matching.outs).toMatchObject({ attribute: "website", messengerWritable: true, appliedThrough: "api" });
    await expect(provider.create({ ...declared, attribute: "website", messengerWritable: false })).rejects.toThrow(
      /standard company attribute "website" is Messenger-writable in Intercom, and Intercom's API cannot change a standard attribute: set "Prevent updates via the Messenger" on/,
    );
    // A nested standard attribute is found by its full name, not confused with "name".
    const plan = await provider.create({ ...declared, attribute: "plan.name", messengerWritable: true });
    expect(plan.outs).toMatchObject({ attribute: "plan.name", messengerWritable: true });
    expect(writes()).toEqual([]);
  });

  it("a custom attribute sharing a standard one's name is named by its full name; the standard one keeps the bare name", async () => {
    const list = JSON.stringify({
      type: "list",
      data: [
        { type: "data_attribute", name: "name", full_name: "name", model: "company", custom: false, messenger_writable: true },
        {
          type: "data_attribute",
          id: 9,
          name: "name",
          full_name: "custom_attributes.name",
          model: "company",
          custom: true,
          messenger_writable: true,
        },
      ],
    });
    prism.inject({ status: 200, body: list }, { status: 200, body: list });
    const provider = dataAttributeProvider(configured());
    await expect(provider.create({ ...declared, attribute: "name" })).rejects.toThrow(/standard company attribute "name"/);
    await provider.create({ ...declared, attribute: "custom_attributes.name" });
    expect(writes()).toEqual([["PUT", "/data_attributes/9", { messenger_writable: false }]]);
    prism.reset();
    prism.inject({ status: 200, body: JSON.stringify({ type: "list", data: [] }) }, { status: 200, body: list });
    const live = await readLiveProtectedAttributes(new IntercomClient({ token, baseUrl: prism.url }), workspaceId);
    expect(live.map((c) => c.props.attribute)).toEqual(["name", "custom_attributes.name"]);
  });

  it("refresh reads the live attribute: an out-of-band change shows, and the next diff wants it back", async () => {
    const provider = dataAttributeProvider(configured());
    const recorded = { ...ring, appliedThrough: "api" };
    const refreshed = await provider.read!(ringId, recorded);
    expect(calls()).toEqual(["GET /data_attributes"]);
    expect(refreshed).toEqual({
      id: ringId,
      props: { ...ring, messengerWritable: true, appliedThrough: "api" },
      inputs: { ...ring, messengerWritable: true },
    });
    expect(await provider.diff!(ringId, refreshed.props!, declared)).toMatchObject({ changes: true, replaces: [] });
  });

  it("refresh after the attribute was archived by hand: Pulumi is told it is gone (empty id)", async () => {
    prism.inject({ status: 200, body: await listWithRing({ archived: true }) });
    const refreshed = await dataAttributeProvider(configured()).read!(ringId, { ...ring, appliedThrough: "api" });
    expect(refreshed.id).toBe("");
  });

  it("diff: same settings, no change; another model or attribute replaces; a token configured since applies it", async () => {
    const provider = dataAttributeProvider(configured());
    const olds = { ...ring, appliedThrough: "api" };
    expect((await provider.diff!(ringId, olds, declared)).changes).toBe(false);
    expect(await provider.diff!(ringId, olds, { ...declared, model: "contact" })).toMatchObject({ changes: true, replaces: ["model"] });
    expect(await provider.diff!(ringId, olds, { ...declared, attribute: "email" })).toMatchObject({
      changes: true,
      replaces: ["attribute"],
    });
    expect((await provider.diff!(ringId, { ...olds, appliedThrough: "declared" }, declared)).changes).toBe(true);
    expect(prism.exchanges).toHaveLength(0);
  });

  it("a declared-only record is not refreshed from Intercom (the next update applies it)", async () => {
    const recorded = { ...ring, appliedThrough: "declared" };
    expect((await dataAttributeProvider(configured()).read!(ringId, recorded)).props).toEqual(recorded);
    expect(prism.exchanges).toHaveLength(0);
  });

  it("update sets the new messenger_writable", async () => {
    const updated = await dataAttributeProvider(configured()).update!(ringId, { ...ring, appliedThrough: "api" }, declared);
    expect(writes()).toEqual([["PUT", "/data_attributes/34", { messenger_writable: false }]]);
    expect(updated.outs).toMatchObject({ appliedThrough: "api" });
  });

  it("import by id reads the attribute; an id naming no attribute is refused", async () => {
    const provider = dataAttributeProvider(configured());
    const imported = await provider.read!(ringId);
    expect(imported.inputs).toEqual({ ...ring, messengerWritable: true });
    await expect(provider.read!("ProtectedAttribute/abc123xyz/company/Palantir")).rejects.toThrow(/no such active attribute/);
    await expect(provider.read!("ProtectedAttribute/abc123xyz/conversation/x")).rejects.toThrow(/the id is ProtectedAttribute\//);
  });

  it("delete leaves the attribute as it is in Intercom: nothing is sent", async () => {
    await dataAttributeProvider(configured()).delete!(ringId, { ...ring, appliedThrough: "api" });
    expect(prism.exchanges).toHaveLength(0);
  });
});

describe("refusals", () => {
  it("422: Intercom's reason fails the update", async () => {
    prism.inject({ status: 200, body: await listWithRing({}) });
    prism.prefer("code=422");
    await expect(dataAttributeProvider(configured()).update!(ringId, {}, declared)).rejects.toThrow(
      /PUT \/data_attributes\/34: Intercom refused the change \(422\): The Data Attribute you are trying to archive has a dependant object/,
    );
  });

  it("429: retried after Retry-After, then applied", async () => {
    const sleeps: number[] = [];
    prism.inject({ status: 429, headers: { "retry-after": "2" } });
    const created = await dataAttributeProvider(configured(sleeps)).create(declared);
    expect(sleeps).toEqual([2000]);
    expect(created.outs).toMatchObject({ appliedThrough: "api" });
  });

  it("401: refresh fails naming where the token comes from", async () => {
    prism.prefer("code=401");
    await expect(dataAttributeProvider(configured()).read!(ringId, { ...ring, appliedThrough: "api" })).rejects.toThrow(
      /rejected the access token \(401\).*INTERCOM_ACCESS_TOKEN/,
    );
  });

  it("no token, nor a form of one, in any output, error or log, even when Intercom echoes it", async () => {
    const tokens = fc.base64String({ minLength: 40, maxLength: 80 }).filter((t) => t.replace(/=/g, "").length >= 24);
    const logged: string[] = [];
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((level) =>
      jest.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" "))),
    );
    try {
      await fc.assert(
        fc.asyncProperty(tokens, async (generated) => {
          prism.reset();
          logged.length = 0;
          const provider = dataAttributeProvider(configured([], generated));
          const created = await provider.create(declared);
          const imported = await provider.read!(ringId);
          prism.prefer("code=401");
          const unauthorized = await provider.read!(ringId, created.outs).catch((e: Error) => e);
          prism.prefer(undefined);
          prism.inject({
            status: 422,
            body: JSON.stringify({ type: "error.list", request_id: generated, errors: [{ code: generated, message: `bad ${generated}` }] }),
          });
          const echoed = await provider.update!(ringId, created.outs, declared).catch((e: Error) => e);
          expect((unauthorized as Error).message).toMatch(/\(401\)/);
          expect((echoed as Error).message).toMatch(/\(422\)/);
          const shown = [created, imported, (unauthorized as Error).message, (echoed as Error).message, JSON.stringify(echoed), ...logged]
            .map((x) => (typeof x === "string" ? x : JSON.stringify(x)))
            .join("\n");
          for (const form of [generated, ...derivedForms(generated).anywhere]) expect(shown).not.toContain(form);
        }),
        propertyParameters(8),
      );
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});

describe("live reader (audit --live, import)", () => {
  it("lists every active contact and company attribute as the control's inputs", async () => {
    const client = new IntercomClient({ token, baseUrl: prism.url });
    const live = await readLiveProtectedAttributes(client, workspaceId);
    expect(forwarded().map((e) => e.path)).toEqual([
      "/data_attributes?model=contact&include_archived=false",
      "/data_attributes?model=company&include_archived=false",
    ]);
    // Prism's example holds company attributes only: none is taken for a contact attribute.
    expect(live.every((c) => c.control === "ProtectedAttribute" && c.props.model === "company" && c.unreadable === undefined)).toBe(true);
    expect(live).toHaveLength(17);
    expect(new Set(live.map((c) => c.name)).size).toBe(live.length);
    expect(live).toContainEqual({
      control: "ProtectedAttribute",
      name: "company-The One Ring",
      props: { ...ring, messengerWritable: true },
    });
    expect(live.map((c) => c.props.attribute)).toEqual(expect.arrayContaining(["website", "plan.name", "name", "plan.id", "id"]));
  });

  it("an attribute without messenger_writable is unreadable, never protected; archived ones are skipped", async () => {
    const client = new IntercomClient({ token, baseUrl: prism.url, maxAttempts: 1 });
    const body = JSON.stringify({
      type: "list",
      data: [
        { type: "data_attribute", name: "email", full_name: "email", model: "contact", custom: false },
        {
          type: "data_attribute",
          id: 7,
          name: "old",
          full_name: "custom_attributes.old",
          model: "contact",
          custom: true,
          archived: true,
          messenger_writable: true,
        },
      ],
    });
    prism.inject({ status: 200, body }, { status: 200, body: JSON.stringify({ type: "list", data: [] }) });
    expect(await readLiveProtectedAttributes(client, workspaceId)).toEqual([
      {
        control: "ProtectedAttribute",
        name: "contact-email",
        props: { workspaceId, model: "contact", attribute: "email" },
        unreadable: ["messengerWritable"],
      },
    ]);
  });
});

describe("as Pulumi runs it", () => {
  it("serializes without the token; revived in another process (dist) and configured by the stack, it applies through the API", async () => {
    const result = await createThroughRevivedProvider("data-attribute-provider.js", "dataAttributeProvider", {
      baseUrl: prism.url,
      token,
      inputs: declared,
    });
    expect(result.text).not.toContain(token);
    expect(result.text).toContain("data-attribute-api");
    expect(result.outs).toEqual({ ...ring, messengerWritable: true, appliedThrough: "api" });
    expect(writes()).toEqual([["PUT", "/data_attributes/34", { messenger_writable: false }]]);
  });
});
