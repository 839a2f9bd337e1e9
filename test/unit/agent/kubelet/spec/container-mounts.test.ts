import { expect } from "chai";
import type { Container, VolumeMount } from "../../../../../agent/kube/types.js";
import {
  containerMounts,
  type VolumeHostMount,
} from "../../../../../agent/kubelet/spec/container-mounts.js";
import { isBerthError } from "../../../../../lib/errors.js";
import { makePod } from "./pod-fixture.js";

const volumes = new Map<string, VolumeHostMount>([
  ["data", { hostPath: "/var/lib/berth/pods/uid-1/volumes/empty-dir/data" }],
  ["cfg", { hostPath: "/var/lib/berth/pods/uid-1/volumes/configmap/cfg", readOnly: true }],
]);

function mountsFor(volumeMounts: VolumeMount[], extra: Partial<Container> = {}, more = {}) {
  const container: Container = { name: "app", image: "busybox", volumeMounts, ...extra };
  const pod = makePod({ containers: [container] });
  return containerMounts({
    pod,
    container,
    volumes,
    env: new Map([
      ["POD", "web"],
      ["EMPTY", ""],
    ]),
    ...more,
  });
}

function rejection(fn: () => unknown): Error & { field?: string } {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected an error");
}

describe("agent/kubelet/spec container mounts", () => {
  it("mounts each volume's host path at its mountPath, private and writable by default", () => {
    const { mounts, subPaths } = mountsFor([{ name: "data", mountPath: "/data" }]);
    expect(mounts).to.deep.equal([
      {
        container_path: "/data",
        host_path: "/var/lib/berth/pods/uid-1/volumes/empty-dir/data",
        readonly: false,
        selinux_relabel: false,
        propagation: "PROPAGATION_PRIVATE",
      },
    ]);
    expect(subPaths).to.deep.equal([]);
  });

  it("mounts read-only when the mount asks or the volume is read-only", () => {
    const { mounts } = mountsFor([
      { name: "data", mountPath: "/ro", readOnly: true },
      { name: "cfg", mountPath: "/etc/app" },
    ]);
    expect(mounts.map((m) => m.readonly)).to.deep.equal([true, true]);
  });

  it("maps mountPropagation None/HostToContainer/Bidirectional to the CRI's", () => {
    const { mounts } = mountsFor(
      [
        { name: "data", mountPath: "/a", mountPropagation: "None" },
        { name: "data", mountPath: "/b", mountPropagation: "HostToContainer" },
        { name: "data", mountPath: "/c", mountPropagation: "Bidirectional" },
      ],
      { securityContext: { privileged: true } },
    );
    expect(mounts.map((m) => m.propagation)).to.deep.equal([
      "PROPAGATION_PRIVATE",
      "PROPAGATION_HOST_TO_CONTAINER",
      "PROPAGATION_BIDIRECTIONAL",
    ]);
  });

  it("allows Bidirectional propagation only to privileged containers", () => {
    const err = rejection(() =>
      mountsFor([{ name: "data", mountPath: "/c", mountPropagation: "Bidirectional" }]),
    );
    expect(err.message).to.contain("only to privileged containers");
    expect(err.field).to.equal("spec.containers[0].volumeMounts[0].mountPropagation");
  });

  it("mounts a subPath inside the volume and lists it for the caller to create", () => {
    const { mounts, subPaths } = mountsFor([
      { name: "data", mountPath: "/logs", subPath: "app/logs" },
    ]);
    expect(mounts[0].host_path).to.equal(
      "/var/lib/berth/pods/uid-1/volumes/empty-dir/data/app/logs",
    );
    expect(subPaths).to.deep.equal([
      {
        volumeName: "data",
        volumeHostPath: "/var/lib/berth/pods/uid-1/volumes/empty-dir/data",
        subPath: "app/logs",
        hostPath: "/var/lib/berth/pods/uid-1/volumes/empty-dir/data/app/logs",
      },
    ]);
  });

  it("expands subPathExpr from the container's env, failing on a missing or empty variable", () => {
    const { mounts } = mountsFor([
      { name: "data", mountPath: "/logs", subPathExpr: "logs/$(POD)" },
    ]);
    expect(mounts[0].host_path).to.match(/\/data\/logs\/web$/);
    const err = rejection(() =>
      mountsFor([{ name: "data", mountPath: "/x", subPathExpr: "$(NOPE)/$(EMPTY)" }]),
    );
    expect(err.message).to.equal("missing value for EMPTY, NOPE");
    expect(err.field).to.equal("spec.containers[0].volumeMounts[0].subPathExpr");
  });

  it("rejects an absolute subPath and one that climbs out with ..", () => {
    expect(
      rejection(() => mountsFor([{ name: "data", mountPath: "/x", subPath: "/etc" }])).message,
    ).to.equal("error SubPath `/etc` must not be an absolute path");
    const climb = rejection(() =>
      mountsFor([{ name: "data", mountPath: "/x", subPath: "a/../../etc" }]),
    );
    expect(climb.message).to.equal(
      "unable to provision SubPath `a/../../etc`: must not contain '..'",
    );
  });

  it("fails on a mount of a volume the pod does not have", () => {
    const err = rejection(() => mountsFor([{ name: "ghost", mountPath: "/g" }]));
    expect(isBerthError(err, "NotFound")).to.equal(true);
    expect(err.message).to.equal('cannot find volume "ghost" to mount into container "app"');
  });

  it("adds /etc/hosts and the termination log at the default /dev/termination-log", () => {
    const { mounts } = mountsFor(
      [],
      {},
      { etcHostsHostPath: "/run/pod/etc-hosts", terminationLogHostPath: "/run/pod/app/1a2b" },
    );
    expect(mounts).to.deep.equal([
      { container_path: "/etc/hosts", host_path: "/run/pod/etc-hosts", readonly: false },
      { container_path: "/dev/termination-log", host_path: "/run/pod/app/1a2b" },
    ]);
  });

  it("mounts the termination log at terminationMessagePath, and skips /etc/hosts the container mounts itself", () => {
    const { mounts } = mountsFor(
      [{ name: "cfg", mountPath: "/etc/hosts", subPath: "hosts" }],
      { terminationMessagePath: "/tmp/done" },
      { etcHostsHostPath: "/run/pod/etc-hosts", terminationLogHostPath: "/run/pod/app/1a2b" },
    );
    expect(mounts.map((m) => m.container_path)).to.deep.equal(["/etc/hosts", "/tmp/done"]);
    expect(mounts[0].host_path).to.match(/configmap\/cfg\/hosts$/);
  });
});
