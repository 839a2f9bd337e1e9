import { invalidArgument } from "../../lib/errors.js";
import { parseArrayIndex, parseJsonPointer } from "./json-pointer.js";
import {
  cloneJson,
  describeJson,
  isJsonObject,
  jsonEqual,
  setMember,
  type JsonObject,
} from "./json-value.js";

type Operation =
  | { op: "add" | "replace" | "test"; path: string; value: unknown }
  | { op: "remove"; path: string }
  | { op: "move" | "copy"; from: string; path: string };

/**
 * RFC 6902 JSON patch. Operations apply in order to a copy of `target`; the first one that does
 * not apply (a missing path, an index out of range, a failed test) rejects the whole patch with
 * InvalidArgument naming the operation and the path. Members other than op/path/from/value are
 * ignored, as the RFC requires.
 */
export function applyJsonPatch(target: unknown, ops: unknown): unknown {
  const operations = decodeOperations(ops);
  let doc = cloneJson(target);
  operations.forEach((operation, index) => {
    doc = applyOperation(doc, operation, index);
  });
  return doc;
}

function decodeOperations(ops: unknown): Operation[] {
  if (!Array.isArray(ops)) {
    throw invalidArgument(`json patch must be an array of operations, got ${describeJson(ops)}`);
  }
  return ops.map((raw, index) => {
    const where = `json patch operation ${index}`;
    if (!isJsonObject(raw)) throw invalidArgument(`${where} must be an object`);
    const pointer = (member: "path" | "from"): string => {
      const value = raw[member];
      if (typeof value !== "string") {
        throw invalidArgument(`${where} (${String(raw.op)}): "${member}" must be a string`, {
          field: member,
        });
      }
      parseJsonPointer(value, `${where} (${String(raw.op)}) ${member}`);
      return value;
    };
    const op = raw.op;
    switch (op) {
      case "add":
      case "replace":
      case "test":
        if (!Object.hasOwn(raw, "value")) {
          throw invalidArgument(`${where} (${op}): "value" is missing`, { field: "value" });
        }
        return { op, path: pointer("path"), value: raw.value };
      case "remove":
        return { op, path: pointer("path") };
      case "move":
      case "copy":
        return { op, from: pointer("from"), path: pointer("path") };
      default:
        throw invalidArgument(
          `${where}: unknown op ${describeJson(op)} (expected add, remove, replace, move, copy or test)`,
          { field: "op" },
        );
    }
  });
}

function applyOperation(doc: unknown, operation: Operation, index: number): unknown {
  const fail = (reason: string, path = operation.path): never => {
    throw invalidArgument(`json patch operation ${index} (${operation.op}) failed: ${reason}`, {
      field: path,
    });
  };
  switch (operation.op) {
    case "add":
      return add(doc, operation.path, cloneJson(operation.value), fail);
    case "remove":
      return remove(doc, operation.path, fail).doc;
    case "replace":
      return replace(doc, operation.path, cloneJson(operation.value), fail);
    case "move": {
      if (operation.path === operation.from) {
        get(doc, operation.from, fail);
        return doc;
      }
      if (operation.path.startsWith(operation.from + "/")) {
        fail(
          `cannot move ${JSON.stringify(operation.from)} into its own child ${JSON.stringify(operation.path)}`,
        );
      }
      const { doc: without, removed } = remove(doc, operation.from, fail);
      return add(without, operation.path, removed, fail);
    }
    case "copy":
      return add(doc, operation.path, cloneJson(get(doc, operation.from, fail)), fail);
    case "test": {
      const actual = get(doc, operation.path, fail);
      if (!jsonEqual(actual, operation.value)) {
        fail(
          `testing value ${operation.path} failed: expected ${describeJson(operation.value)}, found ${describeJson(actual)}`,
        );
      }
      return doc;
    }
  }
}

type Fail = (reason: string, path?: string) => never;

function missing(path: string, fail: Fail): never {
  return fail(`doc is missing path: ${JSON.stringify(path)}`, path);
}

/** The value at `path`, failing when it does not exist. */
function get(doc: unknown, path: string, fail: Fail): unknown {
  let current = doc;
  for (const token of parseJsonPointer(path)) {
    if (Array.isArray(current)) {
      const i = parseArrayIndex(token);
      if (i === undefined || i >= current.length) missing(path, fail);
      current = current[i as number];
    } else if (isJsonObject(current) && Object.hasOwn(current, token)) {
      current = current[token];
    } else {
      missing(path, fail);
    }
  }
  return current;
}

/** The container holding the last token of `path`, which must exist. */
function parentOf(doc: unknown, path: string, fail: Fail): { parent: unknown; last: string } {
  const tokens = parseJsonPointer(path);
  const last = tokens.pop() as string;
  let parent = doc;
  for (const token of tokens) {
    if (Array.isArray(parent)) {
      const i = parseArrayIndex(token);
      if (i === undefined || i >= parent.length) missing(path, fail);
      parent = parent[i as number];
    } else if (isJsonObject(parent) && Object.hasOwn(parent, token)) {
      parent = parent[token];
    } else {
      missing(path, fail);
    }
  }
  return { parent, last };
}

function add(doc: unknown, path: string, value: unknown, fail: Fail): unknown {
  if (path === "") return value;
  const { parent, last } = parentOf(doc, path, fail);
  if (Array.isArray(parent)) {
    const i = last === "-" ? parent.length : parseArrayIndex(last);
    if (i === undefined || i > parent.length) {
      fail(
        `index ${JSON.stringify(last)} is out of range for the array at ${JSON.stringify(path)}`,
      );
    }
    parent.splice(i as number, 0, value);
  } else if (isJsonObject(parent)) {
    setMember(parent, last, value);
  } else {
    missing(path, fail);
  }
  return doc;
}

function replace(doc: unknown, path: string, value: unknown, fail: Fail): unknown {
  get(doc, path, fail);
  if (path === "") return value;
  const { parent, last } = parentOf(doc, path, fail);
  if (Array.isArray(parent)) parent[parseArrayIndex(last) as number] = value;
  else setMember(parent as JsonObject, last, value);
  return doc;
}

function remove(doc: unknown, path: string, fail: Fail): { doc: unknown; removed: unknown } {
  if (path === "") fail("cannot remove the whole document");
  const { parent, last } = parentOf(doc, path, fail);
  if (Array.isArray(parent)) {
    const i = parseArrayIndex(last);
    if (i === undefined || i >= parent.length) missing(path, fail);
    const [removed] = parent.splice(i as number, 1);
    return { doc, removed };
  }
  if (isJsonObject(parent) && Object.hasOwn(parent, last)) {
    const removed = parent[last];
    delete parent[last];
    return { doc, removed };
  }
  return missing(path, fail);
}
