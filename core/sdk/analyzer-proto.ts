/** `@pulumi/pulumi`'s generated Analyzer service stubs: what the engine and a policy pack say to each other. */
export * as analyzerProto from "@pulumi/pulumi/proto/analyzer_pb";
export { AnalyzerClient, AnalyzerService } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
