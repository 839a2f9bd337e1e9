import type { Pod } from "../../kube/types.js";
import type { DNSConfig } from "../../../proto/gen/runtime/v1/DNSConfig.js";
import { formatPod } from "./pod-containers.js";
import type { DnsSettings } from "./resolv-conf.js";
import type { SpecEvent } from "./spec-event.js";

export interface PodDnsOptions {
  /** kubelet's --cluster-dns: the cluster DNS servers. */
  clusterDns?: string[];
  /** kubelet's --cluster-domain, e.g. "cluster.local". */
  clusterDomain?: string;
  /** The node's resolv.conf, parsed; undefined when the node has none configured. */
  hostDns?: DnsSettings;
  /** The node's IPs, to pick 127.0.0.1 or ::1 when the node has no resolv.conf. */
  nodeIPs?: string[];
}

const maxNameservers = 3;
const maxSearchPaths = 32;
const maxSearchChars = 2048;
const maxSearchPathLength = 253;

/**
 * The sandbox's DNS config from spec.dnsPolicy, as kubelet's GetPodDNS:
 * - ClusterFirst (ClusterFirstWithHostNet on the host network): the cluster DNS servers, searches
 *   <ns>.svc.<domain> svc.<domain> <domain> then the node's, options ndots:5; without cluster DNS
 *   it falls back to Default with a MissingClusterDNS event; ClusterFirst on the host network is Default;
 * - Default: the node's resolv.conf (127.0.0.1 or ::1 and search "." when it has none);
 * - None: nothing but spec.dnsConfig.
 * spec.dnsConfig is then merged in (servers and searches appended without duplicates, options by
 * name, the pod's winning), and the result cut to 3 servers and 32 searches / 2048 characters.
 */
export function podDnsConfig(
  pod: Pod,
  options: PodDnsOptions,
): { config: DNSConfig; events: SpecEvent[] } {
  const events: SpecEvent[] = [];
  const type = dnsType(pod.spec?.dnsPolicy || "ClusterFirst", pod.spec?.hostNetwork === true);
  const cluster = type === "cluster";
  let dns: DnsSettings;
  if (type === "none") dns = { servers: [], searches: [], options: [] };
  else if (cluster && (options.clusterDns ?? []).length > 0) {
    dns = {
      servers: [...options.clusterDns!],
      searches: clusterSearches(pod, options.clusterDomain ?? "", options.hostDns?.searches ?? []),
      options: ["ndots:5"],
    };
  } else {
    if (cluster) {
      events.push({
        type: "Warning",
        reason: "MissingClusterDNS",
        message: `pod: ${JSON.stringify(formatPod(pod))}. kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.`,
      });
    }
    dns = hostSettings(options);
  }
  const podConfig = pod.spec?.dnsConfig;
  if (podConfig) {
    dns = {
      servers: unique([...dns.servers, ...(podConfig.nameservers ?? [])]),
      searches: unique([...dns.searches, ...(podConfig.searches ?? [])]),
      options: mergeOptions(dns.options, podConfig.options ?? []),
    };
  }
  return { config: fitLimits(dns, events), events };
}

function dnsType(policy: string, hostNetwork: boolean): "cluster" | "host" | "none" {
  switch (policy) {
    case "None":
      return "none";
    case "Default":
      return "host";
    case "ClusterFirst":
      return hostNetwork ? "host" : "cluster";
    default:
      // ClusterFirstWithHostNet, and what kubelet falls back to for a policy it does not know.
      return "cluster";
  }
}

function clusterSearches(pod: Pod, domain: string, hostSearches: string[]): string[] {
  if (domain === "") return [...hostSearches];
  const ns = pod.metadata?.namespace ?? "";
  return unique([`${ns}.svc.${domain}`, `svc.${domain}`, domain, ...hostSearches]);
}

function hostSettings(options: PodDnsOptions): DnsSettings {
  if (options.hostDns) {
    return {
      servers: [...options.hostDns.servers],
      searches: [...options.hostDns.searches],
      options: [...options.hostDns.options],
    };
  }
  const ips = options.nodeIPs ?? [];
  const servers = ips.map((ip) => (ip.includes(":") ? "::1" : "127.0.0.1"));
  return { servers: servers.length > 0 ? servers : ["127.0.0.1"], searches: ["."], options: [] };
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

/** "name:value" options by name, in first-seen order; the pod's value replaces the node's. */
function mergeOptions(existing: string[], fromPod: { name?: string; value?: string }[]): string[] {
  const merged = new Map<string, string>();
  for (const op of existing) {
    const colon = op.indexOf(":");
    if (colon < 0) merged.set(op, "");
    else merged.set(op.slice(0, colon), op.slice(colon + 1));
  }
  for (const op of fromPod) merged.set(op.name ?? "", op.value ?? "");
  return [...merged].map(([name, value]) => (value === "" ? name : `${name}:${value}`));
}

function fitLimits(dns: DnsSettings, events: SpecEvent[]): DNSConfig {
  let servers = dns.servers;
  if (servers.length > maxNameservers) {
    servers = servers.slice(0, maxNameservers);
    events.push({
      type: "Warning",
      reason: "DNSConfigForming",
      message: `Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${servers.join(" ")}`,
    });
  }
  let searches = dns.searches.slice(0, maxSearchPaths);
  let exceeded = searches.length < dns.searches.length;
  const kept = searches.filter((s) => s.length <= maxSearchPathLength);
  exceeded ||= kept.length < searches.length;
  searches = kept;
  while (searches.join(" ").length > maxSearchChars) {
    searches = searches.slice(0, -1);
    exceeded = true;
  }
  if (exceeded) {
    events.push({
      type: "Warning",
      reason: "DNSConfigForming",
      message: `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${searches.join(" ")}`,
    });
  }
  return { servers, searches, options: dns.options };
}
