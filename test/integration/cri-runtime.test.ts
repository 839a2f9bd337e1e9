import { expect } from "chai";
import { promises as fs, readlinkSync } from "node:fs";
import path from "node:path";
import { ImageStore } from "../../agent/images/image-store.js";
import { importImages } from "../../agent/images/import/import-image.js";
import { run } from "../../lib/exec.js";
import { busyboxOneLayer } from "../fixtures/busybox-image.js";
import { writeOciLayout } from "../fixtures/oci-layout-writer.js";
import { startAgentProcess, type AgentProcess } from "../support/agent-process.js";
import { cgroupChildren, removeCgroupEverywhere } from "../support/cgroup-leaks.js";
import { containerConfig, podConfig } from "../support/cri-configs.js";
import { criClient, type CriClient } from "../support/cri-client.js";
import { requireIntegration } from "../support/prerequisites.js";
import { tempDir } from "../support/temp-dir.js";
import { waitFor } from "../support/wait-for.js";

const code = { INVALID_ARGUMENT: 3, NOT_FOUND: 5, FAILED_PRECONDITION: 9 };

describe("CRI RuntimeService: pods and containers on runc + conmon", function () {
  let base: ReturnType<typeof tempDir>;
  let agent: AgentProcess;
  let cri: CriClient;
  const cgroupParent = `/berth-test-${process.pid}-${Date.now().toString(36)}`;

  const startAgent = async () => {
    agent = await startAgentProcess(base.path, ["--cgroup-parent", cgroupParent]);
    cri = criClient(agent.socket);
  };
  const runPod = async (name: string, extra: Record<string, unknown> = {}) => {
    const config = podConfig(base.path, name, extra);
    const { pod_sandbox_id } = await cri.runtime("RunPodSandbox", { config });
    return { id: pod_sandbox_id as string, config };
  };
  const runContainer = async (
    pod: { id: string; config: object },
    name: string,
    script: string,
    extra = {},
  ) => {
    const { container_id } = await cri.runtime("CreateContainer", {
      pod_sandbox_id: pod.id,
      config: containerConfig(name, script, extra),
      sandbox_config: pod.config,
    });
    await cri.runtime("StartContainer", { container_id });
    return container_id as string;
  };
  const status = async (id: string) =>
    (await cri.runtime("ContainerStatus", { container_id: id, verbose: true })).status;
  const pidOf = async (id: string) =>
    JSON.parse(
      (await cri.runtime("ContainerStatus", { container_id: id, verbose: true })).info.info,
    ).pid as number;
  const exited = (id: string) =>
    waitFor(`container ${id} to exit`, async () => {
      const s = await status(id);
      return s.state === "CONTAINER_EXITED" ? s : undefined;
    });
  const removeAllPods = async () => {
    for (const pod of (await cri.runtime("ListPodSandbox", {})).items) {
      await cri.runtime("RemovePodSandbox", { pod_sandbox_id: pod.id });
    }
  };

  before(async function () {
    requireIntegration(this, ["runc", "conmon", "unshare", "nsenter"]);
    base = tempDir("cri-runtime");
    const layout = path.join(base.path, "layout");
    await writeOciLayout(layout, [
      { image: await busyboxOneLayer(), refNames: ["docker.io/library/busybox:latest"] },
    ]);
    await importImages(await ImageStore.open(path.join(base.path, "root")), layout);
    await startAgent();
  });

  afterEach(async () => {
    if (cri) await removeAllPods();
  });

  after(async () => {
    cri?.close();
    await agent?.stop();
    removeCgroupEverywhere(cgroupParent);
    base?.remove();
  });

  it("runs a pod whose containers share hostname and network namespace, each with its own PID namespace", async () => {
    const pod = await runPod("shared");
    expect(
      (await cri.runtime("PodSandboxStatus", { pod_sandbox_id: pod.id })).status.state,
    ).to.equal("SANDBOX_READY");
    const a = await runContainer(pod, "a", "sleep 300");
    const b = await runContainer(pod, "b", "sleep 300");
    const [pa, pb] = [await pidOf(a), await pidOf(b)];
    const ns = (pid: number, kind: string) => readlinkSync(`/proc/${pid}/ns/${kind}`);
    expect(ns(pa, "net")).to.equal(ns(pb, "net"));
    expect(ns(pa, "uts")).to.equal(ns(pb, "uts"));
    expect(ns(pa, "ipc")).to.equal(ns(pb, "ipc"));
    expect(ns(pa, "pid")).to.not.equal(ns(pb, "pid"));
    expect(ns(pa, "net")).to.not.equal(readlinkSync("/proc/self/ns/net"));
    const { stdout } = await run("nsenter", ["-t", String(pa), "-u", "hostname"]);
    expect(stdout.trim()).to.equal("shared");
    const lo = await run("nsenter", ["-t", String(pa), "-n", "ip", "-o", "link", "show", "lo"]);
    expect(lo.stdout).to.match(/UP/);
    const links = await run("nsenter", ["-t", String(pa), "-n", "ip", "-o", "link"]);
    expect(links.stdout.trim().split("\n")).to.have.length(1);
  });

  it("writes stdout and stderr to the CRI log and reports the exit code", async () => {
    const pod = await runPod("logs");
    const id = await runContainer(pod, "talker", "echo out; echo err >&2; printf partial; exit 3");
    const s = await exited(id);
    expect(s.exit_code).to.equal(3);
    expect(s.reason).to.equal("Error");
    expect(BigInt(s.finished_at) > BigInt(s.started_at), "finished after started").to.equal(true);
    expect(BigInt(s.started_at) > BigInt(s.created_at), "started after created").to.equal(true);
    expect(s.log_path).to.equal(path.join(base.path, "logs", "logs", "talker.log"));
    const lines = (await fs.readFile(s.log_path, "utf8")).trim().split("\n");
    const cri = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+(Z|[+-]\d\d:\d\d) (stdout|stderr) (F|P) (.*)$/;
    const parsed = lines.map((l) => cri.exec(l));
    expect(parsed.every(Boolean), lines.join("\n")).to.equal(true);
    const entries = parsed.map((m) => `${m![2]} ${m![3]} ${m![4]}`);
    expect(entries).to.include.members(["stdout F out", "stderr F err", "stdout P partial"]);
  });

  it("reports a clean exit as Completed", async () => {
    const pod = await runPod("done");
    const s = await exited(await runContainer(pod, "ok", "true"));
    expect(s.exit_code).to.equal(0);
    expect(s.reason).to.equal("Completed");
  });

  it("stops a container that ignores its stop signal with SIGKILL after the timeout", async () => {
    const pod = await runPod("stubborn");
    const id = await runContainer(pod, "ignorer", "trap '' TERM; while :; do sleep 1; done");
    const pid = await pidOf(id);
    const started = Date.now();
    await cri.runtime("StopContainer", { container_id: id, timeout: 1 });
    expect(Date.now() - started).to.be.greaterThanOrEqual(1000);
    const s = await status(id);
    expect(s.state).to.equal("CONTAINER_EXITED");
    expect(s.exit_code).to.equal(137);
    await fs.access(`/proc/${pid}`).then(
      () => expect.fail(`pid ${pid} still exists`),
      () => undefined,
    );
  });

  it("stops and removes containers and pods twice, and unknown ids, without error", async () => {
    const pod = await runPod("twice");
    const id = await runContainer(pod, "sleeper", "sleep 300");
    for (let i = 0; i < 2; i++)
      await cri.runtime("StopContainer", { container_id: id, timeout: 0 });
    for (let i = 0; i < 2; i++) await cri.runtime("RemoveContainer", { container_id: id });
    for (let i = 0; i < 2; i++) await cri.runtime("StopPodSandbox", { pod_sandbox_id: pod.id });
    expect(
      (await cri.runtime("PodSandboxStatus", { pod_sandbox_id: pod.id })).status.state,
    ).to.equal("SANDBOX_NOTREADY");
    for (let i = 0; i < 2; i++) await cri.runtime("RemovePodSandbox", { pod_sandbox_id: pod.id });
    await cri.runtime("StopContainer", { container_id: "f".repeat(64), timeout: 0 });
    await cri.runtime("RemoveContainer", { container_id: "f".repeat(64) });
    await cri.runtime("StopPodSandbox", { pod_sandbox_id: "f".repeat(64) });
    await cri.runtime("RemovePodSandbox", { pod_sandbox_id: "f".repeat(64) });
    const gone = await cri.runtime("PodSandboxStatus", { pod_sandbox_id: pod.id }).catch((e) => e);
    expect(gone.code).to.equal(code.NOT_FOUND);
  });

  it("lists pods and containers with id, state and label filters", async () => {
    const pod = await runPod("listed");
    const running = await runContainer(pod, "runner", "sleep 300");
    const done = await runContainer(pod, "quitter", "true");
    await exited(done);
    const list = async (filter: object) =>
      (await cri.runtime("ListContainers", { filter })).containers.map((c: { id: string }) => c.id);
    expect(await list({ pod_sandbox_id: pod.id })).to.have.members([running, done]);
    expect(await list({ state: { state: "CONTAINER_RUNNING" } })).to.deep.equal([running]);
    expect(await list({ label_selector: { container: "quitter" } })).to.deep.equal([done]);
    expect(await list({ id: running.slice(0, 12) })).to.deep.equal([running]);
    const pods = await cri.runtime("ListPodSandbox", {
      filter: { label_selector: { app: "listed" } },
    });
    expect(pods.items.map((p: { id: string }) => p.id)).to.deep.equal([pod.id]);
    const ready = await cri.runtime("ListPodSandbox", {
      filter: { state: { state: "SANDBOX_NOTREADY" } },
    });
    expect(ready.items).to.deep.equal([]);
  });

  it("rejects bad requests with InvalidArgument, NotFound or FailedPrecondition naming the field", async () => {
    const noMeta = await cri
      .runtime("RunPodSandbox", { config: { hostname: "x" } })
      .catch((e) => e);
    expect(noMeta.code).to.equal(code.INVALID_ARGUMENT);
    expect(noMeta.details).to.match(/metadata\.name/);

    const unknownPod = await cri
      .runtime("CreateContainer", {
        pod_sandbox_id: "0".repeat(64),
        config: containerConfig("x", "true"),
      })
      .catch((e) => e);
    expect(unknownPod.code).to.equal(code.NOT_FOUND);
    expect(unknownPod.details).to.match(/pod sandbox/);

    const pod = await runPod("bad");
    const noImage = await cri
      .runtime("CreateContainer", {
        pod_sandbox_id: pod.id,
        config: containerConfig("x", "true", { image: { image: "busybox:absent" } }),
      })
      .catch((e) => e);
    expect(noImage.code).to.equal(code.NOT_FOUND);
    expect(noImage.details).to.match(/busybox:absent/);

    const badMount = await cri
      .runtime("CreateContainer", {
        pod_sandbox_id: pod.id,
        config: containerConfig("x", "true", {
          mounts: [{ container_path: "relative", host_path: base.path }],
        }),
      })
      .catch((e) => e);
    expect(badMount.code).to.equal(code.INVALID_ARGUMENT);
    expect(badMount.details).to.match(/mounts\[0\]/);

    const unknownStatus = await cri
      .runtime("ContainerStatus", { container_id: "0".repeat(64) })
      .catch((e) => e);
    expect(unknownStatus.code).to.equal(code.NOT_FOUND);

    const id = await runContainer(pod, "once", "sleep 300");
    const again = await cri.runtime("StartContainer", { container_id: id }).catch((e) => e);
    expect(again.code).to.equal(code.FAILED_PRECONDITION);

    await cri.runtime("StopPodSandbox", { pod_sandbox_id: pod.id });
    const notReady = await cri
      .runtime("CreateContainer", {
        pod_sandbox_id: pod.id,
        config: containerConfig("late", "true"),
      })
      .catch((e) => e);
    expect(notReady.code).to.equal(code.FAILED_PRECONDITION);
  });

  it("keeps running containers across an agent SIGKILL and reports an exit that happened meanwhile", async () => {
    const pod = await runPod("survivor");
    const ids = [
      await runContainer(pod, "one", "sleep 300"),
      await runContainer(pod, "two", "sleep 300"),
      await runContainer(pod, "three", "sleep 300"),
    ];
    const quitter = await runContainer(pod, "quitter", "sleep 2; exit 7");
    const pids = await Promise.all(ids.map(pidOf));

    cri.close();
    await agent.kill();
    await new Promise((r) => setTimeout(r, 2500));
    await startAgent();

    expect(await Promise.all(ids.map(pidOf))).to.deep.equal(pids);
    for (const id of ids) expect((await status(id)).state).to.equal("CONTAINER_RUNNING");
    const q = await status(quitter);
    expect(q.state).to.equal("CONTAINER_EXITED");
    expect(q.exit_code).to.equal(7);
  });

  it("leaves no mount, namespace pin, cgroup, runc state or conmon behind once all pods are removed", async () => {
    const pod = await runPod("tidy");
    await runContainer(pod, "a", "sleep 300");
    await runContainer(pod, "b", "exit 1");
    await removeAllPods();
    const mounts = (await fs.readFile("/proc/mounts", "utf8"))
      .split("\n")
      .filter((l) => l.includes(base.path));
    expect(mounts).to.deep.equal([]);
    expect(cgroupChildren(cgroupParent)).to.deep.equal([]);
    expect(await fs.readdir(path.join(base.path, "run", "runc")).catch(() => [])).to.deep.equal([]);
    expect(await fs.readdir(path.join(base.path, "run", "containers"))).to.deep.equal([]);
    expect(await fs.readdir(path.join(base.path, "run", "sandboxes"))).to.deep.equal([]);
    const conmons = (await run("ps", ["-eo", "args"])).stdout
      .split("\n")
      .filter((l) => l.includes(base.path));
    expect(
      conmons.filter((l) => l.startsWith("conmon") || l.startsWith("/usr/bin/conmon")),
    ).to.deep.equal([]);
  });
});
