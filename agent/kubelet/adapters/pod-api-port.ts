import type { Logger } from "../../../lib/logger.js";
import type { EventRecorder } from "../../kube/event-recorder.js";
import type { KubeClient } from "../../kube/kube-client.js";
import type { PodApiPort } from "../sync/sync-ports.js";
import { podStatusPatch } from "./pod-status-patch.js";

export interface PodApiPortOptions {
  client: Pick<KubeClient, "patch" | "delete">;
  events: Pick<EventRecorder, "record">;
  logger: Logger;
  /**
   * The uid of the pod the API has under this name now, as the node's pod watch last saw it
   * (undefined: not known). A status meant for an older pod of the same name is not written.
   */
  currentUid?: (namespace: string, name: string) => string | undefined;
}

const podPath = (namespace: string, name: string) =>
  `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`;

/**
 * The sync layer's PodApiPort over the Kubernetes API: status as a strategic merge patch of
 * pods/<name>/status, the final delete with grace 0 and a uid precondition (so a new pod that
 * took the name is never deleted), events through the node's EventRecorder.
 */
export function createPodApiPort(options: PodApiPortOptions): PodApiPort {
  const { client, logger } = options;
  return {
    async patchPodStatus(namespace, name, uid, status) {
      const current = options.currentUid?.(namespace, name);
      if (current !== undefined && current !== uid) {
        logger.debug("status not written: the pod was replaced", {
          pod: `${namespace}/${name}`,
          uid,
          current,
        });
        return;
      }
      await client.patch(
        `${podPath(namespace, name)}/status`,
        podStatusPatch(uid, status),
        "strategic",
      );
    },

    async deletePod(namespace, name, uid) {
      await client.delete(podPath(namespace, name), {
        apiVersion: "v1",
        kind: "DeleteOptions",
        gracePeriodSeconds: 0,
        preconditions: { uid },
      });
    },

    recordEvent(ref, type, reason, message) {
      options.events.record(ref, type, reason, message);
    },
  };
}
