import { expect } from "chai";
import { silentLogger } from "../../../../../lib/logger.js";
import { ProbeManager } from "../../../../../agent/kubelet/prober/probe-manager.js";
import type { Container, Pod } from "../../../../../agent/kube/types.js";
import { waitFor } from "../../../../support/wait-for.js";
import { FakeExec } from "./fake-exec.js";
import { startServer } from "./test-servers.js";

describe("probe manager on the system clock: an httpGet probe to the pod IP", function () {
  this.timeout(10_000);

  it("probes the named port at the pod IP it is given, and wakes the pod on each change", async () => {
    let status = 200;
    const server = await startServer((_req, res) => res.writeHead(status).end());
    const changes: string[] = [];
    const events: string[] = [];
    const manager = new ProbeManager({
      runtime: new FakeExec(),
      podIP: async (uid) => (uid === "u1" ? "127.0.0.1" : undefined),
      recordEvent: (_ref, _type, _reason, message) => events.push(message),
      onChange: (uid) => changes.push(uid),
      logger: silentLogger(),
      random: () => 0,
    });
    try {
      const app: Container = {
        name: "app",
        ports: [{ name: "http", containerPort: server.port }],
        readinessProbe: {
          httpGet: { port: "http", path: "/ready" },
          periodSeconds: 1,
          failureThreshold: 1,
        },
      };
      const pod: Pod = {
        metadata: { name: "web", namespace: "ns", uid: "u1" },
        spec: { containers: [app] },
      };
      manager.add(pod, app, "c1");
      await waitFor(
        "ready",
        async () => (manager.readiness("c1") === "success" ? true : undefined),
        3000,
      );
      status = 503;
      await waitFor(
        "unready",
        async () => (manager.readiness("c1") === "failure" ? true : undefined),
        3000,
      );
      expect(changes).to.deep.equal(["u1", "u1"]);
      expect(events).to.include("Readiness probe failed: HTTP probe failed with statuscode: 503");
      expect(server.requests[0].url).to.equal("/ready");
    } finally {
      manager.stop();
      await server.close();
    }
  });
});
