import { expect } from "chai";
import type { Pod } from "../../../../../agent/kube/types.js";
import { podsDifferSemantically } from "../../../../../agent/kubelet/sync/pod-changes.js";
import { failedSyncRetryMs, syncPod } from "../../../../../agent/kubelet/sync/sync-pod.js";
import { testPod } from "./runtime-fixtures.js";
import { WorkerHarness } from "./worker-harness.js";

describe("agent/kubelet/sync when a pod is synced again", () => {
  describe("podsDifferSemantically", () => {
    const base = () => testPod({}, { labels: { app: "web" }, annotations: { a: "1" } });

    it("ignores status and resourceVersion changes", () => {
      const updated: Pod = {
        ...base(),
        metadata: { ...base().metadata, resourceVersion: "42" },
        status: { phase: "Running", podIP: "10.0.0.2" },
      };
      expect(podsDifferSemantically(base(), updated)).to.equal(false);
    });

    it("sees spec, label, annotation and deletion changes", () => {
      const changes: ((p: Pod) => void)[] = [
        (p) => (p.spec!.containers[0].image = "busybox:2"),
        (p) => (p.metadata!.labels = { app: "db" }),
        (p) => (p.metadata!.annotations = {}),
        (p) => (p.metadata!.deletionTimestamp = "2024-01-01T00:00:00Z"),
        (p) => (p.metadata!.deletionGracePeriodSeconds = 0),
      ];
      for (const change of changes) {
        const updated = structuredClone(base());
        change(updated);
        expect(podsDifferSemantically(base(), updated), String(change)).to.equal(true);
      }
    });
  });

  describe("pod workers", () => {
    let h: WorkerHarness;
    beforeEach(() => (h = new WorkerHarness()));
    afterEach(() => h.stop());

    it("does not sync a pod again when only its status changed (its own status write)", async () => {
      const pod = testPod();
      await h.update(pod);
      const calls = h.runtime.calls.length;
      await h.update({ ...pod, status: structuredClone(h.status(pod)) });
      expect(h.runtime.calls.slice(calls)).to.deep.equal([]);
      await h.update(testPod({}, { labels: { changed: "yes" } }));
      expect(h.runtime.calls.slice(calls)).to.include("listContainers");
    });

    it("asks for a retry soon after a failed pull or config, to show ImagePullBackOff or find the config", async () => {
      const pulls = testPod({ containers: [{ name: "app", image: "missing:latest" }] });
      h.runtime.pullErrors.set("missing:latest", "connection refused");
      const deps = h.sync.deps;
      const first = await syncPod(deps, pulls, await deps.inspector.inspect("uid-1"), new Map());
      expect(first.retryAt).to.equal(h.clock.now + failedSyncRetryMs);
      h.advance(failedSyncRetryMs);
      const reasons = new Map();
      const second = await syncPod(deps, pulls, await deps.inspector.inspect("uid-1"), reasons);
      expect(reasons.get("app").reason).to.equal("ImagePullBackOff");
      expect(second.retryAt).to.equal(h.clock.now + failedSyncRetryMs);

      const env = [{ name: "X", valueFrom: { configMapKeyRef: { name: "cfg", key: "k" } } }];
      const config = testPod(
        { containers: [{ name: "app", image: "busybox:1", env }] },
        { uid: "uid-2" },
      );
      const outcome = await syncPod(deps, config, await deps.inspector.inspect("uid-2"), new Map());
      expect(outcome.retryAt).to.equal(h.clock.now + failedSyncRetryMs);
    });

    it("asks for a retry when a crash-loop back-off ends, not before", async () => {
      const pod = testPod();
      await h.update(pod);
      h.runtime.exit(h.runtime.running("app")!.id, 1);
      await h.wake(pod);
      h.advance(1_000);
      h.runtime.exit(h.runtime.running("app")!.id, 1);
      const exitedAt = h.clock.now;
      h.advance(2_000);
      const deps = h.sync.deps;
      const outcome = await syncPod(deps, pod, await deps.inspector.inspect("uid-1"), new Map());
      expect(outcome.retryAt).to.equal(exitedAt + 10_000);
    });
  });
});
