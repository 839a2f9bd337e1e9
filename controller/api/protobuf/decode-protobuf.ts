import { invalidArgument } from "../../../lib/errors.js";
import { decodeMessage } from "./decode-message.js";
import { messageForKind } from "./protobuf-kinds.js";
import { WireReader, type Span } from "./protobuf-wire-reader.js";

// kubectl 1.32+ sends typed objects as Kubernetes protobuf: the magic "k8s\0", then a
// runtime.Unknown {1 typeMeta {1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding, 4 contentType}
// whose raw is the object's own message. The server speaks JSON, so the body becomes the object
// the JSON encoding would have carried.

export const protobufContentType = "application/vnd.kubernetes.protobuf";

const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

interface Envelope {
  typeMeta: Span[];
  raw: Span[];
  contentEncoding: string;
  contentType: string;
}

/** The object a Kubernetes protobuf body carries, as Kubernetes' JSON would have it. */
export function decodeKubernetesProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < magic.length || !body.subarray(0, magic.length).equals(magic)) {
    throw invalidArgument("not a Kubernetes protobuf body: missing k8s\\0 prefix");
  }
  const envelope = readEnvelope(body);
  if (envelope.contentEncoding !== "") {
    throw invalidArgument(
      `protobuf body has content encoding ${JSON.stringify(envelope.contentEncoding)}, which is not supported; send JSON`,
    );
  }
  if (envelope.contentType !== "" && envelope.contentType !== protobufContentType) {
    throw invalidArgument(
      `protobuf body wraps content of type ${JSON.stringify(envelope.contentType)}, which is not supported; send JSON`,
    );
  }
  const { apiVersion, kind } = decodeMessage(body, envelope.typeMeta, "runtime.TypeMeta", "") as {
    apiVersion?: string;
    kind?: string;
  };
  if (!apiVersion || !kind) {
    throw invalidArgument("protobuf body has no apiVersion and kind in its typeMeta");
  }
  const message = messageForKind(apiVersion, kind);
  if (!message) {
    throw invalidArgument(`unsupported kind ${apiVersion} ${kind} in a protobuf body; send JSON`);
  }
  // raw is a bytes field: the last occurrence wins.
  const raw = envelope.raw.slice(-1);
  return { kind, apiVersion, ...decodeMessage(body, raw, message, "") };
}

function readEnvelope(body: Buffer): Envelope {
  const envelope: Envelope = { typeMeta: [], raw: [], contentEncoding: "", contentType: "" };
  const reader = new WireReader(body, magic.length);
  while (!reader.done) {
    const field = reader.readField();
    if (field.fieldNumber > 4) continue;
    if (!field.span) {
      throw invalidArgument(
        `runtime.Unknown field ${field.fieldNumber} at byte ${field.offset} must be length-delimited`,
      );
    }
    const text = body.toString("utf8", field.span.start, field.span.end);
    if (field.fieldNumber === 1) envelope.typeMeta.push(field.span);
    else if (field.fieldNumber === 2) envelope.raw.push(field.span);
    else if (field.fieldNumber === 3) envelope.contentEncoding = text;
    else envelope.contentType = text;
  }
  return envelope;
}
