import { promises as fs } from "node:fs";
import path from "node:path";
import { errnoCode, failedPrecondition } from "../../../lib/errors.js";
import { validatePayloadPath } from "./payload-path.js";

/**
 * The host path of a volumeMount's subPath inside a volume, created as a directory with the
 * volume root's mode when missing (as kubelet does, so an fsGroup can write into it). Refuses a
 * subPath that resolves — through symlinks a container may have planted — outside the volume.
 * `field` is the mount's `…volumeMounts[j].subPath`.
 */
export async function resolveSubPath(
  volumeHostPath: string,
  subPath: string,
  field: string,
): Promise<string> {
  validatePayloadPath(subPath, field);
  const root = await fs.realpath(volumeHostPath);
  const wanted = path.join(root, subPath);
  let real = await realpathOrUndefined(wanted);
  if (real === undefined) {
    const { mode } = await fs.stat(root);
    let dir = root;
    for (const part of subPath.split("/")) {
      dir = path.join(dir, part);
      const made = await fs.mkdir(dir).then(
        () => true,
        (err) => {
          if (errnoCode(err) !== "EEXIST") throw err;
          return false;
        },
      );
      // Checked at every step, so a symlink met on the way can never make us create outside.
      checkInside(root, await fs.realpath(dir), subPath, field);
      // mkdir's mode passes through the umask and drops setgid; the volume's mode must carry over.
      if (made) await fs.chmod(dir, mode & 0o7777);
    }
    real = await fs.realpath(wanted);
  }
  checkInside(root, real, subPath, field);
  return real;
}

function checkInside(root: string, real: string, subPath: string, field: string): void {
  if (real !== root && !real.startsWith(`${root}/`)) {
    throw failedPrecondition(`subPath "${subPath}" resolves outside its volume (to ${real})`, {
      field,
    });
  }
}

async function realpathOrUndefined(p: string): Promise<string | undefined> {
  try {
    return await fs.realpath(p);
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return undefined;
    throw err;
  }
}
