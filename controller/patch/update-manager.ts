// Field ownership for ordinary writes (POST, PUT, PATCH other than apply): the request's manager
// ("kubectl-client-side-apply", "kubectl-edit", "kubectl-label"…) gets an Update entry for the
// fields the request added or changed, and every other manager loses those fields and the ones
// the request removed.
//
// Simplifications against Kubernetes: no cap on the number of Update entries (Kubernetes folds
// the oldest into "ancient-changes"); the same list and map model as server-side-apply.ts.
import { invalidArgument } from "../../lib/errors.js";
import type { KubeObject } from "../resources/kube-object.js";
import { cloneJson, isJsonObject, jsonEqual } from "./json-value.js";
import {
  readManagedFields,
  sameManager,
  setManagedFields,
  withoutManagedFields,
  writeManagedFields,
  type Manager,
} from "./managed-fields.js";
import { listRulesForObject } from "./merge-keys.js";
import { compareObjects } from "./object-fields.js";
import { FieldSet } from "./field-set.js";

/**
 * `updated` with metadata.managedFields recording this write. `old` is the stored object (none
 * on create). A write that changes no field keeps managedFields exactly as stored, so a no-op
 * stays a no-op. managedFields sent in the request replace the stored ones when they differ
 * (`[{}]` clears them, as in Kubernetes).
 */
export function recordUpdateManager(
  old: KubeObject | undefined,
  updated: KubeObject,
  manager: string,
  apiVersion: string,
  now: string,
  subresource?: string,
): KubeObject {
  if (manager === "")
    throw invalidArgument("fieldManager must not be empty", { field: "fieldManager" });
  const result = cloneJson(updated);
  const stored = old?.metadata?.managedFields;
  const sent = updated.metadata?.managedFields;
  const userSet =
    sent !== undefined && !(Array.isArray(sent) && sent.length === 0) && !jsonEqual(sent, stored);
  if (userSet && isResetRequest(sent)) {
    setManagedFields(result, []);
    return result;
  }

  const rules = listRulesForObject(
    updated.apiVersion ?? old?.apiVersion,
    updated.kind ?? old?.kind,
  );
  const changes = compareObjects(
    withoutManagedFields(old ?? {}),
    withoutManagedFields(updated),
    rules,
  );
  const changed = changes.added.union(changes.modified);
  if (!userSet && changed.isEmpty() && changes.removed.isEmpty()) {
    setManagedFields(result, cloneJson(stored ?? []));
    return result;
  }

  const managers = readManagedFields(userSet ? sent : stored);
  const me = {
    manager,
    operation: "Update" as const,
    apiVersion,
    subresource: subresource || undefined,
  };
  const previous = managers.find((m) => sameManager(m, me));
  const others = managers.filter((m) => m !== previous);
  for (const other of others)
    other.fields = other.fields.difference(changed).difference(changes.removed);
  const mine: Manager = {
    ...me,
    time: changed.isEmpty() && changes.removed.isEmpty() ? previous?.time : now,
    fields: (previous?.fields ?? new FieldSet()).union(changed).difference(changes.removed),
  };
  setManagedFields(result, writeManagedFields([...others, mine]));
  return result;
}

function isResetRequest(sent: unknown): boolean {
  return (
    Array.isArray(sent) &&
    sent.length === 1 &&
    isJsonObject(sent[0]) &&
    Object.keys(sent[0]).length === 0
  );
}
