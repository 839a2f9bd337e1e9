import type { FilesystemUsage } from "../../../proto/gen/runtime/v1/FilesystemUsage.js";
import type { ImageFsInfoResponse } from "../../../proto/gen/runtime/v1/ImageFsInfoResponse.js";
import type { ImageStore } from "../../images/image-store.js";

/** Bytes and inodes the image store really takes (blobs plus unpacked snapshots) on its filesystem. */
export async function imageFsInfo(store: ImageStore): Promise<ImageFsInfoResponse> {
  const usage = await store.usage();
  const fs: FilesystemUsage = {
    timestamp: String(BigInt(Date.now()) * 1_000_000n),
    fs_id: { mountpoint: store.paths.root },
    used_bytes: { value: String(usage.bytes) },
    inodes_used: { value: String(usage.inodes) },
  };
  return { image_filesystems: [fs], container_filesystems: [fs] };
}
