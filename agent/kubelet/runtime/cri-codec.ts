import * as protoLoader from "@grpc/proto-loader";
import { invalidArgument, internal } from "../../../lib/errors.js";
import { criLoaderOptions, criProtoFile } from "../../cri/proto.js";

export type CriService = "RuntimeService" | "ImageService";

/** One RPC's wire codec: a value goes through protobuf encoding and back, as over the socket. */
export interface CriMethodCodec {
  request<T>(req: unknown): T;
  response<T>(res: unknown): T;
}

let definition: protoLoader.PackageDefinition | undefined;

/**
 * The codec grpc-js uses for `service`/`method`, from the same proto and loader options as the
 * agent's CRI server: encoding drops unknown fields and checks types, decoding fills defaults,
 * makes int64 strings and enum names. A request that cannot be encoded is InvalidArgument (the
 * caller's fault); a response that cannot be is Internal (the runtime's).
 */
export function criMethodCodec(service: CriService, method: string): CriMethodCodec {
  definition ??= protoLoader.loadSync(criProtoFile, criLoaderOptions);
  const serviceDef = definition[`runtime.v1.${service}`] as
    protoLoader.ServiceDefinition | undefined;
  const def = serviceDef?.[method];
  if (!def) throw internal(`the CRI proto has no method ${service}/${method}`);
  return {
    request<T>(req: unknown): T {
      try {
        return def.requestDeserialize(def.requestSerialize(req as object)) as T;
      } catch (err) {
        throw invalidArgument(`${method} request cannot be encoded: ${(err as Error).message}`, {
          cause: err,
        });
      }
    },
    response<T>(res: unknown): T {
      try {
        return def.responseDeserialize(def.responseSerialize(res as object)) as T;
      } catch (err) {
        throw internal(`${method} response cannot be encoded: ${(err as Error).message}`, {
          cause: err,
        });
      }
    },
  };
}
