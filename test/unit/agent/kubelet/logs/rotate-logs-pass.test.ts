import { expect } from "chai";
import { promises as fs } from "node:fs";
import path from "node:path";
import { nodeLogFs } from "../../../../../agent/kubelet/logs/log-fs.js";
import { rotateLogsPass } from "../../../../../agent/kubelet/logs/rotate-logs-pass.js";
import type { ContainerLogEntry } from "../../../../../agent/kubelet/logs/runtime-log-port.js";
import { silentLogger } from "../../../../../lib/logger.js";
import { tempDir } from "../../../../support/temp-dir.js";
import { appendLines, FakeReopen, namesIn, TestClock } from "./log-test-kit.js";

describe("agent/kubelet/logs a rotation pass over the kubelet's containers", () => {
  let dir: ReturnType<typeof tempDir>;
  let containers: ContainerLogEntry[];
  let reopen: FakeReopen;
  let clock: TestClock;
  const logOf = (container: string, attempt = 0) =>
    path.join(dir.path, "ns_pod_uid", container, `${attempt}.log`);
  const pass = (maxSizeBytes = 1000) =>
    rotateLogsPass({
      runtime: { containers: async () => containers, reopenContainerLog: reopen.reopen },
      policy: { maxSizeBytes, maxFiles: 3 },
      fs: nodeLogFs,
      now: clock.now,
      logger: silentLogger(),
    });

  beforeEach(() => {
    dir = tempDir("log-pass");
    clock = new TestClock();
    containers = [];
    reopen = new FakeReopen((id) => containers.find((c) => c.id === id)!.logPath);
  });
  afterEach(() => dir.remove());

  it("rotates running containers' logs at or over the limit and leaves smaller ones", async () => {
    containers = [
      { id: "big", logPath: logOf("big"), running: true },
      { id: "small", logPath: logOf("small"), running: true },
    ];
    await appendLines(logOf("big"), 0, 40); // 40 lines of 46 bytes
    await appendLines(logOf("small"), 0, 2);
    await pass();
    expect(reopen.calls).to.deep.equal(["big"]);
    expect(await namesIn(path.dirname(logOf("big")))).to.deep.equal([
      "0.log",
      "0.log.20240102-030405",
    ]);
    expect(await namesIn(path.dirname(logOf("small")))).to.deep.equal(["0.log"]);
  });

  it("skips exited containers, however big their log", async () => {
    containers = [{ id: "done", logPath: logOf("done"), running: false }];
    await appendLines(logOf("done"), 0, 100);
    await pass();
    expect(reopen.calls).to.deep.equal([]);
    expect(await namesIn(path.dirname(logOf("done")))).to.deep.equal(["0.log"]);
  });

  it("reopens a running container's log that is missing (a rotation cut short)", async () => {
    containers = [{ id: "c", logPath: logOf("c"), running: true }];
    await fs.mkdir(path.dirname(logOf("c")), { recursive: true });
    await pass();
    expect(reopen.calls).to.deep.equal(["c"]);
    expect(await namesIn(path.dirname(logOf("c")))).to.deep.equal(["0.log"]);
  });

  it("goes on with the other containers when one cannot be rotated", async () => {
    containers = [
      { id: "gone", logPath: logOf("gone"), running: true },
      { id: "fine", logPath: logOf("fine"), running: true },
    ];
    await appendLines(logOf("gone"), 0, 40);
    await appendLines(logOf("fine"), 0, 40);
    const ok = reopen.reopen;
    reopen.reopen = async (id) => {
      if (id === "gone") throw new Error("container gone is not running");
      await ok(id);
    };
    await pass();
    expect(await namesIn(path.dirname(logOf("gone")))).to.deep.equal(["0.log"]);
    expect(await namesIn(path.dirname(logOf("fine")))).to.deep.equal([
      "0.log",
      "0.log.20240102-030405",
    ]);
  });

  it("removes the rotations of instances the runtime no longer has, keeping their main log", async () => {
    containers = [{ id: "now", logPath: logOf("app", 2), running: true }];
    const appDir = path.dirname(logOf("app"));
    await appendLines(logOf("app", 2), 0, 1);
    for (const name of ["0.log", "0.log.20240101-000000.gz", "1.log", "1.log.20240101-000001"]) {
      await fs.writeFile(path.join(appDir, name), name);
    }
    const otherPod = path.join(dir.path, "ns_other_uid2", "app");
    await appendLines(path.join(otherPod, "0.log.20240101-000000"), 0, 1);
    await pass();
    expect(await namesIn(appDir)).to.deep.equal(["0.log", "1.log", "2.log"]);
    expect(await namesIn(otherPod)).to.deep.equal(["0.log.20240101-000000"]);
  });

  it("keeps the rotations of a dead instance the runtime still has (for logs --previous)", async () => {
    containers = [
      { id: "before", logPath: logOf("app", 0), running: false },
      { id: "now", logPath: logOf("app", 1), running: true },
    ];
    await appendLines(logOf("app", 0), 0, 1);
    await appendLines(`${logOf("app", 0)}.20240101-000000`, 0, 1);
    await appendLines(logOf("app", 1), 0, 1);
    await pass();
    expect(await namesIn(path.dirname(logOf("app")))).to.deep.equal([
      "0.log",
      "0.log.20240101-000000",
      "1.log",
    ]);
  });

  it("gives a container that stopped mid-rotation its main log back", async () => {
    containers = [{ id: "c", logPath: logOf("c"), running: false }];
    await appendLines(`${logOf("c")}.20240101-000000.gz`, 0, 1);
    await appendLines(`${logOf("c")}.20240101-000001`, 5, 6);
    await pass();
    expect(await namesIn(path.dirname(logOf("c")))).to.deep.equal([
      "0.log",
      "0.log.20240101-000000.gz",
    ]);
    expect(await fs.readFile(logOf("c"), "utf8")).to.contain("line-5\n");
  });
});
