import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ImageRecord } from "../image-records.js";
import type { ImageStore } from "../image-store.js";
import { importImages } from "../import/import-image.js";
import { busyboxRootfsTar } from "./busybox-rootfs.js";

/** The image `berth up` offers so a first pod runs without any registry. */
export const builtinBusyboxReference = "berth.local/busybox:stable";

const mediaTypes = {
  index: "application/vnd.oci.image.index.v1+json",
  manifest: "application/vnd.oci.image.manifest.v1+json",
  config: "application/vnd.oci.image.config.v1+json",
  layer: "application/vnd.oci.image.layer.v1.tar",
};

interface Blob {
  bytes: Buffer;
  digest: string;
}

const blob = (bytes: Buffer): Blob => ({
  bytes,
  digest: `sha256:${createHash("sha256").update(bytes).digest("hex")}`,
});
const descriptor = (mediaType: string, b: Blob) => ({
  mediaType,
  digest: b.digest,
  size: b.bytes.length,
});

/**
 * Makes `reference` (default berth.local/busybox:stable) from the host's busybox and imports it,
 * unless the store already holds that exact image. Offline: nothing is downloaded.
 */
export async function ensureBuiltinBusybox(
  store: ImageStore,
  options: { busyboxPath?: string; reference?: string } = {},
): Promise<ImageRecord> {
  const reference = options.reference ?? builtinBusyboxReference;
  const layer = blob(await busyboxRootfsTar(options.busyboxPath ?? "/bin/busybox"));
  const arch = ({ x64: "amd64", arm64: "arm64" } as Record<string, string>)[process.arch];
  const config = blob(
    Buffer.from(
      JSON.stringify({
        architecture: arch ?? process.arch,
        os: "linux",
        config: {
          Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
          Cmd: ["sh"],
        },
        rootfs: { type: "layers", diff_ids: [layer.digest] },
        history: [{ created_by: "berth: the host's busybox" }],
      }),
    ),
  );
  const manifest = blob(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: mediaTypes.manifest,
        config: descriptor(mediaTypes.config, config),
        layers: [descriptor(mediaTypes.layer, layer)],
      }),
    ),
  );
  const existing = await store.find(reference);
  if (existing?.repoDigests.some((d) => d.endsWith(`@${manifest.digest}`))) return existing;

  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "berth-builtin-"));
  try {
    await fs.mkdir(path.join(dir, "blobs", "sha256"), { recursive: true });
    for (const b of [layer, config, manifest]) {
      await fs.writeFile(path.join(dir, "blobs", "sha256", b.digest.slice(7)), b.bytes);
    }
    await fs.writeFile(path.join(dir, "oci-layout"), '{"imageLayoutVersion":"1.0.0"}');
    const index = {
      schemaVersion: 2,
      mediaType: mediaTypes.index,
      manifests: [
        {
          ...descriptor(mediaTypes.manifest, manifest),
          annotations: { "org.opencontainers.image.ref.name": reference },
        },
      ],
    };
    await fs.writeFile(path.join(dir, "index.json"), JSON.stringify(index));
    const [record] = await importImages(store, dir);
    return record;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
