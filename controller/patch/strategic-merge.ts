// Strategic merge patch (application/strategic-merge-patch+json), as kubectl apply, edit,
// cordon and patch send it. Maps merge recursively and null deletes; directives:
//   {"$patch": "replace" | "delete" | "merge"}   on a map or a list item
//   "$retainKeys": [...]                          keep only these keys of the live map
//   "$setElementOrder/<list>": [...]              final order of a merged list
//   "$deleteFromPrimitiveList/<list>": [...]      remove scalars from a merged scalar list
// Kinds without a merge-key table fall back to JSON merge patch.
import { invalidArgument } from "../../lib/errors.js";
import type { KubeObject } from "../resources/kube-object.js";
import {
  cloneJson,
  describeJson,
  getMember,
  isJsonObject,
  setMember,
  type JsonObject,
} from "./json-value.js";
import { listRulesFor, type GroupVersionKind, type ListRules } from "./merge-keys.js";
import { applyMergePatch } from "./merge-patch.js";
import {
  applyElementOrder,
  displayPath,
  mergeStrategicList,
  PATCH_DIRECTIVE,
  withoutKey,
  type ItemMerger,
} from "./strategic-list.js";

const RETAIN_KEYS = "$retainKeys";
const SET_ELEMENT_ORDER = "$setElementOrder/";
const DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";

export function applyStrategicMergePatch(
  target: KubeObject,
  patch: unknown,
  kind: GroupVersionKind,
): KubeObject {
  if (!isJsonObject(patch)) {
    throw invalidArgument(
      `strategic merge patch must be a JSON object, got ${describeJson(patch)}`,
    );
  }
  const rules = listRulesFor(kind);
  if (rules === undefined) return applyMergePatch(target, patch) as KubeObject;
  return (mergeObject(cloneJson(target) as JsonObject, patch, [], rules) ?? {}) as KubeObject;
}

/** Merges `patch` into `live` (a copy the caller owns); undefined when the patch deletes it. */
function mergeObject(
  live: JsonObject,
  patch: JsonObject,
  path: string[],
  rules: ListRules,
): JsonObject | undefined {
  const directive = patch[PATCH_DIRECTIVE];
  if (directive === "delete") return undefined;
  if (directive === "replace")
    return mergeObject({}, withoutKey(patch, PATCH_DIRECTIVE), path, rules);
  if (directive !== undefined && directive !== "merge") {
    throw invalidArgument(
      `${displayPath(path)}: unknown $patch directive ${describeJson(directive)} (expected replace, delete or merge)`,
      { field: displayPath(path) },
    );
  }

  applyRetainKeys(live, patch, path);
  const ordered = applyOrderDirectives(live, patch, path, rules);
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) deleteFromPrimitiveList(live, key, value, path);
  }
  for (const [key, value] of Object.entries(patch)) {
    if (ordered.has(key) || isDirective(key)) continue;
    if (key.startsWith("$")) {
      throw invalidArgument(
        `${displayPath(path)}: unknown patch directive ${JSON.stringify(key)}`,
        {
          field: displayPath(path),
        },
      );
    }
    if (value === null) {
      delete live[key];
      continue;
    }
    const merged = mergeValue(getMember(live, key), value, [...path, key], rules);
    if (merged === undefined) delete live[key];
    else setMember(live, key, merged);
  }
  return live;
}

function mergeValue(live: unknown, patch: unknown, path: string[], rules: ListRules): unknown {
  if (isJsonObject(patch)) return mergeObject(isJsonObject(live) ? live : {}, patch, path, rules);
  if (Array.isArray(patch)) {
    const current = Array.isArray(live) ? live : [];
    return mergeStrategicList(current, patch, path, rules.listAt(path), itemMerger(rules));
  }
  return patch;
}

const itemMerger =
  (rules: ListRules): ItemMerger =>
  (live, patch, itemPath) =>
    mergeObject(live, patch, itemPath, rules) ?? {};

function isDirective(key: string): boolean {
  return (
    key === PATCH_DIRECTIVE ||
    key === RETAIN_KEYS ||
    key.startsWith(SET_ELEMENT_ORDER) ||
    key.startsWith(DELETE_FROM_PRIMITIVE_LIST)
  );
}

function applyRetainKeys(live: JsonObject, patch: JsonObject, path: string[]): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const keep = patch[RETAIN_KEYS];
  const where = `${displayPath(path)}: $retainKeys`;
  if (!Array.isArray(keep) || !keep.every((key) => typeof key === "string")) {
    throw invalidArgument(`${where} must be a list of field names`, { field: displayPath(path) });
  }
  for (const [key, value] of Object.entries(patch)) {
    if (value !== null && !key.startsWith("$") && !keep.includes(key)) {
      throw invalidArgument(`${where} does not list ${JSON.stringify(key)}, which the patch sets`, {
        field: displayPath(path),
      });
    }
  }
  for (const key of Object.keys(live)) if (!keep.includes(key)) delete live[key];
}

/** Handles every `$setElementOrder/<field>`; returns the fields it merged (with their patch). */
function applyOrderDirectives(
  live: JsonObject,
  patch: JsonObject,
  path: string[],
  rules: ListRules,
): Set<string> {
  const handled = new Set<string>();
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const field = key.slice(SET_ELEMENT_ORDER.length);
    const fieldPath = [...path, field];
    const rule = rules.listAt(fieldPath);
    // Only merged lists have an order to set; a replaced list takes the patch's order anyway.
    if (rule === undefined) continue;
    const patchList = getMember(patch, field);
    if (patchList !== undefined && !Array.isArray(patchList)) {
      throw invalidArgument(`${displayPath(fieldPath)} must be a list`, {
        field: displayPath(fieldPath),
      });
    }
    const current = getMember(live, field);
    if (patchList === undefined && !Array.isArray(current)) continue;
    const liveList = Array.isArray(current) ? current : [];
    const liveOrder = liveList.slice();
    const merged =
      patchList === undefined
        ? liveList
        : mergeStrategicList(liveList, patchList, fieldPath, rule, itemMerger(rules));
    setMember(live, field, applyElementOrder(merged, order, patchList, liveOrder, fieldPath, rule));
    handled.add(field);
  }
  return handled;
}

function deleteFromPrimitiveList(
  live: JsonObject,
  key: string,
  value: unknown,
  path: string[],
): void {
  const field = key.slice(DELETE_FROM_PRIMITIVE_LIST.length);
  if (!Array.isArray(value)) {
    throw invalidArgument(`${displayPath(path)}: ${key} must be a list`, {
      field: displayPath(path),
    });
  }
  const current = getMember(live, field);
  if (!Array.isArray(current)) return;
  const kept = current.filter((item) => !value.some((gone) => gone === item));
  setMember(live, field, kept);
}
