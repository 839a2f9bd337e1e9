import type { Logger } from "../../lib/logger.js";
import type { ApiDeps } from "../api/context.js";
import { createNew } from "../api/objects/create-new.js";
import { ApiError } from "../api/status.js";

/** The namespaces kube-apiserver makes on its own; nodes need kube-node-lease and default. */
export const systemNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

/**
 * Creates the system namespaces that are missing, now and then every `periodMs` (someone may
 * delete one), as kube-apiserver's system namespaces controller does in every replica.
 * Failures (etcd down) are logged and retried on the next round. Returns a stop function.
 */
export function keepSystemNamespaces(
  deps: ApiDeps,
  logger: Logger,
  periodMs = 60_000,
): { ready: Promise<void>; stop(): void } {
  const rt = deps.registry.find("", "v1", "namespaces")!;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  let stopped = false;
  const round = async (): Promise<boolean> => {
    let complete = true;
    for (const name of systemNamespaces) {
      if (await deps.resources.tryGet(rt, "", name).catch(() => undefined)) continue;
      try {
        await createNew(
          deps,
          rt,
          { apiVersion: "v1", kind: "Namespace", metadata: { name } },
          { fieldManager: "berth-controller" },
        );
        logger.info("created system namespace", { namespace: name });
      } catch (err) {
        if (err instanceof ApiError && err.code === 409) continue;
        complete = false;
        logger.warn("cannot create system namespace yet", {
          namespace: name,
          error: (err as Error).message,
        });
      }
    }
    return complete;
  };
  const ready = (async () => {
    // Quick retries first, so a controller that starts before etcd still has them soon.
    for (let delay = 200; !stopped && !(await round()); delay = Math.min(delay * 2, 5_000)) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, delay);
      });
    }
    if (stopped) return;
    const every = () => {
      timer = setTimeout(() => void round().finally(() => !stopped && every()), periodMs);
    };
    every();
  })();
  return {
    ready,
    stop() {
      stopped = true;
      clearTimeout(timer);
      wake?.();
    },
  };
}
