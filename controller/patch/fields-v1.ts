// The FieldsV1 encoding of a field set, as managedFields stores it: a tree keyed by path steps,
// where {} marks a leaf member and "." marks a member that also has members below it:
//   {"f:metadata": {"f:labels": {"f:app": {}}},
//    "f:spec": {"f:containers": {"k:{\"name\":\"c\"}": {".": {}, "f:image": {}, "f:name": {}}}}}
import { invalidArgument } from "../../lib/errors.js";
import type { FieldPath } from "./field-path.js";
import { FieldSet } from "./field-set.js";
import { describeJson, isJsonObject, type JsonObject } from "./json-value.js";

const SELF = ".";

interface Node {
  member: boolean;
  children: Map<string, Node>;
}

export function encodeFieldsV1(set: FieldSet): JsonObject {
  const root: Node = { member: false, children: new Map() };
  for (const path of set.paths()) {
    let node = root;
    for (const step of path) {
      let child = node.children.get(step);
      if (child === undefined) {
        child = { member: false, children: new Map() };
        node.children.set(step, child);
      }
      node = child;
    }
    node.member = true;
  }
  return render(root);
}

function render(node: Node): JsonObject {
  const out: JsonObject = {};
  if (node.member && node.children.size > 0) out[SELF] = {};
  for (const step of [...node.children.keys()].sort()) {
    out[step] = render(node.children.get(step) as Node);
  }
  return out;
}

/** Decodes a fieldsV1 tree; `field` names it in errors (metadata.managedFields[0].fieldsV1). */
export function decodeFieldsV1(value: unknown, field: string): FieldSet {
  const set = new FieldSet();
  const walk = (node: unknown, prefix: FieldPath): void => {
    if (!isJsonObject(node)) {
      throw invalidArgument(
        `${field}: expected an object at ${describeJson(prefix)}, got ${describeJson(node)}`,
        {
          field,
        },
      );
    }
    for (const [step, child] of Object.entries(node)) {
      if (step === SELF) {
        if (prefix.length === 0) {
          throw invalidArgument(`${field}: "." cannot appear at the top level`, { field });
        }
        set.add(prefix);
      } else if (!/^[fkvi]:/.test(step)) {
        throw invalidArgument(`${field}: unknown path step ${JSON.stringify(step)}`, { field });
      } else if (isJsonObject(child) && Object.keys(child).length === 0) {
        set.add([...prefix, step]);
      } else {
        walk(child, [...prefix, step]);
      }
    }
  };
  walk(value, []);
  return set;
}
