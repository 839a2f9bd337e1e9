import { expect } from "chai";
import { promises as fs } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Pod } from "../../agent/kube/types.js";
import { kubeletClusterForSuite } from "../support/kubelet-cluster.js";
import {
  apiTime,
  containerOf,
  isRunning,
  NamespacePods,
} from "../support/kubelet-namespace-pods.js";
import {
  busyboxContainer,
  podManifest,
  printThenWait,
  rollingDeployment,
} from "../support/kubelet-pods.js";
import { containerPid, nodeResidue, runningContainers } from "../support/kubelet-runtime-view.js";
import { waitFor } from "../support/wait-for.js";

const ns = "kubelet-lifecycle";

describe("berth agent as kubelet: container lifecycle through the real controller", function () {
  this.timeout(120_000);
  const cluster = kubeletClusterForSuite(ns);
  const pods = new NamespacePods(cluster, ns);
  const uidOf = (list: Pod[], name: string) =>
    list.find((p) => p.metadata!.name === name)!.metadata!.uid!;
  const containerIdOf = (pod: Pod, name: string) =>
    containerOf(pod, name)!.containerID!.replace("berth://", "");
  const rolloutDone = async (name: string) => {
    const res = await cluster.kubectl(
      ["rollout", "status", `deployment/${name}`, "-n", ns, "--timeout=60s"],
      undefined,
      70_000,
    );
    expect(res.code, res.stderr + res.stdout).to.equal(0);
  };

  it("restarts a container killed from the host, backing off more after each kill", async () => {
    await pods.apply(
      podManifest(ns, "victim", [busyboxContainer("app", printThenWait("echo up"))]),
    );
    let pod = await pods.wait("victim", "to run", isRunning);
    const gaps: number[] = [];
    let sawBackOff = false;
    for (let kill = 1; kill <= 3; kill++) {
      const before = containerOf(pod, "app")!;
      expect(before.restartCount).to.equal(kill - 1);
      process.kill(await containerPid(cluster.cri!, containerIdOf(pod, "app")), "SIGKILL");
      const restarted = await pods.waitContainer(
        "victim",
        "app",
        `to restart after kill ${kill}`,
        (c) => {
          if (c.state?.waiting?.reason === "CrashLoopBackOff") sawBackOff = true;
          return c.restartCount === kill && !!c.state?.running;
        },
        45_000,
      );
      expect(restarted.containerID).to.not.equal(before.containerID);
      expect(restarted.lastState?.terminated).to.include({ exitCode: 137, reason: "Error" });
      const finished = apiTime(restarted.lastState!.terminated!.finishedAt);
      gaps.push(apiTime(restarted.state!.running!.startedAt) - finished);
      pod = await pods.get("victim");
    }
    // kubelet restarts at once after the first exit, then waits 10 s, then 20 s.
    expect(gaps[0], String(gaps)).to.be.at.most(3_000);
    expect(gaps[1], String(gaps)).to.be.within(8_000, 15_000);
    expect(gaps[2], String(gaps)).to.be.at.least(gaps[1] + 5_000);
    expect(sawBackOff).to.equal(true);
    const reasons = (await pods.events("victim")).map((e) => e.reason);
    expect(reasons).to.include("BackOff");
    // victim keeps running: the agent restart below must adopt it, restartCount and all.
  });

  it("shows OOMKilled for a container over its memory limit", async () => {
    // The shell holds the whole 100 MB in a variable: far over its 32 MiB limit.
    const hog = "a=$(head -c 100000000 /dev/zero | tr '\\0' x); echo survived";
    await pods.apply(
      podManifest(
        ns,
        "hog",
        [
          busyboxContainer("app", ["/bin/sh", "-c", hog], {
            resources: { limits: { memory: "32Mi" } },
          }),
        ],
        { restartPolicy: "Never" },
      ),
    );
    const c = await pods.waitContainer("hog", "app", "to be killed", (s) => !!s.state?.terminated);
    expect(c.state!.terminated).to.include({ reason: "OOMKilled", exitCode: 137 });
    const json = JSON.parse(await cluster.kubectlOk(["get", "pod", "hog", "-n", ns, "-o", "json"]));
    expect(json.status.phase).to.equal("Failed");
    expect(json.status.containerStatuses[0].state.terminated.reason).to.equal("OOMKilled");
  });

  it("runs preStop on delete and SIGKILLs a container ignoring TERM at the grace period's end", async () => {
    const hooks = path.join(cluster.base.path, "hooks");
    await fs.mkdir(hooks, { recursive: true });
    const ignoresTerm = busyboxContainer(
      "app",
      ["/bin/sh", "-c", "trap '' TERM; echo up; while true; do sleep 1; done"],
      {
        lifecycle: {
          preStop: { exec: { command: ["/bin/sh", "-c", "echo prestop ran > /hooks/prestop"] } },
        },
        volumeMounts: [{ name: "hooks", mountPath: "/hooks" }],
      },
    );
    await pods.apply(
      podManifest(ns, "stubborn", [ignoresTerm], {
        terminationGracePeriodSeconds: 5,
        volumes: [{ name: "hooks", hostPath: { path: hooks, type: "Directory" } }],
      }),
    );
    await pods.apply(
      podManifest(ns, "polite", [busyboxContainer("app", printThenWait("echo up"))], {
        terminationGracePeriodSeconds: 5,
      }),
    );
    await pods.wait("stubborn", "to run", isRunning);
    await pods.wait("polite", "to run", isRunning);
    const timeline = await pods.timeline();
    try {
      const deleted = Date.now();
      await cluster.kubectlOk(["delete", "pod", "stubborn", "polite", "-n", ns, "--wait=false"]);
      await pods.gone("stubborn");
      await pods.gone("polite");
      const stubborn = timeline.deletedAt("stubborn")! - deleted;
      const polite = timeline.deletedAt("polite")! - deleted;
      expect(stubborn, "stubborn").to.be.within(4_000, 7_500);
      expect(polite, "polite").to.be.below(3_000);
    } finally {
      await timeline.stop();
    }
    expect(await fs.readFile(path.join(hooks, "prestop"), "utf8")).to.equal("prestop ran\n");
  });

  it("reports the termination message, from the file or the log tail", async () => {
    await pods.apply(
      podManifest(
        ns,
        "last-words",
        [
          busyboxContainer("file", [
            "/bin/sh",
            "-c",
            "printf 'gone fishing' > /dev/termination-log; exit 1",
          ]),
          busyboxContainer("logs", ["/bin/sh", "-c", "echo first line; echo last words; exit 2"], {
            terminationMessagePolicy: "FallbackToLogsOnError",
          }),
        ],
        { restartPolicy: "Never" },
      ),
    );
    const pod = await pods.wait("last-words", "to fail", (p) => p.status?.phase === "Failed");
    expect(containerOf(pod, "file")!.state?.terminated).to.include({
      exitCode: 1,
      reason: "Error",
      message: "gone fishing",
    });
    expect(containerOf(pod, "logs")!.state?.terminated).to.include({
      exitCode: 2,
      message: "first line\nlast words\n",
    });
  });

  it("refuses runAsNonRoot for an image that runs as root (CreateContainerConfigError)", async () => {
    await pods.apply(
      podManifest(ns, "nonroot", [
        busyboxContainer("app", printThenWait("echo up"), {
          securityContext: { runAsNonRoot: true },
        }),
      ]),
    );
    const c = await pods.waitContainer(
      "nonroot",
      "app",
      "to be refused",
      (s) => !!s.state?.waiting?.message,
    );
    const uid = (await pods.get("nonroot")).metadata!.uid!;
    expect(c.state!.waiting).to.deep.equal({
      reason: "CreateContainerConfigError",
      message: `container has runAsNonRoot and image will run as root (pod: "nonroot_${ns}(${uid})", container: app)`,
    });
  });

  it("starts a container held by CreateContainerConfigError soon after its ConfigMap appears", async () => {
    const env = [{ name: "MODE", valueFrom: { configMapKeyRef: { name: "late", key: "mode" } } }];
    await pods.apply(
      podManifest(ns, "patient", [
        busyboxContainer("app", printThenWait("echo mode=$MODE"), { env }),
      ]),
    );
    const held = await pods.waitContainer(
      "patient",
      "app",
      "to wait for its ConfigMap",
      (s) => s.state?.waiting?.reason === "CreateContainerConfigError",
    );
    expect(held.state!.waiting!.message).to.match(/^configmap "late" not found/);
    const created = Date.now();
    await pods.apply({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "late", namespace: ns },
      data: { mode: "on" },
    });
    // Nothing in the runtime changes meanwhile: only the kubelet's retry of a failed start finds it.
    await pods.wait("patient", "to run", isRunning, 20_000);
    expect(Date.now() - created).to.be.below(15_000);
  });

  it("reports ErrImageNeverPull, and ErrImagePull then ImagePullBackOff for an unreachable registry", async () => {
    const timeline = await pods.timeline();
    try {
      await pods.apply(
        podManifest(ns, "never", [
          busyboxContainer("app", printThenWait("echo up"), {
            image: "docker.io/library/not-here:1.0",
            imagePullPolicy: "Never",
          }),
        ]),
      );
      // Nothing listens on port 1 of the loopback: every pull is refused at once.
      await pods.apply(
        podManifest(ns, "nowhere", [
          busyboxContainer("app", printThenWait("echo up"), {
            image: "127.0.0.1:1/berth-test/nothing:1.0",
          }),
        ]),
      );
      const never = await pods.waitContainer(
        "never",
        "app",
        "to be refused",
        (s) => !!s.state?.waiting?.reason,
      );
      expect(never.state!.waiting).to.deep.equal({
        reason: "ErrImageNeverPull",
        message:
          'Container image "docker.io/library/not-here:1.0" is not present with pull policy of Never',
      });
      const backOff = await pods.waitContainer(
        "nowhere",
        "app",
        "to back off pulling",
        (s) => s.state?.waiting?.reason === "ImagePullBackOff",
        30_000,
      );
      expect(backOff.state!.waiting!.message).to.match(
        /^Back-off pulling image "127\.0\.0\.1:1\/berth-test\/nothing:1\.0": ErrImagePull: .*ECONNREFUSED/,
      );
      await waitFor("the watch to see the back-off", async () =>
        timeline.waitingReasons("nowhere", "app").includes("ImagePullBackOff") ? true : undefined,
      );
      expect(timeline.waitingReasons("nowhere", "app").slice(0, 2)).to.deep.equal([
        "ErrImagePull",
        "ImagePullBackOff",
      ]);
    } finally {
      await timeline.stop();
    }
    const reasons = (await pods.events("nowhere")).map((e) => e.reason);
    expect(reasons).to.include.members(["Pulling", "Failed", "BackOff"]);
  });

  it("completes a rollout across an agent SIGKILL without restarting a running container or leaking", async () => {
    const listPods = async (labelSelector?: string) =>
      (await cluster.admin.list<Pod>(pods.path(), { query: { labelSelector } })).items;
    const versionOf = (p: Pod) => p.spec?.containers[0].env?.[0]?.value;
    const ready = (p: Pod) => !!p.status?.containerStatuses?.[0]?.ready;
    await pods.apply(rollingDeployment(ns, "roll", 3, "v1"));
    await rolloutDone("roll");
    await pods.apply(rollingDeployment(ns, "roll", 3, "v2"));
    // Mid-rollout: two new pods are Ready, old ones are being stopped and the last new one made.
    await waitFor("two v2 pods to be Ready", async () => {
      const v2 = (await listPods("app=roll")).filter((p) => versionOf(p) === "v2" && ready(p));
      return v2.length >= 2 ? true : undefined;
    });
    const running = await runningContainers(cluster.cri!);
    const restartsBefore = new Map(
      (await listPods()).map((p) => [p.metadata!.uid!, containerOf(p, "app")?.restartCount]),
    );
    await cluster.killAgent();
    await sleep(1_000);
    await cluster.startAgent();
    await rolloutDone("roll");
    // Old pods may still be terminating when the rollout reports done.
    const rolled = await waitFor("the old pods to be gone", async () => {
      const left = await listPods("app=roll");
      return left.every((p) => versionOf(p) === "v2") ? left : undefined;
    });
    expect(rolled).to.have.length(3);
    const after = await listPods();
    const survivors = running.filter((c) => after.some((p) => p.metadata!.uid === c.podUid));
    // The crash-looped victim and at least two new pods were running at the kill and are kept.
    expect(survivors.length, "containers running at the kill that are kept").to.be.at.least(3);
    const victim = uidOf(after, "victim");
    expect(survivors.map((c) => c.podUid)).to.include(victim);
    expect(restartsBefore.get(victim)).to.equal(3);
    for (const c of survivors) {
      const pod = after.find((p) => p.metadata!.uid === c.podUid)!;
      expect(containerOf(pod, c.name), pod.metadata!.name).to.include({
        containerID: `berth://${c.id}`,
        restartCount: restartsBefore.get(c.podUid),
      });
      expect(containerOf(pod, c.name)!.state?.running, pod.metadata!.name).to.be.an("object");
      const objects = await cluster.runtimeObjects(c.podUid);
      const kept = pod.metadata!.name === "victim" ? 2 : 1; // victim keeps its last dead instance
      expect(objects.containers, pod.metadata!.name).to.have.length(kept).and.include(c.id);
    }
    // The node ends up with exactly the pods the API binds to it, and nothing of the others.
    const residue = await waitFor("the runtime to match the API", async () => {
      const apiUids = (
        await cluster.admin.list<Pod>("/api/v1/pods", {
          query: { fieldSelector: `spec.nodeName=${cluster.nodeName}` },
        })
      ).items
        .map((p) => p.metadata!.uid!)
        .sort();
      const found = await nodeResidue(cluster.cri!, {
        base: cluster.base.path,
        cgroupParent: cluster.cgroupParent,
        networkName: cluster.network.name,
      });
      return JSON.stringify(found.sandboxPodUids) === JSON.stringify(apiUids) ? found : undefined;
    });
    const strays = residue.containers.filter(
      (c) => !residue.sandboxPodUids.includes(c.podUid) || c.state === "CONTAINER_CREATED",
    );
    expect(strays, "containers of no pod, or created and never started").to.deep.equal([]);
    expect(residue.netnsPins).to.deep.equal(residue.readySandboxIds);
    expect(residue.allocatedIPs).to.have.length(residue.readySandboxIds.length);
    expect(residue.podCgroups).to.deep.equal(residue.sandboxIds);
  });
});
