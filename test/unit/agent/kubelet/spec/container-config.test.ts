import { expect } from "chai";
import type { Container, Pod } from "../../../../../agent/kube/types.js";
import {
  containerConfig,
  type ContainerConfigInput,
} from "../../../../../agent/kubelet/spec/container-config.js";
import { ContainerConfigError } from "../../../../../agent/kubelet/spec/container-config-error.js";
import { containerHash } from "../../../../../agent/kubelet/spec/container-hash.js";
import { makePod } from "./pod-fixture.js";

const app: Container = {
  name: "app",
  image: "busybox:1.36",
  command: ["sh", "-c", "echo $(GREETING) $$(GREETING)"],
  args: ["$(MISSING)", "$(POD_NAME)"],
  workingDir: "/work",
  env: [
    { name: "GREETING", value: "hi" },
    { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
  ],
  resources: {
    requests: { cpu: "100m", memory: "64Mi" },
    limits: { cpu: "200m", memory: "128Mi" },
  },
  volumeMounts: [{ name: "data", mountPath: "/data" }],
  stdin: true,
  tty: true,
};

function input(
  pod: Pod,
  container: Container,
  more: Partial<ContainerConfigInput> = {},
): ContainerConfigInput {
  return {
    pod,
    container,
    restartCount: 2,
    imageRef: "sha256:abc",
    imageUser: "1000",
    podIPs: ["10.0.0.5"],
    node: {
      allocatable: { cpu: "4", memory: "8Gi" },
      memoryCapacityBytes: 8n * 1024n ** 3n,
      hostIPs: ["192.168.1.2"],
    },
    volumes: new Map([["data", { hostPath: "/pods/uid-1/volumes/data" }]]),
    etcHostsHostPath: "/pods/uid-1/etc-hosts",
    terminationLogHostPath: "/pods/uid-1/containers/app/0f3a",
    sources: { configMap: async () => undefined, secret: async () => undefined },
    ...more,
  };
}

async function failure(promise: Promise<unknown>): Promise<ContainerConfigError> {
  try {
    await promise;
  } catch (err) {
    expect(err).to.be.instanceOf(ContainerConfigError);
    return err as ContainerConfigError;
  }
  throw new Error("expected a ContainerConfigError");
}

describe("agent/kubelet/spec container config", () => {
  it("builds the CreateContainer config kubelet would", async () => {
    const pod = makePod({ containers: [app] });
    const { config, subPaths, events } = await containerConfig(input(pod, app));
    expect(subPaths).to.deep.equal([]);
    expect(events).to.deep.equal([]);
    expect(config.metadata).to.deep.equal({ name: "app", attempt: 2 });
    expect(config.image).to.deep.equal({
      image: "sha256:abc",
      user_specified_image: "busybox:1.36",
    });
    expect(config.command).to.deep.equal(["sh", "-c", "echo hi $(GREETING)"]);
    expect(config.args).to.deep.equal(["$(MISSING)", "web"]);
    expect(config.working_dir).to.equal("/work");
    expect(config.envs!.map((e) => [e.key, String(e.value)])).to.deep.equal([
      ["GREETING", "hi"],
      ["POD_NAME", "web"],
    ]);
    expect(Buffer.isBuffer(config.envs![0].value)).to.equal(true);
    expect(config.mounts!.map((m) => [m.container_path, m.host_path])).to.deep.equal([
      ["/data", "/pods/uid-1/volumes/data"],
      ["/etc/hosts", "/pods/uid-1/etc-hosts"],
      ["/dev/termination-log", "/pods/uid-1/containers/app/0f3a"],
    ]);
    expect(config.log_path).to.equal("app/2.log");
    expect([config.stdin, config.stdin_once, config.tty]).to.deep.equal([true, false, true]);
    expect(config.labels!["io.kubernetes.container.name"]).to.equal("app");
    expect(config.annotations!["io.kubernetes.container.hash"]).to.equal(containerHash(app));
    expect(config.annotations!["io.kubernetes.container.restartCount"]).to.equal("2");
    expect(config.linux!.resources).to.deep.equal({
      cpu_period: "100000",
      cpu_quota: "20000",
      cpu_shares: "102",
      memory_limit_in_bytes: String(128 * 1024 * 1024),
      oom_score_adj: String(1000 - Math.floor((1000 * 64) / (8 * 1024))),
    });
    expect(config.linux!.security_context!.namespace_options).to.deep.equal({
      network: "POD",
      pid: "CONTAINER",
      ipc: "POD",
    });
  });

  it("builds init containers too, and returns subPath mounts and env events", async () => {
    const init: Container = {
      name: "setup",
      image: "busybox",
      envFrom: [{ configMapRef: { name: "cfg" } }],
      volumeMounts: [{ name: "data", mountPath: "/seed", subPath: "seed" }],
    };
    const pod = makePod({ containers: [app], initContainers: [init] });
    const { config, subPaths, events } = await containerConfig(
      input(pod, init, {
        restartCount: 0,
        imageRef: undefined,
        sources: {
          configMap: async () => ({ data: { OK: "1", "9no": "x" } }),
          secret: async () => undefined,
        },
      }),
    );
    expect(config.image).to.deep.equal({ image: "busybox", user_specified_image: "busybox" });
    expect(config.annotations!["io.kubernetes.container.type"]).to.equal("init");
    expect(subPaths.map((s) => s.hostPath)).to.deep.equal(["/pods/uid-1/volumes/data/seed"]);
    expect(events.map((e) => e.reason)).to.deep.equal(["InvalidEnvironmentVariableNames"]);
  });

  it("reports a missing ConfigMap key as a CreateContainerConfigError naming pod, container and reference", async () => {
    const c: Container = {
      name: "app",
      image: "busybox",
      env: [{ name: "DB", valueFrom: { configMapKeyRef: { name: "cfg", key: "host" } } }],
    };
    const pod = makePod({ containers: [c] });
    const err = await failure(
      containerConfig(
        input(pod, c, {
          sources: { configMap: async () => ({ data: {} }), secret: async () => undefined },
        }),
      ),
    );
    expect(err.reason).to.equal("CreateContainerConfigError");
    expect(err.message).to.equal("couldn't find key host in ConfigMap default/cfg");
    expect(err.field).to.equal("spec.containers[0].env[0].valueFrom.configMapKeyRef.key");
  });

  it("enforces runAsNonRoot against the image's user with kubelet's message", async () => {
    const pod = makePod({ securityContext: { runAsNonRoot: true }, containers: [app] });
    const err = await failure(containerConfig(input(pod, app, { imageUser: "" })));
    expect(err.message).to.equal(
      'container has runAsNonRoot and image will run as root (pod: "web_default(uid-1)", container: app)',
    );
  });

  it("reports a mount of a missing volume and a container not in the pod", async () => {
    const pod = makePod({ containers: [app] });
    const noVolume = await failure(containerConfig(input(pod, app, { volumes: new Map() })));
    expect(noVolume.message).to.contain('cannot find volume "data" to mount into container "app"');
    const stranger = await failure(containerConfig(input(pod, { name: "other", image: "x" })));
    expect(stranger.message).to.contain('container "other" is not in the pod\'s spec');
  });
});
