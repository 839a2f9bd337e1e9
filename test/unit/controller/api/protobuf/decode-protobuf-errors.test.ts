import { expect } from "chai";
import { isBerthError, type BerthError } from "../../../../../lib/errors.js";
import { decodeKubernetesProtobuf } from "../../../../../controller/api/protobuf/decode-protobuf.js";
import { capturedBodies } from "./kubectl-captured-bodies.js";
import { bytes, entry, int, kubernetesBody, msg, str } from "./protobuf-writer.js";

function decodeError(body: Buffer): BerthError {
  try {
    decodeKubernetesProtobuf(body);
  } catch (err) {
    if (isBerthError(err, "InvalidArgument")) return err;
    throw err;
  }
  throw new Error("expected the body to be refused");
}

const prefix = Buffer.from("k8s\0", "latin1");

describe("decodeKubernetesProtobuf: bad input", () => {
  it("refuses a body without the k8s\\0 prefix", () => {
    for (const body of [Buffer.from('{"kind":"Pod"}'), Buffer.alloc(0), Buffer.from("k8s")]) {
      expect(decodeError(body).message).to.equal(
        "not a Kubernetes protobuf body: missing k8s\\0 prefix",
      );
    }
  });

  it("names the byte where a varint is cut off", () => {
    // typeMeta's tag at byte 4, then a length varint at byte 5 with its continuation bit set.
    const body = Buffer.concat([prefix, Buffer.from([0x0a, 0x80])]);
    expect(decodeError(body).message).to.equal("truncated varint at byte 5");
  });

  it("refuses kinds it has no schema for", () => {
    expect(decodeError(kubernetesBody("apps/v1", "StatefulSet")).message).to.equal(
      "unsupported kind apps/v1 StatefulSet in a protobuf body; send JSON",
    );
    expect(decodeError(kubernetesBody("v2", "Pod")).message).to.equal(
      "unsupported kind v2 Pod in a protobuf body; send JSON",
    );
    expect(decodeError(kubernetesBody("", "Pod")).message).to.equal(
      "protobuf body has no apiVersion and kind in its typeMeta",
    );
  });

  it("refuses encoded or foreign content", () => {
    const wrapped = (encoding: string, type: string) =>
      Buffer.concat([
        prefix,
        msg(1, str(1, "v1"), str(2, "Pod")),
        bytes(2, Buffer.alloc(0)),
        str(3, encoding),
        str(4, type),
      ]);
    expect(decodeError(wrapped("gzip", "")).message).to.match(/content encoding "gzip".*send JSON/);
    expect(decodeError(wrapped("", "application/json")).message).to.match(
      /content of type "application\/json".*send JSON/,
    );
    expect(decodeKubernetesProtobuf(wrapped("", "application/vnd.kubernetes.protobuf"))).to.include(
      {
        kind: "Pod",
      },
    );
  });

  it("names the field whose wire type is wrong", () => {
    const err = decodeError(kubernetesBody("v1", "ConfigMap", msg(1, int(1, 5))));
    expect(err.field).to.equal("metadata.name");
    expect(err.message).to.match(
      /^metadata\.name \(field 1\) at byte \d+ has wire type varint, expected length-delimited$/,
    );
    const nested = decodeError(
      kubernetesBody(
        "v1",
        "Pod",
        msg(2, msg(2, str(1, "c"), str(3, "sh")), msg(2, str(5, "x"), str(16, "yes"))),
      ),
    );
    expect(nested.field).to.equal("spec.containers[1].stdin");
  });

  it("refuses a field it would otherwise drop, naming where it is", () => {
    // Container 10 is livenessProbe, which this decoder does not model.
    const body = kubernetesBody(
      "apps/v1",
      "Deployment",
      msg(2, msg(3, msg(2, msg(2, str(1, "c"), msg(10, int(2, 5)))))),
    );
    const err = decodeError(body);
    expect(err.message).to.match(
      /^field 10 of Container in spec\.template\.spec\.containers\[0\] \(byte \d+\) is not supported in a protobuf body; send JSON$/,
    );
    expect(err.field).to.equal("spec.template.spec.containers[0]");
  });

  it("refuses values Go would not marshal", () => {
    const surge = (intOrString: Buffer) =>
      kubernetesBody("apps/v1", "Deployment", msg(2, msg(4, msg(2, msg(2, intOrString)))));
    const badType = decodeError(surge(int(1, 2)));
    expect(badType.field).to.equal("spec.strategy.rollingUpdate.maxSurge");
    expect(badType.message).to.match(/IntOrString type 2/);

    const quantity = decodeError(
      kubernetesBody(
        "v1",
        "Pod",
        msg(2, msg(2, str(1, "c"), msg(8, entry(1, "cpu", str(1, "lots"))))),
      ),
    );
    expect(quantity.field).to.equal("spec.containers[0].resources.limits[cpu]");
    expect(quantity.message).to.match(/"lots" is not a valid quantity/);

    const huge = decodeError(kubernetesBody("v1", "ConfigMap", msg(1, int(7, 2n ** 60n))));
    expect(huge.field).to.equal("metadata.generation");

    const farFuture = decodeError(
      kubernetesBody("v1", "ConfigMap", msg(1, msg(8, int(1, 2n ** 40n)))),
    );
    expect(farFuture.field).to.equal("metadata.creationTimestamp");

    const fields = decodeError(
      kubernetesBody("v1", "ConfigMap", msg(1, msg(17, msg(7, bytes(1, Buffer.from("{nope")))))),
    );
    expect(fields.field).to.equal("metadata.managedFields[0].fieldsV1");
  });

  it("never fails with anything but InvalidArgument on random or damaged bodies", () => {
    const random = seededRandom(0x6b387300);
    const samples: Buffer[] = [];
    for (let i = 0; i < 1500; i++) {
      const noise = Buffer.from(
        Array.from({ length: Math.floor(random() * 120) }, () => Math.floor(random() * 256)),
      );
      samples.push(i % 2 === 0 ? noise : Buffer.concat([prefix, noise]));
    }
    const originals = capturedBodies.map((c) => Buffer.from(c.body, "base64"));
    for (let i = 0; i < 6000; i++) samples.push(damage(originals[i % originals.length], random));

    let decoded = 0;
    for (const sample of samples) {
      try {
        const object = decodeKubernetesProtobuf(sample);
        expect(JSON.parse(JSON.stringify(object))).to.be.an("object");
        decoded++;
      } catch (err) {
        if (!isBerthError(err, "InvalidArgument")) {
          throw new Error(`${sample.toString("base64")} failed with ${String(err)}`, {
            cause: err,
          });
        }
      }
    }
    // Damage that lands in a string's bytes still decodes: the fuzzing reached deep into bodies.
    expect(decoded).to.be.greaterThan(100);
  });
});

/** A small deterministic generator (mulberry32), so a failure replays the same way. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function damage(original: Buffer, random: () => number): Buffer {
  const copy = Buffer.from(original);
  const at = () => 4 + Math.floor(random() * (copy.length - 4));
  switch (Math.floor(random() * 4)) {
    case 0:
      for (let n = 1 + Math.floor(random() * 3); n > 0; n--)
        copy[at()] = Math.floor(random() * 256);
      return copy;
    case 1:
      return copy.subarray(0, at());
    case 2: {
      const cut = at();
      return Buffer.concat([
        copy.subarray(0, cut),
        Buffer.from([Math.floor(random() * 256)]),
        copy.subarray(cut),
      ]);
    }
    default:
      copy[at()] ^= 1 << Math.floor(random() * 8);
      return copy;
  }
}
