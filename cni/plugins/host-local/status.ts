import type { PluginCall } from "../skel.js";
import { CniError, cniCode } from "../../spec/errors.js";
import { describe, parseHostLocalConfig } from "./config.js";
import { freeAddressCount } from "./allocator.js";
import { ReservationStore } from "./store.js";

/** ADDs can be served unless some range set has no free address left (then code 50). */
export async function hostLocalStatus(call: PluginCall): Promise<void> {
  const conf = parseHostLocalConfig(call.input);
  const taken = new Set(new ReservationStore(conf.dir).list().map((r) => r.ip));
  conf.rangeSets.forEach((set, i) => {
    if (freeAddressCount(set, { taken, exclude: conf.exclude }) === 0n) {
      throw new CniError(
        cniCode.unavailable,
        `range set ${i} (${set.map(describe).join(", ")}) has no free address`,
      );
    }
  });
}
