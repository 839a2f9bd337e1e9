// A tiny protobuf encoder for tests: each helper returns one encoded field, `message` joins them.
// Field numbers are written as literals at the call sites, read off Kubernetes' generated.proto,
// so a wrong number in the decoder's schema table fails a test instead of agreeing with itself.

export function varintBytes(value: bigint | number): Buffer {
  let rest = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  do {
    const low = Number(rest & 0x7fn);
    rest >>= 7n;
    bytes.push(rest > 0n ? low | 0x80 : low);
  } while (rest > 0n);
  return Buffer.from(bytes);
}

const tag = (field: number, wireType: number) =>
  varintBytes((BigInt(field) << 3n) | BigInt(wireType));

/** A varint field: int32, int64 (negative numbers take ten bytes) or bool. */
export function int(field: number, value: number | bigint | boolean): Buffer {
  const n = typeof value === "boolean" ? (value ? 1 : 0) : value;
  return Buffer.concat([tag(field, 0), varintBytes(n)]);
}

export function bytes(field: number, value: Buffer): Buffer {
  return Buffer.concat([tag(field, 2), varintBytes(value.length), value]);
}

export function str(field: number, value: string): Buffer {
  return bytes(field, Buffer.from(value, "utf8"));
}

/** An embedded message field. */
export function msg(field: number, ...fields: Buffer[]): Buffer {
  return bytes(field, Buffer.concat(fields));
}

/** One entry of a map field: {1: key, 2: value}. */
export function entry(field: number, key: string, value: string | Buffer): Buffer {
  return msg(field, str(1, key), typeof value === "string" ? str(2, value) : bytes(2, value));
}

export function fixed32(field: number, value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(value);
  return Buffer.concat([tag(field, 5), out]);
}

export function fixed64(field: number, value: bigint): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(value);
  return Buffer.concat([tag(field, 1), out]);
}

export function message(...fields: Buffer[]): Buffer {
  return Buffer.concat(fields);
}

/** "k8s\0" + runtime.Unknown {1 typeMeta {1 apiVersion, 2 kind}, 2 raw, 3 "", 4 ""}, as kubectl sends. */
export function kubernetesBody(
  apiVersion: string,
  kind: string,
  ...objectFields: Buffer[]
): Buffer {
  return Buffer.concat([
    Buffer.from("k8s\0", "latin1"),
    msg(1, str(1, apiVersion), str(2, kind)),
    bytes(2, Buffer.concat(objectFields)),
    str(3, ""),
    str(4, ""),
  ]);
}
