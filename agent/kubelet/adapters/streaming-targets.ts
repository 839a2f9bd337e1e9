import { promises as fs } from "node:fs";
import path from "node:path";
import { readExitFile } from "../../runtime/container/exit-status.js";
import type { ContainerRecord, SandboxRecord } from "../../runtime/records.js";
import type { RuntimeDeps } from "../../runtime/runtime-deps.js";
import type { StreamingTargets } from "../../streaming/streaming-targets.js";
import { containerIdentity, sandboxIdentity } from "../spec/runtime-identity.js";

export interface RecordTargetsOptions {
  /** The runtime's in-memory records (no CRI call, no disk read but the exit file). */
  runtime: Pick<RuntimeDeps, "sandboxes" | "containers" | "paths">;
  /** The uid of the pod the API has under this name (undefined: not known, newest wins). */
  currentUid?: (namespace: string, name: string) => string | undefined;
}

/**
 * Resolves streaming URLs (namespace, pod, container) to the runtime's objects from its records,
 * read back through the kubelet's labels: the pod is the API's pod of that name (or the newest
 * the runtime has), the container its newest instance, the previous log the one before it.
 */
export function recordStreamingTargets(options: RecordTargetsOptions): StreamingTargets {
  const { runtime } = options;

  const podSandboxes = (namespace: string, name: string): SandboxRecord[] => {
    const wanted = options.currentUid?.(namespace, name);
    const mine = runtime.sandboxes.list().filter((s) => {
      if (s.state === "creating" || s.state === "removing") return false;
      const id = sandboxIdentity(s.config);
      if (!id || id.podNamespace !== namespace || id.podName !== name) return false;
      return wanted === undefined || id.podUid === wanted;
    });
    // Ready first, then newest first.
    return mine.sort(
      (a, b) =>
        Number(b.state === "ready") - Number(a.state === "ready") ||
        compareNanos(b.createdAt, a.createdAt),
    );
  };

  return {
    async sandbox(namespace, name) {
      const sandbox = podSandboxes(namespace, name)[0];
      return sandbox && { sandboxId: sandbox.id, netnsPath: sandbox.namespaces.net };
    },

    async container(namespace, name, containerName) {
      const sandbox = podSandboxes(namespace, name)[0];
      const uid = sandbox && sandboxIdentity(sandbox.config)?.podUid;
      if (!uid) return undefined;
      const attempts = runtime.containers
        .list()
        .filter((record) => record.state !== "creating" && record.state !== "removing")
        .map((record) => ({ record, id: containerIdentity(record) }))
        .filter(({ id }) => id?.podUid === uid && id.containerName === containerName)
        .sort(
          (a, b) =>
            a.id!.restartCount - b.id!.restartCount ||
            compareNanos(a.record.createdAt, b.record.createdAt),
        );
      const current = attempts.at(-1);
      if (!current) return undefined;
      const c = current.record;
      const exited = c.state === "running" && (await readExitFile(runtime.paths.exits, c.id));
      return {
        containerId: c.id,
        sandboxId: c.sandboxId,
        running: c.state === "running" && !exited,
        logPath: c.logPath,
        previousLogPath:
          attempts.at(-2)?.record.logPath || (await earlierLog(c, current.id!.restartCount)),
        tty: c.tty,
        stdin: c.stdin,
      };
    },
  };
}

/** <dir>/<restartCount-1>.log when the instance before was removed but its log is still there. */
async function earlierLog(c: ContainerRecord, restartCount: number): Promise<string | undefined> {
  if (!c.logPath || restartCount === 0) return undefined;
  const candidate = path.join(path.dirname(c.logPath), `${restartCount - 1}.log`);
  return (await fs.stat(candidate).catch(() => undefined)) ? candidate : undefined;
}

function compareNanos(a: string, b: string): number {
  const x = BigInt(a || "0");
  const y = BigInt(b || "0");
  return x < y ? -1 : x > y ? 1 : 0;
}
