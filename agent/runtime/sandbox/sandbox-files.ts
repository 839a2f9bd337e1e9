import { promises as fs } from "node:fs";
import path from "node:path";
import type { DNSConfig__Output } from "../../../proto/gen/runtime/v1/DNSConfig.js";

export interface SandboxFiles {
  hostname: string;
  hosts: string;
  resolvConf: string;
}

/** /etc/hostname, /etc/hosts and /etc/resolv.conf for every container of a pod. */
export async function writeSandboxFiles(
  dir: string,
  options: { hostname: string; dns: DNSConfig__Output | null; hostNetwork: boolean },
): Promise<SandboxFiles> {
  await fs.mkdir(dir, { recursive: true, mode: 0o755 });
  const files: SandboxFiles = {
    hostname: path.join(dir, "hostname"),
    hosts: path.join(dir, "hosts"),
    resolvConf: path.join(dir, "resolv.conf"),
  };
  await fs.writeFile(files.hostname, `${options.hostname}\n`, { mode: 0o644 });
  const hosts = options.hostNetwork
    ? await fs.readFile("/etc/hosts", "utf8").catch(() => defaultHosts(options.hostname))
    : defaultHosts(options.hostname);
  await fs.writeFile(files.hosts, hosts, { mode: 0o644 });
  await fs.writeFile(files.resolvConf, await resolvConf(options.dns), { mode: 0o644 });
  return files;
}

function defaultHosts(hostname: string): string {
  return [
    "127.0.0.1\tlocalhost",
    "::1\tlocalhost ip6-localhost ip6-loopback",
    "fe00::0\tip6-localnet",
    "ff00::0\tip6-mcastprefix",
    "ff02::1\tip6-allnodes",
    "ff02::2\tip6-allrouters",
    `127.0.1.1\t${hostname}`,
    "",
  ].join("\n");
}

/** From the pod's DNSConfig when it has one (what the kubelet sends), else the host's file. */
async function resolvConf(dns: DNSConfig__Output | null): Promise<string> {
  if (!dns || (dns.servers.length === 0 && dns.searches.length === 0 && dns.options.length === 0)) {
    return fs.readFile("/etc/resolv.conf", "utf8").catch(() => "");
  }
  const lines = [
    ...dns.servers.map((s) => `nameserver ${s}`),
    ...(dns.searches.length ? [`search ${dns.searches.join(" ")}`] : []),
    ...(dns.options.length ? [`options ${dns.options.join(" ")}`] : []),
  ];
  return `${lines.join("\n")}\n`;
}
