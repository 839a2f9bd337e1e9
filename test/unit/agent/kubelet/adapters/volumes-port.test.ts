import { expect } from "chai";
import { promises as fs } from "node:fs";
import path from "node:path";
import {
  allocatableMemoryBytes,
  createNodePodVolumes,
  createVolumesPort,
} from "../../../../../agent/kubelet/adapters/volumes-port.js";
import type { Pod } from "../../../../../agent/kube/types.js";
import { silentLogger } from "../../../../../lib/logger.js";
import { tempDir } from "../../../../support/temp-dir.js";

const pod: Pod = {
  metadata: { name: "web", namespace: "shop", uid: "uid-7", labels: { tier: "front" } },
  spec: {
    containers: [{ name: "app", image: "busybox", resources: { requests: { memory: "64Mi" } } }],
    volumes: [
      {
        name: "info",
        downwardAPI: {
          items: [
            { path: "labels", fieldRef: { fieldPath: "metadata.labels" } },
            {
              path: "mem-limit",
              resourceFieldRef: { containerName: "app", resource: "limits.memory", divisor: "1Mi" },
            },
          ],
        },
      },
      { name: "scratch", emptyDir: {} },
    ],
  },
};

describe("kubelet adapters: the volumes port", () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir("volumes-port")));
  afterEach(() => dir.remove());

  const volumes = () =>
    createNodePodVolumes({
      podsRoot: path.join(dir.path, "pods"),
      lookup: { configMap: async () => undefined, secret: async () => undefined },
      allocatable: () => ({ memory: "2Gi", cpu: "2" }),
      logger: silentLogger(),
    });

  it("sets up a pod's volumes; a limit the container does not set reads as allocatable", async () => {
    const port = createVolumesPort(volumes());
    const set = await port.setUp(pod);
    expect([...set.keys()]).to.deep.equal(["info", "scratch"]);
    expect(set.get("info")?.readOnly).to.equal(true);
    const info = set.get("info")!.hostPath;
    expect(await fs.readFile(path.join(info, "mem-limit"), "utf8")).to.equal("2048");
    expect(await fs.readFile(path.join(info, "labels"), "utf8")).to.equal('tier="front"');
  });

  it("tears a pod's volumes down, removing its dir", async () => {
    const v = volumes();
    const port = createVolumesPort(v);
    await port.setUp(pod);
    expect(await v.listPodDirs()).to.deep.equal(["uid-7"]);
    await port.tearDown("uid-7");
    expect(await v.listPodDirs()).to.deep.equal([]);
  });

  it("reads allocatable memory in bytes, undefined when absent or unreadable", () => {
    expect(allocatableMemoryBytes({ memory: "1Gi" })).to.equal(1 << 30);
    expect(allocatableMemoryBytes({ memory: "3973484Ki" })).to.equal(3973484 * 1024);
    expect(allocatableMemoryBytes({})).to.equal(undefined);
    expect(allocatableMemoryBytes({ memory: "lots" })).to.equal(undefined);
  });
});
