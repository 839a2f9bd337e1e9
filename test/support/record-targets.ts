import { readExitFile } from "../../agent/runtime/container/exit-status.js";
import { RecordStore } from "../../agent/runtime/record-store.js";
import type { ContainerRecord, SandboxRecord } from "../../agent/runtime/records.js";
import type { RuntimePaths } from "../../agent/runtime/runtime-paths.js";
import type { StreamingTargets } from "../../agent/streaming/streaming-targets.js";

/** Resolves names the way the kubelet will: from the CRI labels on the runtime's records. */
export function recordTargets(paths: RuntimePaths): StreamingTargets {
  const load = async () => ({
    sandboxes: await new RecordStore<SandboxRecord>(paths.sandboxRecords).load(),
    containers: await new RecordStore<ContainerRecord>(paths.containerRecords).load(),
  });
  const findSandbox = (sandboxes: SandboxRecord[], namespace: string, pod: string) =>
    sandboxes.find(
      (s) =>
        s.state === "ready" &&
        s.config.labels["io.kubernetes.pod.namespace"] === namespace &&
        s.config.labels["io.kubernetes.pod.name"] === pod,
    );
  return {
    async sandbox(namespace, pod) {
      const sandbox = findSandbox((await load()).sandboxes, namespace, pod);
      return sandbox && { sandboxId: sandbox.id, netnsPath: sandbox.namespaces.net };
    },
    async container(namespace, pod, name) {
      const { sandboxes, containers } = await load();
      const sandbox = findSandbox(sandboxes, namespace, pod);
      const attempts = containers
        .filter(
          (c) => c.sandboxId === sandbox?.id && c.labels["io.kubernetes.container.name"] === name,
        )
        .sort((a, b) => a.metadata.attempt - b.metadata.attempt);
      const current = attempts.at(-1);
      if (!current) return undefined;
      const exited = await readExitFile(paths.exits, current.id);
      return {
        containerId: current.id,
        sandboxId: current.sandboxId,
        running: current.state === "running" && !exited,
        logPath: current.logPath,
        previousLogPath: attempts.at(-2)?.logPath,
        tty: current.tty,
        stdin: current.stdin,
      };
    },
  };
}
