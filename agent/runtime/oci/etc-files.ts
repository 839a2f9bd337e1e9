import { readRootfsFile } from "./rootfs-path.js";

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
}

export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

const id = (text: string | undefined) =>
  text !== undefined && /^\d{1,10}$/.test(text) ? Number(text) : undefined;

/** /etc/passwd lines "name:x:uid:gid:gecos:home:shell"; malformed lines and comments are skipped. */
export function parsePasswd(text: string): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const line of text.split("\n")) {
    const f = line.trim().split(":");
    const uid = id(f[2]);
    const gid = id(f[3]);
    if (
      f.length < 4 ||
      f[0] === "" ||
      f[0].startsWith("#") ||
      uid === undefined ||
      gid === undefined
    ) {
      continue;
    }
    out.push({ name: f[0], uid, gid });
  }
  return out;
}

/** /etc/group lines "name:x:gid:member,member"; malformed lines and comments are skipped. */
export function parseGroup(text: string): GroupEntry[] {
  const out: GroupEntry[] = [];
  for (const line of text.split("\n")) {
    const f = line.trim().split(":");
    const gid = id(f[2]);
    if (f.length < 3 || f[0] === "" || f[0].startsWith("#") || gid === undefined) continue;
    const members = (f[3] ?? "")
      .split(",")
      .map((m) => m.trim())
      .filter((m) => m !== "");
    out.push({ name: f[0], gid, members });
  }
  return out;
}

/** The image's users and groups, read safely from inside its root filesystem. */
export interface UserDatabase {
  passwd: PasswdEntry[];
  group: GroupEntry[];
}

export function readUserDatabase(rootfs: string): UserDatabase {
  return {
    passwd: parsePasswd(readRootfsFile(rootfs, "/etc/passwd") ?? ""),
    group: parseGroup(readRootfsFile(rootfs, "/etc/group") ?? ""),
  };
}
