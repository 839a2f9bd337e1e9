// The object edits of server-side apply: merging an applied configuration into the live object,
// and removing the fields an applier gave up.
import { fieldStep, itemStep, type FieldPath } from "./field-path.js";
import { FieldSet } from "./field-set.js";
import { cloneJson, getMember, isJsonObject, setMember, type JsonObject } from "./json-value.js";
import { LIST_ITEM, type ListRules, type ListType } from "./merge-keys.js";
import { itemSteps } from "./object-fields.js";

/**
 * `live` with every field of `applied` set: maps merge, merged lists merge item by item (live
 * items keep their place, applied items come in applied order), other lists and scalars are
 * replaced, and null removes a field. `applied` must already have passed strict key validation.
 */
export function mergeAppliedConfig(
  live: JsonObject,
  applied: JsonObject,
  rules: ListRules,
): JsonObject {
  return mergeInto(cloneJson(live), applied, [], [], rules) as JsonObject;
}

/** Merges into `live`, which the caller owns. */
function mergeInto(
  live: unknown,
  applied: unknown,
  path: FieldPath,
  schemaPath: string[],
  rules: ListRules,
): unknown {
  if (isJsonObject(applied)) {
    const out: JsonObject = isJsonObject(live) ? live : {};
    for (const [name, value] of Object.entries(applied)) {
      if (value === null) {
        delete out[name];
        continue;
      }
      const childPath = [...path, fieldStep(name)];
      setMember(
        out,
        name,
        mergeInto(getMember(out, name), value, childPath, [...schemaPath, name], rules),
      );
    }
    return out;
  }
  if (Array.isArray(applied)) {
    const rule = rules.listAt(schemaPath);
    if (rule === undefined) return cloneJson(applied);
    const itemSchema = [...schemaPath, LIST_ITEM];
    const liveSteps = Array.isArray(live) ? itemSteps(live, rule, path, false) : undefined;
    if (!Array.isArray(live) || liveSteps === undefined) {
      return applied.map((item) => mergeInto(undefined, item, path, itemSchema, rules));
    }
    return mergeItems(live, liveSteps, applied, rule, path, itemSchema, rules);
  }
  return applied;
}

/**
 * Applied items in applied order; live-only items stay where they were relative to them, the
 * way Kubernetes' structured merge orders a merged list.
 */
function mergeItems(
  live: unknown[],
  liveSteps: string[],
  applied: unknown[],
  rule: ListType,
  path: FieldPath,
  itemSchema: string[],
  rules: ListRules,
): unknown[] {
  const appliedSteps = itemSteps(applied, rule, path, true) as string[];
  const liveIndex = new Map(liveSteps.map((step, i) => [step, i]));
  const appliedIndex = new Map(appliedSteps.map((step, i) => [step, i]));
  const shared = appliedSteps.filter((step) => liveIndex.has(step));
  const merged = new Set<string>();
  const out: unknown[] = [];
  const takeApplied = (a: number): void => {
    const step = appliedSteps[a];
    const l = liveIndex.get(step);
    out.push(
      mergeInto(
        l === undefined ? undefined : live[l],
        applied[a],
        [...path, step],
        itemSchema,
        rules,
      ),
    );
    merged.add(step);
    while (shared.length > 0 && merged.has(shared[0])) shared.shift();
  };

  let l = 0;
  let a = 0;
  while (l < live.length || a < applied.length) {
    if (l < live.length && a < applied.length && liveSteps[l] === appliedSteps[a]) {
      takeApplied(a);
      l++;
      a++;
      continue;
    }
    if (l < live.length) {
      const step = liveSteps[l];
      if (!appliedIndex.has(step)) {
        out.push(live[l]);
        l++;
        continue;
      }
      if (merged.has(step) || (shared.length > 0 && shared[0] !== step)) {
        l++;
        continue;
      }
    }
    takeApplied(a);
    a++;
  }
  return out;
}

/**
 * Removes the given fields from `object` (owned by the caller). A path below another removed
 * path goes with it (removing a list item's key field first would lose the item). A map or list
 * left empty by a removal goes too, unless `keep` says someone owns it (never metadata itself).
 */
export function removeFields(
  object: JsonObject,
  paths: FieldPath[],
  rules: ListRules,
  keep: (path: FieldPath) => boolean,
): void {
  const removing = new FieldSet(paths);
  const outermost = paths.filter(
    (path) => !path.some((_, i) => i > 0 && removing.has(path.slice(0, i))),
  );
  for (const path of outermost) removeAt(object, path, 0, [], rules, keep);
}

/** Returns true when something was removed below `container`. */
function removeAt(
  container: unknown,
  path: FieldPath,
  depth: number,
  schemaPath: string[],
  rules: ListRules,
  keep: (path: FieldPath) => boolean,
): boolean {
  const step = path[depth];
  const last = depth === path.length - 1;
  let childSchema: string[];
  let child: unknown;
  let drop: () => void;
  if (step.startsWith("f:") && isJsonObject(container)) {
    const name = step.slice(2);
    if (!Object.hasOwn(container, name)) return false;
    childSchema = [...schemaPath, name];
    child = getMember(container, name);
    drop = () => delete container[name];
  } else if (Array.isArray(container)) {
    const rule = rules.listAt(schemaPath);
    const index = rule ? container.findIndex((item) => itemStep(rule, item) === step) : -1;
    if (index < 0) return false;
    childSchema = [...schemaPath, LIST_ITEM];
    child = container[index];
    drop = () => container.splice(index, 1);
  } else {
    return false;
  }

  if (last) {
    drop();
    return true;
  }
  if (!removeAt(child, path, depth + 1, childSchema, rules, keep)) return false;
  const emptied =
    (isJsonObject(child) && Object.keys(child).length === 0) ||
    (Array.isArray(child) && child.length === 0);
  const here = path.slice(0, depth + 1);
  if (emptied && !keep(here) && !(depth === 0 && step === "f:metadata")) drop();
  return true;
}
