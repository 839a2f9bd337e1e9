import { invalidArgument } from "../../../lib/errors.js";
import type { Pod } from "../../kube/types.js";

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const labelRule =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const hostnameMaxLength = 63;
const fqdnMaxLength = 64;

function checkLabel(what: string, value: string, field: string): void {
  if (value.length > hostnameMaxLength || !dnsLabel.test(value)) {
    const why = value.length > hostnameMaxLength ? "must be no more than 63 characters" : labelRule;
    throw invalidArgument(`pod ${what} ${JSON.stringify(value)} is not a valid DNS label: ${why}`, {
      field,
    });
  }
}

/**
 * The pod's short hostname and DNS domain, as kubelet's GeneratePodHostNameAndDomain:
 * spec.hostname or else the pod's name cut to 63 characters (without a trailing "-" or ".");
 * the domain is <subdomain>.<namespace>.svc.<clusterDomain> when spec.subdomain is set.
 */
export function podHostnameAndDomain(
  pod: Pod,
  clusterDomain: string,
): { hostname: string; domain: string } {
  const name = pod.metadata?.name ?? "";
  let hostname = name;
  if (pod.spec?.hostname) {
    checkLabel("Hostname", pod.spec.hostname, "spec.hostname");
    hostname = pod.spec.hostname;
  }
  if (hostname.length > hostnameMaxLength) {
    hostname = hostname.slice(0, hostnameMaxLength).replace(/[-.]+$/, "");
  }
  if (hostname === "") {
    throw invalidArgument(`hostname for pod ${JSON.stringify(name)} was invalid`, {
      field: "metadata.name",
    });
  }
  let domain = "";
  if (pod.spec?.subdomain) {
    checkLabel("Subdomain", pod.spec.subdomain, "spec.subdomain");
    domain = `${pod.spec.subdomain}.${pod.metadata?.namespace ?? ""}.svc.${clusterDomain}`;
  }
  return { hostname, domain };
}

/** The kernel hostname: the FQDN with setHostnameAsFQDN and a domain (at most 64 characters), else the short name. */
export function kernelHostname(pod: Pod, clusterDomain: string): string {
  const { hostname, domain } = podHostnameAndDomain(pod, clusterDomain);
  if (!pod.spec?.setHostnameAsFQDN || domain === "") return hostname;
  const fqdn = `${hostname}.${domain}`;
  if (fqdn.length > fqdnMaxLength) {
    throw invalidArgument(
      `failed to construct FQDN from pod hostname and cluster domain, FQDN ${fqdn} is too long (${fqdnMaxLength} characters is the max, ${fqdn.length} characters requested)`,
      { field: "spec.setHostnameAsFQDN" },
    );
  }
  return fqdn;
}
