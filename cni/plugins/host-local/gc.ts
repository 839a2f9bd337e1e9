import type { PluginCall } from "../skel.js";
import type { Attachment } from "../../spec/types.js";
import { parseHostLocalConfig } from "./config.js";
import { ReservationStore } from "./store.js";

/** Releases every reservation whose attachment is not in the runtime's valid list. */
export async function hostLocalGc(call: PluginCall, valid: Attachment[]): Promise<void> {
  const conf = parseHostLocalConfig(call.input);
  const keep = new Set(valid.map((a) => `${a.containerID}\n${a.ifname}`));
  const store = new ReservationStore(conf.dir);
  await store.locked(() => {
    for (const r of store.list()) {
      if (!keep.has(`${r.containerId}\n${r.ifname}`)) store.release(r.ip);
    }
  });
}
