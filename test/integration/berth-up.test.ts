import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { spawnInPty } from "../../agent/runtime/container/pty-helper.js";
import { run } from "../../lib/exec.js";
import { berthBin } from "../support/berth-process.js";
import { removeCgroupEverywhere } from "../support/cgroup-leaks.js";
import { freePort } from "../support/free-port.js";
import { kubectl, kubectlOk } from "../support/kubectl.js";
import { requireIntegration } from "../support/prerequisites.js";
import { tempDir } from "../support/temp-dir.js";
import { writeTestNetwork, type TestNetwork } from "../support/test-network.js";
import { unmountUnder } from "../support/unmount-under.js";
import { waitFor } from "../support/wait-for.js";
import { runTeardown } from "../support/teardown.js";

interface UpProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** GET http://ip:port/ from the host: the body, or undefined when nothing answers. */
function httpGet(ip: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = http.get({ host: ip, port, path: "/", timeout: 2000, agent: false }, (res) => {
      let body = "";
      res.on("data", (b: Buffer) => (body += b.toString()));
      res.on("end", () => resolve(body));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(undefined));
  });
}

const deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "hello", namespace: "default" },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: "hello" } },
    template: {
      metadata: { labels: { app: "hello" } },
      spec: {
        containers: [
          {
            name: "httpd",
            image: "berth.local/busybox:stable",
            command: [
              "sh",
              "-c",
              "echo hello from $(hostname) > /var/www/index.html; exec httpd -f -p 8080 -h /var/www",
            ],
            ports: [{ containerPort: 8080, name: "http" }],
            readinessProbe: { httpGet: { path: "/", port: "http" }, periodSeconds: 1 },
          },
        ],
      },
    },
  },
};

describe("berth up: a one-machine cluster that real kubectl uses", function () {
  this.timeout(300_000);
  const id = randomBytes(3).toString("hex");
  const cgroupParent = `/berth-test-up-${id}`;
  let base: ReturnType<typeof tempDir> | undefined;
  let network: TestNetwork | undefined;
  let up: UpProcess | undefined;
  let root = "";
  let runDir = "";
  let ports: { etcd: number; peer: number; api: number; kubelet: number };
  let kube: { kubeconfig: string; cacheDir: string };

  const pathFlags = () => ["--root", root, "--run-dir", runDir];
  const startUp = async (): Promise<UpProcess> => {
    const child = spawn(
      berthBin,
      [
        "up",
        ...pathFlags(),
        "--node-name",
        `berth-test-up-${id}`,
        "--etcd-port",
        String(ports.etcd),
        "--etcd-peer-port",
        String(ports.peer),
        "--api-port",
        String(ports.api),
        "--kubelet-port",
        String(ports.kubelet),
        "--cgroup-parent",
        cgroupParent,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr?.on("data", (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const started: UpProcess = { child, stdout: () => stdout, stderr: () => stderr, exited };
    await waitFor(
      "berth up to report the cluster up",
      async () => {
        if (child.exitCode !== null) throw new Error(`berth up exited: ${stderr}`);
        return stderr.includes('"cluster is up"') ? true : undefined;
      },
      120_000,
    );
    return started;
  };
  const stopUp = async (): Promise<number | null> => {
    const current = up;
    up = undefined;
    if (!current) return null;
    if (current.child.exitCode === null) current.child.kill("SIGINT");
    return current.exited;
  };
  const pods = async () =>
    JSON.parse(
      await kubectlOk(["get", "pods", "-n", "default", "-l", "app=hello", "-o", "json"], kube),
    ).items as {
      metadata: { name: string };
      status: {
        phase?: string;
        podIP?: string;
        containerStatuses?: { containerID?: string; restartCount: number; ready: boolean }[];
      };
    }[];
  const allRunning = async () => {
    const list = await pods();
    return list.length === 3 &&
      list.every((p) => p.status.phase === "Running" && p.status.containerStatuses?.[0]?.ready)
      ? list
      : undefined;
  };

  before(async function () {
    requireIntegration(this, ["runc", "conmon", "etcd", "openssl", "kubectl", "busybox"]);
    base = tempDir("berth-up");
    root = path.join(base.path, "root");
    runDir = path.join(base.path, "run");
    // The test's own bridge and subnet: berth up keeps a network config it finds in its root.
    network = await writeTestNetwork(root);
    ports = {
      etcd: await freePort(),
      peer: await freePort(),
      api: await freePort(),
      kubelet: await freePort(),
    };
    kube = {
      kubeconfig: path.join(root, "admin.kubeconfig"),
      cacheDir: path.join(base.path, "kube-cache"),
    };
  });

  after(async () => {
    const steps = [
      () => stopUp(),
      async () => {
        if (root && existsSync(root)) {
          await run(
            berthBin,
            ["down", "--purge", ...pathFlags(), "--cgroup-parent", cgroupParent],
            {
              timeoutMs: 120_000,
            },
          );
        }
      },
      () => network?.remove(),
      async () => removeCgroupEverywhere(cgroupParent),
      async () => base && (await unmountUnder(base.path)),
      async () => base?.remove(),
    ];
    await runTeardown(steps);
  });

  it("starts etcd, the controller and the agent, and prints how to use kubectl", async () => {
    up = await startUp();
    const printed = await waitFor("the instructions on stdout", async () =>
      up!.stdout().includes("kubectl get nodes") ? up!.stdout() : undefined,
    );
    expect(printed).to.include(`export KUBECONFIG=${kube.kubeconfig}`);
    const nodes = await waitFor("the node to be Ready", async () => {
      const out = await kubectl(["get", "nodes", "--no-headers"], kube);
      return /\sReady\s/.test(out.stdout) ? out.stdout : undefined;
    });
    expect(nodes).to.match(new RegExp(`^berth-test-up-${id}\\s+Ready`));
    const images = await run(berthBin, ["image", "ls", "--root", root]);
    expect(images.stdout).to.include("berth.local/busybox");
  });

  it("runs a Deployment of the built-in busybox whose pod IPs answer HTTP from the host", async () => {
    await kubectlOk(["apply", "-f", "-"], { ...kube, input: JSON.stringify(deployment) });
    const list = await waitFor("3 pods Running and Ready", allRunning, 120_000);
    for (const pod of list) {
      const body = await waitFor(`HTTP from ${pod.status.podIP}`, () =>
        httpGet(pod.status.podIP!, 8080),
      );
      expect(body).to.equal(`hello from ${pod.metadata.name}\n`);
    }
    const wide = await kubectlOk(["get", "pods", "-o", "wide"], kube);
    for (const pod of list) expect(wide).to.include(pod.status.podIP!);
  });

  it("serves kubectl logs, logs -f, exec, exec -i and exec -it through the controller", async () => {
    const [pod] = await pods();
    const name = pod.metadata.name;
    await kubectlOk(["exec", name, "--", "sh", "-c", "echo from-exec > /proc/1/fd/1"], kube);
    expect(await kubectlOk(["logs", name], kube)).to.include("from-exec\n");
    const exec = await kubectl(
      ["exec", name, "--", "sh", "-c", "echo out; echo err >&2; exit 3"],
      kube,
    );
    expect([exec.code, exec.stdout, exec.stderr]).to.deep.equal([
      3,
      "out\n",
      "err\ncommand terminated with exit code 3\n",
    ]);
    const piped = await kubectl(["exec", "-i", name, "--", "sh", "-c", "cat; echo end"], {
      ...kube,
      input: "hello\n",
    });
    expect([piped.code, piped.stdout]).to.deep.equal([0, "hello\nend\n"]);

    const follow = spawn(
      "kubectl",
      ["--kubeconfig", kube.kubeconfig, "--cache-dir", kube.cacheDir, "logs", "-f", name],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let followed = "";
    follow.stdout.on("data", (b: Buffer) => (followed += b.toString()));
    try {
      await waitFor("logs -f to print the old lines", async () =>
        followed.includes("from-exec") ? true : undefined,
      );
      await kubectlOk(["exec", name, "--", "sh", "-c", "echo later-line > /proc/1/fd/1"], kube);
      await waitFor("logs -f to print a new line", async () =>
        followed.includes("later-line\n") ? true : undefined,
      );
    } finally {
      follow.kill("SIGTERM");
    }

    const pty = spawnInPty(
      ["/usr/bin/kubectl", "--kubeconfig", kube.kubeconfig, "--cache-dir", kube.cacheDir].concat([
        "exec",
        "-it",
        name,
        "--",
        "sh",
      ]),
      { input: true, size: { width: 90, height: 20 } },
    );
    let screen = "";
    pty.output.on("data", (b: Buffer) => (screen += b.toString()));
    const exited = new Promise<number | null>((resolve) => pty.child.on("close", resolve));
    await waitFor("the shell's prompt", async () => (screen.includes("# ") ? true : undefined));
    pty.input!.write("stty size; echo sum-$((40+2))\r");
    await waitFor("the command's output", async () =>
      /sum-42\r\n/.test(screen) ? true : undefined,
    );
    expect(screen).to.include("20 90\r\n");
    pty.input!.write("exit 4\r");
    expect(await exited).to.equal(4);
  });

  it("stops on Ctrl-C leaving the containers running, and adopts them on the next berth up", async () => {
    const before = await pods();
    expect(await stopUp()).to.equal(0);
    for (const pod of before) {
      expect(await httpGet(pod.status.podIP!, 8080), pod.metadata.name).to.match(/^hello from/);
    }
    up = await startUp();
    const after = await waitFor("the pods Running again", allRunning, 120_000);
    const ids = (list: typeof before) =>
      list.map((p) => `${p.metadata.name} ${p.status.containerStatuses?.[0]?.containerID}`).sort();
    expect(ids(after)).to.deep.equal(ids(before));
    expect(after.map((p) => p.status.containerStatuses?.[0]?.restartCount)).to.deep.equal([
      0, 0, 0,
    ]);
  });

  it("berth down --purge stops it and removes the pods, the bridge and the state", async () => {
    const before = await pods();
    const down = await run(
      berthBin,
      ["down", "--purge", ...pathFlags(), "--cgroup-parent", cgroupParent],
      { timeoutMs: 120_000 },
    );
    expect(down.stdout).to.match(/stopped berth up/);
    expect(down.stdout).to.match(/removed 3 pod\(s\)/);
    up = undefined;
    expect(existsSync(root), root).to.equal(false);
    const link = await run("ip", ["link", "show", network!.bridge]).then(
      () => "present",
      () => "gone",
    );
    expect(link).to.equal("gone");
    // Nothing is probed on the pod IPs now: without the bridge they would route off the machine.
    const leftCgroups = readdirSync("/sys/fs/cgroup").filter((h) =>
      existsSync(`/sys/fs/cgroup/${h}${cgroupParent}`),
    );
    expect(leftCgroups, "cgroup hierarchies still holding the pods' parent").to.deep.equal([]);
    expect(before).to.have.length(3);
  });
});
