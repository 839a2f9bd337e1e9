import type { Logger } from "../../../lib/logger.js";
import type { ConfigMap, Pod, Secret } from "../../kube/types.js";
import type { ResourceValue } from "./downward-api.js";

/** Reads the objects configMap and secret volumes project; undefined when the object does not exist. */
export interface VolumeObjectLookup {
  configMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  secret(namespace: string, name: string): Promise<Secret | undefined>;
}

/** What one volume's set-up needs besides its own source. */
export interface VolumeContext {
  pod: Pod;
  namespace: string;
  /** The volume's field path, `spec.volumes[i]`. */
  field: string;
  /** The pod's fsGroup, when set. */
  gid?: number;
  nodeAllocatableMemory?: number;
  lookup: VolumeObjectLookup;
  resourceValue?: ResourceValue;
  logger: Logger;
}
