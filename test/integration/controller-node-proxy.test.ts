import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import { PassThrough, type Duplex } from "node:stream";
import WebSocket from "ws";
import { spawnInPty } from "../../agent/runtime/container/pty-helper.js";
import { Runc } from "../../agent/runtime/oci-runtime/runc.js";
import { RuntimePaths } from "../../agent/runtime/runtime-paths.js";
import {
  createStreamingServer,
  type StreamingServer,
} from "../../agent/streaming/streaming-server.js";
import { writeKubeconfig } from "../../controller/pki/kubeconfig.js";
import { pkiLayout } from "../../controller/pki/pki-layout.js";
import { kubeletClientCommonName } from "../../controller/pki/pki.js";
import { silentLogger } from "../../lib/logger.js";
import { SpdyConnection } from "../../lib/spdy/connection.js";
import { runRemoteCommand } from "../../lib/spdy/remote-command-client.js";
import { startBerthProcess } from "../support/berth-process.js";
import { startControllerProcess, type ControllerProcess } from "../support/controller-process.js";
import { makeTestPki, type TestPki } from "../support/controller-pki.js";
import { criHarness, type Pod } from "../support/cri-harness.js";
import { recordTargets } from "../support/record-targets.js";
import { startEtcd, type TestEtcd } from "../support/etcd-server.js";
import { kubectl, kubectlOk, type KubectlResult } from "../support/kubectl.js";
import { tempDir } from "../support/temp-dir.js";
import { waitFor } from "../support/wait-for.js";

const ns = "proxy";
const kubectl129 = "/usr/lib/google-cloud-sdk/bin/kubectl.1.29";
const kubectl132 = "/usr/lib/google-cloud-sdk/bin/kubectl.1.32";

/** A kubectl that speaks SPDY to exec and attach, and how to run it. */
interface SpdyClient {
  name: string;
  binary: string;
  env: Record<string, string>;
}

const oldKubectl: SpdyClient = { name: "kubectl 1.29", binary: kubectl129, env: {} };

const spdyClients: SpdyClient[] = [
  oldKubectl,
  {
    name: "kubectl 1.32 with KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false",
    binary: kubectl132,
    env: { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: "false" },
  },
];

/** An upgrade request as the agent received it. */
interface AgentUpgrade {
  method?: string;
  path: string;
  upgrade?: string;
  connection?: string;
  streamProtocols?: string;
  websocketProtocols?: string;
}

interface Container {
  name: string;
  stdin?: boolean;
  tty?: boolean;
}

const nodeYaml = (name: string, addresses: { type: string; address: string }[], port: number) =>
  JSON.stringify({
    apiVersion: "v1",
    kind: "Node",
    metadata: { name },
    status: {
      conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "ok" }],
      addresses,
      daemonEndpoints: { kubeletEndpoint: { Port: port } },
    },
  });

const podYaml = (name: string, nodeName: string | undefined, containers: Container[]) =>
  JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: ns },
    spec: {
      ...(nodeName ? { nodeName } : { schedulerName: "nobody-schedules-this" }),
      containers: containers.map((c) => ({
        name: c.name,
        image: "busybox",
        ...(c.stdin ? { stdin: true, stdinOnce: !c.tty } : {}),
        ...(c.tty ? { tty: true } : {}),
      })),
    },
  });

describe("controller proxies pods/log, exec and attach to the node's agent (real kubectl)", function () {
  this.timeout(240_000);
  const h = criHarness("node-proxy", undefined, ["perl", "busybox", "openssl", "etcd", "kubectl"]);
  let base: ReturnType<typeof tempDir>;
  let etcd: TestEtcd;
  let controller: ControllerProcess;
  let verifying: ControllerProcess | undefined;
  let agentPki: TestPki;
  let strangerPki: TestPki;
  let agent: StreamingServer;
  let impostor: StreamingServer;
  let opts: { kubeconfig: string; cacheDir: string };
  let viewerKubeconfig: string;
  const viewerToken = `viewer-${process.pid}-${Date.now()}`;
  /** The upgrade requests the agent received during the current test. */
  const agentUpgrades: AgentUpgrade[] = [];

  const k = (args: string[], input?: string) => kubectl(["-n", ns, ...args], { ...opts, input });
  const ok = (args: string[], input?: string) => kubectlOk(["-n", ns, ...args], { ...opts, input });

  async function streamingServer(pki: TestPki, controllerCa: string): Promise<StreamingServer> {
    const paths = new RuntimePaths(path.join(h.base.path, "root"), path.join(h.base.path, "run"));
    const server = createStreamingServer({
      tls: {
        cert: readFileSync(pki.pki.serverCertFile, "utf8"),
        key: readFileSync(pki.pki.serverKeyFile, "utf8"),
        ca: controllerCa,
      },
      // Only the controller's kubelet client identity: not the admin's group.
      authorization: { allowedUsers: [kubeletClientCommonName], allowedGroups: [] },
      targets: recordTargets(paths),
      runtime: { paths, runc: new Runc("/usr/sbin/runc", paths.runcRoot) },
      logger: silentLogger(),
    });
    await server.listen(0, "127.0.0.1");
    return server;
  }
  const portOf = (server: StreamingServer) => (server.server.address() as { port: number }).port;

  before(async function () {
    base = tempDir("node-proxy");
    etcd = await startEtcd();
    const tokenFile = path.join(base.path, "tokens.csv");
    writeFileSync(tokenFile, `${viewerToken},viewer,u-viewer,""\n`);
    const policyFile = path.join(base.path, "policy.jsonl");
    writeFileSync(
      policyFile,
      [
        { user: "viewer", namespace: "*", resource: "*", apiGroup: "*", readonly: true },
        { user: "viewer", nonResourcePath: "*", readonly: true },
      ]
        .map((spec) =>
          JSON.stringify({
            apiVersion: "abac.authorization.kubernetes.io/v1beta1",
            kind: "Policy",
            spec,
          }),
        )
        .join("\n") + "\n",
    );
    // Nodes here send no heartbeats: the lifecycle controller must not taint them mid-test.
    controller = await startControllerProcess(base.path, etcd.endpoint, {
      args: [
        "--node-monitor-grace-period",
        "1h",
        "--token-auth-file",
        tokenFile,
        "--authorization-policy-file",
        policyFile,
      ],
    });
    opts = { kubeconfig: controller.kubeconfig, cacheDir: path.join(base.path, "kube-cache") };
    const controllerCa = readFileSync(pkiLayout(path.join(base.path, "controller")).caCert, "utf8");
    agentPki = await makeTestPki("node-proxy-agent");
    strangerPki = await makeTestPki("node-proxy-stranger");
    agent = await streamingServer(agentPki, controllerCa);
    agent.server.on("upgrade", (req: http.IncomingMessage) => {
      const header = (name: string) => [req.headers[name] ?? []].flat().join(", ") || undefined;
      agentUpgrades.push({
        method: req.method,
        path: (req.url ?? "").replace(/\?.*/, ""),
        upgrade: header("upgrade"),
        connection: header("connection"),
        streamProtocols: header("x-stream-protocol-version"),
        websocketProtocols: header("sec-websocket-protocol"),
      });
    });
    impostor = await streamingServer(strangerPki, controllerCa);
    viewerKubeconfig = path.join(base.path, "viewer.kubeconfig");
    await writeKubeconfig(viewerKubeconfig, {
      server: controller.url,
      caPem: controllerCa,
      user: "viewer",
      token: viewerToken,
    });

    const loopback = [{ type: "InternalIP", address: "127.0.0.1" }];
    await ok(["create", "namespace", ns]);
    for (const node of [
      nodeYaml(
        "node-a",
        [{ type: "Hostname", address: "no-such-host.invalid" }, ...loopback],
        portOf(agent),
      ),
      nodeYaml("node-impostor", loopback, portOf(impostor)),
      nodeYaml("node-ghost", [], portOf(agent)),
      nodeYaml("node-down", loopback, 1),
    ]) {
      await ok(["create", "-f", "-"], node);
    }
    for (const pod of [
      podYaml("web", "node-a", [{ name: "app" }]),
      podYaml("duo", "node-a", [{ name: "first" }, { name: "second" }]),
      podYaml("talk", "node-a", [{ name: "talk", stdin: true }]),
      podYaml("shell", "node-a", [{ name: "app", stdin: true, tty: true }]),
      podYaml("fwd", "node-a", [{ name: "web" }]),
      podYaml("stopped", "node-a", [{ name: "app" }]),
      podYaml("unbound", undefined, [{ name: "app" }]),
      podYaml("ghost", "node-ghost", [{ name: "app" }]),
      podYaml("down", "node-down", [{ name: "app" }]),
      podYaml("web", "node-impostor", [{ name: "app" }]).replace(`"name":"web"`, `"name":"far"`),
    ]) {
      await ok(["create", "-f", "-"], pod);
    }
    // kubectl port-forward insists on a running pod; no kubelet reports this one.
    await ok([
      "patch",
      "pod",
      "fwd",
      "--subresource=status",
      "--type=merge",
      "-p",
      '{"status":{"phase":"Running"}}',
    ]);
  });

  beforeEach(() => {
    agentUpgrades.length = 0;
  });

  after(async () => {
    await verifying?.stop();
    await agent?.close();
    await impostor?.close();
    await controller?.stop();
    await etcd?.stop();
    agentPki?.remove();
    strangerPki?.remove();
    base?.remove();
  });

  const labels = (pod: string, container?: string) => ({
    "io.kubernetes.pod.namespace": ns,
    "io.kubernetes.pod.name": pod,
    ...(container ? { "io.kubernetes.container.name": container } : {}),
  });
  let pods = 0;
  // Each run gets its own log directory: a removed sandbox leaves its logs behind.
  const runPod = (name: string) =>
    h.runPod(name, {
      labels: labels(name),
      log_directory: path.join(h.base.path, "logs", `${name}-${++pods}`),
    });
  const run = (pod: Pod, name: string, script: string, extra: Record<string, unknown> = {}) =>
    h.runContainer(pod, name, script, { labels: labels(pod.config.metadata.name, name), ...extra });

  /** A pod "web" whose container "app" printed three lines and keeps running. */
  async function webPod(): Promise<Pod> {
    const pod = await runPod("web");
    await run(pod, "app", "echo one; echo two; echo three; exec sleep 100000");
    await waitFor("web's log", async () =>
      (await k(["logs", "web"])).stdout === "one\ntwo\nthree\n" ? true : undefined,
    );
    return pod;
  }

  const defaultKubectl = { binary: "kubectl", env: {} };

  function spawnKubectl(
    args: string[],
    client: Pick<SpdyClient, "binary" | "env"> = defaultKubectl,
  ): {
    child: ChildProcess;
    result: Promise<KubectlResult>;
    stdout: () => string;
  } {
    const child = spawn(
      client.binary,
      ["--kubeconfig", opts.kubeconfig, "--cache-dir", opts.cacheDir, "-n", ns, ...args],
      { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, ...client.env } },
    );
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (b: Buffer) => (stdout += b));
    child.stderr!.on("data", (b: Buffer) => (stderr += b));
    const result = new Promise<KubectlResult>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
    return { child, result, stdout: () => stdout };
  }

  /** A kubectl run to its end with this input (killed after 30 s). */
  async function runKubectl(
    client: SpdyClient,
    args: string[],
    input = "",
  ): Promise<KubectlResult> {
    const run = spawnKubectl(args, client);
    run.child.stdin!.end(input);
    const timer = setTimeout(() => run.child.kill("SIGKILL"), 30_000);
    try {
      return await run.result;
    } finally {
      clearTimeout(timer);
    }
  }

  /** A raw GET to the controller as the admin. */
  function apiGet(
    server: string,
    urlPath: string,
    kubeconfigDir = path.join(base.path, "controller"),
  ): Promise<{ status: number; body: string }> {
    const layout = pkiLayout(kubeconfigDir);
    return new Promise((resolve, reject) => {
      https
        .get(
          `${server}${urlPath}`,
          {
            ca: readFileSync(layout.caCert),
            cert: readFileSync(layout.adminCert),
            key: readFileSync(layout.adminKey),
          },
          (res) => {
            let body = "";
            res.on("data", (c: Buffer) => (body += c));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
          },
        )
        .on("error", reject);
    });
  }
  const status = (body: string) => JSON.parse(body) as Record<string, unknown>;

  it("issues the controller a kubelet client certificate from its CA, in system:masters", async () => {
    const layout = pkiLayout(path.join(base.path, "controller"));
    const { X509Certificate } = await import("node:crypto");
    const cert = new X509Certificate(readFileSync(layout.kubeletClientCert));
    expect(cert.subject).to.equal("O=system:masters\nCN=berth-apiserver-kubelet-client");
    expect(cert.checkIssued(new X509Certificate(readFileSync(layout.caCert)))).to.equal(true);
    expect(cert.keyUsage).to.include("1.3.6.1.5.5.7.3.2");
  });

  it("serves kubectl logs, --tail with --timestamps, and --previous from the agent", async () => {
    await webPod();
    expect(await ok(["logs", "web"])).to.equal("one\ntwo\nthree\n");
    expect(await ok(["logs", "pod/web", "-c", "app"])).to.equal("one\ntwo\nthree\n");
    const tail = await ok(["logs", "web", "--tail=2", "--timestamps"]);
    expect(tail).to.match(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d) two\n\S+ three\n$/,
    );
    expect(await ok(["logs", "web", "--limit-bytes=6"])).to.equal("one\ntw");

    const restarts = await runPod("duo");
    await h.exited(
      await run(restarts, "first", "echo first attempt; exit 1", { log_path: "first/0.log" }),
    );
    await run(restarts, "first", "echo second attempt; exec sleep 100000", {
      log_path: "first/1.log",
      metadata: { name: "first", attempt: 1 },
    });
    expect(await ok(["logs", "duo", "-c", "first", "--previous"])).to.equal("first attempt\n");
    await waitFor("the second attempt's log", async () =>
      (await k(["logs", "duo", "-c", "first"])).stdout === "second attempt\n" ? true : undefined,
    );
  });

  it("follows a log with kubectl logs -f until the container ends, or until kubectl leaves", async () => {
    const pod = await runPod("web");
    await run(pod, "app", "echo start; sleep 2; echo middle; sleep 1; echo bye");
    const follow = spawnKubectl(["logs", "-f", "web"]);
    await waitFor("the first line", async () =>
      follow.stdout().includes("start") ? true : undefined,
    );
    expect(follow.stdout(), "later lines have not arrived yet").not.to.include("bye");
    const done = await follow.result;
    expect([done.code, done.stdout]).to.deep.equal([0, "start\nmiddle\nbye\n"]);

    const ticker = await runPod("talk");
    await run(ticker, "talk", "i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done");
    const watcher = spawnKubectl(["logs", "-f", "talk"]);
    await waitFor("new lines", async () => (/tick 5\n/.test(watcher.stdout()) ? true : undefined));
    expect(await agentConnections(), "the controller follows the log on the agent").to.equal(1);
    watcher.child.kill("SIGTERM");
    await watcher.result;
    const seen = [...watcher.stdout().matchAll(/^tick (\d+)$/gm)].map((m) => Number(m[1]));
    expect(seen).to.deep.equal(seen.map((_, i) => i + 1));
    // kubectl left, so the controller hangs up on the agent, though the container goes on.
    await waitFor("the agent request to end", async () =>
      (await agentConnections()) === 0 ? true : undefined,
    );
  });

  const agentConnections = () =>
    new Promise<number>((resolve, reject) =>
      agent.server.getConnections((err, count) => (err ? reject(err) : resolve(count))),
    );

  it("runs kubectl exec: stdout and stderr apart, and the command's exit code", async () => {
    await webPod();
    const r = await k(["exec", "web", "--", "sh", "-c", "echo out; echo err >&2; exit 3"]);
    expect(r.stdout).to.equal("out\n");
    expect(r.stderr).to.include("err\n");
    expect(r.stderr).to.include("command terminated with exit code 3");
    expect(r.code).to.equal(3);
    expect(await ok(["exec", "web", "-c", "app", "--", "id", "-u"])).to.equal("0\n");
  });

  it("feeds kubectl exec -i's stdin to the command until it ends", async () => {
    await webPod();
    const r = await k(["exec", "-i", "web", "--", "sh", "-c", "cat; echo end"], "hello\nworld\n");
    expect([r.code, r.stdout]).to.deep.equal([0, "hello\nworld\nend\n"]);
  });

  /** kubectl (with its environment) on a new pseudo-terminal of 101x31. */
  function kubectlInPty(client: Pick<SpdyClient, "binary" | "env">, args: string[]) {
    const env = Object.entries(client.env).map(([name, value]) => `${name}=${value}`);
    const pty = spawnInPty(
      [
        "/usr/bin/env",
        ...env,
        client.binary,
        "--kubeconfig",
        opts.kubeconfig,
        "--cache-dir",
        opts.cacheDir,
        "-n",
        ns,
        ...args,
      ],
      { input: true, size: { width: 101, height: 31 } },
    );
    let screen = "";
    let complaints = "";
    pty.output.on("data", (b: Buffer) => (screen += b));
    pty.errors.on("data", (b: Buffer) => (complaints += b));
    const exited = new Promise<number | null>((resolve) => pty.child.on("close", resolve));
    return { pty, exited, screen: () => screen, complaints: () => complaints };
  }

  /**
   * Talks to the shell on kubectl's terminal: what is typed is echoed, the remote terminal has
   * the local size and follows a resize, and `exit <code>` ends the shell. Resolves with
   * kubectl's exit code.
   */
  async function driveShell(session: ReturnType<typeof kubectlInPty>, code: number) {
    const { pty, screen } = session;
    const explain = (err: Error) => {
      throw new Error(`${err.message}: ${JSON.stringify(screen())} ${session.complaints()}`);
    };
    let asked = 0;
    // The size the remote terminal has now: the line `stty size` prints before a fresh marker
    // (computed by the shell, so the echo of what was typed cannot match it).
    const remoteSize = async () => {
      const marker = 1000 + ++asked;
      pty.input!.write(`stty size; echo mark-$((1000+${asked}))\r`);
      // \r+: kubectl may make the local terminal raw only after the first output arrived.
      const line = new RegExp(`(\\d+ \\d+)\\r+\\nmark-${marker}\\r+\\n`);
      return waitFor(`the shell's answer ${marker}`, async () => line.exec(screen())?.[1]).catch(
        explain,
      );
    };
    // kubectl sends sizes on their own stream, beside what is typed: poll for each. (kubectl
    // attach sends the size plus one first, to make the remote program redraw.)
    const sizes: string[] = [];
    const sizeBecomes = (wanted: string) =>
      waitFor(`the remote terminal to be ${wanted}`, async () => {
        sizes.push(await remoteSize());
        return sizes.at(-1) === wanted ? true : undefined;
      }).catch((err: Error) => explain(new Error(`${err.message} (seen ${sizes.join(", ")})`)));
    try {
      await sizeBecomes("31 101");
      expect(screen(), "the terminal echoes what was typed").to.include("echo mark-$((1000+1))");
      pty.resize({ width: 120, height: 40 });
      await sizeBecomes("40 120");
    } catch (err) {
      // Closing the terminal hangs up on kubectl.
      pty.child.kill("SIGTERM");
      throw err;
    }
    pty.input!.write(`exit ${code}\r`);
    return session.exited;
  }

  /** kubectl exec -it sh in pod web: the shell's prompt, then driveShell. */
  async function execShellInPty(client: Pick<SpdyClient, "binary" | "env">, code: number) {
    await webPod();
    const session = kubectlInPty(client, ["exec", "-it", "web", "--", "sh"]);
    // busybox's line editor may redraw the prompt after asking where the cursor is (ESC [6n).
    await waitFor("the shell's prompt", async () =>
      session.screen().includes("/ # ") ? true : undefined,
    ).catch((err: Error) => {
      throw new Error(
        `${err.message}: ${JSON.stringify(session.screen())} ${session.complaints()}`,
      );
    });
    return driveShell(session, code);
  }

  it("runs kubectl exec -it on a pseudo-terminal: echo, the terminal's size, the exit code", async () => {
    expect(await execShellInPty({ binary: "/usr/bin/kubectl", env: {} }, 7)).to.equal(7);
    expect(agentUpgrades.map((u) => u.upgrade?.toLowerCase())).to.deep.equal(["websocket"]);
  });

  /**
   * kubectl attach -it to a shell on a TTY container, driven by driveShell: the shell's exit
   * ends the container, and kubectl with success.
   */
  async function attachShellInPty(client: Pick<SpdyClient, "binary" | "env">) {
    const pod = await runPod("shell");
    const id = await run(pod, "app", "exec sh", { tty: true, stdin: true });
    const session = kubectlInPty(client, ["attach", "-it", "shell", "-c", "app"]);
    const code = await driveShell(session, 5);
    expect(code, session.screen()).to.equal(0);
    expect((await h.status(id)).exit_code, "the shell's own code").to.equal(5);
  }

  it("attaches kubectl attach -it to a TTY container: input, output, size, the shell's end", async () => {
    await attachShellInPty({ binary: "/usr/bin/kubectl", env: {} });
    expect(agentUpgrades.map((u) => u.upgrade?.toLowerCase())).to.deep.equal(["websocket"]);
  });

  it("attaches kubectl attach -i to a running container's stdin and output", async () => {
    const pod = await runPod("talk");
    await run(pod, "talk", "echo ready; read line; echo got $line", {
      stdin: true,
      stdin_once: true,
    });
    await waitFor("the container to be ready", async () =>
      (await k(["logs", "talk"])).stdout === "ready\n" ? true : undefined,
    );
    const r = await k(["attach", "-i", "talk"], "hello\n");
    expect(r.stdout).to.include("got hello\n");
    expect(r.code, r.stderr).to.equal(0);
  });

  /** The agent saw only SPDY upgrades, each as the client sent it: POST, Upgrade, protocols. */
  function expectSpdyUpgrades(paths: string[], protocol: string) {
    expect(agentUpgrades.map((u) => u.path)).to.deep.equal(paths);
    for (const upgrade of agentUpgrades) {
      expect(upgrade).to.deep.include({ method: "POST", upgrade: "SPDY/3.1" });
      expect(upgrade.connection?.toLowerCase()).to.equal("upgrade");
      expect(upgrade.websocketProtocols).to.equal(undefined);
      expect(upgrade.streamProtocols?.split(/,\s*/)).to.include(protocol);
    }
  }

  for (const client of spdyClients) {
    describe(`over SPDY (${client.name})`, () => {
      it("runs exec: stdout and stderr apart, the exit code, and stdin for -i", async function () {
        if (!existsSync(client.binary)) return this.skip();
        await webPod();
        const r = await runKubectl(client, [
          "exec",
          "web",
          "--",
          "sh",
          "-c",
          "echo out; echo err >&2; exit 3",
        ]);
        expect(r.stdout).to.equal("out\n");
        expect(r.stderr).to.include("err\n");
        expect(r.stderr).to.include("command terminated with exit code 3");
        expect(r.code).to.equal(3);
        const fed = await runKubectl(
          client,
          ["exec", "-i", "web", "--", "sh", "-c", "cat; echo end"],
          "hello\nworld\n",
        );
        expect([fed.code, fed.stdout, fed.stderr]).to.deep.equal([0, "hello\nworld\nend\n", ""]);
        expectSpdyUpgrades([`/exec/${ns}/web/app`, `/exec/${ns}/web/app`], "v4.channel.k8s.io");
      });

      it("runs exec -it on a pseudo-terminal: echo, the terminal's size, the exit code", async function () {
        if (!existsSync(client.binary)) return this.skip();
        expect(await execShellInPty(client, 6)).to.equal(6);
        expectSpdyUpgrades([`/exec/${ns}/web/app`], "v4.channel.k8s.io");
      });

      it("attaches -it to a TTY container: input, output, size, and the shell's end", async function () {
        if (!existsSync(client.binary)) return this.skip();
        await attachShellInPty(client);
        expectSpdyUpgrades([`/attach/${ns}/shell/app`], "v4.channel.k8s.io");
      });
    });
  }

  it("relays the agent's 101 to a SPDY upgrade, with the protocol the agent chose", async () => {
    await webPod();
    const layout = pkiLayout(path.join(base.path, "controller"));
    const query = new URLSearchParams([
      ["command", "sh"],
      ["command", "-c"],
      ["command", "echo raw; exit 4"],
      ["stdout", "true"],
    ]);
    const { res, socket, head } = await new Promise<{
      res: http.IncomingMessage;
      socket: Duplex;
      head: Buffer;
    }>((resolve, reject) => {
      const req = https.request(
        `${controller.url}/api/v1/namespaces/${ns}/pods/web/exec?${query}`,
        {
          method: "POST",
          ca: readFileSync(layout.caCert),
          cert: readFileSync(layout.adminCert),
          key: readFileSync(layout.adminKey),
          // One header line per protocol, as client-go sends them.
          headers: {
            Connection: "Upgrade",
            Upgrade: "SPDY/3.1",
            "X-Stream-Protocol-Version": ["v4.channel.k8s.io", "v3.channel.k8s.io"],
          },
        },
      );
      req.once("upgrade", (res, socket, head) => resolve({ res, socket, head }));
      req.once("response", (res) => reject(new Error(`HTTP ${res.statusCode}, not an upgrade`)));
      req.once("error", reject);
      req.end();
    });
    expect(res.statusCode).to.equal(101);
    expect(res.headers.upgrade).to.equal("SPDY/3.1");
    expect(res.headers.connection?.toLowerCase()).to.equal("upgrade");
    expect(res.headers["x-stream-protocol-version"]).to.equal("v4.channel.k8s.io");
    expectSpdyUpgrades([`/exec/${ns}/web/app`], "v4.channel.k8s.io");
    expect(agentUpgrades[0]!.streamProtocols).to.equal("v4.channel.k8s.io, v3.channel.k8s.io");
    // The rest of the connection is the agent's SPDY session, relayed both ways.
    const stdout = new PassThrough();
    let printed = "";
    stdout.on("data", (b: Buffer) => (printed += b));
    const connection = new SpdyConnection(socket, "client", head);
    const outcome = await runRemoteCommand(connection, "v4.channel.k8s.io", { stdout });
    expect([outcome.exitCode, printed]).to.deep.equal([4, "raw\n"]);
  });

  it("answers log requests with kube-apiserver's errors for bad options and containers", async () => {
    const get = (p: string) => apiGet(controller.url, `/api/v1/namespaces/${ns}${p}`);
    const negative = await get("/pods/web/log?tailLines=-1");
    expect(negative.status).to.equal(422);
    expect(status(negative.body)).to.deep.include({
      reason: "Invalid",
      message:
        'PodLogOptions "web" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0',
    });
    expect((status(negative.body).details as { causes: unknown[] }).causes).to.deep.equal([
      {
        reason: "FieldValueInvalid",
        message: "Invalid value: -1: must be greater than or equal to 0",
        field: "tailLines",
      },
    ]);
    const both = await get("/pods/web/log?sinceSeconds=5&sinceTime=2025-01-01T00:00:00Z");
    expect([both.status, status(both.body).message]).to.deep.equal([
      422,
      'PodLogOptions "web" is invalid: : Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
    ]);
    const word = await get("/pods/web/log?limitBytes=lots");
    expect([word.status, status(word.body).message]).to.deep.equal([
      400,
      'limitBytes: "lots" is not an integer',
    ]);
    const nope = await get("/pods/web/log?container=nope");
    expect([nope.status, status(nope.body).message]).to.deep.equal([
      400,
      "container nope is not valid for pod web",
    ]);
    const unnamed = await get("/pods/duo/log");
    expect([unnamed.status, status(unnamed.body).message]).to.deep.equal([
      400,
      "a container name must be specified for pod duo, choose one of: [first second]",
    ]);
    const missing = await get("/pods/nosuch/log");
    expect([missing.status, status(missing.body).message]).to.deep.equal([
      404,
      'pods "nosuch" not found',
    ]);
    const plain = await get("/pods/web/exec?command=true&stdout=1");
    expect([plain.status, status(plain.body).message]).to.deep.equal([
      400,
      "Upgrade request required",
    ]);
  });

  it("reports pods without a node, nodes without an address and unreachable agents", async () => {
    const unboundExec = await k(["exec", "unbound", "--", "true"]);
    expect(unboundExec.code).to.equal(1);
    expect(unboundExec.stderr).to.include("pod unbound does not have a host assigned");
    // kube-apiserver answers an unscheduled pod's log with nothing.
    expect(await k(["logs", "unbound"])).to.deep.include({ code: 0, stdout: "" });
    const ghost = await k(["exec", "ghost", "--", "true"]);
    expect(ghost.code).to.equal(1);
    expect(ghost.stderr).to.include("no preferred addresses found; known addresses: []");
    const down = await k(["logs", "down"]);
    expect(down.code).to.equal(1);
    expect(down.stderr).to.match(
      /error dialing backend: node node-down \(127\.0\.0\.1:1\): .*ECONNREFUSED/,
    );
  });

  it("tells kubectl why the agent refused an exec, over WebSocket and over SPDY alike", async () => {
    const pod = await runPod("stopped");
    await h.exited(await run(pod, "app", "true"));
    const r = await k(["exec", "stopped", "--", "true"]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/Error from server \(BadRequest\): .*app.* is not running/);
    // kubectl retries a refused WebSocket over SPDY, and reports the second refusal.
    expect(agentUpgrades.map((u) => u.upgrade)).to.deep.equal(["websocket", "SPDY/3.1"]);
    if (!existsSync(kubectl129)) return;
    const old = await runKubectl(oldKubectl, ["exec", "stopped", "--", "true"]);
    expect(old.code).to.equal(1);
    expect(old.stderr).to.match(/Error from server \(BadRequest\): .*app.* is not running/);
  });

  it("refuses exec to a user who may read pods but not create pods/exec (403)", async () => {
    await webPod();
    const viewer = { kubeconfig: viewerKubeconfig, cacheDir: path.join(base.path, "viewer-cache") };
    expect(await kubectlOk(["-n", ns, "logs", "web"], viewer)).to.equal("one\ntwo\nthree\n");
    const r = await kubectl(["-n", ns, "exec", "web", "--", "true"], viewer);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include(
      'pods "web" is forbidden: User "viewer" cannot create resource "pods/exec" in API group "" in the namespace "proxy"',
    );
  });

  it("verifies agents' serving certificates with --kubelet-certificate-authority", async () => {
    await webPod();
    const dataDir = path.join(base.path, "verifying", "controller");
    cpSync(pkiLayout(path.join(base.path, "controller")).dir, pkiLayout(dataDir).dir, {
      recursive: true,
    });
    const layout = pkiLayout(dataDir);
    verifying = await startControllerProcess(path.join(base.path, "verifying"), etcd.endpoint, {
      args: [
        "--kubelet-certificate-authority",
        agentPki.pki.caFile,
        "--kubelet-client-certificate",
        layout.kubeletClientCert,
        "--kubelet-client-key",
        layout.kubeletClientKey,
      ],
    });
    const trusted = await apiGet(verifying.url, `/api/v1/namespaces/${ns}/pods/web/log`, dataDir);
    expect(trusted).to.deep.equal({ status: 200, body: "one\ntwo\nthree\n" });
    const far = await apiGet(verifying.url, `/api/v1/namespaces/${ns}/pods/far/log`, dataDir);
    expect(far.status).to.equal(500);
    expect(status(far.body).message).to.match(
      /error dialing backend: node node-impostor .*certificate/,
    );
    const skipped = await apiGet(
      verifying.url,
      `/api/v1/namespaces/${ns}/pods/far/log?insecureSkipTLSVerifyBackend=true&container=app`,
      dataDir,
    );
    expect(skipped.status, skipped.body).to.equal(404);
    expect(status(skipped.body).message, "the impostor agent has no such pod").to.match(
      /not found/,
    );
    // The controller without a CA accepts any agent certificate (agents sign their own).
    const unverified = await apiGet(controller.url, `/api/v1/namespaces/${ns}/pods/far/log`);
    expect(unverified.status).to.equal(404);
  });

  /** kubectl port-forward in the background; resolves with the local port once it listens. */
  async function portForward(binary: string, remotePort: number) {
    const forward = spawnKubectl(["port-forward", "fwd", `:${remotePort}`], { binary, env: {} });
    const port = await waitFor("kubectl to listen", async () => {
      const m = /Forwarding from 127\.0\.0\.1:(\d+) ->/.exec(forward.stdout());
      if (forward.child.exitCode !== null)
        throw new Error(`kubectl exited: ${(await forward.result).stderr}`);
      return m ? Number(m[1]) : undefined;
    });
    return { ...forward, port };
  }

  function httpGet(port: number, file = "/index.html"): Promise<string> {
    return new Promise((resolve, reject) => {
      const req = http.get({ host: "127.0.0.1", port, path: file, agent: false }, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c));
        res.on("end", () => resolve(body));
      });
      req.on("error", reject);
      req.setTimeout(10_000, () => req.destroy(new Error("no answer")));
    });
  }

  async function httpdPod(): Promise<void> {
    const pod = await runPod("fwd");
    await run(
      pod,
      "web",
      "mkdir /www && echo hello-from-pod > /www/index.html && " +
        "head -c 3000000 /dev/zero | tr '\\0' x > /www/big && exec httpd -f -p 8080 -h /www",
    );
  }

  /**
   * kubectl port-forward to httpd in pod fwd: connections one after another and at once, a
   * 3 MB answer whole, and a refused port's error as the agent words it.
   */
  async function forwardPorts(binary: string) {
    await httpdPod();
    const forward = await portForward(binary, 8080);
    try {
      const answers = await waitFor("httpd to answer", async () =>
        (await httpGet(forward.port).catch(() => "")).includes("hello-from-pod") ? true : undefined,
      );
      expect(answers).to.equal(true);
      // Several connections, one after another and at once, each its own request id.
      const bodies = await Promise.all([1, 2, 3].map(() => httpGet(forward.port)));
      expect(bodies).to.deep.equal(["hello-from-pod\n", "hello-from-pod\n", "hello-from-pod\n"]);
      expect(await httpGet(forward.port)).to.equal("hello-from-pod\n");
      const big = await httpGet(forward.port, "/big");
      expect([big.length, /^x*$/.test(big)], "a 3 MB answer arrives whole").to.deep.equal([
        3_000_000,
        true,
      ]);
    } finally {
      forward.child.kill("SIGTERM");
      await forward.result;
    }

    const refused = await portForward(binary, 8081);
    const failed = await httpGet(refused.port).catch((err: Error) => `failed: ${err.message}`);
    await new Promise((r) => setTimeout(r, 500));
    refused.child.kill("SIGTERM");
    const report = await refused.result;
    expect(failed).to.match(/^failed: /);
    expect(report.stderr).to.match(
      new RegExp(
        `forwarding ${refused.port} -> 8081: error forwarding port 8081 to pod fwd: .*refused`,
        "i",
      ),
    );
  }

  it("forwards ports for kubectl port-forward (SPDY tunneled in a WebSocket)", async () => {
    await forwardPorts("kubectl");
    const upgrades = new Set(agentUpgrades.map((u) => `${u.upgrade} ${u.websocketProtocols}`));
    expect([...upgrades], "each connection, a WebSocket to the agent").to.deep.equal([
      "websocket v4.channel.k8s.io",
    ]);
  });

  it("forwards ports for kubectl 1.29 port-forward (plain SPDY, passed straight to the agent)", async function () {
    if (!existsSync(kubectl129)) return this.skip();
    await forwardPorts(kubectl129);
    const forwarded = `/portForward/${ns}/fwd`;
    expectSpdyUpgrades([forwarded, forwarded], "portforward.k8s.io");
  });

  it("relays a WebSocket port forward (v4.channel.k8s.io) straight to the agent", async () => {
    await httpdPod();
    const layout = pkiLayout(path.join(base.path, "controller"));
    const url = `${controller.url.replace("https", "wss")}/api/v1/namespaces/${ns}/pods/fwd/portforward?ports=8080`;
    const output = await waitFor("httpd to answer", async () => {
      const frames: Buffer[] = [];
      const ws = new WebSocket(url, ["v4.channel.k8s.io"], {
        ca: readFileSync(layout.caCert),
        cert: readFileSync(layout.adminCert),
        key: readFileSync(layout.adminKey),
      });
      ws.on("message", (data: Buffer) => frames.push(data));
      await new Promise<void>((resolve, reject) => {
        ws.once("open", () => {
          ws.send(
            Buffer.concat([Buffer.from([0]), Buffer.from("GET /index.html HTTP/1.0\r\n\r\n")]),
          );
          resolve();
        });
        ws.once("error", reject);
      });
      await new Promise((resolve) => ws.once("close", resolve));
      expect(ws.protocol).to.equal("v4.channel.k8s.io");
      const data = Buffer.concat(frames.filter((f) => f[0] === 0).map((f) => f.subarray(1)));
      return data.includes("hello-from-pod") ? data : undefined;
    });
    expect(output.subarray(0, 2).readUInt16LE(), "the port comes first").to.equal(8080);
    expect(output.toString()).to.match(/HTTP\/1\.[01] 200 OK/);
  });

  it("refuses kubelet client flags that do not fit, naming the flag", async () => {
    const layout = pkiLayout(path.join(base.path, "controller"));
    const start = (args: string[]) =>
      startBerthProcess(
        [
          "controller",
          "--etcd-servers",
          etcd.endpoint,
          "--listen",
          "127.0.0.1:0",
          "--data-dir",
          path.join(base.path, "refused", "controller"),
          ...args,
        ],
        () => false,
      ).then(
        () => "started",
        (err: Error) => err.message,
      );
    expect(await start(["--kubelet-client-certificate", layout.kubeletClientCert])).to.include(
      "--kubelet-client-certificate and --kubelet-client-key go together",
    );
    expect(await start(["--kubelet-certificate-authority", layout.kubeletClientCert])).to.include(
      `--kubelet-certificate-authority ${layout.kubeletClientCert}: not a CA certificate`,
    );
    expect(
      await start([
        "--kubelet-client-certificate",
        layout.kubeletClientCert,
        "--kubelet-client-key",
        layout.adminKey,
      ]),
    ).to.include(`--kubelet-client-key ${layout.adminKey} does not match`);
    expect(await start(["--kubelet-preferred-address-types", "InternalIP,Bogus"])).to.include(
      "--kubelet-preferred-address-types",
    );
  });
});
