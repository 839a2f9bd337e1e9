// Pull + unpack of a ~200 MB, five-layer image from a local docker-registry (127.0.0.1): Berth
// (pullImage into a fresh content store and snapshots) beside `skopeo copy docker://… oci:…` +
// `umoci unpack`, and beside containerd's `ctr image pull` against a containerd the bench starts.
// Median of BENCH_RUNS (default 5) each, in the same process, same registry, same disk.
import { createCipheriv, createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ImageStore } from "../agent/images/image-store.js";
import { pullImage } from "../agent/registry/pull/pull-image.js";
import { createRegistryTransport } from "../agent/registry/transport/create-transport.js";
import { run } from "../lib/exec.js";
import { buildImage, makeLayer } from "../test/fixtures/fixture-image.js";
import { writeOciLayout } from "../test/fixtures/oci-layout-writer.js";
import { dir, file, type LayerEntry } from "../test/fixtures/tar-layer.js";
import { hasTool } from "../test/support/prerequisites.js";
import { startRegistry } from "../test/support/registry-server.js";
import { unmountUnder } from "../test/support/unmount-under.js";
import { startContainerd, type ContainerdDaemon } from "./containerd-daemon.js";
import { median, timeMs } from "./stats.js";

const runs = Number(process.env.BENCH_RUNS ?? 5);
const mib = 1024 * 1024;

async function main(): Promise<void> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), "berth-bench-pull-"));
  const registry = await startRegistry();
  let containerd: ContainerdDaemon | undefined;
  try {
    const layout = path.join(work, "layout");
    const image = buildImage(await Promise.all([0, 1, 2, 3, 4].map(benchLayer)));
    await writeOciLayout(layout, [{ image, refNames: ["bench:v1"] }]);
    const ref = `${registry.host}/bench/pull-unpack:v1`;
    await run(
      "skopeo",
      ["copy", "--quiet", "--dest-tls-verify=false", `oci:${layout}:bench:v1`, `docker://${ref}`],
      { timeoutMs: 600_000 },
    );
    const unpacked = image.layers.reduce((n, l) => n + l.tar.length, 0);
    console.log(
      `image: ${image.layers.length} layers, ${(image.size / 1e6).toFixed(1)} MB compressed, ${(unpacked / 1e6).toFixed(1)} MB unpacked, from ${registry.host}`,
    );

    const haveContainerd = hasTool("containerd") && hasTool("ctr");
    if (haveContainerd) containerd = await startContainerd(path.join(work, "containerd"));
    else
      console.log(
        "containerd/ctr not installed (make bench installs Debian's containerd): skipping ctr",
      );

    const berth: number[] = [];
    const skopeo: number[] = [];
    const ctr: number[] = [];
    for (let i = 0; i < runs; i++) {
      const root = path.join(work, `berth-${i}`);
      berth.push(
        await timeMs(async () => {
          const transport = createRegistryTransport();
          try {
            await pullImage(await ImageStore.open(root), transport, ref);
          } finally {
            transport.close();
          }
        }),
      );
      await fs.rm(root, { recursive: true, force: true });

      const copy = path.join(work, `skopeo-${i}`);
      const bundle = path.join(work, `bundle-${i}`);
      skopeo.push(
        await timeMs(async () => {
          await run(
            "skopeo",
            ["copy", "--quiet", "--src-tls-verify=false", `docker://${ref}`, `oci:${copy}:v1`],
            { timeoutMs: 600_000 },
          );
          await run("umoci", ["unpack", "--image", `${copy}:v1`, bundle], { timeoutMs: 600_000 });
        }),
      );
      await fs.rm(copy, { recursive: true, force: true });
      await fs.rm(bundle, { recursive: true, force: true });

      if (containerd) {
        const c = containerd;
        ctr.push(await timeMs(() => c.ctr(["image", "pull", "--plain-http", ref])));
        // --sync: garbage-collects content and snapshots now, so the next pull starts empty.
        await c.ctr(["image", "rm", "--sync", ref]);
        const left = (await c.ctr(["content", "ls", "--quiet"])).trim();
        if (left !== "") throw new Error(`containerd kept content after image rm: ${left}`);
      }
    }
    const b = median(berth);
    const s = median(skopeo);
    const line = (name: string, samples: number[]) =>
      console.log(
        `${name.padEnd(28)} median ${median(samples).toFixed(0)} ms  (runs: ${samples.map((t) => t.toFixed(0)).join(", ")})`,
      );
    line("berth pull+unpack:", berth);
    line("skopeo copy + umoci unpack:", skopeo);
    if (ctr.length > 0) line("ctr image pull (containerd):", ctr);
    console.log(`ratio berth/(skopeo+umoci): ${(b / s).toFixed(2)}`);
    if (ctr.length > 0) console.log(`ratio berth/ctr: ${(b / median(ctr)).toFixed(2)}`);
  } finally {
    await containerd?.stop();
    await registry.stop();
    await unmountUnder(work);
    await fs.rm(work, { recursive: true, force: true });
  }
}

/** ~40 MiB of incompressible data in 8 files plus 100 small files: bandwidth and per-file work. */
async function benchLayer(layer: number) {
  const root = `data/layer${layer}`;
  const entries: LayerEntry[] = [dir("data"), dir(root), dir(`${root}/small`)];
  for (let f = 0; f < 8; f++)
    entries.push(file(`${root}/random-${f}.bin`, noise(`${layer}/${f}`, 5 * mib)));
  for (let f = 0; f < 100; f++) {
    entries.push(file(`${root}/small/file-${f}`, noise(`${layer}/small/${f}`, 2048 + f * 16)));
  }
  return makeLayer(entries, { gzip: true });
}

/** AES-CTR keystream keyed by the seed: incompressible and the same on every run. */
function noise(seed: string, bytes: number): Buffer {
  const key = createHash("sha256").update(seed).digest();
  const cipher = createCipheriv("aes-256-ctr", key, Buffer.alloc(16));
  return Buffer.concat([cipher.update(Buffer.alloc(bytes)), cipher.final()]);
}

await main();
