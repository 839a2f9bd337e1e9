import fs from "node:fs";
import path from "node:path";
import { errnoCode, invalidArgument } from "../../../lib/errors.js";

const maxSymlinks = 40;
const maxFileBytes = 8 * 1024 * 1024;

/**
 * Resolves `inner`, an absolute path as the container sees it, to a host path under `root`,
 * following symlinks the way the kernel would after chroot(root): an absolute target restarts at
 * `root`, and ".." never climbs above it. So an image's /etc/passwd → /etc/passwd or
 * → ../../../etc/passwd stays inside the image. Returns undefined when the path does not resolve
 * (a missing component, a non-directory in the middle, a symlink loop).
 */
export function resolveInRoot(root: string, inner: string): string | undefined {
  const resolved: string[] = [];
  let pending = inner.split("/").filter((p) => p !== "");
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === ".") continue;
    if (part === "..") {
      resolved.pop();
      continue;
    }
    const candidate = path.join(root, ...resolved, part);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(candidate);
    } catch (err) {
      if (["ENOENT", "ENOTDIR"].includes(errnoCode(err) ?? "")) return undefined;
      throw err;
    }
    if (stat.isSymbolicLink()) {
      if (++links > maxSymlinks) return undefined;
      const target = fs.readlinkSync(candidate);
      if (target.startsWith("/")) resolved.length = 0;
      pending = [...target.split("/").filter((p) => p !== ""), ...pending];
      continue;
    }
    if (pending.length > 0 && !stat.isDirectory()) return undefined;
    resolved.push(part);
  }
  return path.join(root, ...resolved);
}

/**
 * The text of a regular file inside the container's root, or undefined if there is none there.
 * Opened without following a final symlink and without blocking (a hostile image's FIFO), and
 * read only if it is a regular file of sane size.
 */
export function readRootfsFile(root: string, inner: string): string | undefined {
  const hostPath = resolveInRoot(root, inner);
  if (hostPath === undefined) return undefined;
  let fd: number;
  try {
    fd = fs.openSync(
      hostPath,
      fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK,
    );
  } catch (err) {
    if (["ENOENT", "ELOOP", "ENXIO"].includes(errnoCode(err) ?? "")) return undefined;
    throw err;
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return undefined;
    if (stat.size > maxFileBytes) {
      throw invalidArgument(`the image's ${inner} is larger than ${maxFileBytes} bytes`, {
        field: "image",
      });
    }
    return fs.readFileSync(fd, "utf8");
  } finally {
    fs.closeSync(fd);
  }
}
