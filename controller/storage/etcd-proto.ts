import * as protoLoader from "@grpc/proto-loader";
import { fileURLToPath } from "node:url";
import type * as m from "./etcd-messages.js";

/** proto/etcd/, found from the compiled file (dist/controller/storage/) so any checkout works. */
const etcdProtoDir = fileURLToPath(new URL("../../../proto/etcd/", import.meta.url));

/** How a request is put on the wire and a response read back, for one RPC. */
export interface EtcdMethod<Req, Res> {
  path: string;
  serialize: (request: Req) => Buffer;
  deserialize: (bytes: Buffer) => Res;
}

export interface EtcdMethods {
  range: EtcdMethod<m.RangeRequest, m.RangeResponse>;
  txn: EtcdMethod<m.TxnRequest, m.TxnResponse>;
  watch: EtcdMethod<m.WatchRequest, m.WatchResponse>;
  status: EtcdMethod<m.StatusRequest, m.StatusResponse>;
  leaseGrant: EtcdMethod<m.LeaseGrantRequest, m.LeaseGrantResponse>;
  leaseRevoke: EtcdMethod<m.LeaseRevokeRequest, m.LeaseRevokeResponse>;
  leaseKeepAlive: EtcdMethod<m.LeaseKeepAliveRequest, m.LeaseKeepAliveResponse>;
  leaseTimeToLive: EtcdMethod<m.LeaseTimeToLiveRequest, m.LeaseTimeToLiveResponse>;
}

let loaded: EtcdMethods | undefined;

/** The RPCs the store and leader election call, loaded once from proto/etcd/etcd-api.proto. */
export function etcdMethods(): EtcdMethods {
  loaded ??= load();
  return loaded;
}

function load(): EtcdMethods {
  const definition = protoLoader.loadSync("etcd-api.proto", {
    includeDirs: [etcdProtoDir],
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const method = <Req, Res>(service: string, name: string): EtcdMethod<Req, Res> => {
    const rpc = (definition[`etcdserverpb.${service}`] as protoLoader.ServiceDefinition)[name];
    return {
      path: rpc.path,
      serialize: rpc.requestSerialize as (request: Req) => Buffer,
      deserialize: rpc.responseDeserialize as (bytes: Buffer) => Res,
    };
  };
  return {
    range: method("KV", "Range"),
    txn: method("KV", "Txn"),
    watch: method("Watch", "Watch"),
    status: method("Maintenance", "Status"),
    leaseGrant: method("Lease", "LeaseGrant"),
    leaseRevoke: method("Lease", "LeaseRevoke"),
    leaseKeepAlive: method("Lease", "LeaseKeepAlive"),
    leaseTimeToLive: method("Lease", "LeaseTimeToLive"),
  };
}
