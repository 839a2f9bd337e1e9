/*
 * The two grpc.health.v1 messages the gRPC probe needs, encoded by hand: a one-field request and
 * a one-field response do not warrant loading a .proto at run time.
 */

const servingStatuses = ["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"];

export function servingStatusName(status: number): string {
  return servingStatuses[status] ?? String(status);
}

/** HealthCheckRequest { string service = 1 }. */
export function encodeRequest(service: string): Buffer {
  const bytes = Buffer.from(service, "utf8");
  if (bytes.length === 0) return Buffer.alloc(0);
  return Buffer.concat([Buffer.from([0x0a]), varint(bytes.length), bytes]);
}

/** HealthCheckResponse { ServingStatus status = 1 } → the status number (0 when absent). */
export function decodeStatus(buf: Buffer): number {
  let status = 0;
  let i = 0;
  while (i < buf.length) {
    const [tag, afterTag] = readVarint(buf, i);
    const wire = tag & 7;
    if (wire === 0) {
      const [value, next] = readVarint(buf, afterTag);
      if (tag >> 3 === 1) status = value;
      i = next;
    } else if (wire === 2) {
      const [len, next] = readVarint(buf, afterTag);
      i = next + len;
    } else if (wire === 5) {
      i = afterTag + 4;
    } else if (wire === 1) {
      i = afterTag + 8;
    } else {
      throw new Error(`malformed HealthCheckResponse (wire type ${wire})`);
    }
  }
  return status;
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

function readVarint(buf: Buffer, start: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (let i = start; i < buf.length && shift < 35; i++) {
    value += (buf[i] & 0x7f) * 2 ** shift;
    if ((buf[i] & 0x80) === 0) return [value, i + 1];
    shift += 7;
  }
  throw new Error("malformed HealthCheckResponse (truncated varint)");
}
