import { expect } from "chai";
import { promises as fs, readlinkSync } from "node:fs";
import path from "node:path";
import { run } from "../../lib/exec.js";
import { cgroupChildren } from "../support/cgroup-leaks.js";
import { containerConfig } from "../support/cri-configs.js";
import { criHarness, grpcCode } from "../support/cri-harness.js";
import { waitFor } from "../support/wait-for.js";

describe("CRI RuntimeService: pods and containers on runc + conmon", function () {
  const h = criHarness("cri-runtime");

  it("runs a pod whose containers share hostname and network namespace, each with its own PID namespace", async () => {
    const pod = await h.runPod("shared");
    expect(
      (await h.cri.runtime("PodSandboxStatus", { pod_sandbox_id: pod.id })).status.state,
    ).to.equal("SANDBOX_READY");
    const a = await h.runContainer(pod, "a", "sleep 300");
    const b = await h.runContainer(pod, "b", "sleep 300");
    const [pa, pb] = [await h.pidOf(a), await h.pidOf(b)];
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
    expect(
      links.stdout
        .trim()
        .split("\n")
        .map((l) => l.split(":")[1].trim().split("@")[0]),
    ).to.deep.equal(["lo", "eth0"]);
  });

  it("honours namespace options: host network, IPC and PID; a pod-wide and a target PID namespace", async () => {
    const ns = (pid: number | "self", kind: string) => readlinkSync(`/proc/${pid}/ns/${kind}`);
    // The kubelet copies the pod's namespace options into every container's config.
    const hostNs = {
      linux: {
        security_context: { namespace_options: { network: "NODE", pid: "NODE", ipc: "NODE" } },
      },
    };
    const hostPod = await h.runPod("hostns", hostNs);
    const onHost = await h.pidOf(await h.runContainer(hostPod, "onhost", "sleep 300", hostNs));
    // A host-network pod has the host's UTS namespace too, as in Kubernetes.
    for (const kind of ["net", "pid", "ipc", "uts"])
      expect(ns(onHost, kind), kind).to.equal(ns("self", kind));

    const podPid = { linux: { security_context: { namespace_options: { pid: "POD" } } } };
    const shared = await h.runPod("podpid", podPid);
    const first = await h.runContainer(shared, "first", "sleep 300", podPid);
    const second = await h.runContainer(shared, "second", "sleep 300", podPid);
    expect(ns(await h.pidOf(first), "pid")).to.equal(ns(await h.pidOf(second), "pid"));
    const init = await h.exec(first, ["cat", "/proc/1/cmdline"]);
    expect(Buffer.from(init.stdout).toString(), "pid 1 is the pod's, not the app").to.not.include(
      "300",
    );

    const pod = await h.runPod("targetpid");
    const target = await h.runContainer(pod, "target", "sleep 300");
    const joiner = await h.runContainer(pod, "joiner", "sleep 300", {
      linux: { security_context: { namespace_options: { pid: "TARGET", target_id: target } } },
    });
    expect(ns(await h.pidOf(joiner), "pid")).to.equal(ns(await h.pidOf(target), "pid"));
  });

  it("writes stdout and stderr to the CRI log and reports the exit code", async () => {
    const pod = await h.runPod("logs");
    const id = await h.runContainer(
      pod,
      "talker",
      "echo out; echo err >&2; printf partial; exit 3",
    );
    const s = await h.exited(id);
    expect(s.exit_code).to.equal(3);
    expect(s.reason).to.equal("Error");
    expect(s.image.image).to.equal("docker.io/library/busybox:latest");
    expect(s.image_ref).to.match(/^docker\.io\/library\/busybox@sha256:[0-9a-f]{64}$/);
    expect(s.image_id).to.match(/^sha256:[0-9a-f]{64}$/);
    expect(BigInt(s.finished_at) > BigInt(s.started_at), "finished after started").to.equal(true);
    expect(BigInt(s.started_at) > BigInt(s.created_at), "started after created").to.equal(true);
    expect(s.log_path).to.equal(path.join(h.base.path, "logs", "logs", "talker.log"));
    const lines = (await fs.readFile(s.log_path, "utf8")).trim().split("\n");
    const criLine =
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+(Z|[+-]\d\d:\d\d) (stdout|stderr) (F|P) (.*)$/;
    const parsed = lines.map((l) => criLine.exec(l));
    expect(parsed.every(Boolean), lines.join("\n")).to.equal(true);
    const entries = parsed.map((m) => `${m![2]} ${m![3]} ${m![4]}`);
    expect(entries).to.include.members(["stdout F out", "stderr F err", "stdout P partial"]);
  });

  it("reports a clean exit as Completed", async () => {
    const pod = await h.runPod("done");
    const s = await h.exited(await h.runContainer(pod, "ok", "true"));
    expect(s.exit_code).to.equal(0);
    expect(s.reason).to.equal("Completed");
  });

  it("runs ExecSync with output, a non-zero exit as a result, and a timeout that kills the command", async () => {
    const pod = await h.runPod("exec");
    const id = await h.runContainer(pod, "target", "sleep 300");
    const res = await h.exec(id, ["/bin/sh", "-c", "echo out; echo err >&2; exit 4"]);
    expect(Buffer.from(res.stdout).toString()).to.equal("out\n");
    expect(Buffer.from(res.stderr).toString()).to.equal("err\n");
    expect(res.exit_code).to.equal(4);

    const started = Date.now();
    const late = await h.exec(id, ["sleep", "4321"], 1).catch((e) => e);
    expect(late.code).to.equal(grpcCode.DEADLINE_EXCEEDED);
    expect(Date.now() - started).to.be.lessThan(5000);
    const sleepers = (await run("ps", ["-eo", "args"])).stdout
      .split("\n")
      .filter((l) => l.trim() === "sleep 4321");
    expect(sleepers).to.deep.equal([]);

    const noCmd = await h.exec(id, []).catch((e) => e);
    expect(noCmd.code).to.equal(grpcCode.INVALID_ARGUMENT);
  });

  it("reopens the log after rotation: new output goes to a new file, the old one stops growing", async () => {
    const pod = await h.runPod("rotate");
    const id = await h.runContainer(pod, "ticker", "while :; do echo tick; sleep 0.1; done");
    const { log_path: logPath } = await h.status(id);
    await waitFor("first log lines", async () => (await fs.stat(logPath)).size > 0 || undefined);
    await fs.rename(logPath, `${logPath}.1`);
    await h.cri.runtime("ReopenContainerLog", { container_id: id });
    const rotatedSize = (await fs.stat(`${logPath}.1`)).size;
    await waitFor(
      "lines in the new log",
      async () => (await fs.stat(logPath)).size > 0 || undefined,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect((await fs.stat(`${logPath}.1`)).size).to.equal(rotatedSize);
    expect(await fs.readFile(logPath, "utf8")).to.match(/ stdout F tick\n/);

    await h.cri.runtime("StopContainer", { container_id: id, timeout: 0 });
    await fs.rm(logPath);
    const stopped = await h.cri.runtime("ReopenContainerLog", { container_id: id }).catch((e) => e);
    expect(stopped.code).to.equal(grpcCode.FAILED_PRECONDITION);
    await fs.access(logPath).then(
      () => expect.fail("a log file was created for a stopped container"),
      () => undefined,
    );
  });

  it("stops a container that ignores its stop signal with SIGKILL after the timeout", async () => {
    const pod = await h.runPod("stubborn");
    const id = await h.runContainer(pod, "ignorer", "trap '' TERM; while :; do sleep 1; done");
    const pid = await h.pidOf(id);
    const started = Date.now();
    await h.cri.runtime("StopContainer", { container_id: id, timeout: 1 });
    expect(Date.now() - started).to.be.greaterThanOrEqual(1000);
    const s = await h.status(id);
    expect(s.state).to.equal("CONTAINER_EXITED");
    expect(s.exit_code).to.equal(137);
    await fs.access(`/proc/${pid}`).then(
      () => expect.fail(`pid ${pid} still exists`),
      () => undefined,
    );
  });

  it("stops and removes containers and pods twice, and unknown ids, without error", async () => {
    const pod = await h.runPod("twice");
    const id = await h.runContainer(pod, "sleeper", "sleep 300");
    for (let i = 0; i < 2; i++)
      await h.cri.runtime("StopContainer", { container_id: id, timeout: 0 });
    for (let i = 0; i < 2; i++) await h.cri.runtime("RemoveContainer", { container_id: id });
    for (let i = 0; i < 2; i++) await h.cri.runtime("StopPodSandbox", { pod_sandbox_id: pod.id });
    expect(
      (await h.cri.runtime("PodSandboxStatus", { pod_sandbox_id: pod.id })).status.state,
    ).to.equal("SANDBOX_NOTREADY");
    for (let i = 0; i < 2; i++) await h.cri.runtime("RemovePodSandbox", { pod_sandbox_id: pod.id });
    await h.cri.runtime("StopContainer", { container_id: "f".repeat(64), timeout: 0 });
    await h.cri.runtime("RemoveContainer", { container_id: "f".repeat(64) });
    await h.cri.runtime("StopPodSandbox", { pod_sandbox_id: "f".repeat(64) });
    await h.cri.runtime("RemovePodSandbox", { pod_sandbox_id: "f".repeat(64) });
    const gone = await h.cri
      .runtime("PodSandboxStatus", { pod_sandbox_id: pod.id })
      .catch((e) => e);
    expect(gone.code).to.equal(grpcCode.NOT_FOUND);
  });

  it("lists pods and containers with id, state and label filters", async () => {
    const pod = await h.runPod("listed");
    const running = await h.runContainer(pod, "runner", "sleep 300");
    const done = await h.runContainer(pod, "quitter", "true");
    await h.exited(done);
    const list = async (filter: object) =>
      (await h.cri.runtime("ListContainers", { filter })).containers.map(
        (c: { id: string }) => c.id,
      );
    expect(await list({ pod_sandbox_id: pod.id })).to.have.members([running, done]);
    expect(await list({ state: { state: "CONTAINER_RUNNING" } })).to.deep.equal([running]);
    expect(await list({ label_selector: { container: "quitter" } })).to.deep.equal([done]);
    expect(await list({ id: running.slice(0, 12) })).to.deep.equal([running]);
    const pods = await h.cri.runtime("ListPodSandbox", {
      filter: { label_selector: { app: "listed" } },
    });
    expect(pods.items.map((p: { id: string }) => p.id)).to.deep.equal([pod.id]);
    const ready = await h.cri.runtime("ListPodSandbox", {
      filter: { state: { state: "SANDBOX_NOTREADY" } },
    });
    expect(ready.items).to.deep.equal([]);
  });

  it("rejects bad requests with InvalidArgument, NotFound or FailedPrecondition naming the field", async () => {
    const noMeta = await h.cri
      .runtime("RunPodSandbox", { config: { hostname: "x" } })
      .catch((e) => e);
    expect(noMeta.code).to.equal(grpcCode.INVALID_ARGUMENT);
    expect(noMeta.details).to.match(/metadata\.name/);

    const unknownPod = await h.cri
      .runtime("CreateContainer", {
        pod_sandbox_id: "0".repeat(64),
        config: containerConfig("x", "true"),
      })
      .catch((e) => e);
    expect(unknownPod.code).to.equal(grpcCode.NOT_FOUND);
    expect(unknownPod.details).to.match(/pod sandbox/);

    const pod = await h.runPod("bad");
    const noImage = await h.cri
      .runtime("CreateContainer", {
        pod_sandbox_id: pod.id,
        config: containerConfig("x", "true", { image: { image: "busybox:absent" } }),
      })
      .catch((e) => e);
    expect(noImage.code).to.equal(grpcCode.NOT_FOUND);
    expect(noImage.details).to.match(/busybox:absent/);

    const badMount = await h.cri
      .runtime("CreateContainer", {
        pod_sandbox_id: pod.id,
        config: containerConfig("x", "true", {
          mounts: [{ container_path: "relative", host_path: h.base.path }],
        }),
      })
      .catch((e) => e);
    expect(badMount.code).to.equal(grpcCode.INVALID_ARGUMENT);
    expect(badMount.details).to.match(/mounts\[0\]/);

    const unknownStatus = await h.cri
      .runtime("ContainerStatus", { container_id: "0".repeat(64) })
      .catch((e) => e);
    expect(unknownStatus.code).to.equal(grpcCode.NOT_FOUND);

    const id = await h.runContainer(pod, "once", "sleep 300");
    const again = await h.cri.runtime("StartContainer", { container_id: id }).catch((e) => e);
    expect(again.code).to.equal(grpcCode.FAILED_PRECONDITION);

    await h.cri.runtime("StopPodSandbox", { pod_sandbox_id: pod.id });
    const notReady = await h.cri
      .runtime("CreateContainer", {
        pod_sandbox_id: pod.id,
        config: containerConfig("late", "true"),
      })
      .catch((e) => e);
    expect(notReady.code).to.equal(grpcCode.FAILED_PRECONDITION);
  });

  it("keeps running containers across an agent SIGKILL and reports an exit that happened meanwhile", async () => {
    const pod = await h.runPod("survivor");
    const ids = [
      await h.runContainer(pod, "one", "sleep 300"),
      await h.runContainer(pod, "two", "sleep 300"),
      await h.runContainer(pod, "three", "sleep 300"),
    ];
    const quitter = await h.runContainer(pod, "quitter", "sleep 2; exit 7");
    const pids = await Promise.all(ids.map((id) => h.pidOf(id)));

    await h.killAgent();
    await new Promise((r) => setTimeout(r, 2500));
    await h.startAgent();

    expect(await Promise.all(ids.map((id) => h.pidOf(id)))).to.deep.equal(pids);
    for (const id of ids) expect((await h.status(id)).state).to.equal("CONTAINER_RUNNING");
    const q = await h.status(quitter);
    expect(q.state).to.equal("CONTAINER_EXITED");
    expect(q.exit_code).to.equal(7);
  });

  it("rolls back a container and a pod whose creation a crash cut short", async () => {
    const kept = await h.runPod("kept");
    const cut = await h.runContainer(kept, "cut", "sleep 300");
    const cutPid = await h.pidOf(cut);
    const halfPod = await h.runPod("half");
    await h.killAgent();
    const markCreating = async (kind: string, id: string) => {
      const file = path.join(h.base.path, "root", kind, id, "record.json");
      const record = JSON.parse(await fs.readFile(file, "utf8"));
      await fs.writeFile(file, JSON.stringify({ ...record, state: "creating" }));
    };
    await markCreating("containers", cut);
    await markCreating("sandboxes", halfPod.id);
    await h.startAgent();

    const gone = await h.cri.runtime("ContainerStatus", { container_id: cut }).catch((e) => e);
    expect(gone.code).to.equal(grpcCode.NOT_FOUND);
    await fs.access(`/proc/${cutPid}`).then(
      () => expect.fail(`pid ${cutPid} of the rolled-back container still exists`),
      () => undefined,
    );
    const mounts = await fs.readFile("/proc/mounts", "utf8");
    expect(mounts).to.not.include(cut);
    const halfGone = await h.cri
      .runtime("PodSandboxStatus", { pod_sandbox_id: halfPod.id })
      .catch((e) => e);
    expect(halfGone.code).to.equal(grpcCode.NOT_FOUND);
    expect(mounts).to.not.include(halfPod.id);
    const keptStatus = await h.cri.runtime("PodSandboxStatus", { pod_sandbox_id: kept.id });
    expect(keptStatus.status.state).to.equal("SANDBOX_READY");
  });

  it("leaves no mount, namespace pin, cgroup, runc state or conmon behind once all pods are removed", async () => {
    const pod = await h.runPod("tidy");
    await h.runContainer(pod, "a", "sleep 300");
    await h.runContainer(pod, "b", "exit 1");
    await h.removeAllPods();
    const mounts = (await fs.readFile("/proc/mounts", "utf8"))
      .split("\n")
      .filter((l) => l.includes(h.base.path));
    expect(mounts).to.deep.equal([]);
    expect(cgroupChildren(h.cgroupParent)).to.deep.equal([]);
    expect(await fs.readdir(path.join(h.base.path, "run", "runc")).catch(() => [])).to.deep.equal(
      [],
    );
    expect(await fs.readdir(path.join(h.base.path, "run", "containers"))).to.deep.equal([]);
    expect(await fs.readdir(path.join(h.base.path, "run", "sandboxes"))).to.deep.equal([]);
    const conmons = (await run("ps", ["-eo", "args"])).stdout
      .split("\n")
      .filter((l) => l.includes(h.base.path));
    expect(
      conmons.filter((l) => l.startsWith("conmon") || l.startsWith("/usr/bin/conmon")),
    ).to.deep.equal([]);
  });
});
