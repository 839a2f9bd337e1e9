import { expect } from "chai";
import http from "node:http";
import { Socket } from "node:net";
import { agentUpgradeRequest } from "../../../../controller/api/node-proxy/upgrade-request.js";

function clientRequest(method: string, rawHeaders: string[]): http.IncomingMessage {
  const req = new http.IncomingMessage(new Socket());
  req.method = method;
  req.rawHeaders = rawHeaders;
  return req;
}

describe("the upgrade request sent to an agent", () => {
  const endpoint = { nodeName: "n1", host: "10.0.0.7", port: 10250 };

  it("carries the protocol negotiation and not the client's credentials", () => {
    const req = clientRequest("GET", [
      "Host",
      "api.example:6443",
      "Authorization",
      "Bearer secret-token",
      "Impersonate-User",
      "root",
      "Connection",
      "Upgrade",
      "Upgrade",
      "websocket",
      "Sec-WebSocket-Key",
      "dGhlIHNhbXBsZSBub25jZQ==",
      "Sec-WebSocket-Version",
      "13",
      "Sec-WebSocket-Protocol",
      "v5.channel.k8s.io",
    ]);
    expect(agentUpgradeRequest(req, endpoint, "/exec/ns/p/c?command=id&stdout=1")).to.equal(
      [
        "GET /exec/ns/p/c?command=id&stdout=1 HTTP/1.1",
        "Host: 10.0.0.7:10250",
        "Upgrade: websocket",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version: 13",
        "Sec-WebSocket-Protocol: v5.channel.k8s.io",
        "Connection: Upgrade",
        "",
        "",
      ].join("\r\n"),
    );
  });

  it("keeps every X-Stream-Protocol-Version of a SPDY request, with an empty body", () => {
    const req = clientRequest("POST", [
      "Upgrade",
      "SPDY/3.1",
      "X-Stream-Protocol-Version",
      "v4.channel.k8s.io",
      "X-Stream-Protocol-Version",
      "v3.channel.k8s.io",
    ]);
    const text = agentUpgradeRequest(req, { ...endpoint, host: "fd00::7" }, "/exec/ns/p/c");
    expect(text).to.include("Host: [fd00::7]:10250\r\n");
    expect(text.match(/X-Stream-Protocol-Version: .*/g)).to.deep.equal([
      "X-Stream-Protocol-Version: v4.channel.k8s.io",
      "X-Stream-Protocol-Version: v3.channel.k8s.io",
    ]);
    expect(text).to.match(/Content-Length: 0\r\n\r\n$/);
  });
});
