import type { DnsConfig } from "../../spec/types.js";

/** The DNS settings of a resolv.conf file, as a CNI result's `dns` carries them. */
export function parseResolvConf(text: string): DnsConfig {
  const dns: DnsConfig = {};
  for (const raw of text.split("\n")) {
    const fields = raw
      .replace(/[#;].*$/, "")
      .trim()
      .split(/\s+/);
    const [key, ...values] = fields;
    if (key === "nameserver" && values[0]) (dns.nameservers ??= []).push(values[0]);
    else if (key === "domain" && values[0]) dns.domain = values[0];
    else if (key === "search") dns.search = values;
    else if (key === "options") (dns.options ??= []).push(...values);
  }
  return dns;
}
