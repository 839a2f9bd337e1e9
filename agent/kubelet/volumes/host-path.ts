import { promises as fs, type Stats } from "node:fs";
import path from "node:path";
import { errnoCode, failedPrecondition, internal, invalidArgument } from "../../../lib/errors.js";

const hostPathTypes = [
  "",
  "DirectoryOrCreate",
  "Directory",
  "FileOrCreate",
  "File",
  "Socket",
  "CharDevice",
  "BlockDevice",
] as const;

export type HostPathType = (typeof hostPathTypes)[number];

const expectations: Record<string, { test: (s: Stats) => boolean; what: string }> = {
  Directory: { test: (s) => s.isDirectory(), what: "a directory" },
  File: { test: (s) => s.isFile(), what: "a file" },
  Socket: { test: (s) => s.isSocket(), what: "a socket file" },
  CharDevice: { test: (s) => s.isCharacterDevice(), what: "a character device" },
  BlockDevice: { test: (s) => s.isBlockDevice(), what: "a block device" },
};

/**
 * Checks (and for the …OrCreate types makes) a hostPath volume's path as kubelet does: the
 * OrCreate types create what is missing — a directory tree with 0755, or a file with 0644 whose
 * parent must already exist — and every type but "" then requires the path to be of that type.
 * `field` is the volume's `spec.volumes[i].hostPath`.
 */
export async function checkHostPath(
  hostPath: string,
  type: string | undefined,
  field: string,
): Promise<void> {
  if (typeof hostPath !== "string" || !path.isAbsolute(hostPath)) {
    throw invalidArgument(`hostPath ${JSON.stringify(hostPath)} must be an absolute path`, {
      field: `${field}.path`,
    });
  }
  const kind = type ?? "";
  if (!(hostPathTypes as readonly string[]).includes(kind)) {
    throw invalidArgument(
      `hostPath type "${kind}" is not supported (one of ${hostPathTypes.filter(Boolean).join(", ")})`,
      { field: `${field}.type` },
    );
  }
  if (kind === "") return;
  let stat = await statOrUndefined(hostPath, field);
  if (!stat && kind === "DirectoryOrCreate") {
    await fs.mkdir(hostPath, { recursive: true, mode: 0o755 }).catch((err: Error) => {
      throw failedPrecondition(
        `hostPath type check failed: cannot create directory ${hostPath}: ${err.message}`,
        { field: `${field}.path`, cause: err },
      );
    });
    stat = await statOrUndefined(hostPath, field);
  }
  if (!stat && kind === "FileOrCreate") {
    await createFile(hostPath, field);
    stat = await statOrUndefined(hostPath, field);
  }
  const expected = expectations[kind.replace(/OrCreate$/, "")];
  if (!stat || !expected.test(stat)) {
    throw failedPrecondition(`hostPath type check failed: ${hostPath} is not ${expected.what}`, {
      field: `${field}.path`,
    });
  }
}

async function createFile(hostPath: string, field: string): Promise<void> {
  try {
    // "a" creates without truncating: another writer may have created it since the stat.
    await (await fs.open(hostPath, "a", 0o644)).close();
  } catch (err) {
    if (errnoCode(err) === "ENOENT") {
      throw failedPrecondition(
        `hostPath type check failed: cannot create file ${hostPath}: ` +
          `its directory ${path.dirname(hostPath)} does not exist`,
        { field: `${field}.path` },
      );
    }
    throw internal(`hostPath ${hostPath}: ${(err as Error).message}`, { field: `${field}.path` });
  }
}

async function statOrUndefined(p: string, field: string): Promise<Stats | undefined> {
  try {
    return await fs.stat(p);
  } catch (err) {
    if (errnoCode(err) === "ENOENT" || errnoCode(err) === "ENOTDIR") return undefined;
    throw internal(`hostPath ${p}: ${(err as Error).message}`, {
      field: `${field}.path`,
      cause: err,
    });
  }
}
