import { failedPrecondition } from "../../../lib/errors.js";
import type { CgroupFs } from "./cgroup-fs.js";
import { readControl, writeControl } from "./control-files.js";

const memoryFile = "memory.limit_in_bytes";
const memswFile = "memory.memsw.limit_in_bytes";

const hints = {
  EINVAL: `${memoryFile} must stay at or below ${memswFile}`,
  EBUSY: "usage is above the new limit and could not be reclaimed",
};

/**
 * Sets the v1 memory and memory+swap limits. The kernel keeps memory ≤ memsw at every step, so
 * the order depends on direction: when the new memsw is above the current memory limit, memsw
 * goes first (raising); otherwise memory goes first (lowering). Same rule as runc.
 */
export async function applyV1Memory(
  fs: CgroupFs,
  dir: string,
  memory: number | undefined,
  memsw: number | undefined,
): Promise<void> {
  const hasMemsw = await fs.exists(`${dir}/${memswFile}`);
  // Unlimited memory under a limited memsw would be refused: unlimited means both.
  if (memory === -1 && memsw === undefined && hasMemsw) memsw = -1;
  if (memsw !== undefined && !hasMemsw) {
    throw failedPrecondition(
      `cannot set memory+swap limit ${memsw}: ${dir}/${memswFile} does not exist (no swap accounting on this kernel)`,
    );
  }
  const setMemory = () => writeControl(fs, dir, memoryFile, String(memory), hints);
  const setMemsw = () => writeControl(fs, dir, memswFile, String(memsw), hints);
  if (memory !== undefined && memsw !== undefined) {
    const text = (await readControl(fs, `${dir}/${memoryFile}`)) ?? "";
    const current = /^\d+$/.test(text) ? BigInt(text) : 0n;
    if (memsw === -1 || current < BigInt(memsw)) {
      await setMemsw();
      await setMemory();
    } else {
      await setMemory();
      await setMemsw();
    }
  } else if (memory !== undefined) {
    await setMemory();
  } else if (memsw !== undefined) {
    await setMemsw();
  }
}
