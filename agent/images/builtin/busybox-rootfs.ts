import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import tar from "tar-stream";
import { invalidArgument } from "../../../lib/errors.js";

const run = promisify(execFile);

const passwd = [
  "root:x:0:0:root:/root:/bin/sh",
  "daemon:x:1:1:daemon:/usr/sbin:/bin/false",
  "www-data:x:33:33:www-data:/var/www:/bin/false",
  "nobody:x:65534:65534:nobody:/nonexistent:/bin/false",
  "",
].join("\n");
const group = ["root:x:0:", "daemon:x:1:", "www-data:x:33:", "nogroup:x:65534:", ""].join("\n");

/**
 * A busybox root filesystem as one uncompressed tar: the host's static busybox, a link per applet
 * where `busybox --list-full` puts it, users and the usual empty directories. Every entry carries
 * the binary's mtime, so the same busybox always gives the same bytes (and so the same image id).
 */
export async function busyboxRootfsTar(busyboxPath: string): Promise<Buffer> {
  const stat = await fs.stat(busyboxPath).catch(() => undefined);
  if (!stat?.isFile()) {
    throw invalidArgument(`${busyboxPath}: no busybox binary there (Debian: busybox-static)`, {
      field: "busybox",
    });
  }
  const binary = await fs.readFile(busyboxPath);
  const applets = (await run(busyboxPath, ["--list-full"])).stdout
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && line !== "bin/busybox" && !line.includes(".."));
  const mtime = stat.mtime;
  const dirs = new Map<string, number>([
    ["bin", 0o755],
    ["sbin", 0o755],
    ["usr", 0o755],
    ["usr/bin", 0o755],
    ["usr/sbin", 0o755],
    ["etc", 0o755],
    ["root", 0o700],
    ["home", 0o755],
    ["tmp", 0o1777],
    ["var", 0o755],
    ["var/www", 0o755],
    ["proc", 0o555],
    ["sys", 0o555],
    ["dev", 0o755],
  ]);
  for (const applet of applets) {
    const parent = applet.split("/").slice(0, -1).join("/");
    if (parent && !dirs.has(parent)) dirs.set(parent, 0o755);
  }

  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  const add = (header: Partial<tar.Header> & { name: string }, body?: Buffer) =>
    new Promise<void>((resolve, reject) => {
      const done = (err?: Error | null) => (err ? reject(err) : resolve());
      const full = { uid: 0, gid: 0, mtime, ...header };
      if (body) pack.entry(full, body, done);
      else pack.entry(full, done);
    });
  for (const [name, mode] of [...dirs].sort(([a], [b]) => a.localeCompare(b))) {
    await add({ name, type: "directory", mode });
  }
  await add({ name: "bin/busybox", type: "file", mode: 0o755 }, binary);
  await add({ name: "etc/passwd", type: "file", mode: 0o644 }, Buffer.from(passwd));
  await add({ name: "etc/group", type: "file", mode: 0o644 }, Buffer.from(group));
  for (const applet of [...applets].sort()) {
    const linkname = path.posix.relative(path.posix.dirname(applet), "bin/busybox");
    await add({ name: applet, type: "symlink", linkname });
  }
  pack.finalize();
  await collected;
  return Buffer.concat(chunks);
}
