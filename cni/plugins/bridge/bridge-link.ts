import { existsSync, readFileSync } from "node:fs";
import { CniError } from "../../spec/errors.js";
import { ipJson } from "../common/ip-batch.js";
import { runTool, toolFailureCode } from "../common/tool.js";
import { formatCidr, parseCidr, type Cidr } from "../common/ip-math.js";
import type { BridgeConfig } from "./config.js";
import { randomMac } from "./names.js";

export interface BridgeState {
  exists: boolean;
  addresses: Cidr[];
}

interface IpAddrJson {
  ifname: string;
  linkinfo?: { info_kind?: string };
  addr_info?: { family: string; local: string; prefixlen: number }[];
}

/** What the bridge looks like now (one `ip` spawn when it exists, none when it does not). */
export async function readBridge(name: string): Promise<BridgeState> {
  if (!existsSync(`/sys/class/net/${name}`)) return { exists: false, addresses: [] };
  const [link] = (await ipJson(`cannot read bridge ${name}`, [
    "-details",
    "addr",
    "show",
    "dev",
    name,
  ])) as IpAddrJson[];
  if (!link) return { exists: false, addresses: [] };
  if (link.linkinfo?.info_kind !== "bridge") {
    throw new CniError(toolFailureCode, `interface "${name}" already exists and is not a bridge`);
  }
  const addresses = (link.addr_info ?? [])
    .filter((a) => a.family === "inet" || a.family === "inet6")
    .filter((a) => !a.local.startsWith("fe80:"))
    .map((a) => parseCidr(`${a.local}/${a.prefixlen}`))
    .filter((c): c is Cidr => c !== undefined);
  return { exists: true, addresses };
}

/**
 * Creates the bridge when missing, with a fixed MAC so it does not follow the lowest port MAC as
 * veths come and go. A concurrent ADD may create it first: "File exists" is fine.
 */
export async function createBridge(conf: BridgeConfig): Promise<void> {
  const args = ["link", "add", "name", conf.bridge, "address", randomMac()];
  if (conf.mtu) args.push("mtu", String(conf.mtu));
  args.push("type", "bridge");
  const { code, stderr } = await runTool(`cannot create bridge ${conf.bridge}`, "ip", args, {
    okCodes: [0, 2],
  });
  if (code !== 0 && !/File exists/.test(stderr)) {
    throw new CniError(toolFailureCode, `cannot create bridge ${conf.bridge}`, stderr.trim());
  }
}

/**
 * `ip` lines that put the gateway addresses on the bridge. Like the reference plugin, a bridge
 * holding a different IPv4 address (or an overlapping IPv6 one) is an error unless forceAddress,
 * which replaces it.
 */
export function bridgeAddressCommands(
  conf: BridgeConfig,
  state: BridgeState,
  wanted: Cidr[],
): string[] {
  const lines: string[] = [];
  for (const want of wanted) {
    const text = formatCidr(want);
    if (state.addresses.some((a) => formatCidr(a) === text)) continue;
    for (const have of state.addresses) {
      if (have.ip.family !== want.ip.family) continue;
      if (want.ip.family === 6 && !overlaps(have, want)) continue;
      if (!conf.forceAddress) {
        throw new CniError(
          toolFailureCode,
          `bridge "${conf.bridge}" already has address ${formatCidr(have)}, different from ${text} (set forceAddress to replace it)`,
        );
      }
      lines.push(`addr del ${formatCidr(have)} dev ${conf.bridge}`);
    }
    // replace, not add: a concurrent ADD may have just added the same address.
    lines.push(`addr replace ${text} dev ${conf.bridge}`);
  }
  return lines;
}

function overlaps(a: Cidr, b: Cidr): boolean {
  const p = Math.min(a.prefix, b.prefix);
  const shift = BigInt(128 - p);
  return a.ip.value >> shift === b.ip.value >> shift;
}

export function bridgeMac(name: string): string {
  return readFileSync(`/sys/class/net/${name}/address`, "utf8").trim();
}
