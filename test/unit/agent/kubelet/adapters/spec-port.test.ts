import { expect } from "chai";
import { promises as fs } from "node:fs";
import path from "node:path";
import { createSpecPort } from "../../../../../agent/kubelet/adapters/spec-port.js";
import { containerHash } from "../../../../../agent/kubelet/spec/container-hash.js";
import type { ConfigMap, Pod } from "../../../../../agent/kube/types.js";
import { podFiles } from "../../../../../agent/kubelet/volumes/pod-paths.js";
import type { SpecPort } from "../../../../../agent/kubelet/sync/sync-ports.js";
import { tempDir } from "../../../../support/temp-dir.js";

const uid = "3f1c0e4a-uid";

function pod(): Pod {
  return {
    metadata: { name: "web", namespace: "shop", uid, labels: { app: "web" } },
    spec: {
      terminationGracePeriodSeconds: 12,
      volumes: [{ name: "data", emptyDir: {} }],
      containers: [
        {
          name: "app",
          image: "busybox:1.36",
          command: ["/bin/sh", "-c", "echo $(MODE)"],
          env: [
            { name: "MODE", valueFrom: { configMapKeyRef: { name: "settings", key: "mode" } } },
            { name: "NODE", valueFrom: { fieldRef: { fieldPath: "status.hostIP" } } },
          ],
          volumeMounts: [{ name: "data", mountPath: "/srv/cache", subPath: "cache/v1" }],
        },
      ],
    },
  };
}

describe("kubelet adapters: the spec port", () => {
  let dir: ReturnType<typeof tempDir>;
  let spec: SpecPort;
  let dataDir: string;
  const configMaps = new Map<string, ConfigMap>([["shop/settings", { data: { mode: "fast" } }]]);

  beforeEach(async () => {
    dir = tempDir("spec-port");
    const podsRoot = path.join(dir.path, "pods");
    dataDir = path.join(podsRoot, uid, "volumes", "kubernetes.io~empty-dir", "data");
    await fs.mkdir(dataDir, { recursive: true });
    spec = createSpecPort({
      podFiles: (id) => podFiles(podsRoot, id),
      sources: {
        configMap: async (ns, name) => configMaps.get(`${ns}/${name}`),
        secret: async () => undefined,
      },
      node: () => ({
        allocatable: { cpu: "2", memory: "4Gi" },
        memoryCapacityBytes: 4n << 30n,
        hostIPs: ["192.168.7.2"],
      }),
      podLogsRoot: path.join(dir.path, "logs"),
      clusterDns: ["10.96.0.10"],
      clusterDomain: "cluster.local",
      hostDns: { servers: ["1.1.1.1"], searches: ["corp.example"], options: [] },
      nodeHosts: async () => "127.0.0.1 localhost\n",
    });
  });

  afterEach(() => dir.remove());

  const input = (restartCount = 0) => ({
    restartCount,
    imageRef: "sha256:abc",
    imageUser: "",
    podIPs: ["10.244.3.7"],
    volumes: new Map([["data", { hostPath: dataDir }]]),
  });

  it("makes the sandbox config with the pod's labels, log directory and cluster DNS", async () => {
    const { config } = await spec.sandboxConfig(pod(), 2);
    expect(config.metadata).to.deep.include({ name: "web", namespace: "shop", uid, attempt: 2 });
    expect(config.log_directory).to.equal(path.join(dir.path, "logs", `shop_web_${uid}`));
    expect(config.labels).to.include({ app: "web", "io.kubernetes.pod.uid": uid });
    expect(config.dns_config?.servers).to.deep.equal(["10.96.0.10"]);
    expect(config.dns_config?.searches).to.include.members([
      "shop.svc.cluster.local",
      "corp.example",
    ]);
  });

  it("makes the container config with env from the ConfigMap and the node's IP", async () => {
    const { config } = await spec.containerConfig(pod(), pod().spec!.containers[0], input());
    const env = Object.fromEntries(
      (config.envs ?? []).map((e) => [e.key, Buffer.from(e.value as Uint8Array).toString()]),
    );
    expect(env).to.include({ MODE: "fast", NODE: "192.168.7.2" });
    expect(config.image?.image).to.equal("sha256:abc");
  });

  it("writes the pod's /etc/hosts with its IP and mounts it", async () => {
    const { config } = await spec.containerConfig(pod(), pod().spec!.containers[0], input());
    const hosts = config.mounts!.find((m) => m.container_path === "/etc/hosts");
    expect(hosts?.host_path).to.equal(path.join(dir.path, "pods", uid, "etc-hosts"));
    expect(await fs.readFile(hosts!.host_path!, "utf8")).to.contain("10.244.3.7\tweb\n");
  });

  it("gives a host-network pod the node's IPs and the node's hosts file", async () => {
    const p = pod();
    p.spec!.hostNetwork = true;
    p.spec!.containers[0].env!.push({
      name: "MY_IP",
      valueFrom: { fieldRef: { fieldPath: "status.podIP" } },
    });
    const { config } = await spec.containerConfig(p, p.spec!.containers[0], {
      ...input(),
      podIPs: [],
    });
    const env = (config.envs ?? []).find((e) => e.key === "MY_IP");
    expect(Buffer.from(env!.value as Uint8Array).toString()).to.equal("192.168.7.2");
    const hosts = config.mounts!.find((m) => m.container_path === "/etc/hosts")!.host_path!;
    expect(await fs.readFile(hosts, "utf8")).to.contain("127.0.0.1 localhost\n");
  });

  it("gives each container instance its own empty termination-message file", async () => {
    const c = pod().spec!.containers[0];
    const first = (await spec.containerConfig(pod(), c, input(0))).config;
    const file = first.mounts!.find((m) => m.container_path === "/dev/termination-log")!.host_path!;
    await fs.writeFile(file, "old message");
    const second = (await spec.containerConfig(pod(), c, input(1))).config;
    const next = second.mounts!.find(
      (m) => m.container_path === "/dev/termination-log",
    )!.host_path!;
    expect(next).to.not.equal(file);
    expect(await fs.readFile(next, "utf8")).to.equal("");
    expect((await fs.stat(next)).mode & 0o777).to.equal(0o666);
  });

  it("creates a subPath inside its volume and mounts the resolved directory", async () => {
    const { config } = await spec.containerConfig(pod(), pod().spec!.containers[0], input());
    const mount = config.mounts!.find((m) => m.container_path === "/srv/cache");
    expect(mount?.host_path).to.equal(await fs.realpath(path.join(dataDir, "cache", "v1")));
    expect((await fs.stat(mount!.host_path!)).isDirectory()).to.equal(true);
  });

  it("refuses a subPath that a symlink in the volume points outside it", async () => {
    await fs.symlink("/etc", path.join(dataDir, "cache"));
    let failure: Error | undefined;
    await spec
      .containerConfig(pod(), pod().spec!.containers[0], input())
      .catch((err: Error) => (failure = err));
    expect(failure?.message).to.match(/resolves outside its volume/);
    expect(failure).to.have.property("field", "spec.containers[0].volumeMounts[0].subPath");
  });

  it("fails with a message naming what is missing when a ConfigMap does not exist", async () => {
    const p = pod();
    p.spec!.containers[0].env![0].valueFrom!.configMapKeyRef!.name = "absent";
    let failure: Error | undefined;
    await spec.containerConfig(p, p.spec!.containers[0], input()).catch((e) => (failure = e));
    expect(failure?.message).to.match(/configmap "absent" not found/);
  });

  it("reads back from a container's labels the hash the same spec computes (adoption)", async () => {
    const original = pod();
    const { config } = await spec.containerConfig(original, original.spec!.containers[0], input(3));
    // The same pod as the API answers it after a restart: a fresh JSON copy.
    const again = JSON.parse(JSON.stringify(original)) as Pod;
    const labels = spec.containerLabels(config);
    expect(labels).to.deep.include({
      podUid: uid,
      podName: "web",
      podNamespace: "shop",
      containerName: "app",
      restartCount: 3,
      terminationGracePeriodSeconds: 12,
    });
    expect(labels!.hash).to.equal(spec.containerHash(again.spec!.containers[0]));
    expect(labels!.hash).to.equal(containerHash(again.spec!.containers[0]));
  });

  it("reads a sandbox's pod back from its labels; answers undefined for a foreign one", async () => {
    const { config } = await spec.sandboxConfig(pod(), 1);
    expect(spec.sandboxLabels(config)).to.deep.equal({
      podUid: uid,
      podName: "web",
      podNamespace: "shop",
      attempt: 1,
    });
    expect(spec.sandboxLabels({ labels: { app: "x" } })).to.equal(undefined);
  });

  it("defaults the pull policy as Kubernetes does and computes the QoS class", () => {
    expect(spec.pullPolicy({ name: "a", image: "busybox" })).to.equal("Always");
    expect(spec.pullPolicy({ name: "a", image: "busybox:1.36" })).to.equal("IfNotPresent");
    expect(spec.qosClass(pod())).to.equal("BestEffort");
  });
});
