/** `@pulumi/pulumi`'s generated Engine and ResourceMonitor service stubs: what a program says to the engine. */
export * as engineProto from "@pulumi/pulumi/proto/engine_pb";
export { EngineService } from "@pulumi/pulumi/proto/engine_grpc_pb";
export * as resourceProto from "@pulumi/pulumi/proto/resource_pb";
export { ResourceMonitorService } from "@pulumi/pulumi/proto/resource_grpc_pb";
export type * as sourceProto from "@pulumi/pulumi/proto/source_pb";
