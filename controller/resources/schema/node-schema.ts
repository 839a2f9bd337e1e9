import { arr, bool, int, kindSchema, obj, quantityMap, str, strings, time } from "./builders.js";
import { objectMetaSchema } from "./object-meta-schema.js";

const configSource = obj({
  configMap: obj({
    namespace: str,
    name: str,
    uid: str,
    resourceVersion: str,
    kubeletConfigKey: str,
  }),
});

export const nodeSchema = kindSchema(objectMetaSchema, {
  spec: obj({
    podCIDR: str,
    podCIDRs: strings,
    providerID: str,
    unschedulable: bool,
    taints: arr(obj({ key: str, value: str, effect: str, timeAdded: time })),
    configSource,
    externalID: str,
  }),
  status: obj({
    capacity: quantityMap,
    allocatable: quantityMap,
    phase: str,
    conditions: arr(
      obj({
        type: str,
        status: str,
        lastHeartbeatTime: time,
        lastTransitionTime: time,
        reason: str,
        message: str,
      }),
    ),
    addresses: arr(obj({ type: str, address: str })),
    daemonEndpoints: obj({ kubeletEndpoint: obj({ Port: int }) }),
    nodeInfo: obj({
      machineID: str,
      systemUUID: str,
      bootID: str,
      kernelVersion: str,
      osImage: str,
      containerRuntimeVersion: str,
      kubeletVersion: str,
      kubeProxyVersion: str,
      operatingSystem: str,
      architecture: str,
      swap: obj({ capacity: int }),
    }),
    images: arr(obj({ names: strings, sizeBytes: int })),
    volumesInUse: strings,
    volumesAttached: arr(obj({ name: str, devicePath: str })),
    config: obj({
      assigned: configSource,
      active: configSource,
      lastKnownGood: configSource,
      error: str,
    }),
    runtimeHandlers: arr(
      obj({ name: str, features: obj({ recursiveReadOnlyMounts: bool, userNamespaces: bool }) }),
    ),
    features: obj({ supplementalGroupsPolicy: bool }),
  }),
});
