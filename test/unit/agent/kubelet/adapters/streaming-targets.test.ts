import { expect } from "chai";
import { promises as fs } from "node:fs";
import path from "node:path";
import { recordStreamingTargets } from "../../../../../agent/kubelet/adapters/streaming-targets.js";
import { RecordStore } from "../../../../../agent/runtime/record-store.js";
import type { ContainerRecord, SandboxRecord } from "../../../../../agent/runtime/records.js";
import { RuntimePaths } from "../../../../../agent/runtime/runtime-paths.js";
import type { StreamingTargets } from "../../../../../agent/streaming/streaming-targets.js";
import { tempDir } from "../../../../support/temp-dir.js";

const podLabels = (uid: string) => ({
  "io.kubernetes.pod.name": "web",
  "io.kubernetes.pod.namespace": "shop",
  "io.kubernetes.pod.uid": uid,
});

function sandbox(id: string, uid: string, state: SandboxRecord["state"], createdAt: string) {
  return {
    id,
    state,
    createdAt,
    config: {
      metadata: { name: "web", namespace: "shop", uid, attempt: 0 },
      labels: podLabels(uid),
    },
    namespaces: { net: `/run/netns/${id}` },
  } as unknown as SandboxRecord;
}

function container(
  id: string,
  sandboxId: string,
  uid: string,
  restartCount: number,
  state: string,
) {
  return {
    id,
    sandboxId,
    state,
    createdAt: String(1000 + restartCount),
    metadata: { name: "app", attempt: restartCount },
    labels: { ...podLabels(uid), "io.kubernetes.container.name": "app" },
    annotations: { "io.kubernetes.container.restartCount": String(restartCount) },
    logPath: `/logs/shop_web_${uid}/app/${restartCount}.log`,
    tty: false,
    stdin: true,
  } as unknown as ContainerRecord;
}

describe("kubelet adapters: streaming targets from the runtime's records", () => {
  let dir: ReturnType<typeof tempDir>;
  let paths: RuntimePaths;
  let sandboxes: RecordStore<SandboxRecord>;
  let containers: RecordStore<ContainerRecord>;
  let uidNow: string | undefined;
  let targets: StreamingTargets;

  beforeEach(async () => {
    dir = tempDir("streaming-targets");
    paths = new RuntimePaths(path.join(dir.path, "root"), path.join(dir.path, "run"));
    sandboxes = new RecordStore(paths.sandboxRecords);
    containers = new RecordStore(paths.containerRecords);
    uidNow = undefined;
    targets = recordStreamingTargets({
      runtime: { sandboxes, containers, paths },
      currentUid: () => uidNow,
    });
    await sandboxes.put(sandbox("sb-old", "uid-1", "notready", "100"));
    await sandboxes.put(sandbox("sb-new", "uid-1", "ready", "200"));
    await containers.put(container("c0", "sb-old", "uid-1", 0, "exited"));
    await containers.put(container("c1", "sb-new", "uid-1", 1, "running"));
  });

  afterEach(() => dir.remove());

  it("resolves a pod to its ready sandbox and network namespace", async () => {
    expect(await targets.sandbox("shop", "web")).to.deep.equal({
      sandboxId: "sb-new",
      netnsPath: "/run/netns/sb-new",
    });
    expect(await targets.sandbox("shop", "other")).to.equal(undefined);
  });

  it("resolves a container to its newest instance, with the log of the one before", async () => {
    expect(await targets.container("shop", "web", "app")).to.deep.equal({
      containerId: "c1",
      sandboxId: "sb-new",
      running: true,
      logPath: "/logs/shop_web_uid-1/app/1.log",
      previousLogPath: "/logs/shop_web_uid-1/app/0.log",
      tty: false,
      stdin: true,
    });
    expect(await targets.container("shop", "web", "sidecar")).to.equal(undefined);
  });

  it("says a container is not running once conmon wrote its exit, before the record caught up", async () => {
    await fs.mkdir(paths.exits, { recursive: true });
    await fs.writeFile(path.join(paths.exits, "c1"), "137");
    expect(await targets.container("shop", "web", "app")).to.include({ running: false });
  });

  it("prefers the pod the API has under the name over an older one the runtime still holds", async () => {
    await sandboxes.put(sandbox("sb-other", "uid-2", "ready", "50"));
    await containers.put(container("d0", "sb-other", "uid-2", 0, "running"));
    expect((await targets.sandbox("shop", "web"))?.sandboxId).to.equal("sb-new");
    uidNow = "uid-2";
    expect((await targets.sandbox("shop", "web"))?.sandboxId).to.equal("sb-other");
    expect(await targets.container("shop", "web", "app")).to.include({
      containerId: "d0",
      previousLogPath: undefined,
    });
  });

  it("ignores sandboxes and containers being removed", async () => {
    await sandboxes.update("sb-new", { state: "removing" });
    expect((await targets.sandbox("shop", "web"))?.sandboxId).to.equal("sb-old");
  });
});
