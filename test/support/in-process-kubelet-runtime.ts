import { randomBytes } from "node:crypto";
import path from "node:path";
import { CniRunner } from "../../cni/runner/cni-runner.js";
import { ImageStore } from "../../agent/images/image-store.js";
import { importImages } from "../../agent/images/import/import-image.js";
import type { KubeletRuntime } from "../../agent/kubelet/runtime/kubelet-runtime.js";
import { inProcessRuntime } from "../../agent/kubelet/runtime/in-process-runtime.js";
import { CniPodNetwork } from "../../agent/network/cni-pod-network.js";
import { defaultPluginDirs } from "../../agent/network/plugin-dirs.js";
import { PullMetrics } from "../../agent/registry/metrics.js";
import { openRuntime } from "../../agent/runtime/open-runtime.js";
import { unavailable } from "../../lib/errors.js";
import { silentLogger } from "../../lib/logger.js";
import { createMetricsRegistry } from "../../lib/metrics.js";
import { busyboxOneLayer } from "../fixtures/busybox-image.js";
import { writeOciLayout } from "../fixtures/oci-layout-writer.js";
import { removeCgroupEverywhere } from "./cgroup-leaks.js";
import { tempDir } from "./temp-dir.js";
import { writeTestNetwork, type TestNetwork } from "./test-network.js";
import { unmountUnder } from "./unmount-under.js";

/** The kubelet's runtime port on a real runtime in this process, for kubelet-layer tests. */
export interface TestKubeletRuntime {
  base: ReturnType<typeof tempDir>;
  network: TestNetwork;
  runtime: KubeletRuntime;
  cgroupParent: string;
  /** Removes every pod, the network, the cgroups, mounts and files. */
  remove(): Promise<void>;
}

/**
 * A temp root with busybox:latest imported, a test bridge network, its own cgroup parent and
 * no registry (a pull fails as Unavailable).
 */
export async function openTestKubeletRuntime(name: string): Promise<TestKubeletRuntime> {
  const base = tempDir(name);
  const cgroupParent = `/berth-test-${process.pid}-${randomBytes(3).toString("hex")}`;
  let network: TestNetwork | undefined;
  let runtime: KubeletRuntime | undefined;
  const remove = async () => {
    if (runtime) {
      for (const s of (await runtime.listPodSandbox({})).items) {
        await runtime.removePodSandbox({ pod_sandbox_id: s.id });
      }
    }
    await network?.remove();
    removeCgroupEverywhere(cgroupParent);
    await unmountUnder(base.path);
    base.remove();
  };
  try {
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
    return { base, network, runtime, cgroupParent, remove };
  } catch (err) {
    await remove();
    throw err;
  }
}
