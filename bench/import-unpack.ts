// Import + unpack of a ~100 MB five-layer image: Berth (content store + overlay snapshots) beside
// `skopeo copy oci:… oci:…` followed by `umoci unpack`, the same work done by reference tools.
// Median of 5 runs each, in the same process and on the same disk; prints the ratio.
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ImageStore } from "../agent/images/image-store.js";
import { importImages } from "../agent/images/import/import-image.js";
import { run } from "../lib/exec.js";
import { buildLargeImage } from "../test/fixtures/large-image.js";
import { median, timeMs } from "./stats.js";

const runs = Number(process.env.BENCH_RUNS ?? 5);

async function main(): Promise<void> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), "berth-bench-import-"));
  try {
    const layout = path.join(work, "layout");
    const { ref, image } = await buildLargeImage(layout);
    const tag = ref.slice(ref.lastIndexOf(":") + 1);
    const unpacked = image.layers.reduce((n, l) => n + l.tar.length, 0);
    console.log(
      `image: ${image.layers.length} layers, ${(image.size / 1e6).toFixed(1)} MB compressed, ${(unpacked / 1e6).toFixed(1)} MB unpacked`,
    );

    const berth: number[] = [];
    const reference: number[] = [];
    for (let i = 0; i < runs; i++) {
      const root = path.join(work, `berth-${i}`);
      berth.push(await timeMs(async () => importImages(await ImageStore.open(root), layout)));
      await fs.rm(root, { recursive: true, force: true });

      const copy = path.join(work, `skopeo-${i}`);
      const bundle = path.join(work, `bundle-${i}`);
      reference.push(
        await timeMs(async () => {
          await run("skopeo", ["copy", "--quiet", `oci:${layout}:${ref}`, `oci:${copy}:${tag}`], {
            timeoutMs: 300_000,
          });
          await run("umoci", ["unpack", "--image", `${copy}:${tag}`, bundle], {
            timeoutMs: 300_000,
          });
        }),
      );
      await fs.rm(copy, { recursive: true, force: true });
      await fs.rm(bundle, { recursive: true, force: true });
    }
    const b = median(berth);
    const r = median(reference);
    console.log(
      `berth import+unpack:        median ${b.toFixed(0)} ms  (runs: ${berth.map((t) => t.toFixed(0)).join(", ")})`,
    );
    console.log(
      `skopeo copy + umoci unpack: median ${r.toFixed(0)} ms  (runs: ${reference.map((t) => t.toFixed(0)).join(", ")})`,
    );
    console.log(`ratio berth/reference: ${(b / r).toFixed(2)}`);
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

await main();
