// The well-known taints the node lifecycle controller manages (k8s.io/api/core/v1 well_known_taints.go).

export const notReadyTaintKey = "node.kubernetes.io/not-ready";
export const unreachableTaintKey = "node.kubernetes.io/unreachable";
export const unschedulableTaintKey = "node.kubernetes.io/unschedulable";
export const memoryPressureTaintKey = "node.kubernetes.io/memory-pressure";
export const diskPressureTaintKey = "node.kubernetes.io/disk-pressure";
export const pidPressureTaintKey = "node.kubernetes.io/pid-pressure";
export const networkUnavailableTaintKey = "node.kubernetes.io/network-unavailable";

/** Node condition status → the NoSchedule taint it stands for. */
export const conditionTaints: Record<string, Record<string, string>> = {
  Ready: { False: notReadyTaintKey, Unknown: unreachableTaintKey },
  MemoryPressure: { True: memoryPressureTaintKey },
  DiskPressure: { True: diskPressureTaintKey },
  PIDPressure: { True: pidPressureTaintKey },
  NetworkUnavailable: { True: networkUnavailableTaintKey },
};

/** NoSchedule taints this controller owns: added and removed to match conditions and cordoning. */
export const managedNoScheduleKeys: ReadonlySet<string> = new Set([
  unschedulableTaintKey,
  ...Object.values(conditionTaints).flatMap((byStatus) => Object.values(byStatus)),
]);

/** NoExecute taints this controller owns: they follow the Ready condition. */
export const managedNoExecuteKeys: ReadonlySet<string> = new Set([
  notReadyTaintKey,
  unreachableTaintKey,
]);
