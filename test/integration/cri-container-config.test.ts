import { expect } from "chai";
import { promises as fs } from "node:fs";
import { busyboxBaseLayer } from "../fixtures/busybox-image.js";
import { buildImage } from "../fixtures/fixture-image.js";
import { criHarness, type Pod } from "../support/cri-harness.js";

const appImage = "docker.io/library/berth-app:latest";

/** An image whose config picks the entrypoint, cmd, env, working dir and stop signal. */
async function configuredImage() {
  return buildImage([await busyboxBaseLayer()], {
    runConfig: {
      Entrypoint: ["/bin/sh", "-c"],
      Cmd: ['echo "image cmd $FROM_IMAGE $(pwd)"'],
      Env: ["PATH=/usr/bin:/bin", "FROM_IMAGE=image", "KEPT=kept"],
      WorkingDir: "/srv",
      StopSignal: "SIGUSR1",
    },
  });
}

const logText = async (path: string) =>
  (await fs.readFile(path, "utf8"))
    .split("\n")
    .filter(Boolean)
    .map((l) => l.split(" ").slice(3).join(" "))
    .join("\n");

describe("CRI containers: the image's config, the container's config and the pod's files", function () {
  const h = criHarness("cri-config", async () => [
    { image: await configuredImage(), refNames: [appImage] },
  ]);

  /** Runs a container of the configured image to its end; its log's text, without CRI prefixes. */
  const output = async (pod: Pod, name: string, config: Record<string, unknown>) => {
    const { container_id } = await h.cri.runtime("CreateContainer", {
      pod_sandbox_id: pod.id,
      config: {
        metadata: { name, attempt: 0 },
        image: { image: appImage },
        log_path: `${name}.log`,
        linux: {},
        ...config,
      },
      sandbox_config: pod.config,
    });
    await h.cri.runtime("StartContainer", { container_id });
    const status = await h.exited(container_id);
    return logText(status.log_path);
  };

  it("merges entrypoint, cmd, env and working dir the way Docker and the kubelet do", async () => {
    const pod = await h.runPod("merge");
    expect(await output(pod, "defaults", {})).to.equal("image cmd image /srv");
    expect(await output(pod, "args", { args: ['echo "args $KEPT"'] })).to.equal("args kept");
    // A command replaces the image's entrypoint and drops its cmd: echo would print any leftover.
    expect(await output(pod, "command", { command: ["echo", "command"] })).to.equal("command");
    expect(await output(pod, "workdir", { command: ["/bin/sh", "-c", "pwd"] })).to.equal("/srv");
    expect(
      await output(pod, "env", {
        envs: [{ key: "FROM_IMAGE", value: Buffer.from("container") }],
        working_dir: "/tmp",
      }),
    ).to.equal("image cmd container /tmp");
  });

  it("stops with the image's StopSignal when the container names none", async () => {
    const pod = await h.runPod("signal");
    const { container_id } = await h.cri.runtime("CreateContainer", {
      pod_sandbox_id: pod.id,
      config: {
        metadata: { name: "waiter", attempt: 0 },
        image: { image: appImage },
        command: [
          "/bin/sh",
          "-c",
          "trap 'echo got USR1; exit 0' USR1; while :; do sleep 0.1; done",
        ],
        log_path: "waiter.log",
        linux: {},
      },
      sandbox_config: pod.config,
    });
    await h.cri.runtime("StartContainer", { container_id });
    const started = Date.now();
    await h.cri.runtime("StopContainer", { container_id, timeout: 10 });
    expect(Date.now() - started).to.be.lessThan(5000);
    const status = await h.status(container_id);
    expect(status.exit_code).to.equal(0);
    expect(await logText(status.log_path)).to.equal("got USR1");
  });

  it("gives a tty container a terminal, and a stdin container a live pipe", async () => {
    const pod = await h.runPod("stdio");
    const probe =
      "[ -t 1 ] && echo tty || echo no-tty; [ -p /proc/self/fd/0 ] && echo pipe || echo no-pipe";
    const tty = await h.runContainer(pod, "tty", probe, { tty: true });
    const stdin = await h.runContainer(pod, "stdin", probe, { stdin: true });
    const plain = await h.runContainer(pod, "plain", probe);
    const text = async (id: string) =>
      (await logText((await h.exited(id)).log_path)).replace(/\r/g, "");
    expect(await text(tty)).to.match(/^tty\nno-pipe$/);
    expect(await text(stdin)).to.equal("no-tty\npipe");
    expect(await text(plain)).to.equal("no-tty\nno-pipe");
  });

  it("writes hostname, hosts and resolv.conf from the pod's config, and sets its sysctls", async () => {
    const pod = await h.runPod("files", {
      hostname: "files-host",
      dns_config: { servers: ["10.10.10.10"], searches: ["example.test"], options: ["ndots:8"] },
      linux: { sysctls: { "kernel.shm_rmid_forced": "1", "fs.mqueue.msg_max": "100" } },
    });
    const id = await h.runContainer(
      pod,
      "reader",
      "hostname; cat /etc/hostname; cat /etc/resolv.conf; grep files-host /etc/hosts; " +
        "cat /proc/sys/kernel/shm_rmid_forced /proc/sys/fs/mqueue/msg_max",
    );
    const lines = (await logText((await h.exited(id)).log_path)).split("\n");
    expect(lines.slice(0, 2)).to.deep.equal(["files-host", "files-host"]);
    expect(lines).to.include.members([
      "nameserver 10.10.10.10",
      "search example.test",
      "options ndots:8",
    ]);
    expect(lines.some((l) => /\bfiles-host\b/.test(l) && !l.startsWith("files-host"))).to.equal(
      true,
    );
    expect(lines.slice(-2)).to.deep.equal(["1", "100"]);
  });
});
