import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { run } from "../../lib/exec.js";

/** Test networks' names start with this; the leak check looks for it in iptables rules. */
export const testNetworkPrefix = "berth-test-";
/** Test bridges' names start with this (interface names are 15 characters at most). */
export const testBridgePrefix = "btb";

export interface TestNetwork {
  name: string;
  bridge: string;
  subnet: string;
  /** The first address pods get. */
  prefix: string;
  confDir: string;
  remove(): Promise<void>;
}

/**
 * A CNI network of Berth's plugins on a bridge and a /24 of 10.244.0.0/16 of its own, with its
 * IPAM state under `base`: written where a test agent reads its configs (see agent-process).
 */
export async function writeTestNetwork(base: string): Promise<TestNetwork> {
  const id = randomBytes(3).toString("hex");
  const third = randomBytes(1)[0];
  const name = `${testNetworkPrefix}${id}`;
  const bridge = `${testBridgePrefix}${id}`;
  const subnet = `10.244.${third}.0/24`;
  const confDir = path.join(base, "cni", "net.d");
  await fs.mkdir(confDir, { recursive: true });
  const conflist = {
    cniVersion: "1.1.0",
    name,
    plugins: [
      {
        type: "berth-bridge",
        bridge,
        isGateway: true,
        isDefaultGateway: true,
        ipMasq: true,
        hairpinMode: true,
        ipam: {
          type: "berth-host-local",
          ranges: [[{ subnet }]],
          dataDir: path.join(base, "cni", "networks"),
        },
      },
      { type: "berth-portmap", capabilities: { portMappings: true }, snat: true },
    ],
  };
  await fs.writeFile(path.join(confDir, "10-test.conflist"), JSON.stringify(conflist, null, 2));
  return {
    name,
    bridge,
    subnet,
    prefix: `10.244.${third}.`,
    confDir,
    async remove() {
      await run("ip", ["link", "del", bridge]).catch(() => undefined);
    },
  };
}
