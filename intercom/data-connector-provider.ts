import * as pulumi from "@pulumi/pulumi";
import type * as DataConnectorApi from "./data-connector-api";

/**
 * CustomAction's provider: applied through Intercom's `/data_connectors` when an access token is
 * configured (the `intercom:accessToken` secret or INTERCOM_ACCESS_TOKEN); declared state
 * otherwise. The `appliedThrough` output says which; `connectorId` is Intercom's id once applied.
 * Which fields are applied and which stay declared, and what delete does (draft, then delete), are
 * in intercom/data-connector-api.ts.
 *
 * Serialized by Pulumi as the IpAllowlist provider is (see ip-allowlist-provider.ts): it captures
 * the API module's path and an empty state, and loads the module when it runs.
 */
export function dataConnectorProvider(testState?: DataConnectorApi.ProviderState): pulumi.dynamic.ResourceProvider {
  const apiModule = require.resolve("./data-connector-api");
  const state: DataConnectorApi.ProviderState = testState ?? {};
  const providerOwned = ["__provider", "appliedThrough", "connectorId"];
  const settingsOf = (props: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(props).filter(([key]) => !providerOwned.includes(key)));
  /** What a diff compares: an absent optional field is Intercom's default, and audiences are a set. */
  const comparable = (settings: Record<string, unknown>) => ({
    ...settings,
    headers: settings.headers ?? {},
    bypassAuthentication: settings.bypassAuthentication ?? false,
    audiences: Array.isArray(settings.audiences) ? [...settings.audiences].sort() : settings.audiences,
  });
  const connectorIdOf = (props: Record<string, unknown>) => (typeof props.connectorId === "string" ? props.connectorId : undefined);
  // Loaded by path when it runs: an import would be captured into the serialized provider.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = () => require(apiModule) as typeof DataConnectorApi;
  return {
    async configure(request: pulumi.dynamic.ConfigureRequest) {
      state.config = request.config;
    },
    async create(inputs: Record<string, unknown>) {
      const api = load();
      const settings = settingsOf(inputs);
      if (api.appliedThroughFor(state) === "declared") {
        return { id: ["CustomAction", settings.workspaceId, settings.name].join("/"), outs: { ...settings, appliedThrough: "declared" } };
      }
      const outs = await api.createAction(settings, state);
      return { id: api.idOf(settings.workspaceId, outs.connectorId as string), outs };
    },
    async read(id: string, props?: Record<string, unknown>) {
      const api = load();
      if (props && (props.appliedThrough !== "api" || api.appliedThroughFor(state) === "declared")) {
        // Declared state, or no token to read with: what was recorded stands (the next diff sees the token gone).
        return { id, props };
      }
      if (api.appliedThroughFor(state) === "declared") {
        throw new Error("CustomAction: import reads the live data connector through the API: configure an Intercom access token");
      }
      // Import gives only the id; refresh gives the last outputs.
      const fromId = props ? undefined : api.propsFromId(id);
      const connectorId = props ? connectorIdOf(props) : fromId!.connectorId;
      if (connectorId === undefined) throw new Error("CustomAction: the recorded state has no Intercom connector id");
      const recorded = props ? settingsOf(props) : { workspaceId: fromId!.workspaceId };
      const live = await api.readAction(connectorId, recorded, state);
      if (live === undefined) {
        if (!props) throw new Error(`CustomAction: cannot import "${id.slice(0, 200)}": Intercom has no such data connector`);
        return { id: "", props: {} }; // Deleted in Intercom: an empty id tells Pulumi it is gone.
      }
      return { id, props: live, inputs: settingsOf(live) };
    },
    async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
      const before = comparable(settingsOf(olds));
      const after = comparable(settingsOf(news));
      const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
      const changed = [...keys].filter(
        (key) => JSON.stringify(before[key as keyof typeof before]) !== JSON.stringify(after[key as keyof typeof after]),
      );
      const appliedThrough = load().appliedThroughFor(state);
      // A token configured (or removed) since the last update changes how the settings are applied.
      if (olds.appliedThrough !== appliedThrough) changed.push("appliedThrough");
      // Applied through the API, a connector keeps its Intercom id when renamed; declared, the name is its identity.
      const replaceOnChange = olds.appliedThrough === "api" && appliedThrough === "api" ? ["workspaceId"] : ["workspaceId", "name"];
      return { changes: changed.length > 0, replaces: changed.filter((key) => replaceOnChange.includes(key)), deleteBeforeReplace: false };
    },
    async update(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
      const api = load();
      const settings = settingsOf(news);
      if (api.appliedThroughFor(state) === "declared") return { outs: { ...settings, appliedThrough: "declared" } };
      const connectorId = olds.appliedThrough === "api" ? connectorIdOf(olds) : undefined;
      return { outs: await api.updateAction(connectorId, settings, state, settingsOf(olds)) };
    },
    async delete(_id: string, props: Record<string, unknown>) {
      if (props.appliedThrough !== "api") return; // Declared state only: nothing to remove in Intercom.
      const api = load();
      const connectorId = connectorIdOf(props);
      if (connectorId === undefined) return;
      if (api.appliedThroughFor(state) === "declared") {
        throw new Error("CustomAction: it was applied through the API; deleting the data connector in Intercom needs the access token");
      }
      await api.deleteAction(connectorId, settingsOf(props), state);
    },
  };
}
