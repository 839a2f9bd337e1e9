import { expect } from "chai";
import { promises as fs } from "node:fs";
import path from "node:path";
import { nodeLogFs } from "../../../../../agent/kubelet/logs/log-fs.js";
import {
  listRotatedLogs,
  rotatedFrom,
  rotatedLogPath,
  rotationTimestamp,
} from "../../../../../agent/kubelet/logs/rotated-logs.js";
import { tempDir } from "../../../../support/temp-dir.js";

describe("agent/kubelet/logs rotated log names", () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir("log-names")));
  afterEach(() => dir.remove());

  it("stamps rotated logs with the local time in kubelet's 20060102-150405 layout", () => {
    const at = new Date(2024, 0, 2, 3, 4, 5, 678);
    expect(rotationTimestamp(at)).to.equal("20240102-030405");
    expect(
      rotatedLogPath("/logs/ns_pod_uid/app/0.log", new Date(2023, 11, 31, 23, 59, 59)),
    ).to.equal("/logs/ns_pod_uid/app/0.log.20231231-235959");
  });

  it("tells which log a rotated file came from", () => {
    expect(rotatedFrom("0.log.20240102-030405")).to.equal("0.log");
    expect(rotatedFrom("12.log.20240102-030405.gz")).to.equal("12.log");
    expect(rotatedFrom("0.log.20240102-030405.tmp")).to.equal("0.log");
    expect(rotatedFrom("0.log")).to.equal(undefined);
    expect(rotatedFrom("0.log.tmp")).to.equal(undefined);
    expect(rotatedFrom("0.log.2024-01-02")).to.equal(undefined);
  });

  it("lists a log's rotations oldest first and sets aside what a cut-short compression left", async () => {
    const names = [
      "0.log",
      "0.log.20240102-030407",
      "0.log.20240102-030405.gz",
      "0.log.20240102-030406",
      "0.log.20240102-030406.gz",
      "0.log.20240102-030408.tmp",
      "0.log.tmp",
      "1.log",
      "1.log.20240102-030401.gz",
      "notes.txt",
    ];
    for (const name of names) await fs.writeFile(path.join(dir.path, name), name);
    const rotated = await listRotatedLogs(nodeLogFs, path.join(dir.path, "0.log"));
    const at = (name: string) => path.join(dir.path, name);
    expect(rotated.kept).to.deep.equal([
      at("0.log.20240102-030405.gz"),
      at("0.log.20240102-030406.gz"),
      at("0.log.20240102-030407"),
    ]);
    // conmon's own 0.log.tmp (its reopen) is none of ours.
    expect(rotated.leftovers).to.deep.equal([
      at("0.log.20240102-030406"),
      at("0.log.20240102-030408.tmp"),
    ]);
  });

  it("finds nothing for a log whose directory is gone", async () => {
    const rotated = await listRotatedLogs(nodeLogFs, path.join(dir.path, "gone", "0.log"));
    expect(rotated).to.deep.equal({ kept: [], leftovers: [] });
  });
});
