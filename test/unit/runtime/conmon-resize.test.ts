import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { once } from "node:events";
import { closeSync, constants, createReadStream, openSync } from "node:fs";
import path from "node:path";
import { resizeTerminal } from "../../../agent/runtime/container/conmon-resize.js";
import { tempDir } from "../../support/temp-dir.js";

/** Reads a FIFO as conmon does, recording each read separately. */
async function fifoReader(file: string) {
  const reads: string[] = [];
  const stream = createReadStream(file, { encoding: "utf8" });
  stream.on("data", (chunk) => reads.push(String(chunk)));
  // O_RDWR never blocks on a FIFO, so the reader's open can complete; this fd also keeps the
  // FIFO open between resizes, as conmon's own dummy writer does.
  const keepOpen = openSync(file, constants.O_RDWR);
  await once(stream, "open");
  return { reads, close: () => (closeSync(keepOpen), stream.destroy()) };
}

describe("terminal resizes through conmon's control FIFO", () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir("conmon-resize");
    execFileSync("mkfifo", [path.join(dir.path, "ctl")]);
  });
  afterEach(() => dir.remove());

  it("sends quick successive resizes one message per read, ending at the last size", async () => {
    const reader = await fifoReader(path.join(dir.path, "ctl"));
    try {
      await new Promise((r) => setTimeout(r, 20));
      const sent = [
        resizeTerminal(dir.path, { width: 102, height: 32 }),
        resizeTerminal(dir.path, { width: 101, height: 31 }),
        resizeTerminal(dir.path, { width: 90, height: 20 }),
        resizeTerminal(dir.path, { width: 80, height: 24 }),
      ];
      await Promise.all(sent);
      await new Promise((r) => setTimeout(r, 20));
      expect(reader.reads, "each read holds one message").to.deep.equal([
        "1 32 102\n",
        "1 24 80\n",
      ]);
    } finally {
      reader.close();
    }
  });

  it("fails when nobody reads the FIFO (conmon is gone), without hanging", async () => {
    const failure = await resizeTerminal(dir.path, { width: 80, height: 24 }).catch(
      (err: NodeJS.ErrnoException) => err.code,
    );
    expect(failure).to.equal("ENXIO");
  });
});
