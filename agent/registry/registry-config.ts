import path from "node:path";

/**
 * What a Berth config dir (default /etc/berth) says about registries: mirrors and CAs in
 * containerd's layout, `certs.d/<host>/hosts.toml` (or Docker's `certs.d/<host>/*.crt`), and
 * credentials in a Docker config.json-style `auth.json`.
 */
export function registryConfig(configDir: string): { authFiles: string[]; hostsDir: string } {
  return {
    authFiles: [path.join(configDir, "auth.json")],
    hostsDir: path.join(configDir, "certs.d"),
  };
}
