import { expect } from "chai";
import {
  decodeFrame,
  encodeFrame,
  offeredProtocols,
  portForwardProtocols,
  remoteCommandProtocols,
  selectProtocol,
} from "../../../../agent/streaming/ws-channels.js";

const v5 = selectProtocol(["v5.channel.k8s.io"], remoteCommandProtocols)!;
const v4 = selectProtocol(["v4.channel.k8s.io"], remoteCommandProtocols)!;
const v4base64 = selectProtocol(["v4.base64.channel.k8s.io"], remoteCommandProtocols)!;

describe("Kubernetes WebSocket channel framing", () => {
  it("prefixes binary frames with the channel byte and decodes them back", () => {
    const frame = encodeFrame(v4, 1, Buffer.from("out"));
    expect(frame).to.deep.equal(Buffer.from([1, 0x6f, 0x75, 0x74]));
    expect(decodeFrame(v4, Buffer.from([0, 0x68, 0x69]))).to.deep.equal({
      kind: "data",
      channel: 0,
      data: Buffer.from("hi"),
    });
  });

  it("writes base64 protocols as a digit and base64 text, and reads them back", () => {
    expect(encodeFrame(v4base64, 2, Buffer.from("foo\n"))).to.equal("2Zm9vCg==");
    const decoded = decodeFrame(v4base64, Buffer.from("0Zm9vCg=="));
    expect(decoded).to.deep.equal({ kind: "data", channel: 0, data: Buffer.from("foo\n") });
    expect(decodeFrame(v4base64, Buffer.from("xAAAA")).kind).to.equal("invalid");
  });

  it("understands v5's close signal, which v4 treats as a channel like any other", () => {
    expect(decodeFrame(v5, Buffer.from([255, 0]))).to.deep.equal({ kind: "close", channel: 0 });
    expect(decodeFrame(v5, Buffer.from([255])).kind).to.equal("invalid");
    expect(decodeFrame(v4, Buffer.from([255, 0]))).to.deep.include({ kind: "data", channel: 255 });
    expect(decodeFrame(v4, Buffer.alloc(0)).kind).to.equal("invalid");
  });

  it("picks the client's first supported protocol, binary v1 when it offers none", () => {
    const offered = offeredProtocols(["v6.channel.k8s.io, v5.channel.k8s.io", "v4.channel.k8s.io"]);
    expect(offered).to.deep.equal(["v6.channel.k8s.io", "v5.channel.k8s.io", "v4.channel.k8s.io"]);
    expect(selectProtocol(offered, remoteCommandProtocols)?.name).to.equal("v5.channel.k8s.io");
    expect(selectProtocol(offered, portForwardProtocols)?.name).to.equal("v4.channel.k8s.io");
    expect(selectProtocol([], remoteCommandProtocols)).to.deep.equal({
      name: "",
      base64: false,
      version: 1,
    });
    expect(selectProtocol(["SPDY/3.1"], remoteCommandProtocols)).to.equal(undefined);
  });
});
