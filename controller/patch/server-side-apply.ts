// Server-side apply (PATCH with application/apply-patch+yaml): the applier's configuration is
// merged into the live object and the applier owns exactly the fields it applied. Fields it
// applied last time but not now are removed unless another manager owns them too; fields owned
// by another manager that the apply would change are conflicts unless forced, and forcing moves
// their ownership to the applier.
//
// Simplifications against Kubernetes (structured-merge-diff):
// - no OpenAPI schema: lists merge by the merge-key table (merge-keys.ts), every other list is
//   atomic; every map is granular (selector/matchLabels are not atomic as in Kubernetes);
// - no version conversion: managers' fields are compared as recorded, whatever apiVersion;
// - the caller strips what the endpoint does not own (status on the main resource of kinds with
//   a status subresource, everything but status on /status) before calling;
// - maps and lists an applier's removal leaves empty are removed rather than kept as {}.
import { invalidArgument } from "../../lib/errors.js";
import type { KubeObject } from "../resources/kube-object.js";
import type { FieldConflict } from "./apply-conflict.js";
import { mergeAppliedConfig, removeFields } from "./apply-merge.js";
import { formatFieldPath } from "./field-path.js";
import { FieldSet } from "./field-set.js";
import { cloneJson, describeJson, isJsonObject, jsonEqual } from "./json-value.js";
import {
  readManagedFields,
  sameManager,
  setManagedFields,
  withoutManagedFields,
  writeManagedFields,
  type Manager,
} from "./managed-fields.js";
import { listRulesForObject } from "./merge-keys.js";
import { compareObjects, fieldSetOf } from "./object-fields.js";

export interface ApplyOptions {
  /** The fieldManager query parameter (kubectl sends "kubectl"). */
  manager: string;
  /** The force query parameter: take over conflicting fields instead of failing. */
  force: boolean;
  /** The group/version of the request ("apps/v1"), recorded in the manager's entry. */
  apiVersion: string;
  /** RFC 3339 time recorded in the manager's entry. */
  now: string;
  /** "status" for an apply to the status subresource. */
  subresource?: string;
}

export interface ApplyResult {
  /** The object to store; when `conflicts` is not empty, the live object unchanged. */
  object: KubeObject;
  /** Fields other managers own that the apply would change; empty when it succeeded. */
  conflicts: FieldConflict[];
}

/** The manager Kubernetes charges with the fields of an object nobody managed before. */
export const BEFORE_FIRST_APPLY = "before-first-apply";

export function serverSideApply(
  live: KubeObject | undefined,
  applied: KubeObject,
  options: ApplyOptions,
): ApplyResult {
  validateApplied(applied, options.manager);
  const rules = listRulesForObject(
    applied.apiVersion ?? live?.apiVersion,
    applied.kind ?? live?.kind,
  );
  const appliedFields = fieldSetOf(applied, rules, true);
  const before = withoutManagedFields(live ?? {});
  const managers = currentManagers(live, before, options.apiVersion, rules);

  const me = {
    manager: options.manager,
    operation: "Apply" as const,
    apiVersion: options.apiVersion,
    subresource: options.subresource || undefined,
  };
  const previous = managers.find((m) => sameManager(m, me));
  const others = managers.filter((m) => m !== previous);
  const stillOwned = others
    .reduce((set, m) => set.addAll(m.fields), new FieldSet())
    .addAll(appliedFields);

  const object = mergeAppliedConfig(before, applied, rules);
  const givenUp = (previous?.fields ?? new FieldSet())
    .difference(stillOwned)
    .paths()
    .filter((path) => !stillOwned.hasDescendantOf(path));
  removeFields(object, givenUp, rules, (path) => stillOwned.has(path));

  const changes = compareObjects(before, object, rules);
  const changed = changes.added.union(changes.modified);
  const conflicts: FieldConflict[] = others.flatMap((m) =>
    m.fields
      .intersection(changed)
      .paths()
      .map((path) => ({
        manager: m.manager,
        field: formatFieldPath(path),
        operation: m.operation,
        apiVersion: m.apiVersion,
        ...(m.subresource === undefined ? {} : { subresource: m.subresource }),
      })),
  );
  if (conflicts.length > 0 && !options.force) return { object: cloneJson(live ?? {}), conflicts };

  for (const other of others)
    other.fields = other.fields.difference(changed).difference(changes.removed);
  const unchanged =
    previous !== undefined && previous.fields.equals(appliedFields) && jsonEqual(object, before);
  const mine: Manager = {
    ...me,
    time: unchanged ? previous.time : options.now,
    fields: appliedFields,
  };
  setManagedFields(object, writeManagedFields([...others, mine]));
  return { object, conflicts: [] };
}

function validateApplied(applied: KubeObject, manager: string): void {
  if (!isJsonObject(applied)) {
    throw invalidArgument(`apply configuration must be an object, got ${describeJson(applied)}`);
  }
  if (manager === "") {
    throw invalidArgument("fieldManager is required for apply requests", { field: "fieldManager" });
  }
  const metadata = applied.metadata;
  if (metadata !== undefined && !isJsonObject(metadata)) {
    throw invalidArgument("metadata must be an object", { field: "metadata" });
  }
  const managed = metadata?.managedFields;
  if (
    managed !== undefined &&
    managed !== null &&
    !(Array.isArray(managed) && managed.length === 0)
  ) {
    throw invalidArgument("metadata.managedFields must be nil", {
      field: "metadata.managedFields",
    });
  }
}

/** The live object's managers; an unmanaged live object's fields go to before-first-apply. */
function currentManagers(
  live: KubeObject | undefined,
  before: KubeObject,
  apiVersion: string,
  rules: ReturnType<typeof listRulesForObject>,
): Manager[] {
  if (live === undefined) return [];
  const managers = readManagedFields(live.metadata?.managedFields);
  if (managers.length > 0) return managers;
  const fields = fieldSetOf(before, rules);
  return fields.isEmpty()
    ? []
    : [{ manager: BEFORE_FIRST_APPLY, operation: "Update", apiVersion, fields }];
}
