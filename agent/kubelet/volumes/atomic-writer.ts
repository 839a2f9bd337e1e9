import { promises as fs } from "node:fs";
import path from "node:path";
import { errnoCode, invalidArgument } from "../../../lib/errors.js";
import { readPayloadDir } from "./read-payload-dir.js";
import { samePayload, topLevelNames, type Payload } from "./payload.js";
import { validatePayloadPath } from "./payload-path.js";

// kubelet's AtomicWriter layout: the files live in a hidden timestamped directory, `..data` is a
// symlink to it, and each top-level name is a symlink into `..data`. An update writes a whole new
// directory and swaps `..data` with one rename(2), so a reader sees the old set or the new set,
// never a mix or a half-written file.

export const dataDirName = "..data";
const dataDirTmpName = "..data_tmp";

export interface WriteOptions {
  /** fsGroup: files and directories are group-owned by it and group-readable, as kubelet does. */
  gid?: number;
}

/** Projects `payload` into `targetDir`; returns false when it was already there (nothing written). */
export async function writeAtomically(
  targetDir: string,
  payload: Payload,
  options: WriteOptions = {},
): Promise<boolean> {
  checkPayload(payload);
  const wanted = withGroupBits(payload, options.gid);
  await fs.mkdir(targetDir, { recursive: true });
  const oldDirName = await readLink(path.join(targetDir, dataDirName));
  const current = oldDirName ? await readPayloadDir(path.join(targetDir, oldDirName)) : undefined;
  const names = topLevelNames(wanted);
  if (current && samePayload(current, wanted) && (await allLinked(targetDir, names))) return false;

  const newDir = await fs.mkdtemp(path.join(targetDir, `..${timestamp(new Date())}.`));
  try {
    await fs.chmod(newDir, 0o755);
    await writeFiles(newDir, wanted, options.gid);
  } catch (err) {
    await fs.rm(newDir, { recursive: true, force: true });
    throw err;
  }

  const tmpLink = path.join(targetDir, dataDirTmpName);
  await fs.rm(tmpLink, { force: true });
  await fs.symlink(path.basename(newDir), tmpLink);
  await fs.rename(tmpLink, path.join(targetDir, dataDirName));

  for (const name of names) await linkVisibleName(targetDir, name);
  await removeStaleVisibleNames(targetDir, names);
  await removeStaleDataDirs(targetDir, path.basename(newDir));
  return true;
}

function checkPayload(payload: Payload): void {
  const files = [...payload.keys()];
  for (const p of files) validatePayloadPath(p, "path");
  const fileSet = new Set(files);
  for (const p of files) {
    const parts = p.split("/");
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join("/");
      if (fileSet.has(parent)) {
        throw invalidArgument(`path "${p}" needs "${parent}" as a directory, but it is a file`, {
          field: "path",
        });
      }
    }
  }
}

function withGroupBits(payload: Payload, gid: number | undefined): Payload {
  if (gid === undefined) return payload;
  return new Map([...payload].map(([p, f]) => [p, { data: f.data, mode: f.mode | 0o440 }]));
}

async function writeFiles(dir: string, payload: Payload, gid: number | undefined): Promise<void> {
  for (const [p, file] of [...payload].sort(([a], [b]) => a.localeCompare(b))) {
    const full = path.join(dir, p);
    const parts = p.split("/");
    for (let i = 1; i < parts.length; i++) {
      const sub = path.join(dir, ...parts.slice(0, i));
      const made = await fs.mkdir(sub).then(
        () => true,
        (err) => {
          if (errnoCode(err) !== "EEXIST") throw err;
          return false;
        },
      );
      // Exact, whatever the agent's umask: containers running as any user must reach the files.
      if (made) await fs.chmod(sub, 0o755);
      if (gid !== undefined) await fs.chown(sub, -1, gid);
    }
    await fs.writeFile(full, file.data, { mode: file.mode, flag: "wx" });
    // writeFile's mode passes through the umask; the projected mode must be exact.
    await fs.chmod(full, file.mode);
    if (gid !== undefined) await fs.chown(full, -1, gid);
  }
  if (gid !== undefined) await fs.chown(dir, -1, gid);
}

async function linkVisibleName(targetDir: string, name: string): Promise<void> {
  const link = path.join(targetDir, name);
  const existing = await fs.lstat(link).catch(() => undefined);
  if (existing?.isSymbolicLink()) return;
  if (existing) await fs.rm(link, { recursive: true, force: true });
  await fs.symlink(path.join(dataDirName, name), link);
}

/** Unlinks the `name -> ..data/name` links of files the new payload no longer has. */
async function removeStaleVisibleNames(targetDir: string, names: Set<string>): Promise<void> {
  for (const entry of await fs.readdir(targetDir, { withFileTypes: true })) {
    if (!entry.isSymbolicLink() || names.has(entry.name) || entry.name.startsWith("..")) continue;
    const link = path.join(targetDir, entry.name);
    if ((await fs.readlink(link)).startsWith(`${dataDirName}/`)) await fs.unlink(link);
  }
}

async function allLinked(targetDir: string, names: Set<string>): Promise<boolean> {
  for (const name of names) {
    const stat = await fs.lstat(path.join(targetDir, name)).catch(() => undefined);
    if (!stat?.isSymbolicLink()) return false;
  }
  return true;
}

/** Removes every `..<timestamp>` directory but the live one: the previous one and crash leftovers. */
async function removeStaleDataDirs(targetDir: string, liveName: string): Promise<void> {
  for (const entry of await fs.readdir(targetDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith("..") || entry.name === liveName) continue;
    await fs.rm(path.join(targetDir, entry.name), { recursive: true, force: true });
  }
}

async function readLink(p: string): Promise<string | undefined> {
  try {
    return await fs.readlink(p);
  } catch (err) {
    if (errnoCode(err) === "ENOENT" || errnoCode(err) === "EINVAL") return undefined;
    throw err;
  }
}

/** kubelet's name for a data directory: `..2006_01_02_15_04_05.` plus a random suffix. */
export function timestamp(d: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return (
    `${d.getUTCFullYear()}_${two(d.getUTCMonth() + 1)}_${two(d.getUTCDate())}_` +
    `${two(d.getUTCHours())}_${two(d.getUTCMinutes())}_${two(d.getUTCSeconds())}`
  );
}
