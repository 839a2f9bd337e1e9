import { expect } from "chai";
import { promises as fs } from "node:fs";
import path from "node:path";
import { silentLogger } from "../../lib/logger.js";
import type { Container, ObjectReference, Pod, Probe } from "../../agent/kube/types.js";
import { LifecycleHooks } from "../../agent/kubelet/hooks/lifecycle-hooks.js";
import { ProbeManager } from "../../agent/kubelet/prober/probe-manager.js";
import type { KubeletRuntime } from "../../agent/kubelet/runtime/kubelet-runtime.js";
import { containerConfig, podConfig } from "../support/cri-configs.js";
import {
  openTestKubeletRuntime,
  type TestKubeletRuntime,
} from "../support/in-process-kubelet-runtime.js";
import { requireIntegration } from "../support/prerequisites.js";
import { waitFor } from "../support/wait-for.js";

/** busybox httpd on 8080 serving /www, a health flag file, and a TERM trap that logs to /shared. */
const serverScript = [
  "mkdir -p /www && echo hello > /www/index.html && : > /tmp/healthy",
  "busybox httpd -f -p 8080 -h /www &",
  "trap 'echo term >> /shared/log; exit 0' TERM",
  "while true; do sleep 1; done",
].join("\n");

describe("kubelet probes and lifecycle hooks on the real runtime, in-process", function () {
  this.timeout(120_000);
  let env: TestKubeletRuntime | undefined;
  let runtime: KubeletRuntime;
  let podIP = "";
  let containerId = "";
  let shared = "";
  let manager: ProbeManager | undefined;
  const events: { reason: string; message: string }[] = [];
  const recordEvent = (_ref: ObjectReference, _type: string, reason: string, message: string) =>
    events.push({ reason, message });
  const app: Container = { name: "app", ports: [{ name: "http", containerPort: 8080 }] };
  const podFor = (container: Container): Pod => ({
    metadata: { name: "probed", namespace: "berth-test", uid: "uid-probed" },
    spec: { containers: [container] },
  });

  before(async function () {
    requireIntegration(this, ["runc", "conmon", "unshare", "nsenter"]);
    env = await openTestKubeletRuntime("kubelet-probes");
    ({ runtime } = env);
    shared = path.join(env.base.path, "shared");
    await fs.mkdir(shared);
    const sandboxConfig = podConfig(env.base.path, "probed");
    const { pod_sandbox_id } = await runtime.runPodSandbox({ config: sandboxConfig });
    const status = await runtime.podSandboxStatus({ pod_sandbox_id });
    podIP = status.status!.network!.ip;
    const created = await runtime.createContainer({
      pod_sandbox_id,
      config: containerConfig("app", serverScript, {
        mounts: [{ container_path: "/shared", host_path: shared }],
      }),
      sandbox_config: sandboxConfig,
    });
    containerId = created.container_id;
    await runtime.startContainer({ container_id: containerId });
    await waitFor("httpd in the pod", async () => {
      const res = await fetch(`http://${podIP}:8080/index.html`).catch(() => undefined);
      return res?.ok ? true : undefined;
    });
  });

  afterEach(() => {
    manager?.stop();
    manager = undefined;
    events.length = 0;
  });

  after(async () => {
    await env?.remove();
  });

  /** Probes the running container with `probes` on the system clock, the pod IP as given. */
  function probe(probes: Partial<Pick<Container, "readinessProbe" | "livenessProbe">>) {
    const container = { ...app, ...probes };
    manager = new ProbeManager({
      runtime,
      podIP: () => podIP,
      recordEvent,
      onChange: () => undefined,
      logger: silentLogger(),
      random: () => 0,
    });
    manager.add(podFor(container), container, containerId);
    return manager;
  }

  const inPod = async (cmd: string[]) => {
    const res = await runtime.execSync({ container_id: containerId, cmd, timeout: 5 });
    expect(res.exit_code, `${cmd.join(" ")}: ${res.stderr.toString()}`).to.equal(0);
  };
  const becomes = (read: () => string | undefined, want: string, what: string) =>
    waitFor(what, async () => (read() === want ? true : undefined), 20_000);
  const fast = (spec: Partial<Probe>): Probe => ({
    periodSeconds: 1,
    failureThreshold: 1,
    ...spec,
  });

  it("follows a file flag with an exec probe", async () => {
    const m = probe({ readinessProbe: fast({ exec: { command: ["cat", "/tmp/healthy"] } }) });
    await becomes(() => m.readiness(containerId), "success", "ready");
    await inPod(["rm", "/tmp/healthy"]);
    await becomes(() => m.readiness(containerId), "failure", "unready");
    expect(events).to.deep.include({
      reason: "Unhealthy",
      message:
        "Readiness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n",
    });
    await inPod(["sh", "-c", ": > /tmp/healthy"]);
    await becomes(() => m.readiness(containerId), "success", "ready again");
  });

  it("fails an exec probe that outlasts its timeout", async () => {
    const m = probe({
      livenessProbe: fast({ exec: { command: ["sleep", "5"] }, timeoutSeconds: 1 }),
    });
    const started = Date.now();
    await becomes(() => m.liveness(containerId), "failure", "liveness to fail");
    expect(Date.now() - started).to.be.below(4500);
    expect(events[0]).to.deep.equal({
      reason: "Unhealthy",
      message: 'Liveness probe failed: command "sleep 5" timed out',
    });
  });

  it("probes busybox httpd at the pod IP on a named port", async () => {
    const m = probe({
      readinessProbe: fast({ httpGet: { port: "http", path: "/index.html" } }),
      livenessProbe: fast({ httpGet: { port: 8080, path: "/missing" } }),
    });
    await becomes(() => m.readiness(containerId), "success", "ready");
    await becomes(() => m.liveness(containerId), "failure", "liveness to fail");
    expect(events.map((e) => e.message)).to.include(
      "Liveness probe failed: HTTP probe failed with statuscode: 404",
    );
  });

  it("opens a TCP connection to the pod's port, and fails a closed one", async () => {
    const m = probe({
      readinessProbe: fast({ tcpSocket: { port: "http" } }),
      livenessProbe: fast({ tcpSocket: { port: 8081 } }),
    });
    await becomes(() => m.readiness(containerId), "success", "ready");
    await becomes(() => m.liveness(containerId), "failure", "liveness to fail");
    expect(events[0].message).to.equal(
      `Liveness probe failed: dial tcp ${podIP}:8081: connect: connection refused`,
    );
  });

  it("runs an exec postStart in the container", async () => {
    const hooks = new LifecycleHooks({
      runtime,
      podIP: () => podIP,
      recordEvent,
      logger: silentLogger(),
    });
    const container: Container = {
      ...app,
      lifecycle: {
        postStart: { exec: { command: ["sh", "-c", "echo started > /shared/post-start"] } },
      },
    };
    await hooks.runPostStart(podFor(container), container, containerId);
    expect(await fs.readFile(path.join(shared, "post-start"), "utf8")).to.equal("started\n");
  });

  it("runs an exec preStop before the container is stopped", async () => {
    const hooks = new LifecycleHooks({
      runtime,
      podIP: () => podIP,
      recordEvent,
      logger: silentLogger(),
    });
    const container: Container = {
      ...app,
      lifecycle: { preStop: { exec: { command: ["sh", "-c", "echo pre-stop >> /shared/log"] } } },
    };
    await hooks.runPreStop(podFor(container), container, containerId, Date.now() + 10_000);
    await runtime.stopContainer({ container_id: containerId, timeout: 10 });
    expect(await fs.readFile(path.join(shared, "log"), "utf8")).to.equal("pre-stop\nterm\n");
  });
});
