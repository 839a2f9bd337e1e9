import { expect } from "chai";
import type { TLSSocket } from "node:tls";
import { agentSummarySource } from "../../../../controller/api/metrics-api/summary-client.js";
import type { NodeStreamingConfig } from "../../../../controller/api/node-proxy/node-streaming-config.js";
import {
  closedPort,
  selfSignedCert,
  startServer,
  type Handler,
  type TestServer,
} from "../../agent/kubelet/prober/test-servers.js";
import { readyNode } from "./metrics-fixtures.js";

describe("metrics API: reading an agent's /stats/summary over HTTPS", function () {
  this.timeout(20_000);
  let tls: { cert: string; key: string };
  let server: TestServer | undefined;
  let respond: Handler;
  const peers: string[] = [];

  before(async () => (tls = await selfSignedCert()));
  beforeEach(async () => {
    // The agent asks for a client certificate; the test's own self-signed pair is shown.
    const serverTls = { ...tls, requestCert: true, rejectUnauthorized: false };
    server = await startServer((req, res) => respond(req, res), serverTls);
  });
  afterEach(async () => {
    await server?.close();
    peers.length = 0;
  });

  const config: () => NodeStreamingConfig = () => ({
    tls: { cert: tls.cert, key: tls.key },
    preferredAddressTypes: ["InternalIP"],
    defaultPort: 10250,
    dialTimeoutMs: 1_000,
  });
  const nodeAt = (port: number) => ({
    ...readyNode("n1"),
    status: {
      ...readyNode("n1").status,
      daemonEndpoints: { kubeletEndpoint: { Port: port } },
    },
  });

  it("GETs /stats/summary with the kubelet client certificate and parses it", async () => {
    respond = (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      peers.push(String(peer.subject?.CN));
      res.writeHead(200, { "content-type": "application/json" }).end('{"node":{"nodeName":"n1"}}');
    };
    const body = await agentSummarySource(config())(nodeAt(server!.port));
    expect(body).to.deep.equal({ node: { nodeName: "n1" } });
    expect(server!.requests[0].url).to.equal("/stats/summary");
    expect(server!.requests[0].headers.host).to.equal(`127.0.0.1:${server!.port}`);
    expect(peers).to.deep.equal(["probe-test"]);
  });

  it("rejects an error answer, with its code and text", async () => {
    respond = (_req, res) => res.writeHead(403).end("Forbidden (user=x)");
    await expectRejection(
      agentSummarySource(config())(nodeAt(server!.port)),
      /HTTP 403: Forbidden/,
    );
  });

  it("rejects a body that is not JSON", async () => {
    respond = (_req, res) => res.writeHead(200).end("<html>");
    await expectRejection(agentSummarySource(config())(nodeAt(server!.port)), /not JSON/);
  });

  it("gives up on an agent that never answers after the timeout", async () => {
    respond = () => undefined;
    const started = Date.now();
    await expectRejection(
      agentSummarySource(config(), 300)(nodeAt(server!.port)),
      /no answer within 300 ms/,
    );
    expect(Date.now() - started).to.be.within(250, 3_000);
  });

  it("rejects an agent nobody listens for, and a node with no address", async () => {
    await expectRejection(agentSummarySource(config())(nodeAt(await closedPort())), /ECONNREFUSED/);
    const nowhere = { ...readyNode("n1"), status: { addresses: [] } };
    await expectRejection(agentSummarySource(config())(nowhere), /no preferred addresses/);
  });
});

async function expectRejection(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: Error) => e,
  );
  expect(err, "a rejection").to.be.instanceOf(Error);
  expect(err!.message).to.match(pattern);
}
