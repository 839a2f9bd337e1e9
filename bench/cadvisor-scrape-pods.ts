// Pods for bench/cadvisor-scrape.ts: the node Ready, N busybox pods Running, all deleted after.
import { setTimeout as sleep } from "node:timers/promises";
import type { Node, Pod } from "../agent/kube/types.js";
import type { KubeletCluster } from "../test/support/kubelet-cluster.js";
import { busyboxContainer, podManifest } from "../test/support/kubelet-pods.js";
import { answerError, type SimApiClient } from "../test/support/sim-api-client.js";
import { eachLimited, StartupWatch } from "./pod-startup-support.js";

// sh as PID 1 ignores TERM unless it traps it: this exits at once, so deletions are quick.
const script = "trap 'exit 0' TERM; while :; do sleep 1; done";

export async function nodeReady(cluster: KubeletCluster): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const node = await cluster.admin
      .get<Node>(`/api/v1/nodes/${cluster.nodeName}`)
      .catch(() => undefined);
    if (node?.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")) return;
    await sleep(100);
  }
  throw new Error(`node ${cluster.nodeName} not Ready in 30 s`);
}

/** Creates `count` pods of one busybox container in a new namespace; resolves once all run. */
export async function runPods(api: SimApiClient, namespace: string, count: number) {
  const created = await api.request("POST", "/api/v1/namespaces", {
    metadata: { name: namespace },
  });
  if (created.status !== 201) throw answerError(`create namespace ${namespace}`, created);
  const watch = new StartupWatch();
  await watch.start(api, namespace);
  try {
    const names = Array.from({ length: count }, (_, i) => `scraped-${i}`);
    await eachLimited(names, 16, async (name) => {
      const manifest = podManifest(
        namespace,
        name,
        [busyboxContainer("app", ["sh", "-c", script])],
        {
          terminationGracePeriodSeconds: 2,
        },
      );
      const a = await api.request("POST", `/api/v1/namespaces/${namespace}/pods`, manifest);
      if (a.status !== 201) throw answerError(`create ${name}`, a);
    });
    await watch.waitRunning(names, 60_000 + count * 2_000, () => undefined);
  } finally {
    watch.stop();
  }
}

/** Deletes the namespace's pods and waits until the runtime has nothing left. */
export async function deletePods(
  cluster: KubeletCluster,
  api: SimApiClient,
  namespace: string,
): Promise<void> {
  const listed = await api.request("GET", `/api/v1/namespaces/${namespace}/pods`);
  const names = ((listed.body.items as Pod[] | undefined) ?? []).map((p) => p.metadata!.name!);
  await eachLimited(names, 16, async (name) => {
    await api.request("DELETE", `/api/v1/namespaces/${namespace}/pods/${name}`);
  });
  const deadline = Date.now() + 60_000 + names.length * 1_000;
  while (Date.now() < deadline) {
    const runtime = await cluster.runtimeObjects();
    if (runtime.sandboxes.length + runtime.containers.length === 0) return;
    await sleep(200);
  }
  throw new Error("pods still in the runtime a minute after their deletion");
}
