import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import http from "node:http";
import { Writable } from "node:stream";
import { run, type RunResult } from "../../lib/exec.js";
import { dialSpdy } from "../../lib/spdy/dial.js";
import { remoteCommandProtocols, runRemoteCommand } from "../../lib/spdy/remote-command-client.js";
import { berthBin } from "../support/agent-process.js";
import { criHarness, type Pod } from "../support/cri-harness.js";
import { waitFor } from "../support/wait-for.js";

const anyExit = Array.from({ length: 256 }, (_, i) => i);
const idle = "trap 'exit 0' TERM; while :; do sleep 0.1; done";

describe("berth cri exec/attach/port-forward: CRI streaming over SPDY against a real agent", function () {
  const h = criHarness("cri-streaming");
  const children: ChildProcess[] = [];

  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL");
        await once(child, "exit");
      }
    }
  });

  /** `berth cri --cri-socket <agent> …` with `input` on stdin; resolves whatever the exit code. */
  function cri(args: string[], input = ""): Promise<RunResult> {
    return run(berthBin, ["cri", "--cri-socket", h.agent.socket, ...args], {
      okCodes: anyExit,
      timeoutMs: 30_000,
      input,
    });
  }

  async function idleContainer(): Promise<{ pod: Pod; id: string }> {
    const pod = await h.runPod("stream");
    return { pod, id: await h.runContainer(pod, "idle", idle) };
  }

  it("execs a command and passes its stdout through byte for byte (no tty)", async () => {
    const { id } = await idleContainer();
    const res = await cri(["exec", id, "echo", "-n", "hello"]);
    expect([res.code, res.stdout, res.stderr]).to.deep.equal([0, "hello", ""]);
    // About 1.3 MB, in order.
    const many = await cri(["exec", id, "busybox", "seq", "1", "200000"]);
    const expected = Array.from({ length: 200000 }, (_, i) => `${i + 1}\n`).join("");
    expect(many.code, many.stderr).to.equal(0);
    expect(many.stdout === expected, "seq 1 200000 came back intact").to.equal(true);
  });

  it("exits with the command's exit code, stdout and stderr kept apart", async () => {
    const { id } = await idleContainer();
    const res = await cri(["exec", id, "sh", "-c", "echo out; echo err >&2; exit 3"]);
    expect([res.code, res.stdout, res.stderr]).to.deep.equal([3, "out\n", "err\n"]);
  });

  it("sends stdin with -i and closes it at its end (cat, then 1 MiB through wc)", async () => {
    const { id } = await idleContainer();
    const text = "line one\nline two\n";
    const res = await cri(["exec", "-i", id, "cat"], text);
    expect([res.code, res.stdout, res.stderr]).to.deep.equal([0, text, ""]);
    const big = "x".repeat(1024 * 1024);
    const counted = await cri(["exec", "-i", id, "wc", "-c"], big);
    expect([counted.code, counted.stdout.trim()]).to.deep.equal([0, String(big.length)]);
  });

  it("runs the command in a terminal with -t", async () => {
    const { id } = await idleContainer();
    const res = await cri(["exec", "-t", id, "sh", "-c", "test -t 1 && echo hello"]);
    expect(res.code, res.stderr).to.equal(0);
    expect(res.stdout).to.contain("hello");
    // A terminal turns \n into \r\n: proof that a tty was there.
    expect(res.stdout).to.contain("\r\n");
    const noTty = await cri(["exec", id, "sh", "-c", "test -t 1 || echo notty"]);
    expect(noTty.stdout).to.equal("notty\n");
  });

  it("keeps ExecSync with --sync and with --timeout", async () => {
    const { id } = await idleContainer();
    const res = await cri(["exec", "--sync", id, "sh", "-c", "echo sync; exit 4"]);
    expect([res.code, res.stdout]).to.deep.equal([4, "sync\n"]);
    const timedOut = await cri(["exec", "--timeout", "1", id, "sleep", "10"]);
    expect([timedOut.code, timedOut.stderr]).to.deep.equal([
      1,
      "berth: command timed out after 1s\n",
    ]);
    const both = await cri(["exec", "-s", "-i", id, "cat"]);
    expect([both.code, both.stderr]).to.deep.equal([
      1,
      "berth: --sync runs without stdin or a terminal: drop -i/-t or --sync\n",
    ]);
  });

  it("attaches to a container's stdin and stdout (critest's attach spec)", async () => {
    const pod = await h.runPod("attach");
    const id = await h.runContainer(pod, "shell", "", {
      command: ["/bin/sh"],
      stdin: true,
      stdin_once: true,
    });
    const res = await cri(["attach", "-i", id], "echo -n hello\n");
    expect([res.code, res.stdout, res.stderr]).to.deep.equal([0, "hello", ""]);
    // stdin_once: the shell saw its stdin close when the attach ended, and exited.
    expect((await h.exited(id)).exit_code).to.equal(0);
  });

  it("forwards a local port to a pod's port until SIGTERM", async () => {
    const pod = await h.runPod("web");
    await h.runContainer(
      pod,
      "httpd",
      "mkdir -p /tmp/www && printf hello-from-httpd > /tmp/www/index.html && " +
        "exec busybox httpd -f -p 80 -h /tmp/www",
    );
    const forward = startPortForward(pod.id, ["0:80", ":81"]);
    const [web, closed] = await forward.ports(2);
    expect(web.remote).to.equal(80);
    const body = await waitFor("httpd through the forwarded port", async () =>
      get(web.local).catch(() => undefined),
    );
    expect(body).to.equal("hello-from-httpd");
    // A second connection on the same session.
    expect(await get(web.local)).to.equal("hello-from-httpd");
    // Nothing listens on 81: that connection fails and says why, the forwarding goes on.
    await get(closed.local).then(
      (b) => expect.fail(`got ${b}`),
      () => undefined,
    );
    await waitFor("the error for port 81", async () =>
      /an error occurred forwarding \d+ -> 81: /.test(forward.stderr()) ? true : undefined,
    );
    expect(await get(web.local)).to.equal("hello-from-httpd");
    forward.child.kill("SIGTERM");
    const [code] = await once(forward.child, "exit");
    expect(code, forward.stderr()).to.equal(0);
    expect(forward.stdout()).to.contain(`Handling connection for ${web.local}`);
  });

  it("fails clearly for unknown ids and bad port arguments", async () => {
    const cases: [string[], RegExp][] = [
      [["exec", "f00d", "true"], /container "f00d" not found/],
      [["exec", "-i", "-t", "f00d", "sh"], /container "f00d" not found/],
      [["attach", "f00d"], /container "f00d" not found/],
      [["port-forward", "f00d", "80"], /pod sandbox "f00d" not found/],
      [["port-forward", "f00d", "80:http"], /port "80:http": expected \[LOCAL:\]REMOTE/],
      [["port-forward", "f00d", "0"], /port "0": expected \[LOCAL:\]REMOTE/],
    ];
    const results = await Promise.all(cases.map(([args]) => cri(args)));
    results.forEach((res, i) => {
      const what = cases[i][0].join(" ");
      expect(res.code, what).to.equal(1);
      expect(res.stderr, what).to.match(/^berth: [^\n]+\n$/);
      expect(res.stderr, what).to.match(cases[i][1]);
    });
  });

  it("refuses a client offering no protocol the server speaks, and a token used twice", async () => {
    const { id } = await idleContainer();
    const request = { container_id: id, cmd: ["echo", "-n", "once"], stdout: true };
    const wrong = (await h.cri.runtime("Exec", request)).url as string;
    expect(wrong).to.match(/^http:\/\/127\.0\.0\.1:\d+\/exec\/[A-Za-z0-9_-]+$/);
    await dialSpdy(wrong, { protocols: ["v9.channel.k8s.io"] }).then(
      () => expect.fail("upgraded"),
      (e: Error) =>
        expect(e.message).to.match(
          /unable to negotiate protocol: client supports \[v9\.channel\.k8s\.io\]/,
        ),
    );

    const url = (await h.cri.runtime("Exec", request)).url as string;
    const { connection, protocol } = await dialSpdy(url, { protocols: remoteCommandProtocols });
    expect(protocol).to.equal("v5.channel.k8s.io");
    let out = "";
    const result = await runRemoteCommand(connection, protocol, {
      stdout: new Writable({
        write(chunk: Buffer, _encoding, done) {
          out += chunk.toString();
          done();
        },
      }),
    });
    expect([result.exitCode, out]).to.deep.equal([0, "once"]);
    await dialSpdy(url, { protocols: remoteCommandProtocols }).then(
      () => expect.fail("the token worked twice"),
      (e: Error) => expect(e.message).to.match(/not found/),
    );
  });

  /** `berth cri port-forward`, with the ports it reports once they are listening. */
  function startPortForward(podId: string, specs: string[]) {
    const child = spawn(
      berthBin,
      ["cri", "--cri-socket", h.agent.socket, "port-forward", podId, ...specs],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    children.push(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    return {
      child,
      stdout: () => stdout,
      stderr: () => stderr,
      ports: (count: number) =>
        waitFor(`port-forward to listen (stderr: ${stderr})`, async () => {
          if (child.exitCode !== null) throw new Error(`port-forward exited: ${stderr}`);
          const ports = [...stdout.matchAll(/^Forwarding from 127\.0\.0\.1:(\d+) -> (\d+)$/gm)];
          return ports.length >= count
            ? ports.map((m) => ({ local: Number(m[1]), remote: Number(m[2]) }))
            : undefined;
        }),
    };
  }
});

/** GET / on a local port; rejects unless the answer is a 200. */
function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/", agent: false }, (res) => {
      let body = "";
      res.on("data", (b: Buffer) => (body += b.toString()));
      res.once("end", () =>
        res.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${res.statusCode}`)),
      );
      res.once("error", reject);
    });
    req.setTimeout(5000, () => req.destroy(new Error("no answer")));
    req.once("error", reject);
  });
}
