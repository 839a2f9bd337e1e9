import net from "node:net";
import type { X509Certificate } from "node:crypto";
import { invalidArgument } from "../../lib/errors.js";
import type { SubjectAltNames } from "./openssl.js";

const dnsName =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * The serving certificate's SANs for the hosts the controller is reached at: IPs as IP entries,
 * names as DNS entries. Wildcard listen addresses (0.0.0.0, ::) name no host and are left out.
 */
export function servingAltNames(hosts: string[], field = "hosts"): SubjectAltNames {
  const sans: SubjectAltNames = { ips: [], dnsNames: [] };
  hosts.forEach((raw, i) => {
    const host = raw
      .trim()
      .replace(/^\[(.*)\]$/, "$1")
      .toLowerCase();
    if (net.isIP(host) !== 0) {
      const ip = canonicalIp(host);
      if (ip !== "0.0.0.0" && ip !== "::" && !sans.ips.includes(ip)) sans.ips.push(ip);
    } else if (dnsName.test(host)) {
      if (!sans.dnsNames.includes(host)) sans.dnsNames.push(host);
    } else {
      throw invalidArgument(
        `${field}[${i}]: ${JSON.stringify(raw)} is neither an IP address nor a DNS name`,
        {
          field: `${field}[${i}]`,
        },
      );
    }
  });
  return sans;
}

/** Merges SAN lists, keeping order and dropping duplicates. */
export function mergeAltNames(a: SubjectAltNames, b: SubjectAltNames): SubjectAltNames {
  return {
    ips: [...new Set([...a.ips, ...b.ips])],
    dnsNames: [...new Set([...a.dnsNames, ...b.dnsNames])],
  };
}

/** The SANs a certificate already carries (only the IP and DNS entries). */
export function certificateAltNames(cert: X509Certificate): SubjectAltNames {
  const entries = (cert.subjectAltName ?? "").split(/,\s*/);
  const hosts = entries.flatMap((entry) => {
    const m = /^(?:DNS|IP Address):(.+)$/.exec(entry.trim());
    return m ? [m[1]] : [];
  });
  try {
    return servingAltNames(hosts, "subjectAltName");
  } catch {
    // A SAN we would not issue ourselves (wildcard, unusual form): not worth carrying over.
    return servingAltNames(hosts.filter((h) => net.isIP(h) !== 0 || dnsName.test(h)));
  }
}

/** The SANs from `wanted` that the certificate does not cover. */
export function missingAltNames(cert: X509Certificate, wanted: SubjectAltNames): string[] {
  return [
    ...wanted.ips.filter((ip) => cert.checkIP(ip) === undefined),
    ...wanted.dnsNames.filter(
      (dns) => cert.checkHost(dns, { subject: "never", wildcards: false }) === undefined,
    ),
  ];
}

// Compressed IPv6 form ("::1"), so that one address written two ways is one SAN.
function canonicalIp(ip: string): string {
  return net.isIPv6(ip) ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip;
}
