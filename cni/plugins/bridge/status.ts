import type { PluginCall } from "../skel.js";
import { parseBridgeConfig } from "./config.js";
import { execIpam } from "./ipam.js";

/** The bridge itself is always ready; whether ADDs can be served is IPAM's to say. */
export async function bridgeStatus(call: PluginCall): Promise<void> {
  const conf = parseBridgeConfig(call.input);
  await execIpam(call, conf.ipamType, "STATUS");
}
