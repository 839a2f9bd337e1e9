import { expect } from "chai";
import { appendFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { LogReadOptions } from "../../../../agent/streaming/log-emitter.js";
import { readContainerLog } from "../../../../agent/streaming/log-reader.js";
import { tempDir } from "../../../support/temp-dir.js";

/** A CRI record at second `s` of 2024-05-01T10:00. */
const rec = (s: number, stream: "stdout" | "stderr", tag: "P" | "F", text: string) =>
  `2024-05-01T10:00:${String(s).padStart(2, "0")}.500000000+00:00 ${stream} ${tag} ${text}\n`;
const out = (s: number, text: string) => rec(s, "stdout", "F", text);

const defaults: LogReadOptions = { follow: false, timestamps: false, stream: "All" };

async function read(
  file: string,
  options: Partial<LogReadOptions> = {},
  running: () => boolean = () => false,
  signal = new AbortController().signal,
): Promise<string> {
  const chunks: Buffer[] = [];
  await readContainerLog(file, { ...defaults, ...options }, async (c) => void chunks.push(c), {
    signal,
    isRunning: async () => running(),
    pollMs: 20,
  });
  return Buffer.concat(chunks).toString();
}

describe("reading CRI container logs", () => {
  let dir: ReturnType<typeof tempDir>;
  let file: string;
  beforeEach(() => {
    dir = tempDir("log-reader");
    file = path.join(dir.path, "0.log");
  });
  afterEach(() => dir.remove());

  it("joins partial records per stream, in the order lines complete", async () => {
    writeFileSync(
      file,
      rec(1, "stdout", "P", "hel") +
        rec(2, "stderr", "F", "oops") +
        rec(3, "stdout", "F", "lo") +
        "garbage\n",
    );
    expect(await read(file)).to.equal("oops\nhello\n");
    expect(await read(file, { stream: "Stdout" })).to.equal("hello\n");
    expect(await read(file, { stream: "Stderr" })).to.equal("oops\n");
  });

  it("prints the time of a line's first record with timestamps", async () => {
    writeFileSync(file, rec(1, "stdout", "P", "a") + rec(2, "stdout", "F", "b"));
    expect(await read(file, { timestamps: true })).to.equal("2024-05-01T10:00:01.5Z ab\n");
  });

  it("tails whole lines, partial records included, and only of the chosen stream", async () => {
    writeFileSync(
      file,
      out(1, "one") +
        rec(2, "stdout", "P", "tw") +
        rec(3, "stderr", "F", "err") +
        rec(4, "stdout", "F", "o") +
        out(5, "three"),
    );
    expect(await read(file, { tailLines: 2 })).to.equal("two\nthree\n");
    expect(await read(file, { tailLines: 3 })).to.equal("err\ntwo\nthree\n");
    expect(await read(file, { tailLines: 2, stream: "Stdout" })).to.equal("two\nthree\n");
    expect(await read(file, { tailLines: 1, stream: "Stderr" })).to.equal("err\n");
    expect(await read(file, { tailLines: 50 })).to.equal("one\nerr\ntwo\nthree\n");
    expect(await read(file, { tailLines: 0 })).to.equal("");
  });

  it("tails a log much larger than one read", async () => {
    const lines = Array.from({ length: 5000 }, (_, i) =>
      out(i % 60, `line ${i} ${"x".repeat(40)}`),
    );
    writeFileSync(file, lines.join(""));
    const tail = (await read(file, { tailLines: 3 })).split("\n");
    expect(tail.slice(0, 3).map((l) => l.split(" ")[1])).to.deep.equal(["4997", "4998", "4999"]);
  });

  it("tails a line whose records span several reads as one line", async () => {
    const big = "y".repeat(40_000);
    writeFileSync(
      file,
      out(1, "before") +
        rec(2, "stdout", "P", big) +
        rec(3, "stderr", "F", "between") +
        rec(4, "stdout", "P", big) +
        rec(5, "stdout", "F", "end"),
    );
    expect(await read(file, { tailLines: 1 })).to.equal(`${big}${big}end\n`);
    expect(await read(file, { tailLines: 2 })).to.equal(`between\n${big}${big}end\n`);
  });

  it("skips lines older than since and stops at limitBytes, even mid-line", async () => {
    writeFileSync(file, out(1, "old") + out(2, "new") + out(3, "newer"));
    const sinceNanos = Date.parse("2024-05-01T10:00:02Z") * 1_000_000;
    expect(await read(file, { sinceNanos: BigInt(sinceNanos) })).to.equal("new\nnewer\n");
    expect(await read(file, { limitBytes: 6 })).to.equal("old\nne");
  });

  it("ends with what is left: an unterminated record and an unfinished line", async () => {
    writeFileSync(file, out(1, "done") + rec(2, "stdout", "P", "half") + out(3, "torn").trimEnd());
    expect(await read(file)).to.equal("done\nhalftorn\n");
    writeFileSync(file, out(1, "done") + rec(2, "stdout", "P", "half"));
    expect(await read(file)).to.equal("done\nhalf");
  });

  it("follows new lines across a rotation and ends once the container stopped", async () => {
    writeFileSync(file, out(1, "first"));
    let running = true;
    const reading = read(file, { follow: true }, () => running);
    await new Promise((r) => setTimeout(r, 60));
    appendFileSync(file, out(2, "second") + rec(3, "stdout", "P", "spl"));
    await new Promise((r) => setTimeout(r, 60));
    // Rotation: the old file gets its last record after the rename, then a new file appears.
    renameSync(file, `${file}.20240501-100003`);
    appendFileSync(`${file}.20240501-100003`, rec(3, "stdout", "F", "it"));
    writeFileSync(file, out(4, "after rotation"));
    await new Promise((r) => setTimeout(r, 60));
    appendFileSync(file, out(5, "last"));
    running = false;
    expect(await reading).to.equal("first\nsecond\nsplit\nafter rotation\nlast\n");
  });

  it("waits for a log that does not exist yet, and stops when the reader leaves", async () => {
    const abort = new AbortController();
    const reading = read(file, { follow: true, tailLines: 0 }, () => true, abort.signal);
    await new Promise((r) => setTimeout(r, 60));
    writeFileSync(file, out(1, "hello"));
    await new Promise((r) => setTimeout(r, 100));
    abort.abort();
    expect(await reading).to.equal("hello\n");
  });

  it("follows from the tail and stops following at limitBytes", async () => {
    writeFileSync(file, out(1, "a") + out(2, "b"));
    const reading = read(file, { follow: true, tailLines: 1, limitBytes: 6 }, () => true);
    await new Promise((r) => setTimeout(r, 60));
    appendFileSync(file, out(3, "cccc"));
    expect(await reading).to.equal("b\ncccc");
  });
});
