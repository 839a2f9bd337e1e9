// Strategic merge patch for lists: per-item merging by merge key, set-like scalar lists, and the
// order Kubernetes gives the result (patch order for patched items, live order for the rest,
// interleaved the way apimachinery's strategicpatch does, so kubectl sees the same list).
import { invalidArgument } from "../../lib/errors.js";
import { LIST_ITEM, type ListType } from "./merge-keys.js";
import { cloneJson, describeJson, isJsonObject, jsonEqual, type JsonObject } from "./json-value.js";

export const PATCH_DIRECTIVE = "$patch";

/** Merges one patch item into a live item (a copy the caller owns). */
export type ItemMerger = (live: JsonObject, patch: JsonObject, itemPath: string[]) => JsonObject;

/** "spec.template.spec.containers[].env", for error messages. */
export function displayPath(path: readonly string[]): string {
  if (path.length === 0) return "patch";
  return path.reduce((text, segment, i) =>
    i === 0 ? segment : segment === LIST_ITEM ? text + LIST_ITEM : `${text}.${segment}`,
  );
}

/** The list after applying `patch` to `live` (which the caller owns) under `rule`. */
export function mergeStrategicList(
  live: unknown[],
  patch: unknown[],
  path: string[],
  rule: ListType | undefined,
  mergeItem: ItemMerger,
): unknown[] {
  if (rule === undefined) return cloneJson(patch);
  if (rule.type === "set") return mergeScalarSet(live, patch, path);
  return mergeKeyedItems(live, patch, path, rule.mergeKey, mergeItem);
}

function mergeScalarSet(live: unknown[], patch: unknown[], path: string[]): unknown[] {
  for (const item of patch) {
    if (typeof item === "object" && item !== null) {
      throw invalidArgument(
        `${displayPath(path)}: a merged list of scalars cannot hold ${describeJson(item)}`,
        { field: displayPath(path) },
      );
    }
  }
  const merged: unknown[] = [];
  for (const item of [...live, ...patch]) {
    if (!merged.some((seen) => jsonEqual(seen, item))) merged.push(item);
  }
  return orderLikeKubernetes(merged, patch.map(scalarKey), live.map(scalarKey), scalarKey);
}

function mergeKeyedItems(
  live: unknown[],
  patch: unknown[],
  path: string[],
  mergeKey: string,
  mergeItem: ItemMerger,
): unknown[] {
  const itemPath = [...path, LIST_ITEM];
  const keyOf = (item: unknown): string | undefined =>
    isJsonObject(item) && item[mergeKey] !== undefined ? scalarKey(item[mergeKey]) : undefined;
  const requireKey = (item: JsonObject): unknown => {
    if (item[mergeKey] === undefined || item[mergeKey] === null) {
      throw invalidArgument(
        `${displayPath(path)}: element ${describeJson(item)} does not contain declared merge key: ${mergeKey}`,
        { field: displayPath(path) },
      );
    }
    return item[mergeKey];
  };

  let working = live.slice();
  let replace = false;
  const items: JsonObject[] = [];
  for (const item of patch) {
    if (!isJsonObject(item)) {
      throw invalidArgument(
        `${displayPath(path)}: list merged by ${mergeKey} cannot hold ${describeJson(item)}`,
        { field: displayPath(path) },
      );
    }
    const directive = item[PATCH_DIRECTIVE];
    if (directive === undefined) items.push(item);
    else if (directive === "merge") items.push(withoutKey(item, PATCH_DIRECTIVE));
    else if (directive === "replace") replace = true;
    else if (directive === "delete") {
      const key = requireKey(item);
      working = working.filter(
        (entry) => !(isJsonObject(entry) && jsonEqual(entry[mergeKey], key)),
      );
    } else {
      throw invalidArgument(
        `${displayPath(path)}: unknown $patch directive ${describeJson(directive)} (expected replace, delete or merge)`,
        { field: displayPath(path) },
      );
    }
  }
  if (replace) return items.map((item) => mergeItem({}, item, itemPath));

  const serverOrder = working.map(keyOf);
  for (const item of items) {
    const key = requireKey(item);
    const at = working.findIndex((entry) => isJsonObject(entry) && jsonEqual(entry[mergeKey], key));
    if (at >= 0) working[at] = mergeItem(working[at] as JsonObject, item, itemPath);
    else working.push(mergeItem({}, item, itemPath));
  }
  return orderLikeKubernetes(working, items.map(keyOf), serverOrder, keyOf);
}

/**
 * Applies `$setElementOrder/<field>`: the items it names come first in its order relative to each
 * other, the others keep their live positions. Non-deleting patch items must be listed, in the
 * same relative order, as Kubernetes requires.
 */
export function applyElementOrder(
  merged: unknown[],
  order: unknown,
  patchList: unknown[] | undefined,
  liveList: unknown[],
  path: string[],
  rule: ListType,
): unknown[] {
  const where = `${displayPath(path)}: $setElementOrder`;
  if (!Array.isArray(order)) {
    throw invalidArgument(`${where} must be a list`, { field: displayPath(path) });
  }
  const keyOf =
    rule.type === "map"
      ? (item: unknown): string | undefined =>
          isJsonObject(item) && item[rule.mergeKey] !== undefined
            ? scalarKey(item[rule.mergeKey])
            : undefined
      : scalarKey;
  const orderKeys = order.map((entry) => {
    const key = keyOf(entry);
    if (key === undefined) {
      throw invalidArgument(`${where} entry ${describeJson(entry)} has no merge key`, {
        field: displayPath(path),
      });
    }
    return key;
  });
  const patchKeys = (patchList ?? [])
    .filter((item) => !(isJsonObject(item) && PATCH_DIRECTIVE in item))
    .map(keyOf);
  let next = 0;
  for (const key of orderKeys) if (next < patchKeys.length && patchKeys[next] === key) next++;
  if (next < patchKeys.length) {
    throw invalidArgument(
      `${where} ${describeJson(order)} does not list the patch items ${describeJson(patchList)} in the same order`,
      { field: displayPath(path) },
    );
  }
  return orderLikeKubernetes(merged, orderKeys, liveList.map(keyOf), keyOf);
}

/**
 * Patched items (those named in `patchKeys`) in patch order, live-only items in live order, the two
 * interleaved by live position: a live-only item goes before the next patched item only when the
 * live list also had it first. New items therefore land before the live-only items that follow.
 */
function orderLikeKubernetes(
  merged: unknown[],
  patchKeys: readonly (string | undefined)[],
  liveKeys: readonly (string | undefined)[],
  keyOf: (item: unknown) => string | undefined,
): unknown[] {
  const patchIndex = indexOf(patchKeys);
  const liveIndex = indexOf(liveKeys);
  const rank = (index: Map<string, number>, item: unknown): number => {
    const key = keyOf(item);
    return key === undefined ? -1 : (index.get(key) ?? -1);
  };
  const byRank = (index: Map<string, number>) => (a: unknown, b: unknown) =>
    (rank(index, a) < 0 ? Infinity : rank(index, a)) -
    (rank(index, b) < 0 ? Infinity : rank(index, b));
  const patched = merged.filter((item) => rank(patchIndex, item) >= 0).sort(byRank(patchIndex));
  const liveOnly = merged.filter((item) => rank(patchIndex, item) < 0).sort(byRank(liveIndex));

  const result: unknown[] = [];
  let l = 0;
  let p = 0;
  while (l < liveOnly.length || p < patched.length) {
    if (p >= patched.length) result.push(liveOnly[l++]);
    else if (l >= liveOnly.length) result.push(patched[p++]);
    else {
      const left = rank(liveIndex, liveOnly[l]);
      const right = rank(liveIndex, patched[p]);
      result.push(left >= 0 && right >= 0 && left < right ? liveOnly[l++] : patched[p++]);
    }
  }
  return result;
}

function indexOf(keys: readonly (string | undefined)[]): Map<string, number> {
  const index = new Map<string, number>();
  keys.forEach((key, i) => {
    if (key !== undefined && !index.has(key)) index.set(key, i);
  });
  return index;
}

function scalarKey(value: unknown): string {
  return JSON.stringify(value) ?? "undefined";
}

export function withoutKey(object: JsonObject, key: string): JsonObject {
  const copy = { ...object };
  delete copy[key];
  return copy;
}
