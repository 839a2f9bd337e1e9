import type { KubeObject } from "../../resources/kube-object.js";
import { generationChanged } from "../../resources/generation.js";
import type { ResourceType } from "../../resources/resource-type.js";
import { invalid, staleObject } from "../status.js";
import { invalid as invalidField } from "../../resources/validation/field-causes.js";
import { immutableError } from "../../resources/validation/name-formats.js";
import { nowTimestamp, subjectOf } from "./api-object.js";
import { recordManager } from "./managed-fields.js";
import { keepServerMetadata } from "./new-object-meta.js";
import { validateUpdate } from "./validate-object.js";

export interface UpdateRequest {
  /** "" for the main resource, "status" or (namespaces) "finalize" for those subresources. */
  subresource: string;
  fieldManager: string;
  operation?: "Update" | "Apply";
  now: Date;
}

/**
 * The object an update stores, from the current one and what the client sent: a stale
 * resourceVersion is 409; the server's metadata is kept; /status changes only status and the
 * main resource never changes status (for kinds with a status subresource); defaults, validation,
 * generation bump, managed fields.
 */
export function prepareUpdate(
  rt: ResourceType,
  current: KubeObject,
  incoming: KubeObject,
  request: UpdateRequest,
): KubeObject {
  const sent = incoming.metadata?.resourceVersion;
  if (sent && sent !== current.metadata?.resourceVersion) {
    throw staleObject(subjectOf(rt, current.metadata?.name));
  }
  // A uid in the body is a precondition (the kubelet's status patches carry one): an object
  // recreated under the same name is not the one the client meant, for any subresource.
  const uid = incoming.metadata?.uid;
  if (uid && uid !== current.metadata?.uid) {
    throw invalid(subjectOf(rt, current.metadata?.name), [
      invalidField("metadata.uid", uid, immutableError),
    ]);
  }
  let next: KubeObject;
  if (request.subresource === "status") {
    next = { ...current, status: incoming.status };
  } else if (request.subresource === "finalize") {
    const finalizers = (incoming.spec as { finalizers?: string[] } | undefined)?.finalizers;
    next = { ...current, spec: { ...(current.spec as object), finalizers } };
  } else {
    next = { ...incoming };
    keepServerMetadata(next, current);
    if (rt.statusSubresource) {
      if (current.status === undefined) delete next.status;
      else next.status = current.status;
    }
  }
  if (rt.kind === "Service") keepClusterIps(next, current);
  rt.applyDefaults(next);
  validateUpdate(rt, next, current);
  if (request.subresource === "" && generationChanged(current, next)) {
    next.metadata = { ...next.metadata, generation: (current.metadata?.generation ?? 1) + 1 };
  }
  return recordManager(current, next, {
    manager: request.fieldManager,
    operation: request.operation ?? "Update",
    now: nowTimestamp(request.now),
    subresource: request.subresource || undefined,
  });
}

/** As Kubernetes' service update: a spec without cluster IPs keeps the ones it had. */
function keepClusterIps(next: KubeObject, current: KubeObject): void {
  const spec = next.spec as { clusterIP?: string; clusterIPs?: string[] } | undefined;
  const old = current.spec as { clusterIP?: string; clusterIPs?: string[] } | undefined;
  if (!spec || !old) return;
  if (spec.clusterIP === undefined && old.clusterIP !== undefined) spec.clusterIP = old.clusterIP;
  if (spec.clusterIPs === undefined && old.clusterIPs !== undefined)
    spec.clusterIPs = old.clusterIPs;
}
