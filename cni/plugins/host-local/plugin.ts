import type { Plugin } from "../skel.js";
import { resultForVersion } from "../common/result-version.js";
import { hostLocalAdd } from "./add.js";
import { hostLocalCheck } from "./check.js";
import { hostLocalDel } from "./del.js";
import { hostLocalGc } from "./gc.js";
import { hostLocalStatus } from "./status.js";

export const hostLocalPlugin: Plugin = {
  supportedVersions: ["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"],
  add: async (call) => resultForVersion(await hostLocalAdd(call), call.input.cniVersion),
  del: hostLocalDel,
  check: hostLocalCheck,
  status: hostLocalStatus,
  gc: hostLocalGc,
};
