import { expect } from "chai";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { unavailable } from "../../lib/errors.js";
import { silentLogger } from "../../lib/logger.js";
import { createMetricsRegistry } from "../../lib/metrics.js";
import { CniRunner } from "../../cni/runner/cni-runner.js";
import { ImageStore } from "../../agent/images/image-store.js";
import { importImages } from "../../agent/images/import/import-image.js";
import type { Pod } from "../../agent/kube/types.js";
import type { KubeletRuntime } from "../../agent/kubelet/runtime/kubelet-runtime.js";
import { inProcessRuntime } from "../../agent/kubelet/runtime/in-process-runtime.js";
import { createKubeletSync, type KubeletSync } from "../../agent/kubelet/sync/kubelet-sync.js";
import { CniPodNetwork } from "../../agent/network/cni-pod-network.js";
import { defaultPluginDirs } from "../../agent/network/plugin-dirs.js";
import { PullMetrics } from "../../agent/registry/metrics.js";
import { openRuntime } from "../../agent/runtime/open-runtime.js";
import { busyboxOneLayer } from "../fixtures/busybox-image.js";
import { writeOciLayout } from "../fixtures/oci-layout-writer.js";
import { removeCgroupEverywhere } from "../support/cgroup-leaks.js";
import { requireIntegration } from "../support/prerequisites.js";
import { tempDir } from "../support/temp-dir.js";
import { writeTestNetwork, type TestNetwork } from "../support/test-network.js";
import { unmountUnder } from "../support/unmount-under.js";
import { waitFor } from "../support/wait-for.js";
import { FakeApi, FakeVolumes } from "../unit/agent/kubelet/sync/fake-ports.js";
import { simpleSpec } from "../unit/agent/kubelet/sync/simple-spec.js";

describe("kubelet pod sync on the real runtime, in-process", function () {
  this.timeout(120_000);
  let base: ReturnType<typeof tempDir> | undefined;
  let network: TestNetwork | undefined;
  let runtime: KubeletRuntime;
  let sync: KubeletSync | undefined;
  const api = new FakeApi();
  const volumes = new FakeVolumes();
  const cgroupParent = `/berth-test-${process.pid}-${randomBytes(3).toString("hex")}`;
  const uid = `uid-${randomBytes(4).toString("hex")}`;
  const pod: Pod = {
    metadata: { name: "web", namespace: "kubelet-sync", uid },
    spec: {
      restartPolicy: "Always",
      terminationGracePeriodSeconds: 5,
      containers: [
        {
          name: "app",
          image: "busybox:latest",
          imagePullPolicy: "IfNotPresent",
          command: ["/bin/sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"],
        },
      ],
    },
  };
  const status = () => api.lastStatus(uid);

  before(async function () {
    requireIntegration(this, ["runc", "conmon", "unshare", "nsenter"]);
    base = tempDir("kubelet-sync");
    const layout = path.join(base.path, "layout");
    await writeOciLayout(layout, [
      { image: await busyboxOneLayer(), refNames: ["docker.io/library/busybox:latest"] },
    ]);
    const images = await ImageStore.open(path.join(base.path, "root"));
    await importImages(images, layout);
    network = await writeTestNetwork(base.path);
    const logger = silentLogger();
    const runner = new CniRunner({
      confDir: network.confDir,
      binDirs: defaultPluginDirs,
      cacheDir: path.join(base.path, "cni", "results"),
    });
    const deps = await openRuntime({
      root: path.join(base.path, "root"),
      runDir: path.join(base.path, "run"),
      images,
      logger,
      runtimePath: "/usr/sbin/runc",
      conmonPath: "/usr/bin/conmon",
      cgroupParent,
      network: new CniPodNetwork(runner, logger),
    });
    const pull = async () => {
      throw unavailable("this test has no registry");
    };
    runtime = inProcessRuntime({
      runtime: deps,
      images,
      pull: { pull, metrics: new PullMetrics(createMetricsRegistry()), logger },
    });
    sync = createKubeletSync({
      runtime,
      spec: simpleSpec(path.join(base.path, "logs")),
      volumes,
      api,
      hostIPs: () => ["127.0.0.1"],
      logger,
      relistMs: 200,
    });
    sync.start();
  });

  after(async () => {
    await sync?.stop();
    if (runtime) {
      for (const s of (await runtime.listPodSandbox({})).items) {
        await runtime.removePodSandbox({ pod_sandbox_id: s.id });
      }
    }
    await network?.remove();
    removeCgroupEverywhere(cgroupParent);
    if (base) await unmountUnder(base.path);
    base?.remove();
  });

  it("runs a busybox pod to Running with its pod IP and container ID", async () => {
    sync!.workers.update(pod);
    const s = await waitFor("the pod to run", async () =>
      status()?.phase === "Running" && status()?.containerStatuses?.[0].state?.running
        ? status()
        : undefined,
    );
    expect(s!.podIP!.startsWith(network!.prefix)).to.equal(true);
    expect(s!.containerStatuses![0].containerID).to.match(/^berth:\/\/[0-9a-f]{12,}$/);
    expect(s!.containerStatuses![0]).to.deep.include({ ready: true, restartCount: 0 });
    expect(s!.conditions!.find((c) => c.type === "Ready")?.status).to.equal("True");
    expect(api.reasons()).to.include.members(["Pulled", "Created", "Started"]);
  });

  it("restarts the container when its process is killed, counting the restart", async () => {
    const id = status()!.containerStatuses![0].containerID!.replace("berth://", "");
    const { info } = await runtime.containerStatus({ container_id: id, verbose: true });
    process.kill(JSON.parse(info.info).pid as number, "SIGKILL");
    const s = await waitFor(
      "the restarted container",
      async () => {
        const c = status()?.containerStatuses?.[0];
        return c?.restartCount === 1 && c.state?.running ? status() : undefined;
      },
      30_000,
    );
    const c = s!.containerStatuses![0];
    expect(c.containerID).to.not.equal(`berth://${id}`);
    expect(c.lastState?.terminated).to.deep.include({
      exitCode: 137,
      containerID: `berth://${id}`,
    });
  });

  it("cleans up a pod being deleted: nothing of it is left in the runtime", async () => {
    sync!.workers.update({
      ...pod,
      metadata: {
        ...pod.metadata,
        deletionTimestamp: new Date().toISOString(),
        deletionGracePeriodSeconds: 5,
      },
    });
    await waitFor(
      "the deletion to be confirmed",
      async () => (api.deleted.length > 0 ? true : undefined),
      30_000,
    );
    expect(api.deleted).to.deep.equal([`kubelet-sync/web/${uid}`]);
    expect((await runtime.listPodSandbox({})).items).to.deep.equal([]);
    expect((await runtime.listContainers({})).containers).to.deep.equal([]);
    expect(volumes.tornDown).to.deep.equal([uid]);
    expect(status()!.phase).to.equal("Succeeded");
  });
});
