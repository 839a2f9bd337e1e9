import YAML from "yaml";
import { invalidArgument } from "../../lib/errors.js";
import { writeFileAtomic } from "./write-file-atomic.js";

export interface KubeconfigSpec {
  /** https://host:port */
  server: string;
  caPem: string;
  /** The kubeconfig's user entry name. */
  user: string;
  /** Client certificate and key, embedded as client-certificate-data/client-key-data. */
  clientCertPem?: string;
  clientKeyPem?: string;
  /** A bearer token instead of (or besides) the client certificate. */
  token?: string;
  /** Context and cluster name; "berth" by default. */
  context?: string;
}

/** Writes a one-cluster, one-user kubeconfig (mode 0600: it holds credentials), current-context set. */
export async function writeKubeconfig(file: string, spec: KubeconfigSpec): Promise<void> {
  await writeFileAtomic(file, kubeconfigYaml(spec), 0o600);
}

export function kubeconfigYaml(spec: KubeconfigSpec): string {
  const context = spec.context ?? "berth";
  checkServerUrl(spec.server);
  if ((spec.clientCertPem === undefined) !== (spec.clientKeyPem === undefined)) {
    throw invalidArgument("clientCertPem and clientKeyPem go together", { field: "clientKeyPem" });
  }
  if (spec.clientCertPem === undefined && spec.token === undefined) {
    throw invalidArgument("a kubeconfig user needs a client certificate or a token", {
      field: "user",
    });
  }
  const b64 = (pem: string) => Buffer.from(pem).toString("base64");
  const user: Record<string, string> = {};
  if (spec.clientCertPem !== undefined && spec.clientKeyPem !== undefined) {
    user["client-certificate-data"] = b64(spec.clientCertPem);
    user["client-key-data"] = b64(spec.clientKeyPem);
  }
  if (spec.token !== undefined) user.token = spec.token;
  return YAML.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: context,
        cluster: { server: spec.server, "certificate-authority-data": b64(spec.caPem) },
      },
    ],
    users: [{ name: spec.user, user }],
    contexts: [{ name: context, context: { cluster: context, user: spec.user } }],
    "current-context": context,
    preferences: {},
  });
}

/** Throws unless `server` is an https:// URL. */
export function checkServerUrl(server: string, field = "server"): void {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw invalidArgument(`${field}: ${JSON.stringify(server)} is not a URL`, { field });
  }
  if (url.protocol !== "https:") {
    throw invalidArgument(`${field}: ${server} must be an https:// URL`, { field });
  }
}
