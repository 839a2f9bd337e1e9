import { Command } from "commander";
import { ImageStore } from "../../agent/images/image-store.js";
import { formatReference, normalizeReference } from "../../agent/images/reference.js";
import { pullImage } from "../../agent/registry/pull/pull-image.js";
import { PlainPullProgress, TtyPullProgress, type ProgressDisplay } from "./image-pull-progress.js";
import { parsePlatform } from "./platform-flag.js";
import { nodePaths, withNodeFlags } from "./node-flags.js";
import {
  cliTransport,
  flagCredentials,
  withRegistryFlags,
  type RegistryFlags,
} from "./registry-flags.js";

/** `berth image pull REF`: progress on stderr (redrawn on a terminal), the image id on stdout. */
export function imagePullCommand(): Command {
  return withRegistryFlags(withNodeFlags(new Command("pull")))
    .argument("<ref>", "image reference: name[:tag][@digest]")
    .description("pull an image from its registry into the node's store")
    .option("--platform <os/arch[/variant]>", "platform to pick from a multi-platform image")
    .action(async (ref: string, flags: RegistryFlags & { platform?: string }) => {
      const reference = formatReference(normalizeReference(ref, "ref"));
      const platform = flags.platform === undefined ? undefined : parsePlatform(flags.platform);
      const auth = flagCredentials(flags);
      const transport = cliTransport(flags);
      const store = await ImageStore.open(nodePaths(flags).root);
      const display: ProgressDisplay = process.stderr.isTTY
        ? new TtyPullProgress((t) => process.stderr.write(t))
        : new PlainPullProgress((t) => process.stderr.write(t));
      try {
        const record = await pullImage(store, transport, reference, {
          platform,
          auth,
          onProgress: (p) => display.update(p),
        }).finally(() => display.finish());
        console.log(record.id);
      } finally {
        transport.close();
      }
    });
}
