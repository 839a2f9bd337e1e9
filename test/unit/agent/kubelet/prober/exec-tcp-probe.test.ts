import { expect } from "chai";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { deadlineExceeded, failedPrecondition } from "../../../../../lib/errors.js";
import { execProbe } from "../../../../../agent/kubelet/prober/exec-probe.js";
import { tcpProbe } from "../../../../../agent/kubelet/prober/tcp-probe.js";
import type { Container } from "../../../../../agent/kube/types.js";
import { FakeExec } from "./fake-exec.js";
import { closedPort } from "./test-servers.js";

describe("exec probe: a command through ExecSync", () => {
  const container: Container = {
    name: "app",
    env: [
      { name: "FILE", value: "/tmp/healthy" },
      { name: "FROM_SECRET", valueFrom: { secretKeyRef: { name: "s", key: "k" } } },
    ],
  };

  it("succeeds on exit 0 and passes the timeout in seconds", async () => {
    const exec = new FakeExec();
    const outcome = await execProbe(exec, container, "c1", ["cat", "/tmp/healthy"], 3);
    expect(outcome.status).to.equal("success");
    expect(exec.calls).to.deep.equal([
      { containerId: "c1", cmd: ["cat", "/tmp/healthy"], timeout: 3 },
    ]);
  });

  it("fails on another exit with stdout and stderr as the output", async () => {
    const exec = new FakeExec();
    exec.answer = () => ({ exitCode: 1, stdout: "out\n", stderr: "cat: can't open\n" });
    expect(await execProbe(exec, container, "c1", ["cat", "x"], 1)).to.deep.equal({
      status: "failure",
      output: "out\ncat: can't open\n",
    });
  });

  it("expands $(VAR) from literal env values only", async () => {
    const exec = new FakeExec();
    await execProbe(
      exec,
      container,
      "c1",
      ["test", "-f", "$(FILE)", "$(FROM_SECRET)", "$(NONE)"],
      1,
    );
    expect(exec.calls[0].cmd).to.deep.equal(["test", "-f", "/tmp/healthy", "", "$(NONE)"]);
  });

  it("fails a command that times out, and throws on other runtime errors", async () => {
    const exec = new FakeExec();
    exec.answer = () => ({ error: deadlineExceeded("command timed out after 1s") });
    expect(await execProbe(exec, container, "c1", ["sleep", "9"], 1)).to.deep.equal({
      status: "failure",
      output: 'command "sleep 9" timed out',
    });
    exec.answer = () => ({ error: failedPrecondition("container c1 is exited, not running") });
    let thrown: Error | undefined;
    await execProbe(exec, container, "c1", ["true"], 1).catch((err: Error) => (thrown = err));
    expect(thrown?.message).to.equal("container c1 is exited, not running");
  });
});

describe("tcpSocket probe: a connection opens", () => {
  it("succeeds against a listener and fails on a closed port with Go's words", async () => {
    const server = net.createServer((s) => s.end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      expect(await tcpProbe("127.0.0.1", port, 1000)).to.deep.equal({
        status: "success",
        output: "",
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const port = await closedPort();
    expect(await tcpProbe("127.0.0.1", port, 1000)).to.deep.equal({
      status: "failure",
      output: `dial tcp 127.0.0.1:${port}: connect: connection refused`,
    });
  });
});
