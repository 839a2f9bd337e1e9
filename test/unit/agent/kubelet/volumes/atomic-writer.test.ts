import { expect } from "chai";
import { promises as fs } from "node:fs";
import path from "node:path";
import { timestamp, writeAtomically } from "../../../../../agent/kubelet/volumes/atomic-writer.js";
import type { Payload } from "../../../../../agent/kubelet/volumes/payload.js";
import { tempDir } from "../../../../support/temp-dir.js";

const file = (text: string, mode = 0o644) => ({ data: Buffer.from(text), mode });

describe("atomic writer", () => {
  let dir: ReturnType<typeof tempDir>;
  let target: string;
  beforeEach(() => {
    dir = tempDir("atomic-writer");
    target = path.join(dir.path, "vol");
  });
  afterEach(() => dir.remove());

  const entries = async () => (await fs.readdir(target)).sort();
  const dataDirs = async () => (await entries()).filter((n) => /^\.\.\d{4}_/.test(n));
  const mode = async (p: string) => (await fs.stat(path.join(target, p))).mode & 0o7777;

  it("writes kubelet's layout: a timestamped dir, ..data, and visible symlinks into it", async () => {
    const payload: Payload = new Map([
      ["game.properties", file("lives=3\n")],
      ["conf/nested/ui.json", file("{}", 0o400)],
    ]);
    expect(await writeAtomically(target, payload)).to.equal(true);

    const [stamped] = await dataDirs();
    expect(stamped).to.match(/^\.\.\d{4}_\d{2}_\d{2}_\d{2}_\d{2}_\d{2}\..+$/);
    expect(await entries()).to.deep.equal(["..data", stamped, "conf", "game.properties"].sort());
    expect(await fs.readlink(path.join(target, "..data"))).to.equal(stamped);
    expect(await fs.readlink(path.join(target, "game.properties"))).to.equal(
      "..data/game.properties",
    );
    expect(await fs.readlink(path.join(target, "conf"))).to.equal("..data/conf");
    expect(await fs.readFile(path.join(target, "game.properties"), "utf8")).to.equal("lives=3\n");
    expect(await fs.readFile(path.join(target, "conf/nested/ui.json"), "utf8")).to.equal("{}");
    expect(await mode("game.properties")).to.equal(0o644);
    expect(await mode("conf/nested/ui.json")).to.equal(0o400);
    expect(await mode(stamped)).to.equal(0o755);
  });

  it("sets exact file and directory modes whatever the umask", async () => {
    const old = process.umask(0o077);
    try {
      await writeAtomically(
        target,
        new Map([
          ["k", file("v", 0o666)],
          ["d/e/f", file("x")],
        ]),
      );
    } finally {
      process.umask(old);
    }
    expect(await mode("k")).to.equal(0o666);
    expect(await mode("d")).to.equal(0o755);
    expect(await mode("d/e")).to.equal(0o755);
    expect(await mode("d/e/f")).to.equal(0o644);
  });

  it("leaves an unchanged payload alone", async () => {
    const payload: Payload = new Map([["a", file("1")]]);
    await writeAtomically(target, payload);
    const before = await dataDirs();
    expect(await writeAtomically(target, new Map([["a", file("1")]]))).to.equal(false);
    expect(await dataDirs()).to.deep.equal(before);
  });

  it("treats a mode change as a change", async () => {
    await writeAtomically(target, new Map([["a", file("1", 0o644)]]));
    expect(await writeAtomically(target, new Map([["a", file("1", 0o600)]]))).to.equal(true);
    expect(await mode("a")).to.equal(0o600);
  });

  it("swaps in a new data dir, removes the old one and the names that went away", async () => {
    await writeAtomically(
      target,
      new Map([
        ["a", file("1")],
        ["gone/x", file("x")],
      ]),
    );
    const [first] = await dataDirs();
    expect(
      await writeAtomically(
        target,
        new Map([
          ["a", file("2")],
          ["b", file("3")],
        ]),
      ),
    ).to.equal(true);
    const [second] = await dataDirs();
    expect(second).to.not.equal(first);
    expect(await entries()).to.deep.equal(["..data", second, "a", "b"].sort());
    expect(await fs.readlink(path.join(target, "..data"))).to.equal(second);
    expect(await fs.readFile(path.join(target, "a"), "utf8")).to.equal("2");
  });

  it("empties the volume for an empty payload", async () => {
    await writeAtomically(target, new Map([["a", file("1")]]));
    await writeAtomically(target, new Map());
    expect((await entries()).filter((n) => !n.startsWith(".."))).to.deep.equal([]);
    expect(await fs.readdir(path.join(target, "..data"))).to.deep.equal([]);
  });

  it("cleans up what a crash mid-write left behind", async () => {
    await writeAtomically(target, new Map([["a", file("1")]]));
    await fs.mkdir(path.join(target, "..2001_01_01_00_00_00.crashed"));
    await fs.symlink("..2001_01_01_00_00_00.crashed", path.join(target, "..data_tmp"));
    await fs.rm(path.join(target, "a")); // the visible link was never made
    await writeAtomically(target, new Map([["a", file("1")]]));
    expect(await fs.readFile(path.join(target, "a"), "utf8")).to.equal("1");
    expect(await dataDirs()).to.have.length(1);
    expect(await entries()).to.not.include("..data_tmp");
  });

  it("group-owns files for an fsGroup and makes them group-readable", async () => {
    const gid = process.getgid?.() ?? 0;
    await writeAtomically(target, new Map([["token", file("t", 0o400)]]), { gid });
    const stat = await fs.stat(path.join(target, "token"));
    expect(stat.gid).to.equal(gid);
    expect(stat.mode & 0o777).to.equal(0o440);
    expect(await writeAtomically(target, new Map([["token", file("t", 0o400)]]), { gid })).to.equal(
      false,
    );
  });

  it("refuses invalid paths and a file that another file needs as its directory", async () => {
    await expectRejected(writeAtomically(target, new Map([["../x", file("1")]])), /\.\./);
    await expectRejected(
      writeAtomically(
        target,
        new Map([
          ["a", file("1")],
          ["a/b", file("2")],
        ]),
      ),
      /needs "a" as a directory/,
    );
  });

  it("names data dirs with the UTC time", () => {
    expect(timestamp(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)))).to.equal("2024_01_02_03_04_05");
  });
});

async function expectRejected(p: Promise<unknown>, message: RegExp): Promise<void> {
  try {
    await p;
  } catch (err) {
    expect((err as Error).message).to.match(message);
    return;
  }
  expect.fail("expected a rejection");
}
