import { expect } from "chai";
import { silentLogger } from "../../../../../lib/logger.js";
import { failedPrecondition } from "../../../../../lib/errors.js";
import { runProbe } from "../../../../../agent/kubelet/prober/probe-runner.js";
import { probeSettings } from "../../../../../agent/kubelet/prober/probe-settings.js";
import type { Container, Pod } from "../../../../../agent/kube/types.js";
import type { RecordedEvent } from "../sync/fake-ports.js";
import { FakeExec } from "./fake-exec.js";
import { startServer } from "./test-servers.js";

const container: Container = { name: "app", ports: [{ name: "web", containerPort: 0 }] };
const pod: Pod = {
  metadata: { name: "web", namespace: "ns", uid: "u1" },
  spec: { containers: [container] },
};

function setup() {
  const exec = new FakeExec();
  const events: RecordedEvent[] = [];
  const deps = {
    runtime: exec,
    logger: silentLogger(),
    recordEvent: (ref: RecordedEvent["ref"], type: string, reason: string, message: string) =>
      events.push({ ref, type, reason, message }),
  };
  return { exec, events, deps };
}

describe("probe runner: results and kubelet's Unhealthy events", function () {
  this.timeout(10_000);

  it("records 'Liveness probe failed: HTTP probe failed with statuscode: 500' on the container", async () => {
    const { deps, events } = setup();
    const server = await startServer((_req, res) => res.writeHead(500).end());
    try {
      const named = { ...container, ports: [{ name: "web", containerPort: server.port }] };
      const result = await runProbe(deps, "liveness", { httpGet: { port: "web" } }, 1, {
        pod,
        container: named,
        containerId: "c1",
        podIP: "127.0.0.1",
      });
      expect(result).to.equal("failure");
    } finally {
      await server.close();
    }
    expect(events).to.deep.equal([
      {
        ref: {
          apiVersion: "v1",
          kind: "Pod",
          namespace: "ns",
          name: "web",
          uid: "u1",
          fieldPath: "spec.containers{app}",
        },
        type: "Warning",
        reason: "Unhealthy",
        message: "Liveness probe failed: HTTP probe failed with statuscode: 500",
      },
    ]);
  });

  it("counts a redirect elsewhere as success with a ProbeWarning event", async () => {
    const { deps, events } = setup();
    const server = await startServer((_req, res) =>
      res.writeHead(302, { location: "http://elsewhere.invalid/" }).end("go"),
    );
    try {
      const target = { pod, container, containerId: "c1", podIP: "127.0.0.1" };
      const result = await runProbe(
        deps,
        "readiness",
        { httpGet: { port: server.port } },
        1,
        target,
      );
      expect(result).to.equal("success");
    } finally {
      await server.close();
    }
    expect(events.map((e) => [e.reason, e.message])).to.deep.equal([
      ["ProbeWarning", "Readiness probe warning: Probe terminated redirects, Response body: go"],
    ]);
  });

  it("retries a probe that errored three times, then discards it with an 'errored' event", async () => {
    const { deps, events, exec } = setup();
    exec.answer = () => ({ error: failedPrecondition("container c1 is exited, not running") });
    const target = { pod, container, containerId: "c1" };
    expect(await runProbe(deps, "startup", { exec: { command: ["true"] } }, 1, target)).to.equal(
      undefined,
    );
    expect(exec.calls).to.have.length(3);
    expect(events.map((e) => e.message)).to.deep.equal([
      "Startup probe errored: container c1 is exited, not running",
    ]);
  });

  it("reports an unknown named port, and no pod IP, as errors", async () => {
    const { deps, events } = setup();
    const target = { pod, container, containerId: "c1", podIP: "127.0.0.1" };
    await runProbe(deps, "readiness", { tcpSocket: { port: "metrics" } }, 1, target);
    await runProbe(deps, "readiness", { tcpSocket: { port: 80 } }, 1, {
      ...target,
      podIP: undefined,
    });
    expect(events.map((e) => e.message)).to.deep.equal([
      "Readiness probe errored: port metrics not found",
      "Readiness probe errored: the pod has no IP yet and the probe sets no host",
    ]);
  });
});

describe("probe settings: the API's defaults and validation", () => {
  it("fills in kubelet's defaults for missing or zero values", () => {
    expect(
      probeSettings({ exec: { command: ["true"] }, periodSeconds: 0 }, "liveness", "p"),
    ).to.deep.equal({
      initialDelaySeconds: 0,
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
  });

  it("names the field of an invalid value", () => {
    const field = "spec.containers[0].livenessProbe";
    expect(() =>
      probeSettings({ tcpSocket: { port: 1 }, successThreshold: 2 }, "liveness", field),
    ).to.throw("spec.containers[0].livenessProbe.successThreshold: must be 1 for a liveness probe");
    expect(() =>
      probeSettings({ tcpSocket: { port: 1 }, periodSeconds: -1 }, "readiness", field),
    ).to.throw(`${field}.periodSeconds: must be an integer of at least 1, not -1`);
    expect(() => probeSettings({}, "readiness", field)).to.throw(
      `${field}: must specify a handler type`,
    );
    expect(() =>
      probeSettings({ tcpSocket: { port: 1 }, exec: { command: [] } }, "readiness", field),
    ).to.throw("may not specify more than 1 handler type");
  });
});
