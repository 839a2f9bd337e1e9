import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { fileURLToPath } from "node:url";
import type { ProtoGrpcType } from "../../proto/gen/api.js";

/** proto/runtime/v1/api.proto, found from the compiled file (dist/agent/cri/) so any checkout works. */
export const criProtoFile = fileURLToPath(
  new URL("../../../proto/runtime/v1/api.proto", import.meta.url),
);

/** The options the generated types in proto/gen were made with (see package.json "gen"). */
export const criLoaderOptions: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

export function loadCri(): ProtoGrpcType["runtime"]["v1"] {
  const definition = protoLoader.loadSync(criProtoFile, criLoaderOptions);
  const loaded = grpc.loadPackageDefinition(definition) as unknown as ProtoGrpcType;
  return loaded.runtime.v1;
}
