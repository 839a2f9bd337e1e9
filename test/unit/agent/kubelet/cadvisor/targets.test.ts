import { expect } from "chai";
import { scrapeTargets } from "../../../../../agent/kubelet/cadvisor/targets.js";
import { container, sandbox } from "./records.js";

const imageNames = new Map([["sha256:bb", "docker.io/library/busybox:latest"]]);
const blank = { container: "", image: "", name: "", namespace: "", pod: "" };

describe("cadvisor scrape targets", () => {
  it("reads the root, each ready pod's cgroup and each running container's, labelled as the kubelet does", () => {
    const targets = scrapeTargets({
      sandboxes: [sandbox("p1"), sandbox("p2", { state: "notready" })],
      containers: [
        container("c1", "p1", { pid: 41 }),
        container("c2", "p1", { state: "exited", pid: undefined }),
      ],
      imageNames,
      bootTimeSeconds: 1600000000,
    });
    expect(targets).to.deep.equal([
      { cgroup: "/", labels: { ...blank, id: "/" }, startTimeSeconds: 1600000000 },
      {
        cgroup: "/berth/p1",
        labels: { ...blank, id: "/berth/p1", namespace: "ns", pod: "pod-p1" },
        startTimeSeconds: 1700000000,
        netnsPid: 41,
      },
      {
        cgroup: "/berth/p1/c1",
        labels: {
          container: "ctr-c1",
          id: "/berth/p1/c1",
          image: "docker.io/library/busybox:latest",
          name: "c1",
          namespace: "ns",
          pod: "pod-p1",
        },
        startTimeSeconds: 1700000001.5,
        containerId: "c1",
      },
    ]);
  });

  it("prefers the kubelet's CRI labels, falls back to the image ref, and skips the host network", () => {
    const targets = scrapeTargets({
      sandboxes: [sandbox("p1", { namespaces: {} })],
      containers: [
        container("c1", "p1", {
          imageId: "sha256:unknown",
          imageRef: "example.com/app:1",
          labels: {
            "io.kubernetes.container.name": "app",
            "io.kubernetes.pod.name": "web-0",
            "io.kubernetes.pod.namespace": "prod",
          },
        }),
      ],
      imageNames,
      bootTimeSeconds: 0,
    });
    expect(targets[1].netnsPid, "a host-network pod's counters are the host's").to.equal(undefined);
    expect(targets[2].labels).to.include({
      container: "app",
      pod: "web-0",
      namespace: "prod",
      image: "example.com/app:1",
    });
  });

  it("reports a cgroup shared by two sandboxes once", () => {
    const shared = { cgroup: "/kubepods/shared" };
    const targets = scrapeTargets({
      sandboxes: [sandbox("p1", shared), sandbox("p2", shared)],
      containers: [],
      imageNames,
      bootTimeSeconds: 0,
    });
    expect(targets.map((t) => t.cgroup)).to.deep.equal(["/", "/kubepods/shared"]);
  });
});
