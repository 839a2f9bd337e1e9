import { promises as fs } from "node:fs";
import net from "node:net";
import path from "node:path";
import { errnoCode, failedPrecondition } from "../lib/errors.js";

/**
 * Clears the way to listen on a unix socket path: a stale socket (nobody answering) is removed,
 * a live one is an error, so a second agent never steals the first one's socket.
 */
export async function prepareSocketPath(socket: string): Promise<void> {
  await fs.mkdir(path.dirname(socket), { recursive: true, mode: 0o755 });
  const st = await fs.lstat(socket).catch((err) => {
    if (errnoCode(err) === "ENOENT") return undefined;
    throw err;
  });
  if (!st) return;
  if (!st.isSocket()) {
    throw failedPrecondition(`${socket} exists and is not a socket; refusing to replace it`);
  }
  if (await answers(socket)) {
    throw failedPrecondition(`${socket} is served by another running process`);
  }
  await fs.rm(socket, { force: true });
}

function answers(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const conn = net.connect(socket);
    conn.once("connect", () => {
      conn.destroy();
      resolve(true);
    });
    conn.once("error", () => resolve(false));
  });
}
