import { arr, bool, int, obj, quantityMap, str, time } from "./builders.js";
import { resourceRequirementsSchema } from "./container-schema.js";

const containerState = obj({
  waiting: obj({ reason: str, message: str }),
  running: obj({ startedAt: time }),
  terminated: obj({
    exitCode: int,
    signal: int,
    reason: str,
    message: str,
    startedAt: time,
    finishedAt: time,
    containerID: str,
  }),
});

const containerStatus = obj({
  name: str,
  state: containerState,
  lastState: containerState,
  ready: bool,
  restartCount: int,
  image: str,
  imageID: str,
  containerID: str,
  started: bool,
  allocatedResources: quantityMap,
  resources: resourceRequirementsSchema,
  volumeMounts: arr(obj({ name: str, mountPath: str, readOnly: bool, recursiveReadOnly: str })),
  user: obj({ linux: obj({ uid: int, gid: int, supplementalGroups: arr(int) }) }),
  allocatedResourcesStatus: arr(
    obj({ name: str, resources: arr(obj({ resourceID: str, health: str })) }),
  ),
  stopSignal: str,
});

const ip = arr(obj({ ip: str }));

export const podStatusSchema = obj({
  observedGeneration: int,
  phase: str,
  conditions: arr(
    obj({
      type: str,
      observedGeneration: int,
      status: str,
      lastProbeTime: time,
      lastTransitionTime: time,
      reason: str,
      message: str,
    }),
  ),
  message: str,
  reason: str,
  nominatedNodeName: str,
  hostIP: str,
  hostIPs: ip,
  podIP: str,
  podIPs: ip,
  startTime: time,
  initContainerStatuses: arr(containerStatus),
  containerStatuses: arr(containerStatus),
  qosClass: str,
  ephemeralContainerStatuses: arr(containerStatus),
  resize: str,
  resourceClaimStatuses: arr(obj({ name: str, resourceClaimName: str })),
  extendedResourceClaimStatus: obj({
    requestMappings: arr(obj({ containerName: str, resourceName: str, requestName: str })),
    resourceClaimName: str,
  }),
});
