import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** A directory under the system temp dir with a test-unique prefix; remove() deletes it whole. */
export function tempDir(prefix: string): { path: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `berth-test-${prefix}-`));
  return { path: dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
