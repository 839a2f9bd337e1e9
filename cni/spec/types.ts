/** CNI 1.1 wire types (https://github.com/containernetworking/cni/blob/main/SPEC.md). */

export const supportedVersions = ["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"] as const;
export type CniVersion = (typeof supportedVersions)[number];

export type CniCommand = "ADD" | "DEL" | "CHECK" | "STATUS" | "VERSION" | "GC";

export interface DnsConfig {
  nameservers?: string[];
  domain?: string;
  search?: string[];
  options?: string[];
}

/** One plugin's entry in a conflist; keys beyond these pass through untouched. */
export interface PluginConf {
  type: string;
  capabilities?: Record<string, boolean>;
  ipam?: { type: string; [key: string]: unknown };
  dns?: DnsConfig;
  [key: string]: unknown;
}

export interface NetConfList {
  cniVersion: string;
  cniVersions?: string[];
  name: string;
  disableCheck?: boolean;
  disableGC?: boolean;
  plugins: PluginConf[];
}

/** What a plugin reads on stdin: its entry plus the list's name and version, and runner-only keys. */
export interface PluginInput extends PluginConf {
  cniVersion: string;
  name: string;
  runtimeConfig?: Record<string, unknown>;
  prevResult?: CniResult;
  "cni.dev/valid-attachments"?: Attachment[];
}

export interface Attachment {
  containerID: string;
  ifname: string;
}

export interface ResultInterface {
  name: string;
  mac?: string;
  mtu?: number;
  sandbox?: string;
  socketPath?: string;
  pciID?: string;
}

export interface ResultIp {
  address: string;
  gateway?: string;
  interface?: number;
}

export interface ResultRoute {
  dst: string;
  gw?: string;
  mtu?: number;
  advmss?: number;
  priority?: number;
  table?: number;
  scope?: number;
}

export interface CniResult {
  cniVersion: string;
  interfaces?: ResultInterface[];
  ips?: ResultIp[];
  routes?: ResultRoute[];
  dns?: DnsConfig;
}

/** A port mapping as the `portMappings` capability carries it. */
export interface PortMapping {
  hostPort: number;
  containerPort: number;
  protocol: "tcp" | "udp" | "sctp";
  hostIP?: string;
}

export interface VersionResult {
  cniVersion: string;
  supportedVersions: string[];
}
