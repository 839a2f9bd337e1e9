import type { ContainerRecord, SandboxRecord } from "../../../../../agent/runtime/records.js";

/** A sandbox record with what a scrape reads; the rest is irrelevant to it. */
export function sandbox(id: string, over: Partial<SandboxRecord> = {}): SandboxRecord {
  return {
    id,
    state: "ready",
    createdAt: "1700000000000000000",
    config: { metadata: { name: `pod-${id}`, namespace: "ns", uid: `uid-${id}`, attempt: 0 } },
    namespaces: { net: `/run/berth/netns/${id}` },
    files: { hostname: "", hosts: "", resolvConf: "" },
    cgroup: `/berth/${id}`,
    ownsCgroup: true,
    runtimeHandler: "",
    ...over,
  } as SandboxRecord;
}

export function container(
  id: string,
  sandboxId: string,
  over: Partial<ContainerRecord> = {},
): ContainerRecord {
  return {
    id,
    sandboxId,
    state: "running",
    metadata: { name: `ctr-${id}`, attempt: 0 },
    imageRef: "busybox",
    imageId: "sha256:bb",
    labels: {},
    annotations: {},
    mounts: [],
    logPath: "",
    cgroup: `/berth/${sandboxId}/${id}`,
    stopSignal: "",
    stdin: false,
    stdinOnce: false,
    tty: false,
    createdAt: "1700000001500000000",
    startedAt: "1700000002000000000",
    pid: 4000 + id.length,
    ...over,
  } as ContainerRecord;
}
