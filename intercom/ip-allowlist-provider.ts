import * as pulumi from "@pulumi/pulumi";
import type * as IpAllowlistApi from "./ip-allowlist-api";

/**
 * IpAllowlist's provider: applied through Intercom's `GET/PUT /ip_allowlist` when an access token is
 * configured (the `intercom:accessToken` secret or INTERCOM_ACCESS_TOKEN) and the scope is
 * `rest_api`; declared state otherwise, as every other control. The `appliedThrough` output says
 * which. Semantics (delete included) are in intercom/ip-allowlist-api.ts.
 *
 * Pulumi serializes this object into the resource's `__provider` input: it captures only the API
 * module's path and a state object that is empty when serialized (configure fills it in the
 * provider process), and loads the module when it runs. The token is never captured nor output.
 */
export function ipAllowlistProvider(testState?: IpAllowlistApi.ProviderState): pulumi.dynamic.ResourceProvider {
  const apiModule = require.resolve("./ip-allowlist-api");
  const state: IpAllowlistApi.ProviderState = testState ?? {};
  const replaceOnChange = ["workspaceId", "scope"];
  const providerOwned = ["__provider", "appliedThrough"];
  const settingsOf = (props: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(props).filter(([key]) => !providerOwned.includes(key)));
  // Loaded by path when it runs (see above): an import would be captured into the serialized provider.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = () => require(apiModule) as typeof IpAllowlistApi;
  const apply = async (settings: Record<string, unknown>) => {
    const api = load();
    if (api.appliedThroughFor(settings, state) === "declared") return { ...settings, appliedThrough: "declared" };
    return api.putAllowlist(settings, state, { enabled: settings.enabled === true, entries: (settings.entries as string[]) ?? [] });
  };
  return {
    async configure(request: pulumi.dynamic.ConfigureRequest) {
      state.config = request.config;
    },
    async create(inputs: Record<string, unknown>) {
      const settings = settingsOf(inputs);
      return { id: load().idOf(settings), outs: await apply(settings) };
    },
    async read(id: string, props?: Record<string, unknown>) {
      const api = load();
      // Import gives only the id; refresh gives the last outputs.
      const known = props ? settingsOf(props) : api.propsFromId(id);
      if (api.appliedThroughFor(known, state) === "declared") {
        if (!props) throw new Error("IpAllowlist: import reads the live allowlist through the API: configure an Intercom access token");
        // Declared state cannot be read back: what was recorded stands.
        return { id, props };
      }
      const live = await api.getAllowlist(known, state);
      return { id, props: live, inputs: settingsOf(live) };
    },
    async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
      const before = settingsOf(olds);
      const after = settingsOf(news);
      const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
      const changed = [...keys].filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
      // A token configured (or removed) since the last update changes how the settings are applied.
      if (olds.appliedThrough !== load().appliedThroughFor(after, state)) changed.push("appliedThrough");
      // The old and the new resource are the one allowlist of the token's workspace: the old one's delete (turn it
      // off) must come first, or it would undo the settings its replacement just applied.
      return { changes: changed.length > 0, replaces: changed.filter((key) => replaceOnChange.includes(key)), deleteBeforeReplace: true };
    },
    async update(_id: string, _olds: Record<string, unknown>, news: Record<string, unknown>) {
      return { outs: await apply(settingsOf(news)) };
    },
    async delete(_id: string, props: Record<string, unknown>) {
      if (props.appliedThrough !== "api") return; // Declared state only: nothing to remove in Intercom.
      const api = load();
      if (api.appliedThroughFor(props, state) === "declared") {
        throw new Error(
          "IpAllowlist: it was applied through the API; deleting it turns Intercom's REST API allowlist off, which needs the access token",
        );
      }
      await api.putAllowlist(settingsOf(props), state, { enabled: false, entries: [] });
    },
  };
}
