import { BerthError } from "../../../lib/errors.js";
import type { ContainerStatus__Output } from "../../../proto/gen/runtime/v1/ContainerStatus.js";
import type { KubeletRuntime } from "../runtime/kubelet-runtime.js";
import type {
  RuntimeContainer,
  RuntimeContainerState,
  RuntimePod,
  RuntimeSandbox,
} from "./runtime-pod.js";
import type { SpecPort } from "./sync-ports.js";
import { readLogTail, readMessageFile } from "./termination-message.js";

/** The label kubelet puts on every sandbox and container it makes: the pod's uid. */
export const podUidLabel = "io.kubernetes.pod.uid";

const states: Record<string, RuntimeContainerState> = {
  CONTAINER_CREATED: "created",
  CONTAINER_RUNNING: "running",
  CONTAINER_EXITED: "exited",
  CONTAINER_UNKNOWN: "unknown",
};

/** CRI nanoseconds (an int64 string) as epoch ms; undefined for 0. */
export function nanosToMs(ns: string | number | undefined): number | undefined {
  if (ns === undefined || ns === "" || ns === "0" || ns === 0) return undefined;
  return Number(BigInt(ns) / 1_000_000n);
}

/**
 * Reads one pod's sandboxes and containers from the runtime (kubelet's GetPodStatus). The
 * termination message of an exited container is read once and remembered by container id.
 */
export class PodInspector {
  private readonly messages = new Map<string, string>();

  constructor(
    private readonly runtime: KubeletRuntime,
    private readonly spec: Pick<SpecPort, "containerLabels">,
  ) {}

  async inspect(uid: string, name = "", namespace = ""): Promise<RuntimePod> {
    const selector = { label_selector: { [podUidLabel]: uid } };
    const [sandboxList, containerList] = await Promise.all([
      this.runtime.listPodSandbox({ filter: selector }),
      this.runtime.listContainers({ filter: selector }),
    ]);
    const items = [...sandboxList.items].sort((a, b) => compareNs(b.created_at, a.created_at));
    const sandboxes: RuntimeSandbox[] = items.map((s) => ({
      id: s.id,
      ready: s.state === "SANDBOX_READY",
      attempt: s.metadata?.attempt ?? 0,
      createdAt: nanosToMs(s.created_at) ?? 0,
      hostNetwork: false,
    }));
    let ips: string[] = [];
    if (sandboxes[0]) {
      const status = await ignoreNotFound(
        this.runtime.podSandboxStatus({ pod_sandbox_id: sandboxes[0].id }),
      );
      const network = status?.status?.network;
      sandboxes[0].hostNetwork = status?.status?.linux?.namespaces?.options?.network === "NODE";
      if (sandboxes[0].ready && network?.ip) {
        ips = [network.ip, ...network.additional_ips.map((a) => a.ip)];
      }
      name ||= items[0].metadata?.name ?? "";
      namespace ||= items[0].metadata?.namespace ?? "";
    }
    // Newest first, by the runtime's nanosecond creation times (ms would tie).
    const listed = [...containerList.containers].sort((a, b) =>
      compareNs(b.created_at, a.created_at),
    );
    const statuses = await Promise.all(
      listed.map((c) => ignoreNotFound(this.runtime.containerStatus({ container_id: c.id }))),
    );
    const containers: RuntimeContainer[] = [];
    for (const [i, res] of statuses.entries()) {
      if (!res?.status) continue;
      const c = await this.toRuntimeContainer(res.status, listed[i].pod_sandbox_id);
      if (c) containers.push(c);
    }
    return { uid, name, namespace, sandboxes, containers, ips };
  }

  /** Forgets what was remembered about a pod's containers (after they are removed). */
  forget(containerIds: string[]): void {
    for (const id of containerIds) this.messages.delete(id);
  }

  private async toRuntimeContainer(
    s: ContainerStatus__Output,
    sandboxId: string,
  ): Promise<RuntimeContainer | undefined> {
    const labels = this.spec.containerLabels(s);
    if (!labels) return undefined;
    const state = states[s.state] ?? "unknown";
    const c: RuntimeContainer = {
      id: s.id,
      sandboxId,
      name: labels.containerName,
      state,
      hash: labels.hash,
      restartCount: labels.restartCount,
      createdAt: nanosToMs(s.created_at) ?? 0,
      startedAt: nanosToMs(s.started_at),
      finishedAt: nanosToMs(s.finished_at),
      exitCode: s.exit_code,
      reason: s.reason,
      message: s.message,
      image: s.image?.image ?? "",
      imageRef: s.image_ref,
      logPath: s.log_path,
      terminationMessagePolicy: labels.terminationMessagePolicy,
      terminationGracePeriodSeconds: labels.terminationGracePeriodSeconds,
    };
    const messagePath = labels.terminationMessagePath ?? "/dev/termination-log";
    c.terminationMessageHostPath = s.mounts.find(
      (m) => m.container_path === messagePath,
    )?.host_path;
    if (state === "exited" && !c.message) c.message = await this.terminationMessage(c);
    return c;
  }

  private async terminationMessage(c: RuntimeContainer): Promise<string> {
    const known = this.messages.get(c.id);
    if (known !== undefined) return known;
    let message = c.terminationMessageHostPath
      ? await readMessageFile(c.terminationMessageHostPath)
      : "";
    if (!message && c.exitCode !== 0 && c.terminationMessagePolicy === "FallbackToLogsOnError") {
      message = await readLogTail(c.logPath);
    }
    this.messages.set(c.id, message);
    return message;
  }
}

function compareNs(a: string, b: string): number {
  const x = BigInt(a || "0");
  const y = BigInt(b || "0");
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A sandbox or container removed between the list and the status call is simply gone. */
async function ignoreNotFound<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof BerthError && err.kind === "NotFound") return undefined;
    throw err;
  }
}
