import { expect } from "chai";
import {
  memoryVolumeSize,
  podMemoryLimit,
} from "../../../../../agent/kubelet/volumes/memory-volume-size.js";
import type { Container, Pod } from "../../../../../agent/kube/types.js";

const Mi = 1024 * 1024;
const c = (name: string, memory?: string, extra: Partial<Container> = {}): Container => ({
  name,
  ...extra,
  resources: memory ? { limits: { memory } } : undefined,
});
const pod = (containers: Container[], initContainers: Container[] = []): Pod => ({
  spec: { containers, initContainers },
});

describe("memory-backed volume size", () => {
  it("reads sizes as Kubernetes quantities in whole bytes, rounding up", () => {
    const unlimited = pod([c("a")]);
    const size = (limit: string) => memoryVolumeSize(unlimited, limit, undefined, "f");
    expect(["64Mi", "1G", "1.5Ki", "1e3", "1500m"].map(size)).to.deep.equal([
      64 * Mi,
      1e9,
      1536,
      1000,
      2,
    ]);
    expect(() =>
      memoryVolumeSize(unlimited, "12 bytes", undefined, "spec.volumes[0].emptyDir"),
    ).to.throw(/spec\.volumes\[0\]\.emptyDir\.sizeLimit: quantity "12 bytes" is not valid/);
  });

  it("adds up container limits, takes a larger init container, and adds overhead", () => {
    expect(podMemoryLimit(pod([c("a", "100Mi"), c("b", "50Mi")]))).to.equal(150 * Mi);
    expect(podMemoryLimit(pod([c("a", "100Mi")], [c("init", "300Mi")]))).to.equal(300 * Mi);
    const withSidecar = pod([c("a", "100Mi")], [c("log", "20Mi", { restartPolicy: "Always" })]);
    expect(podMemoryLimit(withSidecar)).to.equal(120 * Mi);
    const withOverhead: Pod = {
      spec: { containers: [c("a", "100Mi")], overhead: { memory: "10Mi" } },
    };
    expect(podMemoryLimit(withOverhead)).to.equal(110 * Mi);
    expect(podMemoryLimit(pod([c("a", "100Mi"), c("b")]))).to.equal(undefined);
  });

  it("caps at node allocatable, then the pod limit, then sizeLimit, whichever is smallest", () => {
    const unlimited = pod([c("a")]);
    const limited = pod([c("a", "256Mi")]);
    expect(memoryVolumeSize(unlimited, undefined, 8192 * Mi, "f")).to.equal(8192 * Mi);
    expect(memoryVolumeSize(limited, undefined, 8192 * Mi, "f")).to.equal(256 * Mi);
    expect(memoryVolumeSize(limited, "64Mi", 8192 * Mi, "f")).to.equal(64 * Mi);
    expect(memoryVolumeSize(limited, "1Gi", 8192 * Mi, "f")).to.equal(256 * Mi);
    expect(memoryVolumeSize(unlimited, "0", 8192 * Mi, "f")).to.equal(8192 * Mi);
    expect(memoryVolumeSize(unlimited, "1Gi", undefined, "f")).to.equal(1024 * Mi);
    expect(memoryVolumeSize(unlimited, undefined, undefined, "f")).to.equal(undefined);
  });
});
