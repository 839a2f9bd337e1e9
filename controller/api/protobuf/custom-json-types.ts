import { invalidArgument } from "../../../lib/errors.js";

// Kubernetes types whose JSON form is not their protobuf message: Time is an RFC 3339 string,
// Quantity its string, IntOrString a bare number or string, FieldsV1 raw JSON. Each converter gets
// the message decoded field by field (pointer fields, so absent ones are undefined).

type Fields = Record<string, unknown>;
type Converter = (fields: Fields, path: string) => unknown;

// Go's zero time.Time (0001-01-01T00:00:00Z) as Unix seconds; it marshals as null.
const goZeroTimeSeconds = -62135596800;
const lastSecondOfYear9999 = 253402300799;

function time(fields: Fields, path: string): string | null {
  // An empty message is Go's zero time. Kubernetes keeps whole seconds only: nanos are dropped.
  if (fields.seconds === undefined && fields.nanos === undefined) return null;
  const seconds = (fields.seconds as number | undefined) ?? 0;
  if (seconds === goZeroTimeSeconds) return null;
  if (seconds < goZeroTimeSeconds || seconds > lastSecondOfYear9999) {
    throw invalidArgument(`${path}: time ${seconds}s since the epoch is outside years 1-9999`, {
      field: path,
    });
  }
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

// <signedNumber><suffix>: binary SI, decimal SI, or a decimal exponent (api/resource/quantity.go).
const quantityPattern = /^[+-]?(\d+(\.\d*)?|\.\d+)([KMGTPE]i|[eE][+-]?\d+|[mkMGTPE])?$/;

function quantity(fields: Fields, path: string): string {
  const text = (fields.string as string | undefined) ?? "";
  if (!quantityPattern.test(text)) {
    throw invalidArgument(`${path}: ${JSON.stringify(text)} is not a valid quantity`, {
      field: path,
    });
  }
  return text;
}

function intOrString(fields: Fields, path: string): number | string {
  const type = (fields.type as number | undefined) ?? 0;
  if (type === 0) return (fields.intVal as number | undefined) ?? 0;
  if (type === 1) return (fields.strVal as string | undefined) ?? "";
  throw invalidArgument(`${path}: IntOrString type ${type} is neither 0 (int) nor 1 (string)`, {
    field: path,
  });
}

function fieldsV1(fields: Fields, path: string): unknown {
  const raw = Buffer.from((fields.Raw as string | undefined) ?? "", "base64").toString("utf8");
  try {
    return JSON.parse(raw);
  } catch {
    throw invalidArgument(`${path}: fieldsV1 is not valid JSON`, { field: path });
  }
}

export const customJsonTypes: ReadonlyMap<string, Converter> = new Map<string, Converter>([
  ["Time", time],
  ["Quantity", quantity],
  ["IntOrString", intOrString],
  ["FieldsV1", fieldsV1],
]);
