import fs from "node:fs";
import path from "node:path";
import { errnoCode, invalidArgument } from "../../../lib/errors.js";
import type { Device__Output } from "../../../proto/gen/runtime/v1/Device.js";
import { absolutePath, realHostPath } from "./paths.js";
import type { OciDevice, OciDeviceRule } from "./oci-spec.js";

/**
 * The device cgroup rules of an unprivileged container before its own devices: deny everything,
 * then allow mknod of any node and the devices every container needs (what Docker lists and runc
 * adds by itself; /dev/net/tun is left out, as in runc ≥ 1.0).
 */
export const defaultDeviceRules: readonly OciDeviceRule[] = [
  { allow: false, access: "rwm" },
  { allow: true, type: "c", access: "m" },
  { allow: true, type: "b", access: "m" },
  { allow: true, type: "c", major: 1, minor: 3, access: "rwm" }, // null
  { allow: true, type: "c", major: 1, minor: 5, access: "rwm" }, // zero
  { allow: true, type: "c", major: 1, minor: 7, access: "rwm" }, // full
  { allow: true, type: "c", major: 1, minor: 8, access: "rwm" }, // random
  { allow: true, type: "c", major: 1, minor: 9, access: "rwm" }, // urandom
  { allow: true, type: "c", major: 5, minor: 0, access: "rwm" }, // tty
  { allow: true, type: "c", major: 5, minor: 1, access: "rwm" }, // console
  { allow: true, type: "c", major: 5, minor: 2, access: "rwm" }, // ptmx
  { allow: true, type: "c", major: 136, access: "rwm" }, // pts/*
];

export const allowAllDevices: readonly OciDeviceRule[] = [{ allow: true, access: "rwm" }];

/** Linux's dev_t split (glibc's major()/minor() for the 64-bit encoding). */
export function splitDev(rdev: bigint): { major: number; minor: number } {
  return {
    major: Number(((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & 0xfffff000n)),
    minor: Number((rdev & 0xffn) | ((rdev >> 12n) & 0xffffff00n)),
  };
}

/** The device node at a host path (not following a final symlink), or undefined if it is none. */
export function deviceAt(hostPath: string, containerPath: string): OciDevice | undefined {
  const st = fs.lstatSync(hostPath, { bigint: true });
  const type = st.isCharacterDevice() ? "c" : st.isBlockDevice() ? "b" : undefined;
  if (!type) return undefined;
  const { major, minor } = splitDev(st.rdev);
  if (major === 0) return undefined;
  return {
    path: containerPath,
    type,
    major,
    minor,
    fileMode: Number(st.mode & 0o7777n),
    uid: Number(st.uid),
    gid: Number(st.gid),
  };
}

const skippedDirs = new Set(["pts", "shm", "fd", "mqueue", ".lxc", ".lxd-mounts", ".udev"]);

/**
 * Every device node under `dir` (a directory is walked, skipping what containerd and runc skip:
 * pts, shm, fd, mqueue, .lxc, .lxd-mounts, .udev and the console), mapped to `containerDir`.
 * Entries that vanish or cannot be read while walking are skipped.
 */
export function devicesUnder(dir: string, containerDir: string): OciDevice[] {
  const out: OciDevice[] = [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if (["ENOENT", "EACCES", "EPERM", "ENOTDIR"].includes(errnoCode(err) ?? "")) return out;
    throw err;
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const host = path.join(dir, entry.name);
    const inContainer = path.posix.join(containerDir, entry.name);
    if (entry.isDirectory()) {
      if (!skippedDirs.has(entry.name)) out.push(...devicesUnder(host, inContainer));
      continue;
    }
    if (entry.name === "console") continue;
    try {
      const device = deviceAt(host, inContainer);
      if (device) out.push(device);
    } catch (err) {
      if (!["ENOENT", "EACCES", "EPERM"].includes(errnoCode(err) ?? "")) throw err;
    }
  }
  return out;
}

export interface ContainerDevices {
  devices: OciDevice[];
  rules: OciDeviceRule[];
}

/**
 * The CRI `devices`: each host path (symlinks resolved; a directory means every device in it)
 * becomes a node at its container path, allowed in the device cgroup with its permissions.
 */
export function criDevices(devices: Device__Output[]): ContainerDevices {
  const out: ContainerDevices = { devices: [], rules: [] };
  devices.forEach((d, i) => {
    const field = `config.devices[${i}]`;
    const hostPath = realHostPath(d.host_path, `${field}.host_path`);
    const containerPath = d.container_path
      ? absolutePath(d.container_path, `${field}.container_path`)
      : hostPath;
    const access = permissions(d.permissions, `${field}.permissions`);
    let found: OciDevice[];
    if (fs.statSync(hostPath).isDirectory()) {
      found = devicesUnder(hostPath, containerPath);
    } else {
      const device = deviceAt(hostPath, containerPath);
      if (!device) {
        throw invalidArgument(`${field}.host_path: ${hostPath} is not a device`, {
          field: `${field}.host_path`,
        });
      }
      found = [device];
    }
    for (const device of found) {
      out.devices.push(device);
      if (device.type === "c" || device.type === "b") {
        out.rules.push({
          allow: true,
          type: device.type,
          major: device.major,
          minor: device.minor,
          access,
        });
      }
    }
  });
  return out;
}

/** "rwm" or a subset, in any order; empty means all three. */
function permissions(p: string | undefined, field: string): string {
  if (!p) return "rwm";
  if (!/^[rwm]{1,3}$/.test(p) || new Set(p).size !== p.length) {
    throw invalidArgument(`${field}: ${JSON.stringify(p)} is not a subset of "rwm"`, { field });
  }
  return p;
}
