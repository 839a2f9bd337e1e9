import { Counter, Histogram, type Registry } from "prom-client";

/** grpc-go's codes.Code String() names, by number: the grpc_code label values. */
const codeNames = [
  "OK",
  "Canceled",
  "Unknown",
  "InvalidArgument",
  "DeadlineExceeded",
  "NotFound",
  "AlreadyExists",
  "PermissionDenied",
  "ResourceExhausted",
  "FailedPrecondition",
  "Aborted",
  "OutOfRange",
  "Unimplemented",
  "Internal",
  "Unavailable",
  "DataLoss",
  "Unauthenticated",
];

export function grpcCodeName(code: number): string {
  return codeNames[code] ?? `Code(${code})`;
}

type Labels = "grpc_type" | "grpc_service" | "grpc_method";

/**
 * The server metrics of go-grpc-prometheus, which containerd serves for its CRI: RPCs started,
 * handled (by code), messages received and sent, and the handling time histogram (DefBuckets),
 * labelled by grpc_type, grpc_service ("runtime.v1.RuntimeService") and grpc_method.
 */
export class GrpcServerMetrics {
  private readonly started: Counter<Labels>;
  private readonly handled: Counter<Labels | "grpc_code">;
  private readonly received: Counter<Labels>;
  private readonly sent: Counter<Labels>;
  private readonly seconds: Histogram<Labels>;

  constructor(registry: Registry) {
    const labelNames: Labels[] = ["grpc_type", "grpc_service", "grpc_method"];
    const counter = <L extends string>(name: string, help: string, names: L[]) =>
      new Counter<L>({ name, help, labelNames: names, registers: [registry] });
    this.started = counter(
      "grpc_server_started_total",
      "Total number of RPCs started on the server.",
      labelNames,
    );
    this.handled = counter(
      "grpc_server_handled_total",
      "Total number of RPCs completed on the server, regardless of success or failure.",
      [...labelNames, "grpc_code"],
    );
    this.received = counter(
      "grpc_server_msg_received_total",
      "Total number of RPC stream messages received on the server.",
      labelNames,
    );
    this.sent = counter(
      "grpc_server_msg_sent_total",
      "Total number of gRPC stream messages sent by the server.",
      labelNames,
    );
    this.seconds = new Histogram({
      name: "grpc_server_handling_seconds",
      help: "Histogram of response latency (seconds) of gRPC that had been application-level handled by the server.",
      labelNames,
      // prometheus.DefBuckets
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }

  /**
   * Counts a unary RPC (its path "/runtime.v1.RuntimeService/Version") as started and its request
   * as received; the returned function records how it ended, by gRPC status code.
   */
  unaryStarted(path: string): (code: number) => void {
    const [, service = "", method = ""] = /^\/?([^/]*)\/(.*)$/.exec(path) ?? [];
    const labels = { grpc_type: "unary", grpc_service: service, grpc_method: method };
    const started = process.hrtime.bigint();
    this.started.inc(labels);
    this.received.inc(labels);
    return (code) => {
      this.handled.inc({ ...labels, grpc_code: grpcCodeName(code) });
      this.seconds.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      if (code === 0) this.sent.inc(labels);
    };
  }
}
