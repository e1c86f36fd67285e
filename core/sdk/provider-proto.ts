/** `@pulumi/pulumi`'s generated ResourceProvider service stubs: what the engine says to a provider (the dynamic one). */
export * as providerProto from "@pulumi/pulumi/proto/provider_pb";
export { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
