import { expect } from "chai";
import { decodeKubernetesProtobuf } from "../../../../../controller/api/protobuf/decode-protobuf.js";
import { capturedBodies } from "./kubectl-captured-bodies.js";

describe("decodeKubernetesProtobuf: bodies captured from kubectl 1.32/1.33", () => {
  for (const captured of capturedBodies) {
    it(`decodes ${captured.command} into the JSON kubectl 1.31 sends`, () => {
      const decoded = decodeKubernetesProtobuf(Buffer.from(captured.body, "base64"));
      expect(decoded).to.deep.equal(captured.expected);
      // Same keys in the same order as Go's encoding/json, so the stored JSON reads alike.
      expect(JSON.stringify(decoded)).to.equal(JSON.stringify(captured.expected));
    });
  }
});
