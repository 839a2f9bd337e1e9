import type { SandboxRecord } from "../../runtime/records.js";

/** CRI shows "creating" and "removing" pods as not ready: they cannot take containers. */
export function criSandboxState(record: SandboxRecord): "SANDBOX_READY" | "SANDBOX_NOTREADY" {
  return record.state === "ready" ? "SANDBOX_READY" : "SANDBOX_NOTREADY";
}
