import { expect } from "chai";
import { silentLogger } from "../../../../../lib/logger.js";
import { LifecycleHooks } from "../../../../../agent/kubelet/hooks/lifecycle-hooks.js";
import type { Container, LifecycleHandler, Pod } from "../../../../../agent/kube/types.js";
import type { RecordedEvent } from "../sync/fake-ports.js";
import { FakeExec } from "../prober/fake-exec.js";
import { closedPort, startServer } from "../prober/test-servers.js";

const rejection = (p: Promise<unknown>): Promise<Error | undefined> =>
  p.then(
    () => undefined,
    (err: Error) => err,
  );

function setup() {
  const exec = new FakeExec();
  const events: RecordedEvent[] = [];
  const hooks = new LifecycleHooks({
    runtime: exec,
    podIP: () => "127.0.0.1",
    recordEvent: (ref, type, reason, message) => events.push({ ref, type, reason, message }),
    logger: silentLogger(),
  });
  return { exec, events, hooks };
}

function withHooks(lifecycle: { postStart?: LifecycleHandler; preStop?: LifecycleHandler }) {
  const container: Container = { name: "app", lifecycle };
  const pod: Pod = {
    metadata: { name: "web", namespace: "ns", uid: "u1" },
    spec: { containers: [container] },
  };
  return { pod, container };
}

describe("lifecycle hooks: postStart and preStop as kubelet runs them", function () {
  this.timeout(10_000);

  it("runs an exec postStart in the container without a timeout", async () => {
    const t = setup();
    const { pod, container } = withHooks({
      postStart: { exec: { command: ["touch", "/started"] } },
    });
    await t.hooks.runPostStart(pod, container, "c1");
    expect(t.exec.calls).to.deep.equal([
      { containerId: "c1", cmd: ["touch", "/started"], timeout: 0 },
    ]);
  });

  it("fails an exec hook that exits non-zero with kubelet's message", async () => {
    const t = setup();
    t.exec.answer = () => ({ exitCode: 3, stderr: "oops\n" });
    const { pod, container } = withHooks({
      postStart: { exec: { command: ["sh", "-c", "exit 3"] } },
    });
    const err = await rejection(t.hooks.runPostStart(pod, container, "c1"));
    expect(err?.message).to.equal(
      'Exec lifecycle hook ([sh -c exit 3]) for Container "app" in Pod "web_ns(u1)" failed - error: ' +
        "command 'sh -c exit 3' exited with 3: oops\n, message: \"oops\\n\"",
    );
  });

  it("takes any HTTP answer from an httpGet hook, and fails one that cannot connect", async () => {
    const t = setup();
    const server = await startServer((_req, res) => res.writeHead(500).end());
    try {
      const { pod, container } = withHooks({
        postStart: { httpGet: { port: server.port, path: "/up" } },
      });
      await t.hooks.runPostStart(pod, container, "c1");
      expect(server.requests[0].url).to.equal("/up");
      expect(server.requests[0].headers["user-agent"]).to.equal("kube-lifecycle/1.32");
    } finally {
      await server.close();
    }
    const port = await closedPort();
    const { pod, container } = withHooks({ postStart: { httpGet: { port, path: "/up" } } });
    const err = await rejection(t.hooks.runPostStart(pod, container, "c1"));
    expect(err?.message).to.equal(
      `HTTP lifecycle hook (/up) for Container "app" in Pod "web_ns(u1)" failed - error: ` +
        `Get "http://127.0.0.1:${port}/up": dial tcp 127.0.0.1:${port}: connect: connection refused`,
    );
  });

  it("retries an HTTPS hook answered in plain HTTP over HTTP, without Authorization", async () => {
    const t = setup();
    const server = await startServer((_req, res) => res.end("plain"));
    try {
      const headers = [{ name: "Authorization", value: "Bearer x" }];
      const handler = {
        httpGet: { port: server.port, scheme: "HTTPS" as const, httpHeaders: headers },
      };
      const { pod, container } = withHooks({ preStop: handler });
      await t.hooks.runPreStop(pod, container, "c1", Date.now() + 5000);
      expect(server.requests).to.have.length(1);
      expect(server.requests[0].headers).to.not.have.property("authorization");
    } finally {
      await server.close();
    }
    expect(t.events.map((e) => [e.reason, e.message, e.ref.fieldPath])).to.deep.equal([
      [
        "LifecycleHTTPFallback",
        `request to HTTPS lifecycle hook 127.0.0.1:${server.port} got HTTP response, retry with HTTP succeeded`,
        undefined,
      ],
    ]);
  });

  it("sleeps for a sleep hook", async () => {
    const t = setup();
    const { pod, container } = withHooks({ postStart: { sleep: { seconds: 1 } } });
    const started = Date.now();
    await t.hooks.runPostStart(pod, container, "c1");
    expect(Date.now() - started).to.be.within(950, 3000);
  });

  it("fails a tcpSocket hook, which kubelet never runs", async () => {
    const t = setup();
    const { pod, container } = withHooks({ postStart: { tcpSocket: { port: 80 } } });
    const err = await rejection(t.hooks.runPostStart(pod, container, "c1"));
    expect(err?.message).to.equal(
      "Cannot run handler: invalid handler: tcpSocket is not supported as a lifecycle handler",
    );
  });

  it("gives up waiting for a preStop hook at the deadline", async () => {
    const t = setup();
    const { pod, container } = withHooks({ preStop: { sleep: { seconds: 30 } } });
    const started = Date.now();
    await t.hooks.runPreStop(pod, container, "c1", started + 300);
    expect(Date.now() - started).to.be.within(250, 2000);
  });

  it("limits a preStop exec to the time left, reports its failure, and skips it past the deadline", async () => {
    const t = setup();
    const { pod, container } = withHooks({ preStop: { exec: { command: ["drain"] } } });
    t.exec.answer = () => ({ exitCode: 1 });
    const err = await rejection(t.hooks.runPreStop(pod, container, "c1", Date.now() + 2500));
    expect(err?.message).to.match(
      /^Exec lifecycle hook \(\[drain\]\) .* exited with 1: , message: ""$/,
    );
    expect(t.exec.calls[0].timeout).to.equal(3);
    await t.hooks.runPreStop(pod, container, "c1", Date.now() - 1);
    expect(t.exec.calls).to.have.length(1);
  });
});
