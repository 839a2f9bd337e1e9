// Which fields an object sets, and which fields changed between two versions of an object, in
// server-side apply's terms: leaves (scalars, atomic lists, empty maps) and list items are
// members; maps are only the paths to their fields. Server-set fields (name, uid,
// resourceVersion, managedFields…) are never members.
import { invalidArgument } from "../../lib/errors.js";
import {
  fieldStep,
  formatFieldPath,
  isIgnoredField,
  itemStep,
  type FieldPath,
} from "./field-path.js";
import { FieldSet } from "./field-set.js";
import { getMember, isJsonObject, jsonEqual } from "./json-value.js";
import { LIST_ITEM, type ListRules, type ListType } from "./merge-keys.js";

/**
 * The fields `value` sets. Strict (for an applied configuration): a merged list item without its
 * key fields, or two items with the same key, is an error. Otherwise such a list counts as atomic.
 */
export function fieldSetOf(value: unknown, rules: ListRules, strict = false): FieldSet {
  const set = new FieldSet();
  collect(value, [], [], rules, strict, set);
  return set;
}

function collect(
  value: unknown,
  path: FieldPath,
  schemaPath: string[],
  rules: ListRules,
  strict: boolean,
  out: FieldSet,
): void {
  if (isJsonObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0 && path.length > 0) out.add(path);
    for (const [name, child] of entries) {
      const childPath = [...path, fieldStep(name)];
      if (!isIgnoredField(childPath))
        collect(child, childPath, [...schemaPath, name], rules, strict, out);
    }
    return;
  }
  if (Array.isArray(value) && value.length > 0) {
    const rule = rules.listAt(schemaPath);
    const steps = rule && itemSteps(value, rule, path, strict);
    if (rule && steps) {
      value.forEach((item, i) => {
        const itemPath = [...path, steps[i]];
        out.add(itemPath);
        if (rule.type === "map" && isJsonObject(item)) {
          for (const [name, child] of Object.entries(item)) {
            collect(
              child,
              [...itemPath, fieldStep(name)],
              [...schemaPath, LIST_ITEM, name],
              rules,
              strict,
              out,
            );
          }
        }
      });
      return;
    }
  }
  out.add(path);
}

/** The step of every item, or undefined when the list cannot be merged item by item. */
export function itemSteps(
  list: unknown[],
  rule: ListType,
  path: FieldPath,
  strict: boolean,
): string[] | undefined {
  const steps: string[] = [];
  for (const [i, item] of list.entries()) {
    const step = itemStep(rule, item);
    const problem =
      step === undefined
        ? `element ${i}: associative list with keys has an element that omits key field ${
            rule.type === "map" ? rule.keys.map((key) => JSON.stringify(key)).join(", ") : ""
          } (and doesn't have default value)`
        : steps.includes(step)
          ? `duplicate entries for key ${formatFieldPath([step])}`
          : undefined;
    if (problem !== undefined) {
      if (!strict) return undefined;
      throw invalidArgument(`${formatFieldPath(path)}: ${problem}`, {
        field: formatFieldPath(path),
      });
    }
    steps.push(step as string);
  }
  return steps;
}

export interface FieldChanges {
  readonly added: FieldSet;
  readonly modified: FieldSet;
  readonly removed: FieldSet;
}

/** The fields added, changed and removed going from `before` to `after`. */
export function compareObjects(before: unknown, after: unknown, rules: ListRules): FieldChanges {
  const changes = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  compare(before, after, [], [], rules, changes);
  return changes;
}

function compare(
  before: unknown,
  after: unknown,
  path: FieldPath,
  schemaPath: string[],
  rules: ListRules,
  changes: FieldChanges,
): void {
  if (jsonEqual(before, after)) return;
  // Two maps compare field by field; a map only counts as a leaf while it is empty or absent on
  // both sides (handled by the generic case below), as in structured-merge-diff.
  if (isJsonObject(before) && isJsonObject(after)) {
    for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const childPath = [...path, fieldStep(name)];
      if (isIgnoredField(childPath)) continue;
      compare(
        getMember(before, name),
        getMember(after, name),
        childPath,
        [...schemaPath, name],
        rules,
        changes,
      );
    }
    return;
  }
  const rule = rules.listAt(schemaPath);
  if (
    rule &&
    Array.isArray(before) &&
    Array.isArray(after) &&
    before.length > 0 &&
    after.length > 0
  ) {
    const beforeSteps = itemSteps(before, rule, path, false);
    const afterSteps = itemSteps(after, rule, path, false);
    if (beforeSteps && afterSteps) {
      const itemSchema = [...schemaPath, LIST_ITEM];
      for (const step of new Set([...beforeSteps, ...afterSteps])) {
        const b = beforeSteps.indexOf(step);
        const a = afterSteps.indexOf(step);
        const itemPath = [...path, step];
        if (b < 0) changes.added.addAll(itemMembers(after[a], itemPath, itemSchema, rules));
        else if (a < 0) {
          changes.removed.addAll(itemMembers(before[b], itemPath, itemSchema, rules));
        } else if (isJsonObject(before[b]) && isJsonObject(after[a])) {
          compareItemFields(before[b], after[a], itemPath, itemSchema, rules, changes);
        }
      }
      return;
    }
  }
  const beforeFields = fieldMembers(before, path, schemaPath, rules);
  const afterFields = fieldMembers(after, path, schemaPath, rules);
  changes.modified.addAll(beforeFields.intersection(afterFields));
  changes.added.addAll(afterFields.difference(beforeFields));
  changes.removed.addAll(beforeFields.difference(afterFields));
}

function compareItemFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  itemPath: FieldPath,
  itemSchema: string[],
  rules: ListRules,
  changes: FieldChanges,
): void {
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    compare(
      getMember(before, name),
      getMember(after, name),
      [...itemPath, fieldStep(name)],
      [...itemSchema, name],
      rules,
      changes,
    );
  }
}

/** The members a value at field `path` contributes. */
function fieldMembers(
  value: unknown,
  path: FieldPath,
  schemaPath: string[],
  rules: ListRules,
): FieldSet {
  const set = new FieldSet();
  if (value !== undefined) collect(value, path, schemaPath, rules, false, set);
  return set;
}

/** The members of one list item: the item itself and its fields. */
function itemMembers(
  item: unknown,
  itemPath: FieldPath,
  itemSchema: string[],
  rules: ListRules,
): FieldSet {
  const set = new FieldSet([itemPath]);
  if (isJsonObject(item)) {
    for (const [name, child] of Object.entries(item)) {
      collect(child, [...itemPath, fieldStep(name)], [...itemSchema, name], rules, false, set);
    }
  }
  return set;
}
