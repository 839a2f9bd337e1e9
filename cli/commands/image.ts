import { scaleBytes } from "../byte-units.js";
import { Command } from "commander";
import { importImages } from "../../agent/images/import/import-image.js";
import { ImageStore } from "../../agent/images/image-store.js";
import type { ImageRecord } from "../../agent/images/image-records.js";
import { notFound } from "../../lib/errors.js";
import { imagePullCommand } from "./image-pull.js";
import { imagePushCommand } from "./image-push.js";
import { nodePaths, withNodeFlags } from "./node-flags.js";
import { printTable } from "../table.js";

type Flags = { root?: string; runDir?: string; criSocket?: string };

async function openStore(flags: Flags): Promise<ImageStore> {
  return ImageStore.open(nodePaths(flags).root);
}

export function imageCommand(): Command {
  const image = new Command("image").description("manage the node's local images");

  withNodeFlags(image.command("import"))
    .argument("<archive>", "an OCI image layout or a docker-archive, as a directory or a tar")
    .option(
      "--name <ref>",
      "name the image (repo:tag), or the repository for bare tags in the archive",
    )
    .description("import images from an archive, keeping every tag it carries")
    .action(async (archive: string, flags: Flags & { name?: string }) => {
      const store = await openStore(flags);
      const records = await importImages(store, archive, {
        name: flags.name,
        onLayer: ({ image: name, index, count, digest }) =>
          process.stderr.write(
            `${name}: layer ${index + 1}/${count} ${digest.slice(7, 19)} unpacked\n`,
          ),
      });
      for (const r of records) console.log(`${r.id} ${r.repoTags.join(" ")}`);
    });

  withNodeFlags(image.command("ls"))
    .description("list images")
    .option("-q, --quiet", "print image ids only")
    .action(async (flags: Flags & { quiet?: boolean }) => {
      const images = await (await openStore(flags)).list();
      if (flags.quiet) {
        images.forEach((i) => console.log(i.id));
        return;
      }
      printTable(
        ["IMAGE", "TAG", "IMAGE ID", "SIZE"],
        images.flatMap((i) => rows(i)),
      );
    });

  withNodeFlags(image.command("inspect"))
    .argument("<ref>", "tag, repo digest, image id or unique id prefix")
    .description("print an image's record as JSON")
    .action(async (ref: string, flags: Flags) => {
      const store = await openStore(flags);
      const found = await store.find(ref);
      if (!found) throw notFound(`image ${JSON.stringify(ref)} not found`);
      const config = JSON.parse((await store.content.read(found.config.digest)).toString("utf8"));
      console.log(JSON.stringify({ ...found, imageConfig: config }, null, 2));
    });

  withNodeFlags(image.command("rm"))
    .argument("<ref...>", "tags, repo digests, image ids or unique id prefixes")
    .description("remove images with all their tags, freeing what no other image uses")
    .action(async (refs: string[], flags: Flags) => {
      const store = await openStore(flags);
      for (const ref of refs) {
        const removed = await store.remove(ref);
        if (!removed) throw notFound(`image ${JSON.stringify(ref)} not found`);
        console.log(`removed ${removed.id}`);
      }
    });

  image.addCommand(imagePullCommand());
  image.addCommand(imagePushCommand());
  return image;
}

function rows(image: ImageRecord): string[][] {
  const id = image.id.slice(7, 19);
  const size = humanSize(image.size);
  if (image.repoTags.length === 0) return [["<none>", "<none>", id, size]];
  return image.repoTags.map((t) => {
    const colon = t.lastIndexOf(":");
    return [t.slice(0, colon), t.slice(colon + 1), id, size];
  });
}

function humanSize(bytes: number): string {
  const { value, unit } = scaleBytes(bytes);
  return `${value.toFixed(value >= 100 || unit === "B" ? 0 : 1)}${unit}`;
}
