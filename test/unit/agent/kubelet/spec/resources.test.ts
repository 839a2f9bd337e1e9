import { expect } from "chai";
import {
  containerLinuxResources,
  milliCpuToQuota,
  milliCpuToShares,
  sandboxLinuxResources,
} from "../../../../../agent/kubelet/spec/resources.js";
import { makePod, withResources } from "./pod-fixture.js";

const gi = 1024n ** 3n;

describe("agent/kubelet/spec cpu shares and quota", () => {
  it("gives 1024 shares per cpu of request", () => {
    expect(milliCpuToShares(1000n)).to.equal(1024n);
    expect(milliCpuToShares(250n)).to.equal(256n);
    expect(milliCpuToShares(1500n)).to.equal(1536n);
  });

  it("never gives fewer than 2 shares (the kernel's minimum), even for no request", () => {
    expect(milliCpuToShares(0n)).to.equal(2n);
    expect(milliCpuToShares(1n)).to.equal(2n);
  });

  it("caps shares at 262144", () => {
    expect(milliCpuToShares(1_000_000n)).to.equal(262_144n);
  });

  it("turns a cpu limit into a quota per 100 ms period, at least 1 ms", () => {
    expect(milliCpuToQuota(500n)).to.equal(50_000n);
    expect(milliCpuToQuota(2000n)).to.equal(200_000n);
    expect(milliCpuToQuota(5n)).to.equal(1000n);
  });

  it("leaves the quota unlimited (0) without a cpu limit", () => {
    expect(milliCpuToQuota(0n)).to.equal(0n);
  });
});

describe("agent/kubelet/spec container linux resources", () => {
  it("maps requests.cpu to shares, limits.cpu to quota, limits.memory to bytes", () => {
    const pod = makePod({
      containers: [
        withResources("app", { cpu: "250m", memory: "64Mi" }, { cpu: "500m", memory: "128Mi" }),
      ],
    });
    expect(containerLinuxResources(pod, pod.spec!.containers[0], 8n * gi)).to.deep.equal({
      cpu_period: "100000",
      cpu_quota: "50000",
      cpu_shares: "256",
      memory_limit_in_bytes: String(128 * 1024 * 1024),
      oom_score_adj: String(1000 - Math.floor((1000 * 64) / (8 * 1024))),
    });
  });

  it("takes shares from the cpu limit when no cpu request was given", () => {
    const pod = makePod({
      containers: [withResources("app", undefined, { cpu: "2", memory: "1Gi" })],
    });
    const r = containerLinuxResources(pod, pod.spec!.containers[0], 8n * gi);
    expect(r.cpu_shares).to.equal("2048");
    expect(r.oom_score_adj).to.equal("-997");
  });

  it("sets no memory limit, no quota and 2 shares for a container without resources", () => {
    const pod = makePod();
    expect(containerLinuxResources(pod, pod.spec!.containers[0], 8n * gi)).to.deep.equal({
      cpu_period: "100000",
      cpu_quota: "0",
      cpu_shares: "2",
      memory_limit_in_bytes: "0",
      oom_score_adj: "1000",
    });
  });

  it("asks for memory.oom.group on cgroup v2", () => {
    const pod = makePod();
    const r = containerLinuxResources(pod, pod.spec!.containers[0], gi, { cgroupV2: true });
    expect(r.unified).to.deep.equal({ "memory.oom.group": "1" });
  });

  it("reports a bad quantity naming the container's field", () => {
    const pod = makePod({ containers: [withResources("app", undefined, { memory: "lots" })] });
    expect(() => containerLinuxResources(pod, pod.spec!.containers[0], gi)).to.throw(
      /spec\.containers\[0\]\.resources\.limits\.memory/,
    );
  });
});

describe("agent/kubelet/spec sandbox linux resources", () => {
  it("sums the app containers' requests and limits", () => {
    const pod = makePod({
      containers: [
        withResources("a", { cpu: "250m" }, { cpu: "500m", memory: "128Mi" }),
        withResources("b", { cpu: "250m" }, { cpu: "500m", memory: "128Mi" }),
      ],
    });
    const { resources } = sandboxLinuxResources(pod);
    expect(resources).to.deep.equal({
      cpu_period: "100000",
      cpu_quota: "100000",
      cpu_shares: "512",
      memory_limit_in_bytes: String(256 * 1024 * 1024),
    });
  });

  it("uses the largest init container when it needs more than the app containers together", () => {
    const pod = makePod({
      containers: [withResources("a", { cpu: "100m" }, { memory: "64Mi" })],
      initContainers: [withResources("migrate", { cpu: "2" }, { memory: "1Gi" })],
    });
    const { resources } = sandboxLinuxResources(pod);
    expect(resources.cpu_shares).to.equal("2048");
    expect(resources.memory_limit_in_bytes).to.equal(String(gi));
  });

  it("adds sidecars to the app containers and to every init step after them", () => {
    const pod = makePod({
      containers: [withResources("a", { cpu: "500m" })],
      initContainers: [
        withResources("proxy", { cpu: "200m" }, undefined, { restartPolicy: "Always" }),
        withResources("migrate", { cpu: "600m" }),
      ],
    });
    // app + sidecar = 700m; migrate runs beside the sidecar: 800m, the larger.
    expect(sandboxLinuxResources(pod).resources.cpu_shares).to.equal(
      String(((800 * 1024) / 1000) | 0),
    );
  });

  it("treats spec.overhead as both request and limit", () => {
    const pod = makePod({ overhead: { cpu: "250m", memory: "120Mi" } });
    expect(sandboxLinuxResources(pod).overhead).to.deep.equal({
      cpu_period: "100000",
      cpu_quota: "25000",
      cpu_shares: "256",
      memory_limit_in_bytes: String(120 * 1024 * 1024),
    });
  });

  it("leaves overhead empty when the pod has none", () => {
    expect(sandboxLinuxResources(makePod()).overhead).to.deep.equal({});
  });
});
