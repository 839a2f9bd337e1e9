import type { Platform } from "./manifest.js";

const architectures: Record<string, string> = {
  x64: "amd64",
  arm64: "arm64",
  arm: "arm",
  ia32: "386",
};

export function hostPlatform(): Platform {
  return { os: "linux", architecture: architectures[process.arch] ?? process.arch };
}

export function matchesPlatform(candidate: Platform, host: Platform): boolean {
  return candidate.os === host.os && candidate.architecture === host.architecture;
}
