import * as grpc from "@grpc/grpc-js";
import { expect } from "chai";
import {
  decodeStatus,
  encodeRequest,
} from "../../../../../agent/kubelet/prober/grpc-health-codec.js";
import { grpcProbe } from "../../../../../agent/kubelet/prober/grpc-probe.js";
import { closedPort } from "./test-servers.js";

/** A grpc.health.v1 server answering each service's status from `statuses` (absent: NOT_FOUND). */
async function healthServer(statuses: Record<string, number>, withHealth = true) {
  const server = new grpc.Server();
  const seen: { service: string; userAgent: string }[] = [];
  if (withHealth) {
    server.addService(
      {
        Check: {
          path: "/grpc.health.v1.Health/Check",
          requestStream: false,
          responseStream: false,
          requestSerialize: (r: { service: string }) => encodeRequest(r.service),
          requestDeserialize: (b: Buffer) => ({ service: decodeService(b) }),
          responseSerialize: (status: number) => Buffer.from([0x08, status]),
          responseDeserialize: decodeStatus,
        },
      },
      {
        Check: (
          call: grpc.ServerUnaryCall<{ service: string }, number>,
          done: grpc.sendUnaryData<number>,
        ) => {
          const { service } = call.request;
          seen.push({ service, userAgent: String(call.metadata.get("user-agent")[0]) });
          const status = statuses[service];
          if (status === undefined)
            done({ code: grpc.status.NOT_FOUND, details: "unknown service" });
          else done(null, status);
        },
      },
    );
  }
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return { port, seen, close: () => server.forceShutdown() };
}

function decodeService(b: Buffer): string {
  return b.length === 0 ? "" : b.subarray(2, 2 + b[1]).toString();
}

describe("grpc probe: grpc.health.v1.Health/Check", function () {
  this.timeout(10_000);

  it("succeeds when the service is SERVING, sending the service name and kube-probe", async () => {
    const server = await healthServer({ "": 1, db: 2 });
    try {
      expect(await grpcProbe("127.0.0.1", server.port, "", 2000)).to.deep.equal({
        status: "success",
        output: "service is serving",
      });
      expect(await grpcProbe("127.0.0.1", server.port, "db", 2000)).to.deep.equal({
        status: "failure",
        output: 'service unhealthy (responded with "NOT_SERVING")',
      });
      expect(server.seen.map((s) => s.service)).to.deep.equal(["", "db"]);
      expect(server.seen[0].userAgent).to.match(/^kube-probe\/1\.32/);
      const missing = await grpcProbe("127.0.0.1", server.port, "cache", 2000);
      expect(missing.output).to.equal(
        "error: health rpc probe failed: rpc error: code = NOT_FOUND desc = unknown service",
      );
    } finally {
      server.close();
    }
  });

  it("fails a server without the health service, and a port nobody listens on", async () => {
    const server = await healthServer({}, false);
    try {
      const outcome = await grpcProbe("127.0.0.1", server.port, "", 2000);
      expect(outcome.status).to.equal("failure");
      expect(outcome.output).to.match(
        /^error: this server does not implement the grpc health protocol \(grpc\.health\.v1\.Health\)/,
      );
    } finally {
      server.close();
    }
    const port = await closedPort();
    expect(await grpcProbe("127.0.0.1", port, "", 300)).to.deep.equal({
      status: "failure",
      output: `timeout: failed to connect service "127.0.0.1:${port}" within 300ms: context deadline exceeded`,
    });
  });

  it("decodes a response's status among unknown fields", () => {
    expect(decodeStatus(Buffer.alloc(0))).to.equal(0);
    expect(decodeStatus(Buffer.from([0x12, 0x02, 0x41, 0x42, 0x08, 0x03]))).to.equal(3);
    expect(() => decodeStatus(Buffer.from([0x08, 0x80]))).to.throw(/truncated/);
  });
});
