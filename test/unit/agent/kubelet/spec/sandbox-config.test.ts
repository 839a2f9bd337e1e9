import { expect } from "chai";
import {
  podSandboxConfig,
  type SandboxConfigOptions,
} from "../../../../../agent/kubelet/spec/sandbox-config.js";
import { containerLogPath, podLogDirectory } from "../../../../../agent/kubelet/spec/log-paths.js";
import { podPortMappings } from "../../../../../agent/kubelet/spec/port-mappings.js";
import { makePod, withResources } from "./pod-fixture.js";

const options: SandboxConfigOptions = {
  attempt: 1,
  podLogsRoot: "/var/log/pods",
  cgroupParent: "/berth/burstable/poduid-1",
  clusterDns: ["10.96.0.10"],
  clusterDomain: "cluster.local",
  hostDns: { servers: ["192.168.1.1"], searches: [], options: [] },
};

describe("agent/kubelet/spec log paths", () => {
  it("puts a pod's logs in <root>/<namespace>_<name>_<uid> and a container's in <name>/<restarts>.log", () => {
    expect(podLogDirectory("/var/log/pods", "default", "web", "uid-1")).to.equal(
      "/var/log/pods/default_web_uid-1",
    );
    expect(containerLogPath("app", 3)).to.equal("app/3.log");
  });
});

describe("agent/kubelet/spec port mappings", () => {
  it("maps every app container port, with protocol (TCP by default), host port and host IP", () => {
    const pod = makePod({
      containers: [
        {
          name: "a",
          image: "x",
          ports: [
            { containerPort: 80, hostPort: 8080 },
            { containerPort: 53, protocol: "UDP", hostIP: "127.0.0.1", hostPort: 5353 },
          ],
        },
        { name: "b", image: "x", ports: [{ containerPort: 9090 }] },
      ],
    });
    expect(podPortMappings(pod)).to.deep.equal([
      { protocol: "TCP", container_port: 80, host_port: 8080, host_ip: "" },
      { protocol: "UDP", container_port: 53, host_port: 5353, host_ip: "127.0.0.1" },
      { protocol: "TCP", container_port: 9090, host_port: 0, host_ip: "" },
    ]);
  });

  it("counts a port name once within a container", () => {
    const pod = makePod({
      containers: [
        {
          name: "a",
          image: "x",
          ports: [
            { name: "http", containerPort: 80, hostPort: 80 },
            { name: "http", containerPort: 81, hostPort: 81 },
          ],
        },
      ],
    });
    expect(podPortMappings(pod)).to.have.length(1);
  });
});

describe("agent/kubelet/spec pod sandbox config", () => {
  it("builds metadata, hostname, log directory, DNS, labels and the linux config", () => {
    const pod = makePod(
      {
        securityContext: {
          runAsUser: 1000,
          runAsGroup: 3000,
          fsGroup: 2000,
          supplementalGroups: [4000],
          sysctls: [{ name: "net.core.somaxconn", value: "1024" }],
        },
        containers: [
          withResources(
            "app",
            { cpu: "250m" },
            { memory: "64Mi" },
            { ports: [{ containerPort: 80, hostPort: 8080 }] },
          ),
        ],
      },
      { labels: { app: "web" }, annotations: { note: "x" } },
    );
    const { config, events } = podSandboxConfig(pod, options);
    expect(events).to.deep.equal([]);
    expect(config).to.deep.equal({
      metadata: { name: "web", namespace: "default", uid: "uid-1", attempt: 1 },
      hostname: "web",
      log_directory: "/var/log/pods/default_web_uid-1",
      dns_config: {
        servers: ["10.96.0.10"],
        searches: ["default.svc.cluster.local", "svc.cluster.local", "cluster.local"],
        options: ["ndots:5"],
      },
      port_mappings: [{ protocol: "TCP", container_port: 80, host_port: 8080, host_ip: "" }],
      labels: {
        app: "web",
        "io.kubernetes.pod.name": "web",
        "io.kubernetes.pod.namespace": "default",
        "io.kubernetes.pod.uid": "uid-1",
      },
      annotations: { note: "x" },
      linux: {
        cgroup_parent: "/berth/burstable/poduid-1",
        security_context: {
          namespace_options: { network: "POD", pid: "CONTAINER", ipc: "POD" },
          privileged: false,
          seccomp: { profile_type: "RuntimeDefault" },
          run_as_user: { value: "1000" },
          run_as_group: { value: "3000" },
          supplemental_groups: ["2000", "4000"],
        },
        sysctls: { "net.core.somaxconn": "1024" },
        resources: {
          cpu_period: "100000",
          cpu_quota: "0",
          cpu_shares: "256",
          memory_limit_in_bytes: String(64 * 1024 * 1024),
        },
        overhead: {},
      },
    });
  });

  it("leaves the hostname to the node on the host network, with node namespaces", () => {
    const { config } = podSandboxConfig(makePod({ hostNetwork: true, hostPID: true }), options);
    expect(config).not.to.have.property("hostname");
    expect(config.linux?.security_context?.namespace_options).to.deep.equal({
      network: "NODE",
      pid: "NODE",
      ipc: "POD",
    });
    expect(config.dns_config?.servers).to.deep.equal(["192.168.1.1"]);
  });

  it("marks the sandbox privileged when any container (init ones too) is privileged", () => {
    const pod = makePod({
      initContainers: [{ name: "setup", image: "x", securityContext: { privileged: true } }],
    });
    expect(podSandboxConfig(pod, options).config.linux?.security_context?.privileged).to.equal(
      true,
    );
  });

  it("passes DNS events on", () => {
    const { events } = podSandboxConfig(makePod(), { ...options, clusterDns: [] });
    expect(events.map((e) => e.reason)).to.deep.equal(["MissingClusterDNS"]);
  });

  it("requires the pod's name, namespace and uid", () => {
    const pod = makePod({}, { uid: "" });
    expect(() => podSandboxConfig(pod, options)).to.throw(/metadata\.uid must be set/);
  });
});
