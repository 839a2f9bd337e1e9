import { promises as fs } from "node:fs";
import YAML from "yaml";

/** The server and embedded client certificate of a kubeconfig `berth up` wrote itself. */
export async function kubeconfigCredentials(
  file: string,
): Promise<{ server: string; certPem: string }> {
  const doc = YAML.parse(await fs.readFile(file, "utf8")) as {
    clusters?: { cluster?: { server?: string } }[];
    users?: { user?: { "client-certificate-data"?: string } }[];
  };
  const server = doc.clusters?.[0]?.cluster?.server ?? "";
  const cert = doc.users?.[0]?.user?.["client-certificate-data"] ?? "";
  return { server, certPem: Buffer.from(cert, "base64").toString("utf8") };
}
