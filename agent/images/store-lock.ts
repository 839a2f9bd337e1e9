import { spawn } from "node:child_process";
import { unavailable } from "../../lib/errors.js";

const waitSeconds = 60;

/**
 * The store's one cross-process lock, held only for short metadata steps (commit an image, take a
 * lease, collect garbage), never while unpacking. It is a kernel flock held by a `flock` child
 * whose stdin is our pipe: when this process ends, even by SIGKILL, the pipe closes, the child
 * exits and the kernel releases the lock at once. (Node has no flock of its own.)
 */
export async function withStoreLock<T>(lockPath: string, fn: () => Promise<T>): Promise<T> {
  const holder = spawn(
    "flock",
    [
      "--exclusive",
      "--timeout",
      String(waitSeconds),
      lockPath,
      "sh",
      "-c",
      "echo locked; exec cat >/dev/null",
    ],
    { stdio: ["pipe", "pipe", "pipe"] },
  );
  const exited = new Promise<number | null>((resolve) => holder.once("close", resolve));
  const locked = await new Promise<boolean>((resolve) => {
    holder.stdout.once("data", () => resolve(true));
    holder.once("error", () => resolve(false));
    void exited.then(() => resolve(false));
  });
  if (!locked) {
    throw unavailable(`image store lock ${lockPath} not acquired within ${waitSeconds}s`);
  }
  try {
    return await fn();
  } finally {
    holder.stdin.end();
    await exited;
  }
}
