import {
  errnoCode,
  failedPrecondition,
  internal,
  invalidArgument,
  notFound,
} from "../../../lib/errors.js";
import type { CgroupFs } from "./cgroup-fs.js";

/**
 * Writes one control file, synchronously with the kernel: when it refuses the value, the error
 * names the file and the value, with the kernel's reason (EINVAL: out of range or malformed;
 * EBUSY: e.g. a memory limit below current usage). `hints` add a reason per errno code.
 */
export async function writeControl(
  fs: CgroupFs,
  dir: string,
  file: string,
  value: string,
  hints: Partial<Record<string, string>> = {},
): Promise<void> {
  const target = `${dir}/${file}`;
  try {
    await fs.writeFile(target, value);
  } catch (err) {
    const code = errnoCode(err) ?? "error";
    const hint = hints[code];
    const why = `cannot write ${JSON.stringify(value)} to ${target}: ${code}${describe(code)}${hint ? `: ${hint}` : ""}`;
    if (code === "EINVAL" || code === "ERANGE") throw invalidArgument(why, { cause: err });
    if (code === "EBUSY" || code === "EOPNOTSUPP" || code === "ENOTSUP")
      throw failedPrecondition(why, { cause: err });
    if (code === "ENOENT") throw notFound(why, { cause: err });
    throw internal(why, { cause: err });
  }
}

function describe(code: string): string {
  switch (code) {
    case "EINVAL":
      return " (the kernel rejected the value)";
    case "EBUSY":
      return " (the kernel cannot apply it now)";
    case "ENOENT":
      return " (no such cgroup or control file: is the controller enabled?)";
    default:
      return "";
  }
}

/** A control file's trimmed content, or undefined if it cannot be read. */
export async function readControl(fs: CgroupFs, file: string): Promise<string | undefined> {
  try {
    return (await fs.readFile(file)).trim();
  } catch {
    return undefined;
  }
}

/** Reads a file like memory.stat or cpu.stat ("key value" per line) into a map. */
export function parseFlatKeyed(text: string | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of (text ?? "").split("\n")) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined) map.set(key, value);
  }
  return map;
}

/** A non-negative integer counter, or undefined for anything else ("max", empty, garbage). */
export function parseCounter(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  return Number(text.trim());
}

/** v1 reports "no limit" as a huge page-aligned number; anything at or above 2^62 is unlimited. */
export function parseV1Limit(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  return BigInt(text.trim()) >= 1n << 62n ? undefined : Number(text.trim());
}

/** The process ids listed in a cgroup.procs file. */
export function parsePids(text: string | undefined): number[] {
  return (text ?? "")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /^\d+$/.test(l))
    .map(Number);
}
