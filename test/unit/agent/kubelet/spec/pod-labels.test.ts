import { expect } from "chai";
import type { Container } from "../../../../../agent/kube/types.js";
import { containerHash } from "../../../../../agent/kubelet/spec/container-hash.js";
import {
  containerAnnotations,
  containerLabels,
  sandboxAnnotations,
  sandboxLabels,
} from "../../../../../agent/kubelet/spec/pod-labels.js";
import {
  containerIdentity,
  sandboxIdentity,
} from "../../../../../agent/kubelet/spec/runtime-identity.js";
import { makePod } from "./pod-fixture.js";

const app: Container = {
  name: "app",
  image: "busybox:1.36",
  command: ["sh"],
  ports: [{ containerPort: 80, protocol: "TCP" }],
  lifecycle: { preStop: { exec: { command: ["sleep", "5"] } } },
};
const pod = makePod(
  {
    containers: [app],
    initContainers: [{ name: "init", image: "busybox" }],
    terminationGracePeriodSeconds: 45,
  },
  { labels: { app: "web", "io.kubernetes.pod.name": "spoof" }, annotations: { note: "x" } },
);

describe("agent/kubelet/spec CRI labels and annotations", () => {
  it("labels a sandbox with the pod's labels plus its name, namespace and uid (which win)", () => {
    expect(sandboxLabels(pod)).to.deep.equal({
      app: "web",
      "io.kubernetes.pod.name": "web",
      "io.kubernetes.pod.namespace": "default",
      "io.kubernetes.pod.uid": "uid-1",
    });
    expect(sandboxAnnotations(pod)).to.deep.equal({ note: "x" });
  });

  it("labels a container with the pod identity and the container name only", () => {
    expect(containerLabels(pod, app)).to.deep.equal({
      "io.kubernetes.pod.name": "web",
      "io.kubernetes.pod.namespace": "default",
      "io.kubernetes.pod.uid": "uid-1",
      "io.kubernetes.container.name": "app",
    });
  });

  it("annotates a container with hash, restart count, termination settings, grace, preStop, ports and type", () => {
    expect(containerAnnotations(pod, app, 3)).to.deep.equal({
      "io.kubernetes.container.hash": containerHash(app),
      "io.kubernetes.container.restartCount": "3",
      "io.kubernetes.container.terminationMessagePath": "/dev/termination-log",
      "io.kubernetes.container.terminationMessagePolicy": "File",
      "io.kubernetes.pod.terminationGracePeriod": "45",
      "io.kubernetes.container.preStopHandler": '{"exec":{"command":["sleep","5"]}}',
      "io.kubernetes.container.ports": '[{"containerPort":80,"protocol":"TCP"}]',
      "io.kubernetes.container.type": "container",
    });
    expect(
      containerAnnotations(pod, pod.spec!.initContainers![0], 0)["io.kubernetes.container.type"],
    ).to.equal("init");
  });

  it("records the deletion grace period of a pod being deleted", () => {
    const deleting = { ...pod, metadata: { ...pod.metadata, deletionGracePeriodSeconds: 10 } };
    expect(
      containerAnnotations(deleting, app, 0)["io.kubernetes.pod.deletionGracePeriod"],
    ).to.equal("10");
  });
});

describe("agent/kubelet/spec container hash", () => {
  it("is stable across key order and absent fields", () => {
    const reordered = {
      command: ["sh"],
      image: "busybox:1.36",
      name: "app",
      args: undefined,
    } as Container;
    expect(containerHash(reordered)).to.equal(
      containerHash({ name: "app", image: "busybox:1.36", command: ["sh"] }),
    );
    expect(containerHash(app)).to.match(/^[0-9a-f]{1,8}$/);
  });

  it("changes when a field that needs a new container changes (image, command, env)", () => {
    const base = containerHash(app);
    expect(containerHash({ ...app, image: "busybox:1.37" })).not.to.equal(base);
    expect(containerHash({ ...app, command: ["bash"] })).not.to.equal(base);
    expect(containerHash({ ...app, env: [{ name: "A", value: "1" }] })).not.to.equal(base);
  });

  it("ignores resources, which can change without a new container", () => {
    expect(containerHash({ ...app, resources: { limits: { cpu: "2" } } })).to.equal(
      containerHash(app),
    );
  });
});

describe("agent/kubelet/spec reading runtime objects back", () => {
  it("reads a sandbox's pod identity and attempt", () => {
    const entry = {
      labels: sandboxLabels(pod),
      metadata: { name: "web", namespace: "default", uid: "uid-1", attempt: 2 },
    };
    expect(sandboxIdentity(entry)).to.deep.equal({
      podName: "web",
      podNamespace: "default",
      podUid: "uid-1",
      attempt: 2,
    });
  });

  it("reads back everything a container was given", () => {
    const entry = {
      labels: containerLabels(pod, app),
      annotations: containerAnnotations(pod, app, 4),
      metadata: { name: "app", attempt: 4 },
    };
    expect(containerIdentity(entry)).to.deep.equal({
      podName: "web",
      podNamespace: "default",
      podUid: "uid-1",
      containerName: "app",
      restartCount: 4,
      hash: containerHash(app),
      terminationMessagePath: "/dev/termination-log",
      terminationMessagePolicy: "File",
      containerType: "container",
      terminationGracePeriodSeconds: 45,
      preStop: { exec: { command: ["sleep", "5"] } },
      ports: [{ containerPort: 80, protocol: "TCP" }],
    });
  });

  it("ignores objects without a pod uid label (not the kubelet's)", () => {
    expect(sandboxIdentity({ labels: { app: "x" } })).to.equal(undefined);
    expect(containerIdentity({ labels: {}, annotations: null, metadata: { name: "c" } })).to.equal(
      undefined,
    );
  });

  it("falls back to the CRI attempt for an unreadable restart count and drops unreadable JSON", () => {
    const entry = {
      labels: containerLabels(pod, app),
      annotations: {
        "io.kubernetes.container.restartCount": "many",
        "io.kubernetes.container.preStopHandler": "{broken",
      },
      metadata: { name: "app", attempt: 7 },
    };
    const id = containerIdentity(entry)!;
    expect(id.restartCount).to.equal(7);
    expect(id).not.to.have.property("preStop");
    expect(id.hash).to.equal("");
  });
});
