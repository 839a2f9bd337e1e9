import { run } from "../../lib/exec.js";

// Node has no mknod or setxattr; these run the system tools once per batch instead of once per file.

export interface DeviceNode {
  path: string;
  /** c: character device (0:0 is an overlay whiteout), b: block device, p: FIFO. */
  kind: "c" | "b" | "p";
  major: number;
  minor: number;
}

export interface Xattr {
  path: string;
  name: string;
  value: Buffer;
}

const argBatch = 2000;

export async function makeNodes(nodes: DeviceNode[]): Promise<void> {
  const script =
    'while [ $# -gt 0 ]; do if [ "$2" = p ]; then mknod "$1" p; else mknod "$1" "$2" "$3" "$4"; fi || exit 1; shift 4; done';
  for (let i = 0; i < nodes.length; i += argBatch) {
    const args = nodes
      .slice(i, i + argBatch)
      .flatMap((n) => [n.path, n.kind, String(n.major), String(n.minor)]);
    await run("/bin/sh", ["-c", script, "sh", ...args]);
  }
}

/** Sets extended attributes without following symlinks, through `setfattr --restore`. */
export async function setXattrs(xattrs: Xattr[]): Promise<void> {
  if (xattrs.length === 0) return;
  const dump = xattrs
    .map((x) => `# file: ${quote(x.path)}\n${quote(x.name)}=0x${x.value.toString("hex")}\n`)
    .join("\n");
  await run("setfattr", ["-h", "--restore=-"], { input: dump });
}

/** setfattr's escaping: anything but printable ASCII, '\' and '=' as a three-digit octal escape. */
function quote(text: string): string {
  let out = "";
  for (const byte of Buffer.from(text, "utf8")) {
    out +=
      byte > 0x20 && byte < 0x7f && byte !== 0x5c && byte !== 0x3d
        ? String.fromCharCode(byte)
        : `\\${byte.toString(8).padStart(3, "0")}`;
  }
  return out;
}
