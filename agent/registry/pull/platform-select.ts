import { notFound } from "../../../lib/errors.js";
import { isManifestType, type Descriptor, type Platform } from "../../images/manifest.js";
import { hostPlatform } from "../../images/platform.js";

/** Architecture names that mean the same thing (as containerd's platforms.Normalize). */
const architectureAliases: Record<string, { architecture: string; variant?: string }> = {
  i386: { architecture: "386" },
  x86_64: { architecture: "amd64" },
  "x86-64": { architecture: "amd64" },
  aarch64: { architecture: "arm64" },
  armhf: { architecture: "arm", variant: "v7" },
  armel: { architecture: "arm", variant: "v6" },
};

/** A platform in canonical form: lowercase, aliases resolved, default variants made explicit. */
export function normalizePlatform(p: Platform): Platform {
  const os = p.os.toLowerCase();
  const alias = architectureAliases[p.architecture.toLowerCase()];
  const architecture = alias?.architecture ?? p.architecture.toLowerCase();
  let variant = (p.variant ?? alias?.variant ?? "").toLowerCase();
  if (architecture === "arm64" && (variant === "" || variant === "8")) variant = "v8";
  if (architecture === "arm" && variant === "") variant = "v7";
  if (architecture === "arm" && /^[5-8]$/.test(variant)) variant = `v${variant}`;
  // amd64 "v1" is the baseline every amd64 machine runs: the same as no variant.
  if (architecture === "amd64" && variant === "v1") variant = "";
  return variant === "" ? { os, architecture } : { os, architecture, variant };
}

/** This machine's platform, normalized (linux/amd64 here; linux/arm64/v8 on an arm64 host). */
export function defaultPlatform(): Platform {
  return normalizePlatform(hostPlatform());
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter((x) => x).join("/");
}

/**
 * What a machine of `wanted` platform runs, best first: itself, then for 32-bit arm the older
 * variants it is backward compatible with (v7 runs v6 and v5 code).
 */
function compatible(wanted: Platform): Platform[] {
  const w = normalizePlatform(wanted);
  if (w.architecture !== "arm" || !w.variant) return [w];
  const n = Number(w.variant.slice(1));
  const out: Platform[] = [];
  for (let v = n; v >= 5; v--) out.push({ ...w, variant: `v${v}` });
  return out;
}

function same(a: Platform, b: Platform): boolean {
  return (
    a.os === b.os && a.architecture === b.architecture && (a.variant ?? "") === (b.variant ?? "")
  );
}

/**
 * The entry of an index (or manifest list) for `wanted`: the best compatible platform, the first
 * such entry in index order. None → NotFound listing the platforms the index has.
 */
export function selectManifest(
  manifests: Descriptor[],
  wanted: Platform,
  what: string,
): Descriptor {
  // Attestations (buildkit's unknown/unknown entries) are not images to run.
  const images = manifests.filter(
    (m) => isManifestType(m.mediaType) && m.platform && m.platform.os !== "unknown",
  );
  for (const candidate of compatible(wanted)) {
    const match = images.find((m) => same(normalizePlatform(m.platform as Platform), candidate));
    if (match) return match;
  }
  const available = [
    ...new Set(images.map((m) => formatPlatform(normalizePlatform(m.platform as Platform)))),
  ];
  throw notFound(
    `${what}: no manifest for platform ${formatPlatform(normalizePlatform(wanted))}; the index has ${
      available.length > 0 ? available.join(", ") : "no platform-specific manifests"
    }`,
  );
}
