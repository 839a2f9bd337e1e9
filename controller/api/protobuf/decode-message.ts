import { invalidArgument } from "../../../lib/errors.js";
import { customJsonTypes } from "./custom-json-types.js";
import {
  messageName,
  messageSpecs,
  type FieldSpec,
  type MessageSpec,
  type ScalarType,
} from "./kubernetes-proto-schema.js";
import {
  readPackedVarints,
  WireReader,
  WireType,
  type Span,
  type WireField,
} from "./protobuf-wire-reader.js";

// Turns one schema message into the object Go's encoding/json would write for it.

type JsonObject = Record<string, unknown>;

/** The JSON value of message `name`, from every span it occupies (proto merges repeats). */
export function decodeMessageValue(
  body: Buffer,
  spans: readonly Span[],
  name: string,
  path: string,
): unknown {
  const fields = decodeMessage(body, spans, name, path);
  const custom = customJsonTypes.get(name);
  return custom ? custom(fields, path) : fields;
}

export function decodeMessage(
  body: Buffer,
  spans: readonly Span[],
  name: string,
  path: string,
): JsonObject {
  const spec = messageSpecs.get(name);
  if (!spec) throw new Error(`protobuf schema has no message ${name}`);
  const seen = collectFields(body, spans, spec, path);
  const out: JsonObject = {};
  for (const field of spec.fields)
    writeField(out, body, field, seen.get(field.number) ?? [], childPath(path, field));
  return out;
}

function collectFields(
  body: Buffer,
  spans: readonly Span[],
  spec: MessageSpec,
  path: string,
): Map<number, WireField[]> {
  const seen = new Map<number, WireField[]>();
  for (const span of spans) {
    const reader = new WireReader(body, span.start, span.end);
    while (!reader.done) {
      const field = reader.readField();
      if (!spec.byNumber.has(field.fieldNumber)) {
        rejectUnknown(field, spec, path);
        continue;
      }
      const list = seen.get(field.fieldNumber);
      if (list) list.push(field);
      else seen.set(field.fieldNumber, [field]);
    }
  }
  return seen;
}

// Go writes every non-pointer field, so fields this table does not list arrive all the time, but
// empty. One that carries a value would be silently lost: refuse it instead.
function rejectUnknown(field: WireField, spec: MessageSpec, path: string): void {
  const empty = field.span ? field.span.end === field.span.start : field.number === 0n;
  if (empty || spec.ignoreUnknownFields) return;
  const where = path === "" ? "the object" : path;
  throw invalidArgument(
    `field ${field.fieldNumber} of ${spec.name} in ${where} (byte ${field.offset}) is not supported in a protobuf body; send JSON`,
    { field: path || undefined },
  );
}

function childPath(path: string, field: FieldSpec): string {
  if (field.presence === "inline") return path;
  return path === "" ? field.json : `${path}.${field.json}`;
}

function writeField(
  out: JsonObject,
  body: Buffer,
  field: FieldSpec,
  wire: WireField[],
  path: string,
): void {
  const nested = messageName(field.type);
  if (field.type.startsWith("map<")) return writeMap(out, body, field, wire, path);
  if (nested) return writeMessage(out, body, field, nested, wire, path);
  if (field.repeated) {
    const values = wire.flatMap((item) => repeatedScalars(body, field, item, path));
    if (values.length > 0) out[field.json] = values;
    else if (field.presence === "value") out[field.json] = null;
    return;
  }
  const last = wire.map((item) => scalar(body, field, item, path)).at(-1);
  if (field.presence === "pointer") {
    if (last !== undefined) out[field.json] = last;
    return;
  }
  const value = last ?? zeroOf(field.type as ScalarType);
  if (field.presence === "value" || !isZero(value)) out[field.json] = value;
}

function writeMessage(
  out: JsonObject,
  body: Buffer,
  field: FieldSpec,
  nested: string,
  wire: WireField[],
  path: string,
): void {
  const spans = wire.map((item) => expectSpan(item, path, field));
  if (field.repeated) {
    if (spans.length > 0) {
      out[field.json] = spans.map((span, i) =>
        decodeMessageValue(body, [span], nested, `${path}[${i}]`),
      );
    } else if (field.presence === "value") out[field.json] = null;
    return;
  }
  if (field.presence === "inline") {
    Object.assign(out, decodeMessage(body, spans, nested, path));
    return;
  }
  if (spans.length === 0 && field.presence === "pointer") return;
  if (spans.length === 0 && field.presence === "nullable") {
    out[field.json] = null;
    return;
  }
  // A Go value struct is written even when absent from the wire: its zero value.
  out[field.json] = decodeMessageValue(body, spans, nested, path);
}

function writeMap(
  out: JsonObject,
  body: Buffer,
  field: FieldSpec,
  wire: WireField[],
  path: string,
): void {
  const entries = new Map<string, unknown>();
  for (const item of wire) {
    const [key, value] = mapEntry(body, field, expectSpan(item, path, field), path);
    entries.set(key, value);
  }
  if (entries.size === 0) {
    if (field.presence === "value") out[field.json] = null;
    return;
  }
  // Go writes map keys sorted.
  out[field.json] = Object.fromEntries(
    [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

function mapEntry(body: Buffer, field: FieldSpec, span: Span, path: string): [string, unknown] {
  const reader = new WireReader(body, span.start, span.end);
  let key = "";
  let valueSpan: Span | undefined;
  while (!reader.done) {
    const item = reader.readField();
    if (item.fieldNumber === 1) key = text(body, expectSpan(item, path));
    else if (item.fieldNumber === 2) valueSpan = expectSpan(item, `${path}[${key}]`);
  }
  const entryPath = `${path}[${key}]`;
  switch (field.type) {
    case "map<string,string>":
      return [key, valueSpan ? text(body, valueSpan) : ""];
    case "map<string,bytes>":
      return [
        key,
        valueSpan ? body.subarray(valueSpan.start, valueSpan.end).toString("base64") : "",
      ];
    default:
      // A missing value is Go's zero Quantity, which it writes as "0".
      return [key, valueSpan ? decodeMessageValue(body, [valueSpan], "Quantity", entryPath) : "0"];
  }
}

function expectSpan(item: WireField, path: string, field?: FieldSpec): Span {
  if (item.span) return item.span;
  throw wrongWireType(item, WireType.lengthDelimited, path, field);
}

function repeatedScalars(body: Buffer, field: FieldSpec, item: WireField, path: string): unknown[] {
  const numeric = field.type !== "string" && field.type !== "bytes";
  if (numeric && item.span)
    return readPackedVarints(body, item.span).map((n) => fromVarint(field, n, path));
  return [scalar(body, field, item, path)];
}

function scalar(body: Buffer, field: FieldSpec, item: WireField, path: string): unknown {
  if (field.type === "string" || field.type === "bytes") {
    const span = expectSpan(item, path, field);
    return field.type === "string"
      ? text(body, span)
      : body.subarray(span.start, span.end).toString("base64");
  }
  if (item.wireType !== WireType.varint || item.number === undefined) {
    throw wrongWireType(item, WireType.varint, path, field);
  }
  return fromVarint(field, item.number, path);
}

function fromVarint(field: FieldSpec, value: bigint, path: string): number | boolean {
  if (field.type === "bool") return value !== 0n;
  if (field.type === "int32") return Number(BigInt.asIntN(32, value));
  const signed = BigInt.asIntN(64, value);
  if (signed > BigInt(Number.MAX_SAFE_INTEGER) || signed < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw invalidArgument(`${path}: ${signed} is beyond the integers a JSON number holds exactly`, {
      field: path,
    });
  }
  return Number(signed);
}

function text(body: Buffer, span: Span): string {
  return body.toString("utf8", span.start, span.end);
}

function zeroOf(type: ScalarType): unknown {
  if (type === "bool") return false;
  if (type === "int32" || type === "int64") return 0;
  return "";
}

function isZero(value: unknown): boolean {
  return value === "" || value === 0 || value === false;
}

const wireTypeNames = [
  "varint",
  "64-bit",
  "length-delimited",
  "start-group",
  "end-group",
  "32-bit",
];

function wrongWireType(item: WireField, expected: number, path: string, field?: FieldSpec) {
  const label = field ? `${path} (field ${field.number})` : path;
  return invalidArgument(
    `${label} at byte ${item.offset} has wire type ${wireTypeNames[item.wireType]}, expected ${wireTypeNames[expected]}`,
    { field: path },
  );
}
