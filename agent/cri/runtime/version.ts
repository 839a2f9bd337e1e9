import { berthVersion } from "../../../lib/version.js";
import type { VersionResponse } from "../../../proto/gen/runtime/v1/VersionResponse.js";

/** The CRI version handshake; `version` is the kubelet runtime API version, fixed at 0.1.0. */
export async function version(): Promise<VersionResponse> {
  return {
    version: "0.1.0",
    runtime_name: "berth",
    runtime_version: berthVersion,
    runtime_api_version: "v1",
  };
}
