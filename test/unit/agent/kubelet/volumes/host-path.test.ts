import { expect } from "chai";
import { promises as fs } from "node:fs";
import net from "node:net";
import path from "node:path";
import { checkHostPath } from "../../../../../agent/kubelet/volumes/host-path.js";
import { isBerthError, type BerthError } from "../../../../../lib/errors.js";
import { tempDir } from "../../../../support/temp-dir.js";

const field = "spec.volumes[2].hostPath";

async function rejection(p: Promise<unknown>): Promise<BerthError> {
  try {
    await p;
  } catch (err) {
    if (isBerthError(err)) return err;
    throw err;
  }
  throw new Error("expected a rejection");
}

describe("hostPath type checks", () => {
  let dir: ReturnType<typeof tempDir>;
  let server: net.Server | undefined;
  beforeEach(() => (dir = tempDir("host-path")));
  afterEach(async () => {
    if (server) await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    dir.remove();
  });

  const at = (name: string) => path.join(dir.path, name);
  const mode = async (p: string) => (await fs.stat(p)).mode & 0o777;

  it("checks nothing for the empty type, not even existence", async () => {
    await checkHostPath(at("missing"), "", field);
    await checkHostPath(at("missing"), undefined, field);
  });

  it("DirectoryOrCreate makes the whole tree with 0755 and accepts an existing directory", async () => {
    const p = at("a/b/c");
    await checkHostPath(p, "DirectoryOrCreate", field);
    expect((await fs.stat(p)).isDirectory()).to.equal(true);
    expect(await mode(p)).to.equal(0o755);
    await checkHostPath(p, "DirectoryOrCreate", field);
  });

  it("FileOrCreate makes an empty 0644 file, keeps an existing one, and needs the parent", async () => {
    const p = at("f");
    await checkHostPath(p, "FileOrCreate", field);
    expect(await mode(p)).to.equal(0o644);
    await fs.writeFile(p, "kept");
    await checkHostPath(p, "FileOrCreate", field);
    expect(await fs.readFile(p, "utf8")).to.equal("kept");
    const err = await rejection(checkHostPath(at("no-dir/f"), "FileOrCreate", field));
    expect(err.message).to.match(/hostPath type check failed: cannot create file .*no-dir\/f/);
    expect(err.field).to.equal(`${field}.path`);
  });

  it("fails a type mismatch with kubelet's message and the path's field", async () => {
    await fs.writeFile(at("file"), "");
    await fs.mkdir(at("dir"));
    const cases: [string, string, string][] = [
      ["file", "Directory", "is not a directory"],
      ["missing", "Directory", "is not a directory"],
      ["file", "DirectoryOrCreate", "is not a directory"],
      ["dir", "File", "is not a file"],
      ["dir", "FileOrCreate", "is not a file"],
      ["file", "Socket", "is not a socket file"],
      ["file", "CharDevice", "is not a character device"],
      ["file", "BlockDevice", "is not a block device"],
    ];
    for (const [name, type, what] of cases) {
      const err = await rejection(checkHostPath(at(name), type, field));
      expect(err.message, type).to.equal(`hostPath type check failed: ${at(name)} ${what}`);
      expect(err.kind).to.equal("FailedPrecondition");
      expect(err.field).to.equal(`${field}.path`);
    }
  });

  it("accepts a directory, file, socket and character device of the right type", async () => {
    await fs.writeFile(at("file"), "");
    await fs.symlink(at("file"), at("link"));
    server = net.createServer();
    await new Promise<void>((resolve) => server!.listen(at("sock"), resolve));
    await checkHostPath(dir.path, "Directory", field);
    await checkHostPath(at("file"), "File", field);
    await checkHostPath(at("link"), "File", field);
    await checkHostPath(at("sock"), "Socket", field);
    await checkHostPath("/dev/null", "CharDevice", field);
  });

  it("refuses an unknown type and a relative path", async () => {
    const type = await rejection(checkHostPath(dir.path, "Dir", field));
    expect(type.message).to.match(/hostPath type "Dir" is not supported/);
    expect(type.field).to.equal(`${field}.type`);
    const rel = await rejection(checkHostPath("data", "", field));
    expect(rel.message).to.match(/must be an absolute path/);
    expect(rel.field).to.equal(`${field}.path`);
  });
});
