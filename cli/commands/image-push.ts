import { Command } from "commander";
import { ImageStore } from "../../agent/images/image-store.js";
import { pushImage } from "../../agent/registry/push/push-image.js";
import type { PushProgress } from "../../agent/registry/registry-api.js";
import { invalidArgument } from "../../lib/errors.js";
import { humanBytes, shortDigest } from "./image-pull-progress.js";
import { nodePaths, withNodeFlags } from "./node-flags.js";
import {
  cliTransport,
  flagCredentials,
  withRegistryFlags,
  type RegistryFlags,
} from "./registry-flags.js";

type PushFlags = RegistryFlags & { to?: string; chunkSize: string; mountFrom?: string[] };

/** `berth image push <ref> [--to <ref>]`: one line per blob as it lands, then the digest. */
export function imagePushCommand(): Command {
  return withRegistryFlags(withNodeFlags(new Command("push")))
    .argument("<ref>", "the local image: tag, repo digest, image id or unique id prefix")
    .option("--to <ref>", "push under this reference instead of <ref>")
    .option("--chunk-size <bytes>", "upload blobs in chunks of this many bytes (0: whole)", "0")
    .option("--mount-from <repos...>", "repositories on the registry to mount blobs from")
    .description("push a local image to a registry (plain HTTP for loopback registries)")
    .action(async (ref: string, flags: PushFlags) => {
      const chunkSize = byteCount(flags.chunkSize, "chunk-size");
      const store = await ImageStore.open(nodePaths(flags).root);
      const auth = flagCredentials(flags);
      const transport = cliTransport(flags);
      const sizes = new Map<string, number>();
      try {
        const pushed = await pushImage(store, transport, ref, flags.to, {
          auth,
          chunkSize,
          mountFrom: flags.mountFrom,
          onProgress: (p) => printProgress(p, sizes),
        });
        console.log(`${pushed.reference}: digest: ${pushed.digest}`);
      } finally {
        transport.close();
      }
    });
}

function printProgress(p: PushProgress, sizes: Map<string, number>): void {
  if (p.kind === "blob") sizes.set(p.digest, p.total);
  if (p.kind !== "blob-done") return;
  const size = p.how === "uploaded" ? ` ${humanBytes(sizes.get(p.digest) ?? 0)}` : "";
  console.log(`${shortDigest(p.digest)}: ${p.how}${size}`);
}

function byteCount(text: string, field: string): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw invalidArgument(`--${field}: ${JSON.stringify(text)} is not a number of bytes`, {
      field,
    });
  }
  return Number(text);
}
