import { expect } from "chai";
import { httpProbe } from "../../../../../agent/kubelet/prober/http-probe.js";
import { httpGetRequest } from "../../../../../agent/kubelet/prober/http-request.js";
import type { Container, Probe } from "../../../../../agent/kube/types.js";
import { closedPort, selfSignedCert, startServer, type TestServer } from "./test-servers.js";

const container: Container = { name: "app", ports: [{ name: "web", containerPort: 0 }] };
type Action = NonNullable<Probe["httpGet"]>;
const request = (action: Partial<Action> & { port: number | string }) =>
  httpGetRequest(action, container, "127.0.0.1", "probe");

describe("httpGet probe: kubelet's HTTP client and verdicts", function () {
  this.timeout(10_000);
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("succeeds on 200–399 and fails on other statuses without the body in the message", async () => {
    let status = 200;
    server = await startServer((req, res) => res.writeHead(status).end("secret body"));
    const req = () => request({ port: server!.port, path: "/healthz" });
    expect(await httpProbe(req(), 1000)).to.deep.equal({
      status: "success",
      output: "secret body",
    });
    status = 399;
    expect((await httpProbe(req(), 1000)).status).to.equal("warning");
    status = 500;
    expect(await httpProbe(req(), 1000)).to.deep.equal({
      status: "failure",
      output: "HTTP probe failed with statuscode: 500",
    });
    status = 404;
    expect((await httpProbe(req(), 1000)).output).to.equal(
      "HTTP probe failed with statuscode: 404",
    );
  });

  it("sends kube-probe/1.32, Accept */*, the probe's headers and Host, to the path and query", async () => {
    server = await startServer((_req, res) => res.end("ok"));
    await httpProbe(
      request({
        port: server.port,
        path: "/ready?deep=1",
        httpHeaders: [
          { name: "X-Probe", value: "a" },
          { name: "X-Probe", value: "b" },
          { name: "Host", value: "app.example" },
        ],
      }),
      1000,
    );
    const [seen] = server.requests;
    expect(seen.url).to.equal("/ready?deep=1");
    expect(seen.headers["user-agent"]).to.equal("kube-probe/1.32");
    expect(seen.headers.accept).to.equal("*/*");
    expect(seen.headers["x-probe"]).to.equal("a, b");
    expect(seen.headers.host).to.equal("app.example");
  });

  it("lets the probe replace the User-Agent and drop Accept with an empty value", async () => {
    server = await startServer((_req, res) => res.end("ok"));
    const headers = [
      { name: "user-agent", value: "mine/1" },
      { name: "Accept", value: "" },
    ];
    await httpProbe(request({ port: server.port, httpHeaders: headers }), 1000);
    expect(server.requests[0].headers["user-agent"]).to.equal("mine/1");
    expect(server.requests[0].headers).to.not.have.property("accept");
  });

  it("follows redirects on the same host and reports one elsewhere as a warning", async () => {
    server = await startServer((req, res) => {
      if (req.url === "/old") res.writeHead(302, { location: "/new" }).end();
      else if (req.url === "/away")
        res.writeHead(301, { location: "http://example.invalid/" }).end("moved");
      else res.writeHead(req.url === "/new" ? 200 : 500).end("here");
    });
    expect(await httpProbe(request({ port: server.port, path: "/old" }), 1000)).to.deep.equal({
      status: "success",
      output: "here",
    });
    expect(server.requests.map((r) => r.url)).to.deep.equal(["/old", "/new"]);
    expect(await httpProbe(request({ port: server.port, path: "/away" }), 1000)).to.deep.equal({
      status: "warning",
      output: "Probe terminated redirects, Response body: moved",
    });
  });

  it("gives up after 10 redirects", async () => {
    server = await startServer((req, res) => {
      const n = Number(req.url!.slice(1));
      res.writeHead(302, { location: `/${n + 1}` }).end();
    });
    const outcome = await httpProbe(request({ port: server.port, path: "/0" }), 1000);
    expect(outcome.status).to.equal("failure");
    expect(outcome.output).to.equal(
      `Get "http://127.0.0.1:${server.port}/10": stopped after 10 redirects`,
    );
    expect(server.requests).to.have.length(10);
  });

  it("reads at most 10 KiB of the body", async () => {
    server = await startServer((_req, res) => res.end("x".repeat(1024 * 1024)));
    const outcome = await httpProbe(request({ port: server.port }), 2000);
    expect(outcome.status).to.equal("success");
    expect(outcome.output).to.have.length(10 * 1024);
  });

  it("fails a server that does not answer in time, and a closed port, with Go's words", async () => {
    server = await startServer(() => undefined);
    const started = Date.now();
    const slow = await httpProbe(request({ port: server.port, path: "/slow" }), 300);
    expect(Date.now() - started).to.be.within(250, 2000);
    expect(slow).to.deep.equal({
      status: "failure",
      output: `Get "http://127.0.0.1:${server.port}/slow": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
    });
    const port = await closedPort();
    expect(await httpProbe(request({ port }), 1000)).to.deep.equal({
      status: "failure",
      output: `Get "http://127.0.0.1:${port}/": dial tcp 127.0.0.1:${port}: connect: connection refused`,
    });
  });

  it("probes HTTPS without verifying the certificate", async () => {
    server = await startServer((_req, res) => res.end("tls ok"), await selfSignedCert());
    const outcome = await httpProbe(request({ port: server.port, scheme: "HTTPS" }), 2000);
    expect(outcome).to.deep.equal({ status: "success", output: "tls ok" });
  });
});
