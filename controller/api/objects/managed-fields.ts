import { jsonEqual } from "../../patch/json-value.js";
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
  const apiVersion = String(next.apiVersion ?? old?.apiVersion ?? "");
  if (record.subresource === "status" && old && onlyStatusDiffers(old, next)) {
    // The kubelet's and the scheduler's status writes: every changed field is under status, so
    // the entries come out the same from the status alone, without walking and copying the rest.
    const recorded = recordUpdateManager(
      statusOnly(old),
      statusOnly(next),
      record.manager,
      apiVersion,
      record.now,
      record.subresource,
    );
    const metadata = { ...next.metadata };
    const entries = recorded.metadata?.managedFields;
    if (entries === undefined) delete metadata.managedFields;
    else metadata.managedFields = entries;
    return { ...next, metadata };
  }
  return recordUpdateManager(old, next, record.manager, apiVersion, record.now, record.subresource);
}

/** The parts of an object that decide the managed fields of a status-only change. */
function statusOnly(obj: KubeObject): KubeObject {
  const managed = obj.metadata?.managedFields;
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    metadata: managed === undefined ? {} : { managedFields: managed },
    status: obj.status,
  };
}

/** True when the objects are equal but for status and metadata.managedFields. */
function onlyStatusDiffers(a: KubeObject, b: KubeObject): boolean {
  return sameExcept(a, b, "status", (x, y) =>
    sameExcept(x as Record<string, unknown>, y as Record<string, unknown>, "managedFields"),
  );
}

function sameExcept(
  a: object | undefined,
  b: object | undefined,
  skipped: string,
  compareMetadata?: (x: unknown, y: unknown) => boolean,
): boolean {
  const x = (a ?? {}) as Record<string, unknown>;
  const y = (b ?? {}) as Record<string, unknown>;
  for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) {
    if (key === skipped) continue;
    const equal =
      key === "metadata" && compareMetadata
        ? isObject(x[key]) && isObject(y[key])
          ? compareMetadata(x[key], y[key])
          : jsonEqual(x[key], y[key])
        : jsonEqual(x[key], y[key]);
    if (!equal) return false;
  }
  return true;
}

function isObject(value: unknown): value is object {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
