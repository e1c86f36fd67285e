/**
 * gRPC and the well-known protobuf messages, as the copies `@pulumi/pulumi`'s generated stubs use:
 * the stubs' serializers check `instanceof Empty`/`Struct` and a client checks its credentials'
 * class, so another copy (neither is a direct dependency here) would fail at the first call.
 */
import * as path from "path";
import type * as grpcModule from "@grpc/grpc-js";
import type * as emptyProto from "google-protobuf/google/protobuf/empty_pb";
import type * as structProto from "google-protobuf/google/protobuf/struct_pb";
import type * as googleProtobuf from "google-protobuf";

/** The folder of `@pulumi/pulumi`'s generated stubs, from which their own dependencies resolve. */
export const sdkProtoDir = path.dirname(require.resolve("@pulumi/pulumi/proto/resource_pb"));

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdkProtoDir] })) as typeof grpcModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { Empty } = require(
  require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [sdkProtoDir] }),
) as typeof emptyProto;
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { Struct } = require(
  require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [sdkProtoDir] }),
) as typeof structProto;
/**
 * The protobuf reader and writer the generated stubs decode and encode with (cli/analyzer-info.ts
 * reads GetAnalyzerInfo's answer with the one, core/sdk/analyzer-info-encode.ts writes it with the other).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { BinaryReader, BinaryWriter } = require(
  require.resolve("google-protobuf", { paths: [sdkProtoDir] }),
) as typeof googleProtobuf;
