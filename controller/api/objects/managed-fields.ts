import { recordUpdateManager } from "../../patch/update-manager.js";
import type { KubeObject } from "../../resources/kube-object.js";

export interface ManagerRecord {
  manager: string;
  /** Apply requests record their fields in serverSideApply itself; this adds nothing then. */
  operation: "Update" | "Apply";
  now: string;
  subresource?: string;
}

/** Records the fields a write changed under its field manager (an "Update" managedFields entry). */
export function recordManager(
  old: KubeObject | undefined,
  next: KubeObject,
  record: ManagerRecord,
): KubeObject {
  if (record.operation === "Apply") return next;
  return recordUpdateManager(
    old,
    next,
    record.manager,
    String(next.apiVersion ?? old?.apiVersion ?? ""),
    record.now,
    record.subresource,
  );
}
