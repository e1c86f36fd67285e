import * as pulumi from "@pulumi/pulumi";

/**
 * The provider behind every control Intercom's REST API cannot set: it records declared state, which
 * an admin applies in Intercom; its `appliedThrough` output says "declared". API-backed controls
 * bring their own provider (intercom/).
 *
 * Pulumi serializes this object into every resource's `__provider` input, closure and all, so
 * it references nothing outside itself but the two plain values it is built from.
 */
export function declaredStateProvider(controlName: string, identityFields: readonly string[]): pulumi.dynamic.ResourceProvider {
  const kind = controlName;
  const replaceOnChange = ["workspaceId", ...identityFields];
  const providerOwned = ["__provider", "appliedThrough"];
  return {
    async create(inputs: Record<string, unknown>) {
      const settings = Object.fromEntries(Object.entries(inputs).filter(([key]) => !providerOwned.includes(key)));
      const id = [kind, ...replaceOnChange.map((field) => String(settings[field]))].join("/");
      return { id, outs: { ...settings, appliedThrough: "declared" } };
    },
    async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
      const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
      for (const key of providerOwned) keys.delete(key);
      const changed = [...keys].filter((key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]));
      return {
        changes: changed.length > 0,
        replaces: changed.filter((key) => replaceOnChange.includes(key)),
        deleteBeforeReplace: false,
      };
    },
    async update(_id: string, _olds: Record<string, unknown>, news: Record<string, unknown>) {
      return {
        outs: { ...Object.fromEntries(Object.entries(news).filter(([key]) => !providerOwned.includes(key))), appliedThrough: "declared" },
      };
    },
    async delete() {
      // Declared state only: nothing to remove in Intercom yet.
    },
  };
}
