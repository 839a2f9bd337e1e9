import { berthVersion } from "../../lib/version.js";

/**
 * GET /version. The minor picks the kubectl the dispatcher on these machines runs, and clients
 * check skew against it: Berth speaks the 1.32 API.
 */
export const kubernetesVersion = "v1.32.4";

export function versionInfo() {
  return {
    major: "1",
    minor: "32",
    gitVersion: `${kubernetesVersion}+berth-${berthVersion}`,
    gitCommit: "0000000000000000000000000000000000000000",
    gitTreeState: "clean",
    buildDate: "2026-01-01T00:00:00Z",
    goVersion: "go1.23.8",
    compiler: "gc",
    platform: `linux/${process.arch === "x64" ? "amd64" : process.arch}`,
  };
}
