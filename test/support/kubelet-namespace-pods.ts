import { isNotFound } from "../../agent/kube/kube-errors.js";
import { startReflector, type Reflector } from "../../agent/kube/reflector.js";
import type { ContainerStatus, KubeEvent, Pod } from "../../agent/kube/types.js";
import { silentLogger } from "../../lib/logger.js";
import type { KubeletCluster } from "./kubelet-cluster.js";
import { waitFor } from "./wait-for.js";

/** A pod's changes as a watch saw them, each with the time it arrived. */
export interface PodTimeline {
  /** When the watch saw the pod deleted (epoch ms), once it did. */
  deletedAt(name: string): number | undefined;
  /** The waiting reasons a container of the pod went through, in order, each once per stretch. */
  waitingReasons(name: string, container: string): string[];
  stop(): Promise<void>;
}

/** The pods of one namespace of a KubeletCluster, through the admin client and kubectl. */
export class NamespacePods {
  constructor(
    readonly cluster: KubeletCluster,
    readonly ns: string,
  ) {}

  path(name = ""): string {
    return `/api/v1/namespaces/${this.ns}/pods${name ? `/${name}` : ""}`;
  }

  get(name: string): Promise<Pod> {
    return this.cluster.admin.get<Pod>(this.path(name));
  }

  apply(manifest: object): Promise<string> {
    return this.cluster.kubectlOk(["apply", "-f", "-"], JSON.stringify(manifest));
  }

  /** Polls the pod until `ok` holds for it. */
  wait(name: string, what: string, ok: (p: Pod) => boolean, timeoutMs = 60_000): Promise<Pod> {
    return waitFor(
      `pod ${name} ${what}`,
      async () => {
        const pod = await this.get(name).catch(() => undefined);
        return pod && ok(pod) ? pod : undefined;
      },
      timeoutMs,
    );
  }

  /** Polls the pod's named container status until `ok` holds for it. */
  async waitContainer(
    name: string,
    container: string,
    what: string,
    ok: (c: ContainerStatus) => boolean,
    timeoutMs = 60_000,
  ): Promise<ContainerStatus> {
    const pod = await this.wait(
      name,
      what,
      (p) => {
        const c = containerOf(p, container);
        return !!c && ok(c);
      },
      timeoutMs,
    );
    return containerOf(pod, container)!;
  }

  gone(name: string, timeoutMs = 30_000): Promise<true> {
    return waitFor(
      `pod ${name} to be gone`,
      () =>
        this.get(name).then(
          () => undefined,
          (err) => (isNotFound(err) ? (true as const) : undefined),
        ),
      timeoutMs,
    );
  }

  async events(name: string): Promise<KubeEvent[]> {
    const list = await this.cluster.admin.list<KubeEvent>(`/api/v1/namespaces/${this.ns}/events`, {
      query: { fieldSelector: `involvedObject.name=${name}` },
    });
    return list.items;
  }

  /**
   * Watches the namespace's pods, remembering when each was deleted and every waiting reason of
   * their containers (a watch sees each status write, which polling could miss); resolves once it
   * listed.
   */
  async timeline(): Promise<PodTimeline> {
    const deleted = new Map<string, number>();
    const waiting = new Map<string, string[]>();
    const noteWaiting = (pod: Pod) => {
      const all = [
        ...(pod.status?.initContainerStatuses ?? []),
        ...(pod.status?.containerStatuses ?? []),
      ];
      for (const c of all) {
        const reason = c.state?.waiting?.reason;
        const key = `${pod.metadata?.name}/${c.name}`;
        const seen = waiting.get(key) ?? [];
        if (reason && seen.at(-1) !== reason) waiting.set(key, [...seen, reason]);
      }
    };
    const reflector: Reflector<Pod> = startReflector<Pod>({
      client: this.cluster.admin,
      path: this.path(),
      logger: silentLogger(),
      onEvent: (e) => {
        if (e.type === "delete") deleted.set(e.object.metadata?.name ?? "", Date.now());
        else noteWaiting(e.object);
      },
    });
    await reflector.synced;
    return {
      deletedAt: (name) => deleted.get(name),
      waitingReasons: (name, container) => waiting.get(`${name}/${container}`) ?? [],
      stop: () => reflector.stop(),
    };
  }
}

export function containerOf(pod: Pod, name: string): ContainerStatus | undefined {
  return [
    ...(pod.status?.containerStatuses ?? []),
    ...(pod.status?.initContainerStatuses ?? []),
  ].find((c) => c.name === name);
}

export function isRunning(pod: Pod): boolean {
  return (
    pod.status?.phase === "Running" &&
    !!pod.status.containerStatuses?.every((c) => c.state?.running)
  );
}

/** An RFC 3339 API time as epoch ms. */
export function apiTime(time: string | undefined): number {
  if (!time) throw new Error("no time");
  return Date.parse(time);
}
