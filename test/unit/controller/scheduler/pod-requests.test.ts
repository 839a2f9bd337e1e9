import { expect } from "chai";
import { podRequests } from "../../../../controller/scheduler/algorithm/index.js";
import { container } from "./fixtures.js";

const mi = 1024 * 1024;

describe("controller/scheduler effective pod requests", () => {
  it("sums the containers, which run together", () => {
    const r = podRequests({
      containers: [container("a", { cpu: "250m", memory: "64Mi" }), container("b", { cpu: "1" })],
    });
    expect(r.cpuMilli).to.equal(1250);
    expect(r.memoryBytes).to.equal(64 * mi);
  });

  it("takes the largest init container when it exceeds the containers' sum", () => {
    const r = podRequests({
      containers: [container("a", { cpu: "200m", memory: "100Mi" })],
      initContainers: [
        container("i1", { cpu: "1", memory: "10Mi" }),
        container("i2", { cpu: "100m", memory: "300Mi" }),
      ],
    });
    expect(r.cpuMilli).to.equal(1000);
    expect(r.memoryBytes).to.equal(300 * mi);
  });

  it("adds sidecars (restartPolicy Always) to the sum and to every later init container", () => {
    const r = podRequests({
      containers: [container("app", { cpu: "500m" })],
      initContainers: [
        container("sidecar", { cpu: "300m" }, { restartPolicy: "Always" }),
        container("migrate", { cpu: "600m" }),
      ],
    });
    // running: app + sidecar = 800m; while migrate runs: sidecar + migrate = 900m
    expect(r.cpuMilli).to.equal(900);
    const small = podRequests({
      containers: [container("app", { cpu: "500m" })],
      initContainers: [
        container("sidecar", { cpu: "300m" }, { restartPolicy: "Always" }),
        container("migrate", { cpu: "100m" }),
      ],
    });
    expect(small.cpuMilli).to.equal(800);
  });

  it("adds spec.overhead on top", () => {
    const r = podRequests({
      containers: [container("a", { cpu: "100m", memory: "10Mi" })],
      overhead: { cpu: "250m", memory: "120Mi" },
    });
    expect(r.cpuMilli).to.equal(350);
    expect(r.memoryBytes).to.equal(130 * mi);
  });

  it("uses a limit as the request when only the limit is set", () => {
    const r = podRequests({
      containers: [
        { name: "a", resources: { limits: { cpu: "2", memory: "1Gi" }, requests: { cpu: "1" } } },
      ],
    });
    expect(r.cpuMilli).to.equal(1000);
    expect(r.memoryBytes).to.equal(1024 * mi);
  });

  it("counts extended resources and ignores unknown unprefixed names", () => {
    const r = podRequests({
      containers: [container("a", { "example.com/gpu": "2", "hugepages-2Mi": "4Mi", bogus: "7" })],
    });
    expect(Object.fromEntries(r.scalar)).to.deep.equal({
      "example.com/gpu": 2,
      "hugepages-2Mi": 4 * mi,
    });
  });

  it("scores containers without requests as 100m and 200Mi, but requests nothing for them", () => {
    const r = podRequests({
      containers: [{ name: "a" }, container("b", { cpu: "50m", memory: "0" })],
    });
    expect([r.cpuMilli, r.memoryBytes]).to.deep.equal([50, 0]);
    expect([r.nonZeroCpuMilli, r.nonZeroMemoryBytes]).to.deep.equal([150, 200 * mi]);
  });

  it("rounds up to whole millicores and bytes", () => {
    const r = podRequests({ containers: [container("a", { cpu: "0.0001", memory: "1.5" })] });
    expect([r.cpuMilli, r.memoryBytes]).to.deep.equal([1, 2]);
  });

  it("names the field of a bad quantity", () => {
    expect(() =>
      podRequests({ containers: [container("a", {}), container("b", { memory: "lots" })] }),
    ).to.throw(/spec\.containers\[1\]\.resources\.requests\.memory: quantities must match/);
    expect(() =>
      podRequests({ containers: [{ name: "a", resources: { limits: { cpu: "-1" } } }] }),
    ).to.throw(/spec\.containers\[0\]\.resources\.limits\.cpu: must be greater than or equal to 0/);
  });
});
