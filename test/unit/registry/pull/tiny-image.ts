import path from "node:path";
import { ImageStore } from "../../../../agent/images/image-store.js";
import {
  buildImage,
  makeLayer,
  ociMediaTypes,
  type FixtureImage,
} from "../../../fixtures/fixture-image.js";
import { file } from "../../../fixtures/tar-layer.js";
import { tempDir } from "../../../support/temp-dir.js";
import type { FakeRegistry } from "./fake-registry.js";

const owner = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };

/** A small image whose files belong to the test's own user, so it unpacks without root. */
export async function tinyImage(layerCount = 2, gzip = true): Promise<FixtureImage> {
  const layers = [];
  for (let i = 0; i < layerCount; i++) {
    // Enough bytes per layer for a download to break off in the middle.
    const filler = Buffer.alloc(200_000 + i, i + 1);
    layers.push(
      await makeLayer([file(`layer-${i}`, filler, owner)], { gzip: gzip && i % 2 === 0 }),
    );
  }
  return buildImage(layers);
}

/** Serves `image` from the fake registry as `name:tag`; answers the manifest digest. */
export function publish(registry: FakeRegistry, name: string, tag: string, image: FixtureImage) {
  for (const blob of [image.config, ...image.layers]) registry.putBlob(blob.bytes);
  return registry.putManifest(name, image.manifest.bytes, ociMediaTypes.manifest, tag);
}

/** A fresh store in a temp dir per test. */
export function useStore(name: string) {
  const ctx = { store: undefined as unknown as ImageStore, root: "" };
  let remove = () => {};
  beforeEach(async () => {
    const t = tempDir(name);
    remove = t.remove;
    ctx.root = path.join(t.path, "store");
    ctx.store = await ImageStore.open(ctx.root);
  });
  afterEach(() => remove());
  return ctx;
}
