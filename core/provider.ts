import * as pulumi from "@pulumi/pulumi";

/**
 * The provider behind every control. For now it records declared state: an admin (or, for
 * API-backed controls, a later version of this provider) applies it in Intercom.
 *
 * Pulumi serializes this object into every resource's `__provider` input, closure and all, so
 * it references nothing outside itself but the two plain values it is built from.
 */
export function declaredStateProvider(controlName: string, identityFields: readonly string[]): pulumi.dynamic.ResourceProvider {
  const kind = controlName;
  const replaceOnChange = ["workspaceId", ...identityFields];
  return {
    async create(inputs: Record<string, unknown>) {
      const settings = Object.fromEntries(Object.entries(inputs).filter(([key]) => key !== "__provider"));
      const id = [kind, ...replaceOnChange.map((field) => String(settings[field]))].join("/");
      return { id, outs: settings };
    },
    async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
      const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
      keys.delete("__provider");
      const changed = [...keys].filter((key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]));
      return {
        changes: changed.length > 0,
        replaces: changed.filter((key) => replaceOnChange.includes(key)),
        deleteBeforeReplace: false,
      };
    },
    async update(_id: string, _olds: Record<string, unknown>, news: Record<string, unknown>) {
      return { outs: Object.fromEntries(Object.entries(news).filter(([key]) => key !== "__provider")) };
    },
    async delete() {
      // Declared state only: nothing to remove in Intercom yet.
    },
  };
}
