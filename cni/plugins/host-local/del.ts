import type { PluginCall } from "../skel.js";
import { reservationDir } from "./config.js";
import { ReservationStore } from "./store.js";

/** Releases every address the attachment holds; nothing to release is success. */
export async function hostLocalDel(call: PluginCall): Promise<void> {
  const store = new ReservationStore(reservationDir(call.input));
  await store.locked(() => {
    for (const r of store.byAttachment(call.containerId, call.ifname)) store.release(r.ip);
  });
}
