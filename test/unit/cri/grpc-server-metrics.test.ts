import type * as grpc from "@grpc/grpc-js";
import { expect } from "chai";
import { Registry } from "prom-client";
import { notFound } from "../../../lib/errors.js";
import { silentLogger } from "../../../lib/logger.js";
import { unary } from "../../../agent/cri/handler.js";
import { GrpcServerMetrics, grpcCodeName } from "../../../agent/cri/metrics/grpc-server-metrics.js";
import { bucketBounds, sample } from "../agent/kubelet/metrics/exposition.js";

/** Runs a unary handler as grpc-js would for `path`, resolving with what it answered. */
function invoke<Req, Res>(
  handler: grpc.handleUnaryCall<Req, Res>,
  path: string,
  request: Req,
): Promise<{ error: grpc.ServerErrorResponse | null; response?: Res | null }> {
  return new Promise((resolve) => {
    const call = { request, getPath: () => path } as unknown as grpc.ServerUnaryCall<Req, Res>;
    handler(call, (error, response) =>
      resolve({ error: error as grpc.ServerErrorResponse | null, response }),
    );
  });
}

const service = "runtime.v1.RuntimeService";
const labels = (method: string) => ({
  grpc_type: "unary",
  grpc_service: service,
  grpc_method: method,
});

describe("CRI server metrics (go-grpc-prometheus names)", () => {
  it("counts started and handled RPCs by service, method and code, and times them", async () => {
    const registry = new Registry();
    const metrics = new GrpcServerMetrics(registry);
    const logger = silentLogger();
    const version = unary("Version", logger, async () => ({ version: "0.1.0" }), metrics);
    const status = unary(
      "ContainerStatus",
      logger,
      async () => {
        throw notFound("container abc not found");
      },
      metrics,
    );
    const broken = unary(
      "ListContainers",
      logger,
      async () => {
        throw new Error("boom");
      },
      metrics,
    );
    expect((await invoke(version, `/${service}/Version`, {})).response).to.deep.equal({
      version: "0.1.0",
    });
    await invoke(version, `/${service}/Version`, {});
    const failed = await invoke(status, `/${service}/ContainerStatus`, {});
    expect(failed.error?.code).to.equal(5);
    await invoke(broken, `/${service}/ListContainers`, {});

    const handled = (method: string, code: string) =>
      sample(registry, "grpc_server_handled_total", { ...labels(method), grpc_code: code });
    expect(await sample(registry, "grpc_server_started_total", labels("Version"))).to.equal(2);
    expect(await handled("Version", "OK")).to.equal(2);
    expect(await handled("ContainerStatus", "NotFound")).to.equal(1);
    expect(await handled("ListContainers", "Internal")).to.equal(1);
    expect(
      await sample(registry, "grpc_server_msg_received_total", labels("ContainerStatus")),
    ).to.equal(1);
    // A unary RPC sends its one message only when it succeeds.
    expect(await sample(registry, "grpc_server_msg_sent_total", labels("Version"))).to.equal(2);
    expect(
      await sample(registry, "grpc_server_msg_sent_total", labels("ContainerStatus")),
    ).to.equal(undefined);
    expect(
      await sample(registry, "grpc_server_handling_seconds_count", labels("ContainerStatus")),
    ).to.equal(1);
    expect(await bucketBounds(registry, "grpc_server_handling_seconds")).to.deep.equal([
      "0.005",
      "0.01",
      "0.025",
      "0.05",
      "0.1",
      "0.25",
      "0.5",
      "1",
      "2.5",
      "5",
      "10",
      "+Inf",
    ]);
  });

  it("names codes as grpc-go's codes.Code String() does", () => {
    expect([0, 3, 4, 5, 9, 12, 13, 14, 16].map(grpcCodeName)).to.deep.equal([
      "OK",
      "InvalidArgument",
      "DeadlineExceeded",
      "NotFound",
      "FailedPrecondition",
      "Unimplemented",
      "Internal",
      "Unavailable",
      "Unauthenticated",
    ]);
    expect(grpcCodeName(42)).to.equal("Code(42)");
  });

  it("records nothing without metrics", async () => {
    const handler = unary("Version", silentLogger(), async () => ({ version: "1" }));
    // No getPath on this call: without metrics the path is never asked for.
    const call = { request: {} } as unknown as grpc.ServerUnaryCall<object, object>;
    const answer = await new Promise((resolve) => handler(call, (_e, r) => resolve(r)));
    expect(answer).to.deep.equal({ version: "1" });
  });
});
