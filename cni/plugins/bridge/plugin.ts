import type { Plugin } from "../skel.js";
import { resultForVersion } from "../common/result-version.js";
import { bridgeAdd } from "./add.js";
import { bridgeCheck } from "./check.js";
import { bridgeDel } from "./del.js";
import { bridgeGc } from "./gc.js";
import { bridgeStatus } from "./status.js";

export const bridgePlugin: Plugin = {
  supportedVersions: ["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"],
  add: async (call) => resultForVersion(await bridgeAdd(call), call.input.cniVersion),
  del: bridgeDel,
  check: bridgeCheck,
  status: bridgeStatus,
  gc: bridgeGc,
};
