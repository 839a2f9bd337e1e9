import { promises as fs } from "node:fs";
import path from "node:path";
import { run } from "../../../lib/exec.js";
import { isMountPoint } from "../container/rootfs.js";

export interface PinRequest {
  /** Paths to bind the new namespaces to; a kind left out stays the host's. */
  net?: string;
  ipc?: string;
  uts?: string;
  hostname: string;
  /** Namespaced sysctls to set inside the new namespaces, as /proc/sys relative paths. */
  sysctls: { path: string; value: string }[];
}

// Runs inside the new namespaces: hostname, loopback up, sysctls; arguments are never interpolated.
const setupScript = `set -e
if [ "$1" = uts ]; then hostname "$2"; fi
if [ "$3" = net ]; then ip link set lo up; fi
shift 3
while [ $# -gt 0 ]; do printf '%s' "$2" > "/proc/sys/$1"; shift 2; done`;

/**
 * Creates a pod's network, IPC and UTS namespaces and pins each to a file with a bind mount, so
 * they live without any process in them (no pause container). One `unshare` does it all.
 */
export async function pinNamespaces(request: PinRequest): Promise<void> {
  const pins = (["net", "ipc", "uts"] as const).filter((k) => request[k] !== undefined);
  for (const kind of pins) {
    const file = request[kind] as string;
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o755 });
    await fs.writeFile(file, "", { mode: 0o444 });
  }
  const flags = pins.map((kind) => `--${kind}=${request[kind]}`);
  await run("unshare", [
    ...flags,
    "sh",
    "-c",
    setupScript,
    "sh",
    request.uts ? "uts" : "-",
    request.hostname,
    request.net ? "net" : "-",
    ...request.sysctls.flatMap((s) => [s.path, s.value]),
  ]);
}

/** Unpins namespaces (the kernel frees each once nothing else holds it); harmless to repeat. */
export async function unpinNamespaces(files: string[]): Promise<void> {
  for (const file of files) {
    if (await isMountPoint(file)) await run("umount", [file]);
    await fs.rm(file, { force: true });
  }
}
