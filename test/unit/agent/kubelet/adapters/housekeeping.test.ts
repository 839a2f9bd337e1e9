import { expect } from "chai";
import { promises as fs } from "node:fs";
import path from "node:path";
import { removeOrphanedPodFiles } from "../../../../../agent/kubelet/housekeeping.js";
import { silentLogger } from "../../../../../lib/logger.js";
import { tempDir } from "../../../../support/temp-dir.js";

describe("kubelet housekeeping: orphaned pod dirs and logs", () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir("housekeeping")));
  afterEach(() => dir.remove());

  it("removes the dirs and logs of pods nothing uses any more, only logs of its own pods", async () => {
    const logs = path.join(dir.path, "logs");
    for (const d of ["ns_a_uid-live", "ns_b_uid-gone", "ns_c_uid-stranger"]) {
      await fs.mkdir(path.join(logs, d, "app"), { recursive: true });
    }
    const removedDirs: string[] = [];
    const removed = await removeOrphanedPodFiles({
      inUse: (uid) => uid === "uid-live",
      wasOurs: (uid) => uid !== "uid-stranger",
      podDirs: async () => ["uid-live", "uid-crashed"],
      removePodDir: async (uid) => void removedDirs.push(uid),
      podLogsRoot: logs,
      logger: silentLogger(),
    });
    expect(removedDirs).to.deep.equal(["uid-crashed"]);
    expect(removed).to.have.members(["uid-crashed", "uid-gone"]);
    expect((await fs.readdir(logs)).sort()).to.deep.equal(["ns_a_uid-live", "ns_c_uid-stranger"]);
  });

  it("keeps going when one pod dir cannot be removed", async () => {
    const removed = await removeOrphanedPodFiles({
      inUse: () => false,
      wasOurs: () => true,
      podDirs: async () => ["stuck", "fine"],
      removePodDir: async (uid) => {
        if (uid === "stuck") throw new Error("still mounted");
      },
      podLogsRoot: path.join(dir.path, "no-logs"),
      logger: silentLogger(),
    });
    expect(removed).to.deep.equal(["fine"]);
  });
});
