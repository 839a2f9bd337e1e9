import { expect } from "chai";
import { readFile, rename } from "node:fs/promises";
import https from "node:https";
import path from "node:path";
import WebSocket from "ws";
import { silentLogger } from "../../lib/logger.js";
import { Runc } from "../../agent/runtime/oci-runtime/runc.js";
import { RuntimePaths } from "../../agent/runtime/runtime-paths.js";
import {
  createStreamingServer,
  type StreamingServer,
} from "../../agent/streaming/streaming-server.js";
import { criHarness, type Pod } from "../support/cri-harness.js";
import { recordTargets } from "../support/record-targets.js";
import { makeTestPki, type TestClientCert, type TestPki } from "../support/controller-pki.js";
import { waitFor } from "../support/wait-for.js";

const ns = "berth-test";
const kubeletClient = "kube-apiserver-kubelet-client";

interface Frame {
  channel: number;
  data: Buffer;
}

/** A WebSocket client of the channel protocol, as kubectl speaks it. */
interface StreamClient {
  protocol: string;
  frames: Frame[];
  output(channel: number): string;
  send(channel: number, data: string | Buffer): void;
  closeStdin(): void;
  close(): void;
  closed: Promise<number>;
  waitForOutput(channel: number, pattern: RegExp): Promise<string>;
}

describe("agent streaming API: logs, exec, attach and port forwarding over HTTPS", function () {
  const h = criHarness("streaming", undefined, ["perl", "busybox", "openssl"]);
  let pki: TestPki;
  let stranger: TestPki;
  let streaming: StreamingServer;
  let base: string;
  let admin: TestClientCert;

  before(async function () {
    pki = await makeTestPki("streaming");
    stranger = await makeTestPki("streaming-stranger");
    admin = pki.admin;
    const paths = new RuntimePaths(path.join(h.base.path, "root"), path.join(h.base.path, "run"));
    streaming = createStreamingServer({
      tls: {
        cert: await readFile(pki.pki.serverCertFile, "utf8"),
        key: await readFile(pki.pki.serverKeyFile, "utf8"),
        ca: pki.pki.caCert,
      },
      authorization: { allowedUsers: [kubeletClient] },
      targets: recordTargets(paths),
      runtime: { paths, runc: new Runc("/usr/sbin/runc", paths.runcRoot) },
      logger: silentLogger(),
      extraRoutes: [{ path: "/extra", handle: (_req, res) => void res.end("extra page") }],
    });
    const { port } = await streaming.listen(0, "127.0.0.1");
    base = `127.0.0.1:${port}`;
  });

  after(async () => {
    await streaming?.close();
    pki?.remove();
    stranger?.remove();
  });

  const labels = (pod: string, container?: string) => ({
    "io.kubernetes.pod.namespace": ns,
    "io.kubernetes.pod.name": pod,
    ...(container ? { "io.kubernetes.container.name": container } : {}),
  });
  const runPod = (name: string) => h.runPod(name, { labels: labels(name) });
  const run = (pod: Pod, name: string, script: string, extra: Record<string, unknown> = {}) =>
    h.runContainer(pod, name, script, {
      labels: labels(pod.config.metadata.name, name),
      ...extra,
    });

  function get(
    urlPath: string,
    cert: TestClientCert | null = admin,
  ): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = https.get(
        `https://${base}${urlPath}`,
        { ca: pki.pki.caCert, cert: cert?.certPem, key: cert?.keyPem },
        (res) => {
          let body = "";
          res.on("data", (c: Buffer) => (body += c.toString()));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on("error", reject);
    });
  }

  function openStream(
    urlPath: string,
    protocols: string[],
    cert: TestClientCert = admin,
  ): Promise<StreamClient> {
    const ws = new WebSocket(`wss://${base}${urlPath}`, protocols, {
      ca: pki.pki.caCert,
      cert: cert.certPem,
      key: cert.keyPem,
    });
    const frames: Frame[] = [];
    ws.on("message", (data: Buffer) => frames.push({ channel: data[0]!, data: data.subarray(1) }));
    const closed = new Promise<number>((resolve) => ws.on("close", (code) => resolve(code)));
    const output = (channel: number) =>
      Buffer.concat(frames.filter((f) => f.channel === channel).map((f) => f.data)).toString();
    return new Promise((resolve, reject) => {
      ws.on("unexpected-response", (_req, res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => reject(new Error(`HTTP ${res.statusCode}: ${body}`)));
      });
      ws.on("error", reject);
      ws.on("open", () =>
        resolve({
          protocol: ws.protocol,
          frames,
          output,
          send: (channel, data) =>
            ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(data)])),
          closeStdin: () => ws.send(Buffer.from([255, 0])),
          close: () => ws.close(),
          closed,
          waitForOutput: (channel, pattern) =>
            waitFor(`${pattern} on channel ${channel}`, async () =>
              pattern.test(output(channel)) ? output(channel) : undefined,
            ),
        }),
      );
    });
  }

  const status = (client: StreamClient) => JSON.parse(client.output(3)) as Record<string, unknown>;
  const q = (params: Record<string, string | string[]>) => {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(params))
      for (const one of [v].flat()) search.append(k, one);
    return search.toString();
  };
  const execPath = (pod: string, container: string, cmd: string[], extra: Record<string, string>) =>
    `/exec/${ns}/${pod}/${container}?${q({ command: cmd, ...extra })}`;

  it("answers /healthz to anyone and everything else only to allowed certificates", async () => {
    expect(await get("/healthz", null)).to.deep.equal({ status: 200, body: "ok" });
    const anonymous = await get(`/containerLogs/${ns}/p/c`, null);
    expect(anonymous.status).to.equal(401);
    expect((await get(`/containerLogs/${ns}/p/c`, stranger.admin)).status).to.equal(401);
    const node = await get(`/containerLogs/${ns}/p/c`, await pki.issueNode("intruder"));
    expect(node.status).to.equal(403);
    expect(JSON.parse(node.body)).to.deep.include({
      kind: "Status",
      reason: "Forbidden",
      code: 403,
    });
    expect(JSON.parse(node.body).message).to.include("system:node:intruder");
    const controller = await get("/extra", await pki.issueClient(kubeletClient));
    expect(controller).to.deep.equal({ status: 200, body: "extra page" });
    try {
      await openStream(
        execPath("p", "c", ["true"], { stdout: "1" }),
        ["v5.channel.k8s.io"],
        await pki.issueClient("someone"),
      );
      expect.fail("the upgrade was accepted");
    } catch (err) {
      expect((err as Error).message).to.match(/^HTTP 403: .*Forbidden/);
    }
  });

  it("answers unknown paths, pods and containers with a 404 Status", async () => {
    const pod = await runPod("web");
    await run(pod, "app", "sleep 300");
    const nowhere = await get("/nowhere/at/all");
    expect(nowhere.status).to.equal(404);
    expect(JSON.parse(nowhere.body)).to.deep.include({ kind: "Status", reason: "NotFound" });
    const noPod = await get(`/containerLogs/${ns}/nope/app`);
    expect([noPod.status, JSON.parse(noPod.body).message]).to.deep.equal([
      404,
      `pods "nope" not found in namespace "${ns}"`,
    ]);
    const noContainer = await get(`/containerLogs/${ns}/web/nope`);
    expect(noContainer.status).to.equal(404);
    expect(JSON.parse(noContainer.body).message).to.include('container "nope" not found');
    const bad = await get(`/containerLogs/${ns}/web/app?tailLines=-3`);
    expect([bad.status, JSON.parse(bad.body).reason]).to.deep.equal([400, "BadRequest"]);
    try {
      await openStream(execPath("web", "nope", ["true"], { stdout: "1" }), ["v5.channel.k8s.io"]);
      expect.fail("the upgrade was accepted");
    } catch (err) {
      expect((err as Error).message).to.match(/^HTTP 404: .*container \\"nope\\" not found/);
    }
  });

  it("execs without a TTY: stdout and stderr apart, the exit code on the status channel", async () => {
    const pod = await runPod("exec");
    await run(pod, "app", "sleep 300");
    const failing = await openStream(
      execPath("exec", "app", ["sh", "-c", "echo out; echo err >&2; exit 3"], {
        stdout: "1",
        stderr: "1",
      }),
      ["v5.channel.k8s.io"],
    );
    await failing.closed;
    expect(failing.protocol).to.equal("v5.channel.k8s.io");
    expect([failing.output(1), failing.output(2)]).to.deep.equal(["out\n", "err\n"]);
    expect(status(failing)).to.deep.include({ status: "Failure", reason: "NonZeroExitCode" });
    expect(status(failing).details).to.deep.equal({
      causes: [{ reason: "ExitCode", message: "3" }],
    });

    const v4 = await openStream(
      execPath("exec", "app", ["sh", "-c", "echo $((6*7))"], { stdout: "1" }),
      ["v4.channel.k8s.io"],
    );
    await v4.closed;
    expect([v4.protocol, v4.output(1)]).to.deep.equal(["v4.channel.k8s.io", "42\n"]);
    expect(status(v4)).to.deep.equal({ metadata: {}, status: "Success" });
  });

  it("feeds stdin to an exec until the client closes it (v5 close signal)", async () => {
    const pod = await runPod("stdin");
    await run(pod, "app", "sleep 300");
    const cat = await openStream(
      execPath("stdin", "app", ["sh", "-c", "cat; echo end"], { stdin: "1", stdout: "1" }),
      ["v5.channel.k8s.io", "v4.channel.k8s.io"],
    );
    cat.send(0, "hello\n");
    await cat.waitForOutput(1, /hello\n/);
    cat.send(0, "world\n");
    cat.closeStdin();
    await cat.closed;
    expect(cat.output(1)).to.equal("hello\nworld\nend\n");
    expect(status(cat).status).to.equal("Success");
  });

  it("execs on a TTY: echo and prompt, the client's size, and the exit code", async () => {
    const pod = await runPod("tty");
    await run(pod, "app", "sleep 300");
    const shell = await openStream(
      execPath("tty", "app", ["sh"], { stdin: "1", stdout: "1", tty: "1" }),
      ["v5.channel.k8s.io"],
    );
    shell.send(4, JSON.stringify({ Width: 100, Height: 30 }));
    await shell.waitForOutput(1, /# /);
    shell.send(0, "stty size; echo sum-$((40+2))\n");
    const seen = await shell.waitForOutput(1, /sum-42\r\n/);
    expect(seen, "the terminal echoes input").to.include("echo sum-$((40+2))");
    expect(seen).to.include("30 100\r\n");
    shell.send(4, JSON.stringify({ Width: 120, Height: 40 }));
    await new Promise((r) => setTimeout(r, 200));
    shell.send(0, "stty size; exit 5\n");
    await shell.closed;
    expect(shell.output(1)).to.include("40 120\r\n");
    expect(shell.frames.some((f) => f.channel === 2 && f.data.length > 0)).to.equal(false);
    expect(status(shell).details).to.deep.equal({ causes: [{ reason: "ExitCode", message: "5" }] });
  });

  it("ends an exec'd command, with or without a TTY, when its client leaves", async () => {
    const pod = await runPod("leave");
    const id = await run(pod, "app", "sleep 300");
    const plain = await openStream(execPath("leave", "app", ["sleep", "1234"], { stdout: "1" }), [
      "v5.channel.k8s.io",
    ]);
    const tty = await openStream(
      execPath("leave", "app", ["sleep", "4321"], { stdin: "1", stdout: "1", tty: "1" }),
      ["v5.channel.k8s.io"],
    );
    const running = async () =>
      Buffer.from((await h.exec(id, ["sh", "-c", "ps -o args"])).stdout).toString();
    await waitFor("both commands to run", async () =>
      /sleep 1234/.test(await running()) && /sleep 4321/.test(await running()) ? true : undefined,
    );
    plain.close();
    tty.close();
    await waitFor("both commands to end", async () =>
      /sleep (1234|4321)/.test(await running()) ? undefined : true,
    );
  });

  it("serves logs: tail, timestamps, limitBytes, and the previous attempt", async () => {
    const pod = await runPod("logs");
    const first = await run(pod, "app", "echo first attempt; exit 1", { log_path: "app/0.log" });
    await h.exited(first);
    await run(pod, "app", "for i in 1 2 3 4 5; do echo line $i; done; echo oops >&2; sleep 300", {
      log_path: "app/1.log",
      metadata: { name: "app", attempt: 1 },
    });
    const logs = (query: string) => get(`/containerLogs/${ns}/logs/app?${query}`);
    await waitFor("the log", async () =>
      (await logs("")).body.includes("oops") ? true : undefined,
    );
    expect((await logs("")).body).to.equal("line 1\nline 2\nline 3\nline 4\nline 5\noops\n");
    expect((await logs("tailLines=2")).body).to.equal("line 5\noops\n");
    expect((await logs("tailLines=1&stream=Stdout")).body).to.equal("line 5\n");
    expect((await logs("limitBytes=10")).body).to.equal("line 1\nlin");
    expect((await logs("tailLines=1&timestamps=true")).body).to.match(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d) oops\n$/,
    );
    expect((await logs("previous=true")).body).to.equal("first attempt\n");
  });

  it("follows a log: new lines arrive, and the answer ends when the container does", async () => {
    const pod = await runPod("follow");
    await run(pod, "app", "echo start; read line; echo $line; sleep 1; echo bye", {
      stdin: true,
      stdin_once: true,
    });
    const chunks: string[] = [];
    const done = new Promise<number>((resolve, reject) => {
      https
        .get(
          `https://${base}/containerLogs/${ns}/follow/app?follow=true`,
          { ca: pki.pki.caCert, cert: admin.certPem, key: admin.keyPem },
          (res) => {
            res.on("data", (c: Buffer) => chunks.push(c.toString()));
            res.on("end", () => resolve(res.statusCode ?? 0));
          },
        )
        .on("error", reject);
    });
    await waitFor("the first line", async () => (chunks.join("") === "start\n" ? true : undefined));
    // Attach with stdin: the container reads one line from it.
    const attach = await openStream(`/attach/${ns}/follow/app?${q({ stdin: "1", stdout: "1" })}`, [
      "v5.channel.k8s.io",
    ]);
    attach.send(0, "typed-in\n");
    await attach.waitForOutput(1, /typed-in\n/);
    expect(await done).to.equal(200);
    expect(chunks.join("")).to.equal("start\ntyped-in\nbye\n");
    await attach.closed;
    expect(attach.output(1)).to.equal("typed-in\nbye\n");
    expect(status(attach).status).to.equal("Success");
  });

  it("keeps following, without a gap, when the log is rotated and conmon reopens it", async () => {
    const pod = await runPod("rotate");
    const id = await run(
      pod,
      "app",
      "i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.1; done",
    );
    const logPath = (await recordTargets(runtimePaths()).container(ns, "rotate", "app"))!.logPath;
    let text = "";
    const request = https.get(
      `https://${base}/containerLogs/${ns}/rotate/app?follow=true`,
      { ca: pki.pki.caCert, cert: admin.certPem, key: admin.keyPem },
      (res) => res.on("data", (c: Buffer) => (text += c.toString())),
    );
    request.on("error", () => undefined);
    const ticks = () => [...text.matchAll(/^tick (\d+)$/gm)].map((m) => Number(m[1]));
    await waitFor("a few ticks", async () => (ticks().length >= 3 ? true : undefined));
    await rename(logPath, `${logPath}.1`);
    await h.cri.runtime("ReopenContainerLog", { container_id: id });
    const rotatedAt = ticks().length;
    await waitFor("ticks after the rotation", async () =>
      ticks().length >= rotatedAt + 10 ? true : undefined,
    );
    request.destroy();
    const seen = ticks();
    expect(seen).to.deep.equal(seen.map((_, i) => i + 1));
    expect((await readFile(logPath, "utf8")).length, "the new file gets the output").to.be.above(0);
  });

  const runtimePaths = () =>
    new RuntimePaths(path.join(h.base.path, "root"), path.join(h.base.path, "run"));

  it("attaches to a TTY container: input, output and resize reach its terminal", async () => {
    const pod = await runPod("attach");
    await run(pod, "app", "exec sh", { tty: true, stdin: true });
    const attach = await openStream(
      `/attach/${ns}/attach/app?${q({ stdin: "1", stdout: "1", tty: "1" })}`,
      ["v5.channel.k8s.io"],
    );
    attach.send(4, JSON.stringify({ Width: 90, Height: 33 }));
    await new Promise((r) => setTimeout(r, 200));
    attach.send(0, "stty size; echo attached-$((2+3))\n");
    const seen = await attach.waitForOutput(1, /attached-5\r\n/);
    expect(seen).to.include("33 90\r\n");
    attach.close();
    await attach.closed;
    expect((await h.status(await currentId("attach", "app"))).state).to.equal("CONTAINER_RUNNING");
  });

  async function currentId(pod: string, container: string): Promise<string> {
    return (await recordTargets(runtimePaths()).container(ns, pod, container))!.containerId;
  }

  it("forwards a port into the pod's network namespace, and reports a refused one", async () => {
    const pod = await runPod("fwd");
    await run(
      pod,
      "web",
      "mkdir /www && echo hello-from-pod > /www/index.html && exec httpd -f -p 8080 -h /www",
    );
    const request = "GET /index.html HTTP/1.0\r\n\r\n";
    const forward = await waitFor("httpd to answer", async () => {
      const client = await openStream(`/portForward/${ns}/fwd?port=8080`, ["v4.channel.k8s.io"]);
      client.send(0, request);
      await client.closed;
      return client.output(0).includes("hello-from-pod") ? client : undefined;
    });
    expect(forward.frames[0]).to.deep.equal({ channel: 0, data: Buffer.from([0x90, 0x1f]) });
    expect(forward.frames[1]).to.deep.equal({ channel: 1, data: Buffer.from([0x90, 0x1f]) });
    expect(forward.output(0)).to.match(/HTTP\/1\.[01] 200 OK/);

    const refused = await openStream(`/portForward/${ns}/fwd?port=8081`, ["v4.channel.k8s.io"]);
    await refused.closed;
    expect(refused.output(1)).to.match(/error forwarding port 8081 to pod fwd: .*refused/i);
  });

  it("refuses exec into a container that does not run, and bad exec parameters", async () => {
    const pod = await runPod("stopped");
    await h.exited(await run(pod, "app", "true"));
    const attempt = (urlPath: string) =>
      openStream(urlPath, ["v5.channel.k8s.io"]).then(
        () => "accepted",
        (err: Error) => err.message,
      );
    expect(await attempt(execPath("stopped", "app", ["true"], { stdout: "1" }))).to.match(
      /^HTTP 400: .*is not running/,
    );
    expect(await attempt(`/exec/${ns}/stopped/app?stdout=1`)).to.match(/^HTTP 400: .*command/);
    expect(await attempt(execPath("stopped", "app", ["true"], {}))).to.match(
      /^HTTP 400: .*at least 1/,
    );
    const running = await runPod("running");
    await run(running, "app", "sleep 300");
    expect(
      await openStream(execPath("running", "app", ["true"], { stdout: "1" }), [
        "v6.channel.k8s.io",
      ]).then(
        () => "accepted",
        (err: Error) => err.message,
      ),
    ).to.match(/^HTTP 400: .*not supported/);
  });
});
