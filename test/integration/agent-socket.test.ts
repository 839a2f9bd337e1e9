import { expect } from "chai";
import { promises as fs } from "node:fs";
import { spawn } from "node:child_process";
import path from "node:path";
import { startAgentProcess } from "../support/agent-process.js";
import { criClient } from "../support/cri-client.js";
import { requireIntegration } from "../support/prerequisites.js";
import { tempDir } from "../support/temp-dir.js";

describe("berth agent's socket lifecycle", function () {
  let base: ReturnType<typeof tempDir>;

  before(function () {
    requireIntegration(this);
  });
  beforeEach(() => {
    base = tempDir("agent-socket");
  });
  afterEach(() => base.remove());

  it("replaces a stale socket left by a killed process", async () => {
    const socket = path.join(base.path, "run", "berth.sock");
    await fs.mkdir(path.dirname(socket), { recursive: true });
    await leaveStaleSocket(socket);
    expect((await fs.lstat(socket)).isSocket()).to.equal(true);

    const agent = await startAgentProcess(base.path);
    try {
      const cri = criClient(agent.socket);
      expect((await cri.runtime("Version", {})).runtime_name).to.equal("berth");
      cri.close();
    } finally {
      await agent.stop();
    }
  });

  it("refuses a socket another agent is serving, leaving that agent untouched", async () => {
    const first = await startAgentProcess(base.path);
    try {
      const second = await startAgentProcess(base.path).catch((e: Error) => e);
      expect(second).to.be.instanceOf(Error);
      expect((second as Error).message).to.match(/served by another running process/);
      const cri = criClient(first.socket);
      expect((await cri.runtime("Version", {})).runtime_name).to.equal("berth");
      cri.close();
    } finally {
      await first.stop();
    }
  });

  it("exits 0 on SIGTERM and removes its socket", async () => {
    const agent = await startAgentProcess(base.path);
    expect(await agent.stop()).to.equal(0);
    await fs.access(agent.socket).then(
      () => expect.fail("socket still there"),
      () => undefined,
    );
  });
});

/** A process listening on `socket`, SIGKILLed: its socket file stays behind with nobody serving it. */
async function leaveStaleSocket(socket: string): Promise<void> {
  const child = spawn(process.execPath, [
    "-e",
    `require("net").createServer().listen(${JSON.stringify(socket)}, () => console.log("up"))`,
  ]);
  await new Promise((resolve) => child.stdout.once("data", resolve));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}
