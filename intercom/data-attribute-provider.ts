import * as pulumi from "@pulumi/pulumi";
import type * as DataAttributeApi from "./data-attribute-api";

/**
 * ProtectedAttribute's provider: applied through Intercom's `/data_attributes` when an access token
 * is configured (the `intercom:accessToken` secret or INTERCOM_ACCESS_TOKEN); declared state
 * otherwise. The `appliedThrough` output says which. Semantics (delete included: the attribute is
 * left as it is in Intercom) are in intercom/data-attribute-api.ts.
 *
 * Serialized by Pulumi as the IpAllowlist provider is (see ip-allowlist-provider.ts): it captures
 * the API module's path and an empty state, and loads the module when it runs.
 */
export function dataAttributeProvider(testState?: DataAttributeApi.ProviderState): pulumi.dynamic.ResourceProvider {
  const apiModule = require.resolve("./data-attribute-api");
  const state: DataAttributeApi.ProviderState = testState ?? {};
  const replaceOnChange = ["workspaceId", "model", "attribute"];
  const providerOwned = ["__provider", "appliedThrough"];
  const settingsOf = (props: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(props).filter(([key]) => !providerOwned.includes(key)));
  // Loaded by path when it runs: an import would be captured into the serialized provider.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = () => require(apiModule) as typeof DataAttributeApi;
  const apply = async (settings: Record<string, unknown>) => {
    const api = load();
    if (api.appliedThroughFor(state) === "declared") return { ...settings, appliedThrough: "declared" };
    return api.applyAttribute(settings, state);
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
      if (api.appliedThroughFor(state) === "declared" || (props && props.appliedThrough !== "api")) {
        if (!props)
          throw new Error("ProtectedAttribute: import reads the live attribute through the API: configure an Intercom access token");
        // Declared state cannot be read back: what was recorded stands.
        return { id, props };
      }
      const live = await api.readAttribute(known, state);
      // Gone from Intercom (or archived): an empty id tells Pulumi the resource no longer exists.
      if (live === undefined) {
        if (!props) throw new Error(`ProtectedAttribute: cannot import "${id.slice(0, 200)}": Intercom has no such active attribute`);
        return { id: "", props: {} };
      }
      return { id, props: live, inputs: settingsOf(live) };
    },
    async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
      const before = settingsOf(olds);
      const after = settingsOf(news);
      const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
      const changed = [...keys].filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
      // A token configured (or removed) since the last update changes how the settings are applied.
      if (olds.appliedThrough !== load().appliedThroughFor(state)) changed.push("appliedThrough");
      return { changes: changed.length > 0, replaces: changed.filter((key) => replaceOnChange.includes(key)), deleteBeforeReplace: false };
    },
    async update(_id: string, _olds: Record<string, unknown>, news: Record<string, unknown>) {
      return { outs: await apply(settingsOf(news)) };
    },
    async delete() {
      // Intercom cannot delete a data attribute; archiving it or making it writable again would change
      // the workspace for everyone (see data-attribute-api.ts). The attribute is left as it is.
    },
  };
}
