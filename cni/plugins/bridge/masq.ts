import {
  chainComment,
  chainName,
  iptablesRestore,
  iptablesSave,
  ruleArg,
  ruleLine,
  type SavedTable,
} from "../common/iptables.js";
import { formatCidr, formatIp, parseCidr, subnetOf } from "../common/ip-math.js";

const multicast = "224.0.0.0/4";

/**
 * nat lines for the reference plugin's masquerade setup: chain CNI-<hash> ACCEPTs traffic to the
 * pod's subnets and MASQUERADEs the rest except multicast; POSTROUTING jumps there from the pod's
 * IPs. The chain line creates the chain or flushes a stale one. IPv4 only.
 */
export function masqAddLines(
  network: string,
  containerId: string,
  addresses: string[],
  saved: SavedTable,
): string[] {
  const chain = chainName(network, containerId);
  const comment = chainComment(network, containerId);
  const v4 = addresses.map((a) => parseCidr(a)).filter((c) => c?.ip.family === 4);
  if (v4.length === 0) return [];
  const lines = [`:${chain} - [0:0]`];
  for (const c of v4) {
    lines.push(
      ruleLine("-A", chain, [
        "-d",
        formatCidr(subnetOf(c!)),
        "-m",
        "comment",
        "--comment",
        comment,
        "-j",
        "ACCEPT",
      ]),
    );
  }
  lines.push(
    ruleLine("-A", chain, [
      "!",
      "-d",
      multicast,
      "-m",
      "comment",
      "--comment",
      comment,
      "-j",
      "MASQUERADE",
    ]),
  );
  for (const c of v4) {
    const source = `${formatIp(c!.ip)}/32`;
    const present = saved.rules.some(
      (r) => r.chain === "POSTROUTING" && ruleArg(r, "-j") === chain && ruleArg(r, "-s") === source,
    );
    if (!present) {
      lines.push(
        ruleLine("-A", "POSTROUTING", [
          "-s",
          source,
          "-m",
          "comment",
          "--comment",
          comment,
          "-j",
          chain,
        ]),
      );
    }
  }
  return lines;
}

/** nat lines removing the given per-container chains and every POSTROUTING jump to them. */
export function masqRemovalLines(saved: SavedTable, chains: Set<string>): string[] {
  const lines = saved.rules
    .filter((r) => r.chain === "POSTROUTING" && chains.has(ruleArg(r, "-j") ?? ""))
    .map((r) => `-D ${r.line}`);
  for (const chain of chains) {
    if (saved.chains.has(chain)) lines.push(`-F ${chain}`, `-X ${chain}`);
  }
  return lines;
}

/** Removes one attachment's masquerade chain and jumps, found by name: works without prevResult. */
export async function removeMasq(network: string, containerId: string): Promise<void> {
  const saved = await iptablesSave("nat");
  const lines = masqRemovalLines(saved, new Set([chainName(network, containerId)]));
  await iptablesRestore(`cannot remove the masquerade rules of ${containerId}`, "nat", lines);
}
