import { fileURLToPath } from "node:url";

/** Berth's own plugins (cni/bin of this installation), found from this compiled file in dist/. */
export const berthPluginDir = fileURLToPath(new URL("../../../cni/bin", import.meta.url));

/** Where plugins are searched when no --cni-bin-dir is given: Berth's first. */
export const defaultPluginDirs = [berthPluginDir, "/usr/lib/cni", "/opt/cni/bin"];
