import { readFileSync } from "node:fs";
import path from "node:path";
import { pkiLayout } from "../../controller/pki/pki-layout.js";
import { startControllerProcess, type ControllerProcess } from "./controller-process.js";
import { startEtcd, type TestEtcd } from "./etcd-server.js";
import { kubectl, type KubectlResult } from "./kubectl.js";
import { answerError, SimApiClient, type SimAnswer, type SimTls } from "./sim-api-client.js";
import {
  startSimulatedNodes,
  type SimulatedNodes,
  type SimulatedNodesOptions,
} from "./simulated-nodes.js";
import { tempDir } from "./temp-dir.js";
import { runTeardown } from "./teardown.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Wire = any;

export type NodeOptions = Omit<SimulatedNodesOptions, "url" | "ca" | "cert" | "key">;

/**
 * A whole small cluster for workload tests: etcd, the real `berth controller` process (scheduler
 * and controllers included), simulated nodes, an admin API client and the real kubectl.
 */
export interface WorkloadCluster {
  controller: ControllerProcess;
  sim: SimulatedNodes;
  api: SimApiClient;
  tls: SimTls;
  kube: { kubeconfig: string; cacheDir: string };
  kubectl(args: string[], input?: string, timeoutMs?: number): Promise<KubectlResult>;
  /** kubectl that must exit 0: its stdout, or an error carrying its stderr. */
  kubectlOk(args: string[], input?: string, timeoutMs?: number): Promise<string>;
  /** A request whose status must be one of `statuses` (default 200/201): the body. */
  call(method: string, path: string, body?: unknown, ...statuses: number[]): Promise<Wire>;
  /** The items of a list, e.g. list("/api/v1/namespaces/x/pods?labelSelector=app%3Dweb"). */
  list(path: string): Promise<Wire[]>;
  stop(): Promise<void>;
}

/**
 * Starts the cluster under a `berth-test-<name>-` temp dir with `namespaces` created and the
 * simulated nodes registered; everything started so far is stopped again if a step fails.
 */
export async function startWorkloadCluster(
  name: string,
  nodes: NodeOptions,
  namespaces: string[] = [],
): Promise<WorkloadCluster> {
  const cleanups: Array<() => unknown> = [];
  const stop = async () => {
    await runTeardown(cleanups.splice(0).reverse(), "workload cluster teardown");
  };
  try {
    const base = tempDir(name);
    cleanups.push(() => base.remove());
    const etcd: TestEtcd = await startEtcd();
    cleanups.push(() => etcd.stop());
    const controller = await startControllerProcess(base.path, etcd.endpoint);
    cleanups.push(() => controller.stop());
    const layout = pkiLayout(path.join(base.path, "controller"));
    const tls = {
      ca: readFileSync(layout.caCert, "utf8"),
      cert: readFileSync(layout.adminCert, "utf8"),
      key: readFileSync(layout.adminKey, "utf8"),
    };
    const api = new SimApiClient(controller.url, tls, 16);
    cleanups.push(() => api.close());
    const call = async (method: string, path: string, body?: unknown, ...statuses: number[]) => {
      const answer: SimAnswer = await api.request(method, path, body);
      const wanted = statuses.length > 0 ? statuses : [200, 201];
      if (!wanted.includes(answer.status)) throw answerError(`${method} ${path}`, answer);
      return answer.body;
    };
    for (const namespace of namespaces) {
      await call("POST", "/api/v1/namespaces", { metadata: { name: namespace } });
    }
    const sim = await startSimulatedNodes({ url: controller.url, ...tls, ...nodes });
    cleanups.push(() => sim.stop());
    const kube = { kubeconfig: controller.kubeconfig, cacheDir: path.join(base.path, "kube") };
    const run = (args: string[], input?: string, timeoutMs?: number) =>
      kubectl(args, { ...kube, input, timeoutMs: timeoutMs ?? 60_000 });
    return {
      controller,
      sim,
      api,
      tls,
      kube,
      kubectl: run,
      async kubectlOk(args, input, timeoutMs) {
        const r = await run(args, input, timeoutMs);
        if (r.code !== 0) {
          throw new Error(`kubectl ${args.join(" ")} failed (${r.code}): ${r.stderr}${r.stdout}`);
        }
        return r.stdout;
      },
      call,
      list: async (path) => (await call("GET", path)).items as Wire[],
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** A pod's Ready condition is True. */
export function isReady(pod: Wire): boolean {
  return (pod.status?.conditions ?? []).some(
    (c: Wire) => c.type === "Ready" && c.status === "True",
  );
}

/** Pods per node name ("" for unbound), counting only pods that are not terminating. */
export function podsPerNode(pods: Wire[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const node = pod.spec.nodeName ?? "";
    out[node] = (out[node] ?? 0) + 1;
  }
  return out;
}

/** A minimal pod manifest: one busybox container, optional cpu request and spec fields. */
export function podManifest(
  name: string,
  spec: Record<string, unknown> = {},
  cpu?: string,
  labels: Record<string, string> = { app: name },
): Wire {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, labels },
    spec: {
      containers: [
        {
          name: "app",
          image: "busybox:1.36",
          ...(cpu ? { resources: { requests: { cpu } } } : {}),
        },
      ],
      ...spec,
    },
  };
}

/** A Deployment manifest with a busybox-like image and a selector on app=<name>. */
export function deploymentManifest(
  name: string,
  replicas: number,
  image: string,
  extra: { strategy?: unknown; podSpec?: Record<string, unknown> } = {},
): Wire {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      ...(extra.strategy ? { strategy: extra.strategy } : {}),
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: "app", image }], ...extra.podSpec },
      },
    },
  };
}
