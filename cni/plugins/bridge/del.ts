import { existsSync } from "node:fs";
import type { PluginCall } from "../skel.js";
import { CniError } from "../../spec/errors.js";
import { netnsExists } from "../common/netns.js";
import { runTool, toolFailureCode } from "../common/tool.js";
import { parseBridgeConfig } from "./config.js";
import { execIpam } from "./ipam.js";
import { removeMasq } from "./masq.js";
import { hostVethName } from "./names.js";

/**
 * DEL, best effort and repeatable: release the address, delete the container interface (a
 * missing netns or interface is fine) and the masquerade chain — found by its name, so unlike the
 * reference plugin it also goes when the netns is already gone. Every step runs; the first error
 * is reported after all of them.
 */
export async function bridgeDel(call: PluginCall): Promise<void> {
  const conf = parseBridgeConfig(call.input);
  const results = await Promise.allSettled([
    execIpam(call, conf.ipamType, "DEL"),
    deleteInterface(call),
    conf.ipMasq ? removeMasq(conf.network, call.containerId) : undefined,
  ]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}

async function deleteInterface(call: PluginCall): Promise<void> {
  if (netnsExists(call.netns)) {
    const { code, stderr } = await runTool(
      `cannot delete ${call.ifname} in ${call.netns}`,
      "nsenter",
      [`--net=${call.netns}`, "--", "ip", "link", "del", "dev", call.ifname],
      { okCodes: [0, 1] },
    );
    if (code !== 0 && !/Cannot find device|does not exist|reassociate to namespace/.test(stderr)) {
      throw new CniError(
        toolFailureCode,
        `cannot delete ${call.ifname} in ${call.netns}`,
        stderr.trim(),
      );
    }
  }
  // A veth whose peer went with its netns is gone already; one left behind by a half-done ADD
  // or a moved netns file is removed here.
  const host = hostVethName(call.containerId, call.ifname);
  if (existsSync(`/sys/class/net/${host}`)) {
    await runTool(`cannot delete host veth ${host}`, "ip", ["link", "del", "dev", host], {
      okCodes: [0, 1],
    });
  }
}
