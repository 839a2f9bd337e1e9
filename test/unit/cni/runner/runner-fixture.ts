import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CniRunner, type AttachmentParams } from "../../../../cni/runner/cni-runner.js";
import { tempDir } from "../../../support/temp-dir.js";
import { FakePlugins } from "./fake-plugins.js";

/** A temp conf dir, cache dir and fake-plugin dir, and runners over them. */
export function runnerFixture() {
  const tmp = tempDir("cni-runner");
  const confDir = path.join(tmp.path, "net.d");
  const cacheDir = path.join(tmp.path, "results");
  mkdirSync(confDir);
  const plugins = new FakePlugins(tmp.path);
  return {
    root: tmp.path,
    confDir,
    cacheDir,
    plugins,
    remove: tmp.remove,
    writeConf(name: string, conf: object | string): void {
      writeFileSync(
        path.join(confDir, name),
        typeof conf === "string" ? conf : JSON.stringify(conf),
      );
    },
    /** A conflist "testnet" of the given plugin entries. */
    writeList(plugins: object[], extra: object = {}): void {
      this.writeConf("10-test.conflist", {
        cniVersion: "1.0.0",
        name: "testnet",
        plugins,
        ...extra,
      });
    },
    runner(timeoutMs?: number): CniRunner {
      return new CniRunner({ confDir, cacheDir, binDirs: [plugins.bin], timeoutMs });
    },
  };
}

export const attachment = (containerId = "c1", extra: Partial<AttachmentParams> = {}) => ({
  containerId,
  ifname: "eth0",
  netns: "/proc/self/ns/net",
  ...extra,
});

/** The rejection of a promise that must fail. */
export async function rejection(
  promise: Promise<unknown>,
): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error("expected a rejection");
}
