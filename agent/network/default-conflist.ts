import { promises as fs } from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "../images/atomic-file.js";

export interface DefaultNetwork {
  bridge: string;
  subnet: string;
  /** Where the IPAM plugin keeps its allocations. */
  dataDir: string;
}

export const defaultNetwork = (root: string): DefaultNetwork => ({
  bridge: "berth0",
  subnet: "10.88.0.0/16",
  dataDir: path.join(root, "cni", "networks"),
});

/** Berth's own bridge + IPAM + portmap chain, as the agent writes it where no config exists. */
export function berthConflist(net: DefaultNetwork): object {
  return {
    cniVersion: "1.1.0",
    cniVersions: ["1.0.0", "1.1.0"],
    name: "berth",
    plugins: [
      {
        type: "berth-bridge",
        bridge: net.bridge,
        isGateway: true,
        isDefaultGateway: true,
        ipMasq: true,
        hairpinMode: true,
        ipam: {
          type: "berth-host-local",
          ranges: [[{ subnet: net.subnet }]],
          dataDir: net.dataDir,
        },
      },
      { type: "berth-portmap", capabilities: { portMappings: true }, snat: true },
    ],
  };
}

const configExtensions = [".conflist", ".conf", ".json"];

/** Writes Berth's default network config into `confDir` when it holds none; returns the file written. */
export async function ensureDefaultConflist(
  confDir: string,
  net: DefaultNetwork,
): Promise<string | undefined> {
  await fs.mkdir(confDir, { recursive: true, mode: 0o755 });
  const existing = (await fs.readdir(confDir)).filter((f) =>
    configExtensions.includes(path.extname(f)),
  );
  if (existing.length > 0) return undefined;
  const file = path.join(confDir, "10-berth.conflist");
  await writeFileAtomic(file, `${JSON.stringify(berthConflist(net), null, 2)}\n`);
  return file;
}
