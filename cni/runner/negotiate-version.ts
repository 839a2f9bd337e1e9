import { supportedVersions, type NetConfList } from "../spec/types.js";
import { CniError, cniCode } from "../spec/errors.js";
import { compareVersions } from "./spec-version.js";
import type { VersionProbe } from "./version-probe.js";

const runnerVersions: readonly string[] = supportedVersions;

/**
 * The spec version to run a list with. With `cniVersions` (1.1): the highest one the runner and
 * every plugin of the list support; otherwise `cniVersion`, which plugins check themselves.
 */
export async function negotiateVersion(list: NetConfList, probe: VersionProbe): Promise<string> {
  const offered = list.cniVersions ?? [];
  if (offered.length === 0) {
    if (!runnerVersions.includes(list.cniVersion)) {
      throw incompatible(`network "${list.name}" is cniVersion ${list.cniVersion}`);
    }
    return list.cniVersion;
  }
  let candidates = offered.filter((v) => runnerVersions.includes(v));
  if (candidates.length === 0) {
    throw incompatible(`network "${list.name}" offers cniVersions ${offered.join(", ")}`);
  }
  for (const plugin of list.plugins) {
    const { supportedVersions: theirs } = await probe.version(plugin.type);
    const common = candidates.filter((v) => theirs.includes(v));
    if (common.length === 0) {
      throw new CniError(
        cniCode.incompatibleVersion,
        "incompatible CNI versions",
        `network "${list.name}" needs one of ${candidates.join(", ")}; ` +
          `plugin "${plugin.type}" supports ${theirs.join(", ")}`,
        plugin.type,
      );
    }
    candidates = common;
  }
  return candidates.sort(compareVersions)[candidates.length - 1];
}

function incompatible(what: string): CniError {
  return new CniError(
    cniCode.incompatibleVersion,
    "incompatible CNI versions",
    `${what}; the runner supports ${runnerVersions.join(", ")}`,
  );
}
