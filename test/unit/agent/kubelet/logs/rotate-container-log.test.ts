import { expect } from "chai";
import { promises as fs } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { nodeLogFs } from "../../../../../agent/kubelet/logs/log-fs.js";
import { rotateContainerLog } from "../../../../../agent/kubelet/logs/rotate-container-log.js";
import { tempDir } from "../../../../support/temp-dir.js";
import { appendLines, FakeReopen, faultyFs, namesIn, TestClock } from "./log-test-kit.js";

describe("agent/kubelet/logs rotating one container's log", () => {
  let dir: ReturnType<typeof tempDir>;
  let log: string;
  let clock: TestClock;
  let reopen: FakeReopen;
  const container = () => ({ id: "c1", logPath: log });
  const deps = (maxFiles = 3, fs = nodeLogFs) => ({
    fs,
    now: clock.now,
    reopen: reopen.reopen,
    maxFiles,
  });
  const read = async (file: string) => {
    const raw = await fs.readFile(path.join(dir.path, "app", file));
    return (file.endsWith(".gz") ? gunzipSync(raw) : raw).toString();
  };

  beforeEach(async () => {
    dir = tempDir("log-rotate");
    log = path.join(dir.path, "app", "0.log");
    clock = new TestClock();
    reopen = new FakeReopen(() => log);
    await appendLines(log, 0, 10);
  });
  afterEach(() => dir.remove());

  it("renames the live log to <log>.<timestamp> and has the monitor reopen it", async () => {
    const rotated = await rotateContainerLog(deps(), container());
    expect(rotated).to.equal(`${log}.20240102-030405`);
    expect(reopen.calls).to.deep.equal(["c1"]);
    expect(await namesIn(path.dirname(log))).to.deep.equal(["0.log", "0.log.20240102-030405"]);
    expect(await read("0.log")).to.equal("");
    expect(await read("0.log.20240102-030405"))
      .to.contain("line-0\n")
      .and.contain("line-9\n");
  });

  it("keeps at most max-files files, the newest rotation plain and the older ones gzipped", async () => {
    for (let round = 1; round <= 5; round++) {
      await appendLines(log, round * 10, round * 10 + 10);
      clock.advance(1_000);
      await rotateContainerLog(deps(4), container());
    }
    // Rotations at :06 … :10; before each, the oldest go so two rotated ones are left.
    expect(await namesIn(path.dirname(log))).to.deep.equal([
      "0.log",
      "0.log.20240102-030408.gz",
      "0.log.20240102-030409.gz",
      "0.log.20240102-030410",
    ]);
    const kept = [
      await read("0.log.20240102-030408.gz"),
      await read("0.log.20240102-030409.gz"),
      await read("0.log.20240102-030410"),
    ].join("");
    const numbers = [...kept.matchAll(/line-(\d+)/g)].map((m) => Number(m[1]));
    expect(numbers).to.deep.equal(Array.from({ length: 30 }, (_, i) => 30 + i));
  });

  it("with max-files 2 keeps only the live log and the newest rotation", async () => {
    for (let round = 0; round < 3; round++) {
      clock.advance(1_000);
      await appendLines(log, 100 + round, 101 + round);
      await rotateContainerLog(deps(2), container());
    }
    expect(await namesIn(path.dirname(log))).to.deep.equal(["0.log", "0.log.20240102-030408"]);
    expect(await read("0.log.20240102-030408")).to.contain("line-102");
  });

  it("renames the log back when the monitor cannot reopen it, to try again next time", async () => {
    reopen.failing = new Error("container c1 is not running");
    const err = await rotateContainerLog(deps(), container()).catch((e: Error) => e);
    expect(err).to.be.instanceOf(Error).with.property("message", "container c1 is not running");
    expect(await namesIn(path.dirname(log))).to.deep.equal(["0.log"]);
    expect(await read("0.log"))
      .to.contain("line-0\n")
      .and.contain("line-9\n");
    reopen.failing = undefined;
    clock.advance(1_000);
    expect(await rotateContainerLog(deps(), container())).to.equal(`${log}.20240102-030406`);
  });

  it("does not overwrite a rotation from the same second", async () => {
    await rotateContainerLog(deps(), container());
    await appendLines(log, 10, 20);
    expect(await rotateContainerLog(deps(), container())).to.equal(undefined);
    expect(reopen.calls).to.have.length(1);
    expect(await read("0.log")).to.contain("line-10\n");
    expect(await read("0.log.20240102-030405"))
      .to.contain("line-9\n")
      .and.not.contain("line-10");
  });

  it("removes what an interrupted compression left, and leaves conmon's reopen file alone", async () => {
    const at = (name: string) => path.join(path.dirname(log), name);
    await fs.writeFile(at("0.log.20240102-030401.tmp"), "half");
    await fs.writeFile(at("0.log.20240102-030402"), "compressed already");
    await fs.writeFile(at("0.log.20240102-030402.gz"), "");
    await fs.writeFile(at("0.log.tmp"), "conmon's");
    await rotateContainerLog(deps(), container());
    expect(await namesIn(path.dirname(log))).to.deep.equal([
      "0.log",
      "0.log.20240102-030402.gz",
      "0.log.20240102-030405",
      "0.log.tmp",
    ]);
  });

  it("leaves the live log alone when compressing an older one fails", async () => {
    await rotateContainerLog(deps(), container());
    await appendLines(log, 10, 20);
    clock.advance(1_000);
    const broken = faultyFs({ gzip: new Error("disk full") });
    const err = await rotateContainerLog(deps(3, broken), container()).catch((e: Error) => e);
    expect(err).to.have.property("message", "disk full");
    expect(await namesIn(path.dirname(log))).to.deep.equal(["0.log", "0.log.20240102-030405"]);
    expect(await read("0.log")).to.contain("line-19\n");
    expect(reopen.calls).to.have.length(1);
  });
});
