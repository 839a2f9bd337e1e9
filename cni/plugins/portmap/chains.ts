import { chainComment, chainName } from "../common/iptables.js";
import { CniError, cniCode } from "../../spec/errors.js";
import type { Mapping, PortmapConfig } from "./config.js";
import type { PodAddress } from "./pod-address.js";

/**
 * The nat chains, named as the reference portmap names them so either plugin can DEL or GC what
 * the other made (and neither duplicates the shared entry rules).
 */
export const dnatChain = "CNI-HOSTPORT-DNAT";
export const setMarkChain = "CNI-HOSTPORT-SETMARK";
export const masqChain = "CNI-HOSTPORT-MASQ";
export const containerChainPrefix = "CNI-DN-";

/** A rule as iptables-save prints it: `-A <chain> <args…>`, args in iptables' canonical order. */
export interface Rule {
  chain: string;
  args: string[];
}

export function containerChain(network: string, containerId: string): string {
  return chainName(network, containerId, "DN-");
}

/** `0x2000/0x2000` for bit 13, as iptables prints a mark and mask. */
export function markDef(bit: number): string {
  const value = `0x${(2 ** bit).toString(16)}`;
  return `${value}/${value}`;
}

/** Local destinations enter the DNAT chain, from outside (PREROUTING) and from the host (OUTPUT). */
export function dnatEntryRules(): Rule[] {
  const args = ["-m", "addrtype", "--dst-type", "LOCAL", "-j", dnatChain];
  return [
    { chain: "PREROUTING", args },
    { chain: "OUTPUT", args },
  ];
}

export function setMarkRule(bit: number): Rule {
  return {
    chain: setMarkChain,
    args: [
      "-m",
      "comment",
      "--comment",
      "CNI portfwd masquerade mark",
      "-j",
      "MARK",
      "--set-xmark",
      markDef(bit),
    ],
  };
}

export function masqRule(bit: number): Rule {
  return { chain: masqChain, args: ["-m", "mark", "--mark", markDef(bit), "-j", "MASQUERADE"] };
}

/** Inserted first in POSTROUTING, ahead of the interface plugins' own masquerade rules. */
export function masqEntryRule(): Rule {
  return {
    chain: "POSTROUTING",
    args: ["-m", "comment", "--comment", "CNI portfwd requiring masquerade", "-j", masqChain],
  };
}

/** One container's chain, its rules, and the jumps into it from the DNAT chain. */
export interface ContainerRules {
  chain: string;
  rules: Rule[];
  jumps: Rule[];
}

/** iptables accepts comments of up to 255 characters. */
const maxComment = 255;
/** The multiport match takes at most 15 ports. */
const multiportMax = 15;

export function containerRules(
  conf: PortmapConfig,
  containerId: string,
  pod: PodAddress,
): ContainerRules {
  const chain = containerChain(conf.network, containerId);
  const comment = chainComment(conf.network, containerId);
  if (comment.length > maxComment) {
    throw new CniError(
      cniCode.invalidConfig,
      "network name and container ID too long for a rule comment",
      `${comment.length} > ${maxComment} characters`,
    );
  }
  const tag = ["-m", "comment", "--comment", comment];
  const markTarget = conf.externalSetMarkChain ?? setMarkChain;
  const rules: Rule[] = [];
  for (const m of conf.mappings) {
    const match = (source?: string) => [
      ...(source ? ["-s", source] : []),
      ...(m.hostIP ? ["-d", `${m.hostIP}/32`] : []),
      ...["-p", m.protocol, "-m", m.protocol, "--dport", String(m.hostPort)],
      ...tag,
    ];
    if (conf.snat) {
      // Hairpin (pod to its own host port) and host loopback connections need masquerading.
      rules.push({ chain, args: [...match(pod.subnet), "-j", markTarget] });
      rules.push({ chain, args: [...match("127.0.0.1/32"), "-j", markTarget] });
    }
    const to = `${pod.ip}:${m.containerPort}`;
    rules.push({ chain, args: [...match(), "-j", "DNAT", "--to-destination", to] });
  }
  return { chain, rules, jumps: jumpRules(conf.mappings, chain, tag) };
}

function jumpRules(mappings: Mapping[], chain: string, tag: string[]): Rule[] {
  const jumps: Rule[] = [];
  for (const protocol of ["sctp", "tcp", "udp"]) {
    const ports = [
      ...new Set(mappings.filter((m) => m.protocol === protocol).map((m) => m.hostPort)),
    ];
    for (let i = 0; i < ports.length; i += multiportMax) {
      const group = ports.slice(i, i + multiportMax).join(",");
      jumps.push({
        chain: dnatChain,
        args: ["-p", protocol, ...tag, "-m", "multiport", "--dports", group, "-j", chain],
      });
    }
  }
  return jumps;
}
