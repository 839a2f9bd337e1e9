import { promises as fs } from "node:fs";
import path from "node:path";
import { errnoCode } from "../../../lib/errors.js";
import { writeFileAtomic } from "../../images/atomic-file.js";
import type { OciSpec } from "../oci/oci-spec.js";
import type { RuntimePaths } from "../runtime-paths.js";

function specFile(paths: RuntimePaths, id: string): string {
  return path.join(paths.bundle(id), "config.json");
}

/** The container's OCI spec as runc got it (and as later updates changed it); undefined if gone. */
export async function readBundleSpec(
  paths: RuntimePaths,
  id: string,
): Promise<OciSpec | undefined> {
  try {
    return JSON.parse(await fs.readFile(specFile(paths, id), "utf8")) as OciSpec;
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return undefined;
    throw err;
  }
}

export async function writeBundleSpec(
  paths: RuntimePaths,
  id: string,
  spec: OciSpec,
): Promise<void> {
  await writeFileAtomic(specFile(paths, id), JSON.stringify(spec));
}
