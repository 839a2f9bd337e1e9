import { promises as fs } from "node:fs";
import { invalidArgument } from "../../../lib/errors.js";
import type { Volume } from "../../kube/types.js";
import { memoryVolumeSize } from "./memory-volume-size.js";
import { ensureTmpfs } from "./tmpfs.js";
import type { VolumeContext } from "./volume-context.js";

type EmptyDirSource = NonNullable<Volume["emptyDir"]>;

// Anyone in the pod may write an emptyDir, whatever user its containers run as (kubelet's 0777).
const emptyDirMode = 0o777;

/**
 * An emptyDir: a directory on the node's disk, or with medium Memory a tmpfs sized by
 * memoryVolumeSize. Its permissions are set only when it is made, so later chmods from inside the
 * pod stick. sizeLimit on disk is an eviction threshold in Kubernetes, not enforced here.
 */
export async function setUpEmptyDir(
  dir: string,
  source: EmptyDirSource,
  ctx: VolumeContext,
): Promise<void> {
  const medium = source.medium ?? "";
  let made: boolean;
  if (medium === "Memory") {
    const sizeBytes = memoryVolumeSize(
      ctx.pod,
      source.sizeLimit,
      ctx.nodeAllocatableMemory,
      `${ctx.field}.emptyDir`,
    );
    made = await ensureTmpfs(dir, { mode: emptyDirMode, sizeBytes }, ctx.logger);
  } else if (medium === "") {
    made = (await fs.mkdir(dir, { recursive: true })) !== undefined;
  } else {
    throw invalidArgument(`emptyDir medium "${medium}" is not supported (use "" or "Memory")`, {
      field: `${ctx.field}.emptyDir.medium`,
    });
  }
  if (!made) return;
  if (ctx.gid !== undefined) {
    await fs.chown(dir, -1, ctx.gid);
    // setgid: files made in the volume inherit the fsGroup, as kubelet's SetVolumeOwnership does.
    await fs.chmod(dir, emptyDirMode | 0o2000);
  } else {
    await fs.chmod(dir, emptyDirMode);
  }
}
