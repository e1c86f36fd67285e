import * as pulumi from "@pulumi/pulumi";
import type * as SecretApi from "./identity-verification-secret-api";

/**
 * IdentityVerificationSecret's provider: a Messenger identity-verification secret created, read and
 * deleted through Intercom's `/secure_mode_secrets` (Preview). It needs an access token (the
 * `intercom:accessToken` secret or INTERCOM_ACCESS_TOKEN): a secret has no declared-only form.
 * Semantics (rotation and delete included) are in intercom/identity-verification-secret-api.ts.
 *
 * Pulumi serializes this object into the resource's `__provider` input: it captures only the API
 * module's path and a state object that is empty when serialized (configure fills it in the provider
 * process), and loads the module when it runs. Neither the token nor the material is captured.
 */
export function identityVerificationSecretProvider(testState?: SecretApi.ProviderState): pulumi.dynamic.ResourceProvider {
  const apiModule = require.resolve("./identity-verification-secret-api");
  const state: SecretApi.ProviderState = testState ?? {};
  // Loaded by path when it runs (see above): an import would be captured into the serialized provider.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = () => require(apiModule) as typeof SecretApi;
  return {
    async configure(request: pulumi.dynamic.ConfigureRequest) {
      state.config = request.config;
    },
    async create(inputs: Record<string, unknown>) {
      const api = load();
      return api.createSecret(api.inputsOf(inputs), state);
    },
    async read(id: string, props?: Record<string, unknown>) {
      return load().readSecret(id, props, state);
    },
    async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
      const changed = load().changedFields(olds, news);
      // Intercom cannot update a secret: every change replaces it, the new one created before the old is deleted.
      return { changes: changed.length > 0, replaces: changed, deleteBeforeReplace: false };
    },
    async delete(id: string, props: Record<string, unknown>) {
      const api = load();
      await api.deleteSecret(api.secretIdOf(id, props), state);
    },
  };
}
